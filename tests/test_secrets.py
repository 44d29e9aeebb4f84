"""The leak detector itself (tests/helpers/secrets.py) catches what it must: it can fail."""

from __future__ import annotations

from tests.helpers.secrets import leaks, solution_blocks


def test_a_whole_solution_is_caught_in_text_and_in_code():
    longest = max(solution_blocks(), key=lambda block: len(block[1]))[1]
    one_line = next(lines for _, lines in solution_blocks() if len(lines) == 1)
    pasted = "\n".join(longest)
    assert len(longest) >= 3 and leaks(pasted, code=True) and leaks(pasted)
    assert leaks(f"hint: `{one_line[0]}`"), "a one-line solution shown to a learner is a leak"


def test_one_line_of_a_longer_solution_is_not_the_solution():
    longest = max(solution_blocks(), key=lambda block: len(block[1]))[1]
    assert not leaks(longest[0], hidden=False) and not leaks(
        "\n".join(longest[:2]), code=True, hidden=False
    )

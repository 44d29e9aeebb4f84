"""checker.generation_calls as the grader uses it: the outputs a grading kernel reported."""

from checker import generation_calls


def test_reported_outputs_are_stripped_once_and_only_those_as_narrow_as_the_answer(monkeypatch):
    """A forged report's outputs cost the grader one pass, not one per row of the answer."""
    stripped = []
    strip = generation_calls._strip
    monkeypatch.setattr(
        generation_calls, "_strip", lambda row, pad: stripped.append(row) or strip(row, pad)
    )
    rows = [[5, 6, 0], [7, 8, 9]]
    singles = {"singles": [[5, 6], [7, 8, 9]] + [[0] * 50] * 60}
    with generation_calls.reported_singles(singles):
        assert generation_calls.generated_one_at_a_time(rows, 0)
    assert len(stripped) == len(rows) + 2, len(stripped)

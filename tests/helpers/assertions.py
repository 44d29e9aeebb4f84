"""The one way tests assert an exercise's outcome and what its feedback names."""

from __future__ import annotations

from checker.exercise import Outcome


def _outcome(result, outcome: Outcome, words: tuple[str, ...]) -> None:
    text = str(result)
    assert result.outcome is outcome, text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"


def correct(result) -> None:
    _outcome(result, Outcome.CORRECT, ())


def incorrect(result, *words: str) -> None:
    """The result is INCORRECT and its feedback names each of ``words``."""
    _outcome(result, Outcome.INCORRECT, words)


def not_attempted(result, *words: str) -> None:
    _outcome(result, Outcome.NOT_ATTEMPTED, words)

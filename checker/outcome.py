"""What a check can say: three outcomes, and the reasons a verification gives for them.

Every helper of the checker may import this module; it imports only the renderer. A verification
raises :class:`Mistake` (wrong, with what was expected, what was found and the likely cause) or
:class:`NotAttempted`; an exercise turns that into a :class:`Result`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from . import feedback


class Outcome(enum.Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"


class Mistake(Exception):
    """What is wrong with an answer: what was expected, what was found, and the likely cause."""

    def __init__(
        self, problem: str, *, expected: str = "", found: str = "", cause: str = "", hint: str = ""
    ):
        super().__init__(problem)
        self.problem, self.expected, self.found, self.cause, self.hint = (
            problem,
            expected,
            found,
            cause,
            hint,
        )


class NotAttempted(Exception):
    """The answer is still the starter code."""


@dataclass(frozen=True)
class Result:
    title: str
    outcome: Outcome
    problem: str = ""
    expected: str = ""
    found: str = ""
    cause: str = ""
    hint: str = ""

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return feedback.as_text(self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return feedback.as_html(self)

"""What a check can say: three outcomes, and the reasons a verification gives for them.

Every helper of the checker may import this module; it imports only the renderer. A verification
raises :class:`Mistake` (wrong, with what was expected, what was found and the likely cause) or
:class:`NotAttempted`; an exercise turns that into a :class:`Result`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from . import feedback


class Outcome(enum.Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"


#: What a mistake's id looks like: a slug, lower case, words joined by ``_``.
MISTAKE_ID = re.compile(r"[a-z][a-z0-9_]*")


class Mistake(Exception):
    """What is wrong with an answer: what was expected, what was found, and the likely cause.

    ``id`` names the mistake for good: a slug such as ``"left_padding"``, written once where the
    mistake is declared (a literal at the ``Mistake(...)`` call, never built from the message, which
    may be reworded). It is unique among the mistakes one exercise can raise; the exercise reports it
    qualified by its own name, ``"pad_batch.left_padding"`` (:attr:`Result.mistake`), and so do the
    grader's report and the tests (``checker/exercises/attempts/``). A check that raises
    ``Mistake("...")`` without an id fails at once (``TypeError``): every mistake is named.

    ``Mistake("`pad_batch` pads on the left.", id="left_padding", expected=..., found=..., cause=...,
    hint=...)``: ``problem`` is one sentence; the others are optional and shown under their labels.
    """

    def __init__(
        self,
        problem: str,
        *,
        id: str,
        expected: str = "",
        found: str = "",
        cause: str = "",
        hint: str = "",
    ):
        if not isinstance(id, str) or not MISTAKE_ID.fullmatch(id):
            raise ValueError(f"a mistake's id is a slug such as 'left_padding', not {id!r}")
        super().__init__(problem)
        self.id = id
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
    #: ``"<exercise>.<mistake id>"`` when INCORRECT (``"pad_batch.left_padding"``), else empty.
    mistake: str = ""

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

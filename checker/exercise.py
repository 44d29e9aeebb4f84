"""One object per exercise: ``check()``, ``hint()``, ``solution()``; three outcomes.

A learner's cell calls ``ex.batch_dimension.check()``: the exercise reads the variables it names
from the learner's namespace (or takes them as arguments), runs its verification, and shows a
:class:`Result`. Verifications raise :class:`Mistake` to say what is wrong; the exercise turns
that, a missing or ``None`` answer, or a ``NotImplementedError`` into the right outcome.
"""
from __future__ import annotations

import enum
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from . import feedback


class Outcome(enum.Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"


class Mistake(Exception):
    """What is wrong with an answer: what was expected, what was found, and the likely cause."""

    def __init__(self, problem: str, *, expected: str = "", found: str = "", cause: str = "", hint: str = ""):
        super().__init__(problem)
        self.problem, self.expected, self.found, self.cause, self.hint = problem, expected, found, cause, hint


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

    def __repr__(self) -> str:
        return feedback.as_text(self)

    def _repr_html_(self) -> str:
        return feedback.as_html(self)


UNSET = object()


@dataclass
class Exercise:
    """An exercise, declared once in ``checker/exercises/<section>.py``."""

    name: str
    title: str
    checks: str  # one line: what the check verifies
    verify: Callable[..., None]  # raises Mistake (wrong) or NotAttempted; returns when right
    variables: tuple[str, ...] = ()  # read from the learner's namespace when check() gets no arguments
    hints: tuple[str, ...] = ()
    solution_code: str = ""
    _hints_shown: int = field(default=0, repr=False)

    def check(self, *answers: Any) -> Result:
        """Check the answer (given, or read from the calling notebook) and return the feedback."""
        if not answers:
            answers = self._answers_from(sys._getframe(1).f_globals)
        return self._run(answers)

    def grade(self, *answers: Any) -> None:
        """For autograder cells: raise ``AssertionError`` with the feedback unless the answer is correct."""
        if not answers:
            answers = self._answers_from(sys._getframe(1).f_globals)
        result = self._run(answers)
        if not result.correct:
            error = AssertionError(str(result))
            # IPython shows this instead of a traceback into the checker: the feedback is the message.
            error._render_traceback_ = lambda: ["AssertionError: graded cell not passed", str(result)]
            raise error

    def check_namespace(self, namespace: dict) -> Result:
        """Check the answer as found in ``namespace`` (a notebook's globals), without showing anything."""
        return self._run(self._answers_from(namespace))

    def hint(self, number: int | None = None) -> feedback.Note:
        """The next hint (or hint ``number``, counting from 1)."""
        if not self.hints:
            return feedback.Note("Hint", "This exercise has no hint; re-read the section above it.")
        if number is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            number = self._hints_shown
        number = max(1, min(int(number), len(self.hints)))
        more = f" ({number} of {len(self.hints)}; call .hint() again for the next)" if len(self.hints) > 1 else ""
        return feedback.Note(f"Hint{more}", self.hints[number - 1])

    def solution(self) -> feedback.Note:
        return feedback.Note("Solution", self.solution_code, code=True)

    def _answers_from(self, namespace: dict) -> tuple:
        return tuple(namespace.get(name, UNSET) for name in self.variables)

    def _run(self, answers: tuple) -> Result:
        unset = [i for i, a in enumerate(answers) if a is UNSET or a is None or a is Ellipsis]
        if unset:
            what = ", ".join(f"`{self.variables[i]}`" for i in unset if i < len(self.variables)) or "the answer"
            return Result(self.title, Outcome.NOT_ATTEMPTED,
                          problem=f"{what} is not set yet: replace the starter code and run that cell first.")
        try:
            self.verify(*answers)
        except NotAttempted as reason:
            return Result(self.title, Outcome.NOT_ATTEMPTED, problem=str(reason) or "Not attempted yet.")
        except NotImplementedError:
            return Result(self.title, Outcome.NOT_ATTEMPTED,
                          problem="Your function still raises NotImplementedError: replace that line with your code.")
        except Mistake as m:
            return Result(self.title, Outcome.INCORRECT, m.problem, m.expected, m.found, m.cause,
                          m.hint or (self.hints[0] if self.hints else ""))
        except RecursionError:
            return Result(self.title, Outcome.INCORRECT, "Your answer recursed without end.",
                          hint=self.hints[0] if self.hints else "")
        except Exception as error:  # the learner's code raised, or the answer is unreadable
            return Result(self.title, Outcome.INCORRECT, _describe(error),
                          hint=self.hints[0] if self.hints else "")
        return Result(self.title, Outcome.CORRECT)


def _describe(error: BaseException) -> str:
    """One line on an unexpected error: in the learner's code (with the line) or in reading the answer."""
    text = (str(error).strip().splitlines() or [""])[0][:200]
    name = f"{type(error).__name__}: {text}" if text else type(error).__name__
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = frame.filename.replace("\\", "/")
        if "/checker/" not in path and "site-packages" not in path and "/lib/python" not in path:
            return f"Your code raised {name} (line {frame.lineno}: `{(frame.line or '').strip()}`)."
    return (f"The checker could not check this answer ({name}). If your answer has the type and shape "
            "the task asks for, this is a bug in the checker: please report it.")

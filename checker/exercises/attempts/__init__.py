"""What learners write for each exercise, and what the check and the grader must say about it: one row each.

``attempts/sectionN.py`` holds ``ATTEMPTS``, the rows of section N's exercises, beside the checks of
``sectionN.py``. A row is an attempt as a learner writes it in the answer cell (the source, run after the
notebook's cells above that cell), the id of the mistake it makes (the ``id=`` of the ``Mistake`` the check
raises: ``"left_padding"``), and the words its feedback must contain. A right answer is a row whose mistake is
``CORRECT``; the starter code's is ``NOT_ATTEMPTED``.

Every test of an exercise's feedback derives from these rows, written once:

- ``tests/checker/exercises/test_attempts.py`` runs every row in this process (an IPython shell that runs the
  solution notebook up to the answer cell) and asks the public check and the grader (the report a grading
  kernel makes, judged by ``grading.scorer``): a right answer is accepted by both, a wrong one refused by
  both, naming the row's mistake id and words;
- ``tests/corpus`` runs the rows a real kernel is needed for (:attr:`Attempt.kernel`: several cells, a cell
  that raised and left a stale answer, an answer whose model calls are traced, or ``kernel=True``) in a
  Jupyter kernel, as the learner's notebook does: the kernel nbval executes the solution notebook in, just
  before the answer cell (``solutions/...ipynb::Rows of NAME``).

Not in the student edition: these rows hold right answers (``pyproject.toml`` and ``MANIFEST.in`` leave this
package out of the wheel and the sdist; ``tests/notebooks/test_package.py`` checks).
"""

from __future__ import annotations

from dataclasses import dataclass

CORRECT = "correct"  # the row is a right answer: accepted by the check and the grader
NOT_ATTEMPTED = "not attempted"  # the row is the starter code (or a stub): neither right nor wrong


@dataclass(frozen=True)
class Attempt:
    """One thing a learner writes for an exercise, and what the feedback must say about it.

    ``Attempt("pad_batch", "left_padding", "pads on the left", pad_batch_source, names=("on the left",))``
    """

    exercise: str  # the exercise's name, as the learner calls it: ex.pad_batch
    mistake: str  # the id of the mistake it makes ("left_padding"), or CORRECT, or NOT_ATTEMPTED
    what: str  # the attempt in words: "pads on the left"
    cells: tuple[str, ...] | str  # the answer cell's source (or several cells, run in turn)
    names: tuple[str, ...] = ()  # words the feedback must contain
    kernel: bool = False  # also run in a Jupyter kernel (tests/corpus), besides the cells and calls that need one

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.cells,) if isinstance(self.cells, str) else tuple(self.cells)

    @property
    def expect(self) -> str:
        """The outcome the check must give: "correct", "not attempted" or "incorrect"."""
        return self.mistake if self.mistake in (CORRECT, NOT_ATTEMPTED) else "incorrect"


class Rows:
    """The rows of one exercise, written without repeating its name:

    ``pad_batch = Rows("pad_batch")``, then
    ``pad_batch("left_padding", "pads on the left", source, "padded on the left", "right padding")``:
    the mistake id (or CORRECT / NOT_ATTEMPTED), the attempt in words, the source, the words its feedback names.
    """

    def __init__(self, exercise: str):
        self.exercise = exercise

    def __call__(
        self,
        mistake: str,
        what: str,
        cells: tuple[str, ...] | str,
        *names: str,
        kernel: bool = False,
    ) -> Attempt:
        return Attempt(self.exercise, mistake, what, cells, names, kernel)


def function(signature: str, body: str) -> str:
    """The source of a learner's function: ``function("pad_batch(sequences, pad_id)", "return ...")``."""
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body.splitlines())

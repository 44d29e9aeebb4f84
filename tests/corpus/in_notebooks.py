"""The kernel corpus as items of nbval's solution notebooks: before each answer cell with kernel rows, one item
runs them in the notebook's own kernel (:class:`tests.corpus.runner.NotebookKernel`), so that a solution
notebook is executed once per ``make test``, by nbval, and its rows are judged where it stands.

Every wrong attempt must be refused by the check and by the grader, both naming its mistake (its id and words);
every right one accepted by both. The figures (how long each check took, every message) go to
artifacts/corpus/<section>/<exercise>.json, to read and review. Every row also runs in-process, in
tests/checker/exercises/test_attempts.py.
"""

from __future__ import annotations

import json

import pytest

from checker.exercises import section_of
from tests.corpus.runner import NotebookKernel, kernel_rows
from tests.helpers.notebooks import ROOT, SOLUTIONS

#: nbval's notebook (its IPyNbFile) -> the numbers of the code cells run in its kernel so far.
_ran: dict[int, set[int]] = {}


class Attempts(pytest.Item):
    """An exercise's kernel rows, run in its notebook's kernel just before nbval runs the answer cell."""

    def __init__(self, *, exercise: str, **kwargs):
        super().__init__(**kwargs)
        self.exercise = exercise
        self.add_marker(pytest.mark.kernel)

    def runtest(self) -> None:
        section = section_of(self.parent.path.name)
        rows = [row for row in kernel_rows(section) if row.exercise == self.exercise]
        kernel = NotebookKernel(self.parent, _ran.setdefault(id(self.parent), set()))
        outcomes = kernel.rows(self.exercise, rows)
        out = ROOT / "artifacts" / "corpus" / section
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{self.exercise}.json").write_text(
            json.dumps([_figures(o) for o in outcomes], indent=1, ensure_ascii=False)
        )
        wrong = [
            f"{o.attempt.exercise}: {o.attempt.what}: {'; '.join(o.problems)}\n{o.seen['text']}"
            for o in outcomes
            if not o.ok
        ]
        if wrong:
            raise AssertionError("\n\n".join(wrong))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, AssertionError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.parent.path.name}: the kernel rows of {self.exercise}"


def _figures(o) -> dict:
    return {
        "exercise": o.attempt.exercise,
        "mistake": o.attempt.mistake,
        "what": o.attempt.what,
        "outcome": o.seen["outcome"],
        "named": o.seen["mistake"],
        "graded": o.seen["accepted"],
        "seconds": round(o.seen["seconds"], 4),
        "problems": o.problems,
        "feedback": o.seen["text"],
        "grader": o.seen["grader_reason"],
    }


def add_rows(items: list) -> None:
    """Put an :class:`Attempts` item before each solution answer cell whose exercise has kernel rows."""
    added = []
    for item in items:
        if item.__class__.__name__ == "IPyNbCell" and item.parent.path.parent == SOLUTIONS:
            grade_id = item.cell.metadata.get("nbgrader", {}).get("grade_id", "")
            exercise = grade_id.removesuffix("_answer")
            section = section_of(item.parent.path.name)
            if grade_id.endswith("_answer") and any(
                row.exercise == exercise for row in kernel_rows(section)
            ):
                added.append(
                    Attempts.from_parent(item.parent, name=f"Rows of {exercise}", exercise=exercise)
                )
        added.append(item)
    items[:] = added


def ran(item) -> None:
    """After nbval ran a cell: its number, for the rows that come later in its kernel."""
    if item.__class__.__name__ == "IPyNbCell":
        _ran.setdefault(id(item.parent), set()).add(item.cell_num)

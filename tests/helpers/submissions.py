"""A small class of students whose answers differ, so that their grades differ: the classroom tests hand it in.

Each student answers notebooks 02 and 04 (two exercises of one point each) from the released notebooks,
as a learner starts: every answer, some of them, a wrong one, or none. :attr:`Student.expect` is the
exact auto score of every graded cell, :attr:`Student.total` their sum.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import nbformat

from tests.grading.corpus import NB02, NB04, WRONG_02

NOTEBOOKS = (NB02, NB04)


@dataclass(frozen=True)
class Student:
    name: str
    notebooks: dict[str, nbformat.NotebookNode]  # file name -> notebook as handed in
    expect: dict[tuple[str, str], float]  # (notebook name without .ipynb, grade id) -> auto score
    why: str

    @property
    def total(self) -> float:
        return sum(self.expect.values())

    def unexpected(
        self, rows: dict[tuple[str, str], float | None]
    ) -> dict[tuple[str, str], float | None]:
        """The gradebook rows that differ from :attr:`expect`. nbgrader also records every notebook of the
        assignment that was not handed in, each graded cell at 0: those rows must be 0."""
        handed_in = {stem for stem, _ in self.expect}
        wrong = {key: rows.get(key) for key, score in self.expect.items() if rows.get(key) != score}
        wrong.update(
            {key: score for key, score in rows.items() if key[0] not in handed_in and score != 0}
        )
        return wrong


def answered(
    release: nbformat.NotebookNode,
    answers: dict[str, str],
    *,
    only: set[str] | None = None,
    replace: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """The released notebook with the answers of ``only`` (default: every answer) and ``replace``'s code."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in (replace or {}):
            cell.source = replace[gid]
        elif cell.metadata.get("nbgrader", {}).get("solution") and (only is None or gid in only):
            cell.source = answers[gid]
    return nb


def _scores(name: str, accepted: set[str]) -> dict[tuple[str, str], float]:
    """Every graded cell of notebook ``name``: 1.0 for the exercises ``accepted`` (answer ids), else 0.0."""
    stem = name[: -len(".ipynb")]
    grades = {NB02: ("batch_dimension", "seed_logits"), NB04: ("padded_ids", "pad_batch")}[name]
    return {(stem, f"{g}_test"): (1.0 if f"{g}_answer" in accepted else 0.0) for g in grades}


def small_class(
    prefix: str,
    release: dict[str, nbformat.NotebookNode],
    answers: dict[str, dict[str, str]],
    size: int = 3,
) -> list[Student]:
    """``size`` students named ``<prefix>-s1``, ... (at most 4), each answering differently."""
    a02, a04 = answers[NB02], answers[NB04]
    profiles = [
        (
            "every answer right",
            {NB02: answered(release[NB02], a02), NB04: answered(release[NB04], a04)},
            {NB02: set(a02), NB04: set(a04)},
        ),
        (
            "notebook 02 right, 04 left as released",
            {NB02: answered(release[NB02], a02), NB04: answered(release[NB04], a04, only=set())},
            {NB02: set(a02), NB04: set()},
        ),
        (
            "02 answered wrongly, in 04 only pad_batch",
            {
                NB02: answered(release[NB02], a02, replace=WRONG_02),
                NB04: answered(release[NB04], a04, only={"pad_batch_answer"}),
            },
            {NB02: set(), NB04: {"pad_batch_answer"}},
        ),
        (
            "nothing answered",
            {
                NB02: answered(release[NB02], a02, only=set()),
                NB04: answered(release[NB04], a04, only=set()),
            },
            {NB02: set(), NB04: set()},
        ),
    ]
    if not 1 <= size <= len(profiles):
        raise ValueError(f"a class of 1 to {len(profiles)} students")
    return [
        Student(
            f"{prefix}-s{i + 1}", nbs, {**_scores(NB02, ok[NB02]), **_scores(NB04, ok[NB04])}, why
        )
        for i, (why, nbs, ok) in enumerate(profiles[:size])
    ]

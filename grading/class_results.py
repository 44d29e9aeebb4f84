"""A class's results, read once for ``make report``, ``make grades`` and ``make feedback``.

Two sources: the gradebook (who is in the class, which notebooks and graded cells the assignment has, every
notebook's score) and ``grading-report.csv`` (the grader's verdict on every exercise, with the named mistake,
and the incidents of each run). Every student of the class gets exactly one outcome per exercise
(:func:`outcomes`): ``correct`` (accepted), ``wrong`` (not accepted, with its mistake), or ``not attempted``
(the answer left as the starter code, the notebook not handed in, or no verdict at all).

Everything here that came from a grading kernel is already the grader's inert words
(:mod:`grading.kernel_text`); :func:`anonymised` also takes every student's id and name out of a message
before it is shown to anyone but that student.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from checker.exercises import catalog, section_of

from . import export, kernel_text

ASSIGNMENT = "multiple_sequences"
REPORT = "grading-report.csv"
CORRECT, WRONG, NOT_ATTEMPTED = "correct", "wrong", "not attempted"
#: What ``grading/stage.py`` decided about the files handed in: not an incident of a grading run.
STAGING = frozenset(
    {"renamed", "duplicate", "repaired", "invalid", "refused", "ignored", "missing"}
)
#: The statuses of a verdict's row (``grading/__main__.py``).
VERDICTS = frozenset({"graded", "not attempted"})
SOMEONE = "[a student]"
#: A name shorter than this is not searched for in messages (it would match inside ordinary words).
SHORTEST_NAME = 3


@dataclass(frozen=True)
class Exercise:
    notebook: str  # "04_padding"
    name: str  # "pad_batch": ``ex.pad_batch`` in the notebook
    points: float

    @property
    def key(self) -> str:
        """The grader's key for it: ``section4.pad_batch``."""
        section = section_of(f"{self.notebook}.ipynb")
        return f"{section}.{self.name}" if section else self.name


@dataclass(frozen=True)
class Outcome:
    kind: str  # CORRECT, WRONG or NOT_ATTEMPTED
    mistake: str = ""  # WRONG: the mistake's id, or where none its one-line problem
    reason: str = ""  # the grader's words (inert), as in grading-report.csv


@dataclass
class ClassResults:
    students: list[str]
    exercises: list[Exercise]
    #: {(student, notebook, exercise name): Outcome}: one for every student and every exercise.
    outcomes: dict[tuple[str, str, str], Outcome]
    #: {(student, notebook)}: the notebooks each student handed in (graded).
    handed_in: set[tuple[str, str]]
    #: {student: {notebook: score}} (late penalties taken off), and {notebook: points possible}.
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    possible: dict[str, float] = field(default_factory=dict)
    #: The grading report's rows that are not verdicts: incidents and staging decisions.
    notes: list[dict] = field(default_factory=list)
    #: {student: [id, first name, last name, email]}: what :func:`anonymised` takes out.
    names: dict[str, list[str]] = field(default_factory=dict)

    @property
    def notebooks(self) -> list[str]:
        return list(dict.fromkeys(e.notebook for e in self.exercises))

    def total(self, student: str) -> float:
        return sum(self.scores.get(student, {}).values())


def _stem(notebook: str) -> str:
    return notebook[: -len(".ipynb")] if notebook.endswith(".ipynb") else notebook


def _exercise_name(notebook: str, exercise: str) -> str:
    """A verdict's exercise (``section4.pad_batch``) as the notebook names it (``pad_batch``)."""
    section = section_of(f"{notebook}.ipynb")
    return (
        exercise[len(section) + 1 :] if section and exercise.startswith(f"{section}.") else exercise
    )


def one_line_problem(reason: str) -> str:
    """A reason's first sentence (the problem), without its Expected / Found / Likely cause."""
    cut = re.split(r" (?:Expected|Found|Likely cause): ", reason, maxsplit=1)[0]
    return kernel_text.short(cut, 120)


def outcomes(
    students: list[str], exercises: list[Exercise], rows: list[dict]
) -> tuple[dict[tuple[str, str, str], Outcome], set[tuple[str, str]]]:
    """Every student's outcome on every exercise from the grading report's ``rows``, and the notebooks each
    handed in. A row for a student or an exercise outside the class counts nowhere; a second verdict on the
    same exercise (a report edited by hand) replaces the first: a student counts once per exercise."""
    wanted = {(e.notebook, e.name) for e in exercises}
    known = set(students)
    found: dict[tuple[str, str, str], Outcome] = {}
    handed_in: set[tuple[str, str]] = set()
    for row in rows:
        if row.get("status") not in VERDICTS or not row.get("exercise"):
            continue
        student, notebook = row["student"], _stem(row.get("notebook", ""))
        name = _exercise_name(notebook, row["exercise"])
        if student not in known or (notebook, name) not in wanted:
            continue
        handed_in.add((student, notebook))
        reason = row.get("reason", "")
        if row.get("accepted") == "yes":
            outcome = Outcome(CORRECT)
        elif row.get("status") == "not attempted":
            outcome = Outcome(NOT_ATTEMPTED, reason=reason)
        else:
            outcome = Outcome(WRONG, row.get("mistake") or one_line_problem(reason), reason)
        found[(student, notebook, name)] = outcome
    every = {
        (s, e.notebook, e.name): found.get((s, e.notebook, e.name), Outcome(NOT_ATTEMPTED))
        for s in students
        for e in exercises
    }
    return every, handed_in


def anonymised(text: str, names: dict[str, list[str]]) -> str:
    """``text`` with every student's id, name and email (of :data:`SHORTEST_NAME` characters or more)
    replaced by :data:`SOMEONE`, on one line and cut as the grader cuts a reason. (The grader already
    redacted every reason it wrote: taking words out cannot spell a hidden case.)"""
    folded = text.casefold()
    present = tuple(
        w.strip()
        for ws in names.values()
        for w in ws
        if len(w.strip()) >= SHORTEST_NAME and w.strip().casefold() in folded
    )
    text = _names_pattern(present).sub(SOMEONE, text) if present else text
    return kernel_text.short(text, kernel_text.REASON_CHARS)


@lru_cache(maxsize=256)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Every name as a whole word (a student "pad" leaves "pad_batch" alone), the longest first."""
    words = sorted(set(names), key=lambda w: (-len(w), w))
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)", re.I)


def read_report(course: Path) -> list[dict]:
    path = course / REPORT
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            {k: export.uncell(v) or "" for k, v in row.items() if k} for row in export.read_rows(fh)
        ]


def gradebook_url(course: Path) -> str:
    """The gradebook nbgrader_config.py uses: ``GRADEBOOK_URL`` (``make ... DB_URL=``) or gradebook.db."""
    return os.environ.get("GRADEBOOK_URL") or f"sqlite:///{course / 'gradebook.db'}"


def _course_order(exercise: Exercise) -> tuple:
    keys = list(catalog())
    return (
        exercise.notebook,
        keys.index(exercise.key) if exercise.key in keys else len(keys),
        exercise.name,
    )


def load(course: Path, assignment: str = ASSIGNMENT) -> ClassResults:
    """The class as the gradebook and the grading report of the course folder ``course`` have it."""
    from nbgrader.api import (
        Assignment,
        Grade,
        Gradebook,
        Notebook,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    with Gradebook(gradebook_url(course)) as gb:
        exercises, possible = [], {}
        for notebook in gb.find_assignment(assignment).notebooks:
            possible[notebook.name] = float(notebook.max_score or 0)
            for cell in notebook.grade_cells:
                name = cell.name[: -len("_test")] if cell.name.endswith("_test") else cell.name
                exercises.append(Exercise(notebook.name, name, float(cell.max_score or 0)))
        names = {
            s.id: [s.id, s.first_name or "", s.last_name or "", s.email or ""] for s in gb.students
        }

        # one join over the grades, summed here: nbgrader's SubmittedNotebook.score is a subquery per
        # notebook, each a scan of every grade (minutes for 300 students on SQLite)
        def submitted(*columns):
            return (
                gb.db.query(*columns)
                .select_from(SubmittedNotebook)
                .join(
                    SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id
                )
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .join(Student, SubmittedAssignment.student_id == Student.id)
                .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
                .filter(Assignment.name == assignment)
            )

        scores: dict[str, dict[str, float]] = {}
        penalties = submitted(Student.id, Notebook.name, SubmittedNotebook.late_submission_penalty)
        for student, notebook, penalty in penalties:
            scores.setdefault(student, {})[notebook] = -float(penalty or 0)
        grades = submitted(Student.id, Notebook.name, Grade.score).join(
            Grade, Grade.notebook_id == SubmittedNotebook.id
        )
        for student, notebook, score in grades:
            scores[student][notebook] += float(score or 0)
        for by_notebook in scores.values():
            for notebook, score in by_notebook.items():
                by_notebook[notebook] = max(0.0, score)
    exercises.sort(key=_course_order)
    rows = read_report(course)
    students = sorted(set(names) | {r["student"] for r in rows if r.get("student")})
    for student in students:
        names.setdefault(student, [student])
    every, handed_in = outcomes(students, exercises, rows)
    notes = [r for r in rows if r.get("status") not in VERDICTS]
    return ClassResults(students, exercises, every, handed_in, scores, possible, notes, names)

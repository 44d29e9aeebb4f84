"""A class written straight into a gradebook and a grading report, as ``make grade`` leaves them: for the
report's unit tests (a few students, exact outcomes) and its benchmark (hundreds, drawn at random).

The assignment is the released course's (every notebook and graded cell of ``notebooks/``, with its
points); the mistakes are real ones, the ids of ``checker/exercises/attempts``. Rows go through the grader's
own writer (:func:`grading.__main__.write_report`), scores through nbgrader's gradebook API.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from pathlib import Path

import nbformat

from checker.exercises import section_of
from checker.exercises.attempts import CORRECT, NOT_ATTEMPTED
from grading.__main__ import GRADED, write_report
from grading.__main__ import NOT_ATTEMPTED as NOT_ATTEMPTED_STATUS
from tests.helpers.notebooks import ASSIGNMENT, ROOT


def course_cells() -> dict[str, list[tuple[str, float]]]:
    """{notebook: [(grade id, points)]} of the released course, in notebook order."""
    cells = {}
    for path in sorted((ROOT / "notebooks" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells[path.stem] = [
            (c.metadata["nbgrader"]["grade_id"], float(c.metadata["nbgrader"]["points"]))
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        ]
    return cells


def mistakes_of(notebook: str, exercise: str) -> list[str]:
    """The named mistakes learners make on one exercise (its attempts' ids), each once."""
    section = section_of(f"{notebook}.ipynb")
    ids = [
        a.mistake
        for a in importlib.import_module(f"checker.exercises.attempts.{section}").ATTEMPTS
        if a.exercise == exercise and a.mistake not in (CORRECT, NOT_ATTEMPTED)
    ]
    return list(dict.fromkeys(ids)) or ["wrong_answer"]


@dataclass(frozen=True)
class Answer:
    """One student's verdict on one exercise: ``"correct"``, ``"not attempted"`` or a mistake id."""

    student: str
    notebook: str
    exercise: str  # without _test
    outcome: str
    reason: str = ""  # the grader's words; default :func:`reason_for`


def write_class(
    course: Path,
    students: dict[str, dict[str, str]],
    answers: list[Answer],
    incidents: list[dict] = (),
    late: dict[tuple[str, str], float] | None = None,
) -> None:
    """A gradebook (``course/gradebook.db``) and ``grading-report.csv``: ``students`` {id: {first_name,
    last_name, email}}; every notebook of an answer is handed in, others not ("missing" rows);
    ``late`` {(student, notebook): penalty}."""
    from nbgrader.api import Gradebook

    cells = course_cells()
    rows = [dict(r) for r in incidents]
    handed = {(a.student, a.notebook) for a in answers}
    by_cell = {(a.student, a.notebook, f"{a.exercise}_test"): a for a in answers}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_assignment(ASSIGNMENT)
        for notebook, grades in cells.items():
            gb.add_notebook(notebook, ASSIGNMENT)
            for grade_id, points in grades:
                gb.add_grade_cell(
                    grade_id, notebook, ASSIGNMENT, max_score=points, cell_type="code"
                )
        for student, fields in students.items():
            gb.add_student(student, **fields)
            if not any(s == student for s, _ in handed):
                continue
            submission = gb.add_submission(ASSIGNMENT, student)
            for nb in submission.notebooks:
                if (student, nb.name) not in handed:
                    rows.append(
                        _row(student, f"{nb.name}.ipynb", "", "", "missing", "not handed in")
                    )
                    for grade in nb.grades:
                        grade.auto_score = 0.0
                    continue
                nb.late_submission_penalty = (late or {}).get((student, nb.name))
                for grade in nb.grades:
                    answer = by_cell.get((student, nb.name, grade.name))
                    outcome = answer.outcome if answer else NOT_ATTEMPTED
                    grade.auto_score = grade.max_score if outcome == CORRECT else 0.0
                    name = grade.name[: -len("_test")]
                    said = (answer.reason if answer else "") or reason_for(outcome, name)
                    rows.append(_verdict(student, nb.name, name, outcome, said))
            gb.db.commit()
    write_report(course, list(students), rows)


def _row(student, notebook, exercise, accepted, status, reason, mistake="") -> dict:
    return {
        "student": student,
        "notebook": notebook,
        "exercise": exercise,
        "accepted": accepted,
        "status": status,
        "reason": reason,
        "mistake": mistake,
    }


def reason_for(outcome: str, exercise: str) -> str:
    if outcome == CORRECT:
        return ""
    if outcome == NOT_ATTEMPTED:
        return f"`{exercise}` is not set yet: replace the starter code and run that cell first."
    return f"Your answer to `{exercise}` makes the mistake {outcome.replace('_', ' ')}. Expected: more."


def _verdict(student: str, notebook: str, exercise: str, outcome: str, reason: str) -> dict:
    key = f"{section_of(f'{notebook}.ipynb')}.{exercise}"
    if outcome == CORRECT:
        return _row(student, notebook, key, "yes", GRADED, "")
    if outcome == NOT_ATTEMPTED:
        return _row(student, notebook, key, "no", NOT_ATTEMPTED_STATUS, reason)
    return _row(student, notebook, key, "no", GRADED, reason, f"{exercise}.{outcome}")


def random_class(course: Path, size: int, seed: int = 0) -> list[Answer]:
    """``size`` students; each hands in a notebook with probability 0.9, and answers each exercise
    correctly (0.6), wrongly with one of its real mistakes (0.25), or not at all (0.15); a kernel dies in
    one notebook of one student in twenty."""
    draw = random.Random(seed)
    cells = course_cells()
    answers, incidents, students = [], [], {}
    for n in range(size):
        student = f"student-{n:04d}"
        students[student] = {"first_name": f"First{n}", "last_name": f"Last{n}"}
        for notebook, grades in cells.items():
            if draw.random() >= 0.9:
                continue
            for grade_id, _ in grades:
                exercise = grade_id[: -len("_test")]
                roll = draw.random()
                outcome = (
                    CORRECT
                    if roll < 0.6
                    else NOT_ATTEMPTED
                    if roll >= 0.85
                    else draw.choice(mistakes_of(notebook, exercise))
                )
                answers.append(Answer(student, notebook, exercise, outcome))
            if draw.random() < 0.05 / len(cells):
                incidents.append(
                    _row(student, notebook, "", "", "kernel died", "cell 7: the kernel died")
                )
    write_class(course, students, answers, incidents)
    return answers

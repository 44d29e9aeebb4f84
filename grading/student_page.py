"""``make feedback`` also writes ``feedback/<student>/multiple_sequences/index.html``: one student's own page.

Beside nbgrader's page per notebook, it says on one page every notebook's score, every exercise's verdict
(accepted; not accepted, with the named mistake, what the grader said and the exercise's first hint; not
attempted, with the hint) and links to the notebook pages. It is the student's own: nothing about anyone
else (no class figures) and nothing the feedback pages do not already show (the grader's reasons are its
inert, redacted words; the hints are the ones ``ex.NAME.hint()`` gives in the released notebook).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

from checker.exercises import catalog

from .class_results import ASSIGNMENT, CORRECT, NOT_ATTEMPTED, WRONG, ClassResults

PAGE = "index.html"
TEMPLATES = Path(__file__).parent / "templates"
WORDS = {CORRECT: "accepted", WRONG: "not accepted", NOT_ATTEMPTED: "not attempted"}


def hint(key: str) -> str:
    exercise = catalog().get(key)
    return exercise.hints[0] if exercise is not None and exercise.hints else ""


def folder(course: Path, student: str, assignment: str = ASSIGNMENT) -> Path | None:
    """``feedback/<student>/<assignment>/``, or None where the id would leave ``feedback/``."""
    if not student or student in (".", "..") or "/" in student or "\0" in student:
        return None
    return course / "feedback" / student / assignment


def page(results: ClassResults, student: str, folder: Path) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    notebooks = []
    for nb in results.notebooks:
        exercises = []
        for exercise in (e for e in results.exercises if e.notebook == nb):
            outcome = results.outcomes[(student, nb, exercise.name)]
            exercises.append(
                {
                    "name": exercise.name,
                    "points": exercise.points,
                    "kind": outcome.kind,
                    "words": WORDS[outcome.kind],
                    "mistake": outcome.mistake if outcome.kind == WRONG else "",
                    "reason": outcome.reason if outcome.kind != CORRECT else "",
                    "hint": hint(exercise.key) if outcome.kind != CORRECT else "",
                }
            )
        html = folder / f"{nb}.html"
        notebooks.append(
            {
                "name": nb,
                "score": results.scores.get(student, {}).get(nb, 0.0),
                "possible": results.possible.get(nb, 0.0),
                "handed_in": (student, nb) in results.handed_in,
                "link": quote(html.name) if html.is_file() else "",
                "exercises": exercises,
            }
        )
    return environment.get_template("student-page.html.j2").render(
        student=student,
        assignment=ASSIGNMENT,
        total=results.total(student),
        possible=sum(results.possible.values()),
        notebooks=notebooks,
    )


def write(course: Path, results: ClassResults) -> list[Path]:
    """Every student's page; a student whose folder cannot be made (an id longer than a file name may be)
    is skipped and named on stderr, and the others still get theirs."""
    written = []
    for student in results.students:
        where = folder(course, student)
        if where is None:
            continue
        path = where / PAGE
        try:
            where.mkdir(parents=True, exist_ok=True)
            path.write_text(page(results, student, where), encoding="utf-8")
        except OSError as error:
            print(
                f"no page for the student {student[:40]!r}...: {error.strerror or error}",
                file=sys.stderr,
            )
            continue
        written.append(path)
    return written

"""``make grades`` also writes ``grades-canvas.csv``: the scores in the layout of Canvas's gradebook import.

Canvas reads a CSV whose first columns say who the student is (``Student``, ``ID``, ``SIS User ID``,
``Section``) and whose other columns are assignments; a column whose name is not yet an assignment of the
course makes a new one, and a row ``Points Possible`` under the header gives each one's points (Canvas's own
gradebook export has the same two rows). Here: one column per notebook and one for the total, named
``multiple_sequences <notebook>`` and ``multiple_sequences total``; ``SIS User ID`` is the nbgrader student
id, ``Student`` is "last, first" where the gradebook has the names, and ``ID`` (Canvas's internal number)
and ``Section`` are left empty: Canvas matches a row by any one of them. A score is the notebook's score
less its late penalty; a notebook not handed in scores 0. README, "Grades for your LMS".
"""

from __future__ import annotations

from pathlib import Path

from . import export
from .class_results import ASSIGNMENT, ClassResults

CANVAS_CSV = "grades-canvas.csv"
IDENTITY = ("Student", "ID", "SIS User ID", "Section")
POINTS_POSSIBLE = "Points Possible"


def columns(results: ClassResults, assignment: str = ASSIGNMENT) -> list[str]:
    return [*IDENTITY, *(f"{assignment} {nb}" for nb in results.notebooks), f"{assignment} total"]


def _display_name(names: list[str]) -> str:
    student, first, last = (names + ["", "", ""])[:3]
    if first and last:
        return f"{last}, {first}"
    return last or first or student


def rows(results: ClassResults, assignment: str = ASSIGNMENT) -> list[dict]:
    header = columns(results, assignment)
    notebooks = results.notebooks
    possible = [results.possible.get(nb, 0.0) for nb in notebooks]
    out = [dict(zip(header, [POINTS_POSSIBLE, "", "", "", *possible, sum(possible)]))]
    for student in results.students:
        scores = [results.scores.get(student, {}).get(nb, 0.0) for nb in notebooks]
        name = _display_name(results.names.get(student, [student]))
        out.append(dict(zip(header, [name, "", student, "", *scores, sum(scores)])))
    return out


def _number(value):
    return f"{value:g}" if isinstance(value, float) else value


def write(course: Path, results: ClassResults) -> Path:
    path = course / CANVAS_CSV
    with open(path, "w", newline="", encoding="utf-8") as out:
        export.write_rows(
            out,
            columns(results),
            [{k: _number(v) for k, v in row.items()} for row in rows(results)],
        )
    return path

"""Spreadsheets the grader writes: ``grades.csv`` (``make grades``) and ``grading-report.csv`` (``make grade``).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (OWASP, "CSV injection"); a student id, a file name or a reason can start
so. :func:`cell` prefixes such a cell with an apostrophe, which makes it text (a number stays a number).
nbgrader's own CSV export neither quotes nor escapes (a comma in a student id adds a column);
:class:`SafeCsvExport` writes the same columns with Python's ``csv`` module and :func:`cell`.
"""

from __future__ import annotations

import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import CsvExportPlugin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GRADES_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)


def cell(value) -> str:
    """``value`` as a spreadsheet cell that cannot start a formula.

    A text that already looks escaped (apostrophes, then a formula's start: ``'=x``) gets one more
    apostrophe, so that :func:`uncell` gives back exactly what was written: otherwise the student ids
    ``=x`` and ``'=x`` would both read back as ``=x``, and one student's rows would be the other's."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
            return text  # -1.5 is a number, not a formula
        except ValueError:
            return "'" + text
    return "'" + text if _escaped(text) else text


def _escaped(text: str) -> bool:
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def uncell(text):
    """What :func:`cell` was given (for reading a report back)."""
    return text[1:] if isinstance(text, str) and _escaped(text) else text


def read_rows(fh) -> csv.DictReader:
    """The rows of a report this module wrote; no cell is refused for its length (csv's limit is 128 KiB, and a
    report's reason may be longer: one instructor's report must never stop ``make feedback``)."""
    csv.field_size_limit(2**31 - 1)
    return csv.DictReader(fh)


def write_rows(out, columns, rows) -> None:
    """``rows`` (dicts) as CSV with a header, every cell through :func:`cell`."""
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])


class SafeCsvExport(CsvExportPlugin):
    """nbgrader's CSV export (same columns, same rows), quoted, with no cell that starts a formula."""

    def export(self, gradebook) -> None:
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        rows = []
        for assignment in gradebook.assignments:
            if assignments and assignment.name not in assignments:
                continue
            for student in gradebook.students:
                if students and student.id not in students:
                    continue
                rows.append(_row(gradebook, assignment, student))
        with open(self.to or "grades.csv", "w", newline="", encoding="utf-8") as out:
            write_rows(out, GRADES_COLUMNS, rows)


def _row(gradebook, assignment, student) -> dict:
    row = {
        "assignment": assignment.name,
        "duedate": assignment.duedate,
        "student_id": student.id,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "email": student.email,
        "max_score": assignment.max_score,
    }
    try:
        submission = gradebook.find_submission(assignment.name, student.id)
    except MissingEntry:  # handed in nothing: 0, as nbgrader's export says
        return {
            **row,
            "timestamp": "",
            "raw_score": 0.0,
            "late_submission_penalty": 0.0,
            "score": 0.0,
        }
    penalty = submission.late_submission_penalty
    return {
        **row,
        "timestamp": submission.timestamp,
        "raw_score": submission.score,
        "late_submission_penalty": penalty,
        "score": max(0.0, submission.score - penalty),
    }

"""Past one machine: one PostgreSQL gradebook, several graders at once, through the README's make commands.

A module-scoped run starts a PostgreSQL 15 cluster on 127.0.0.1 (tests/helpers/postgres.py), then on a
course folder: `make release`, the class of tests/helpers/submissions.py handed in to submitted/,
`make grade JOBS=2`, `make feedback`, `make grades`, every one with DB_URL=postgresql+psycopg2://...
It reads every grade back from the server before the cluster is stopped and removed.
"""

from __future__ import annotations

import csv
import shutil
import socket

import nbformat
import pytest

from tests.helpers import postgres
from tests.helpers.course import course_folder, make, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT
from tests.helpers.submissions import small_class

pytestmark = [
    pytest.mark.classroom,
    pytest.mark.skipif(
        shutil.which("bwrap") is None,
        reason="needs bubblewrap (Debian `bubblewrap`; .ci/run installs it)",
    ),
    pytest.mark.skipif(
        postgres.unavailable() is not None, reason=f"PostgreSQL gradebook: {postgres.unavailable()}"
    ),
]
JOBS = 2


def gradebook_rows(url: str) -> dict[str, dict[tuple[str, str], float | None]]:
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        return {
            s.id: {
                (nb.name, g.name): g.auto_score
                for nb in gb.find_submission(ASSIGNMENT, s.id).notebooks
                for g in nb.grades
            }
            for s in gb.students
        }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = course_folder(tmp_path_factory.mktemp("postgres") / "course")
    with postgres.cluster() as db:
        url = f"DB_URL={db.url}"
        codes = {"release": make(course, "release", url, log="release.log")}
        students = small_class("pg", released(course), solution_answers(course), size=4)
        for student in students:
            folder = course / "submitted" / student.name / ASSIGNMENT
            folder.mkdir(parents=True)
            for name, nb in student.notebooks.items():
                nbformat.write(nb, folder / name)
        codes["grade"] = make(course, "grade", url, f"JOBS={JOBS}", log="grade.log")
        codes["feedback"] = make(course, "feedback", url, log="feedback.log")
        codes["grades"] = make(course, "grades", url, log="grades.log")
        scores = gradebook_rows(db.url)
        import psycopg2

        with (
            psycopg2.connect(
                host=postgres.HOST,
                port=db.port,
                user=db.user,
                password=db.password,
                dbname=db.database,
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT count(*) FROM grade")
            grade_rows = cursor.fetchone()[0]
        folder, port = db.folder, db.port
    yield dict(
        course=course,
        students={s.name: s for s in students},
        codes=codes,
        scores=scores,
        grade_rows=grade_rows,
        cluster_folder=folder,
        port=port,
    )


def test_every_make_command_succeeds_on_the_postgresql_gradebook(graded):
    logs = "".join(p.read_text() for p in graded["course"].glob("*.log"))
    assert graded["codes"] == {k: 0 for k in graded["codes"]}, logs[-5000:]


def test_the_grades_live_in_postgresql_not_in_a_local_sqlite_file(graded):
    assert not (graded["course"] / "gradebook.db").exists()
    assert graded["grade_rows"] == sum(len(rows) for rows in graded["scores"].values())
    assert sorted(graded["scores"]) == sorted(graded["students"])


def test_every_student_gets_exactly_their_marks_with_parallel_graders(graded):
    for name, student in graded["students"].items():
        assert student.unexpected(graded["scores"][name]) == {}, (name, student.why)


def test_the_export_has_every_students_total(graded):
    with open(graded["course"] / "grades.csv", encoding="utf-8") as fh:
        rows = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}
    assert rows == {name: s.total for name, s in graded["students"].items()}


def test_every_student_gets_feedback(graded):
    """nbgrader's page for each of the two notebooks, and the student's own page (index.html, `make feedback`)."""
    for name in graded["students"]:
        pages = sorted(
            p.name for p in (graded["course"] / "feedback" / name / ASSIGNMENT).glob("*.html")
        )
        assert len(pages) == 3 and "index.html" in pages, (name, pages)


def test_the_cluster_is_stopped_and_removed(graded):
    assert not graded["cluster_folder"].exists()
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect((postgres.HOST, graded["port"]))

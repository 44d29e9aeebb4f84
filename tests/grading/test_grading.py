"""Grading end to end, as an instructor does it: ``make release``, ``make collect``, ``make grade``,
``make feedback``, ``make grades`` on a course folder, with the submissions of tests/grading/corpus.py.

One module-scoped run hands in every submission (as zips, tars and folders, as an LMS download gives
them), grades them all with two processes in the sandbox, grades two of them again, and makes the
feedback and the export. The tests below only read what it left: every grade, the feedback files, the
course folder and the machine (no file written outside, no process left, the gradebook and the model
intact, nothing of the hidden cases in any feedback, in any encoding).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import socket
import subprocess
import tarfile
import time
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest

from checker.course_model.build import ensure_built
from checker.feedback import CORRECT_WORDS
from grading.scorer import ACCEPTED, REJECTED
from tests.grading.corpus import NB02, Corpus, Submission, Targets
from tests.helpers.course import course_folder, gradebook_scores, make, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT
from tests.helpers.secrets import hidden_markers, leaks

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "bwrap"], capture_output=True).returncode != 0,
    reason="needs bubblewrap (Debian `bubblewrap`; .ci/run installs it)",
)


def _write_notebook(value, path: Path) -> None:
    if isinstance(value, bytes):
        path.write_bytes(value)
    else:
        nbformat.write(value, path)


def _notebook_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else nbformat.writes(value).encode()


def hand_in(sub: Submission, archive: Path, solutions: Path) -> None:
    """Put one student's files in the download folder, as its form says."""
    if sub.form == "folder":
        folder = archive / sub.student
        folder.mkdir(parents=True)
        for name, nb in sub.notebooks.items():
            if nb is not None:
                _write_notebook(nb, folder / name)
        for name, target in sub.symlinks.items():
            os.symlink(solutions / name if target == "SOLUTION" else target, folder / name)
    elif sub.form == "zip":
        with zipfile.ZipFile(archive / f"{sub.student}.zip", "w") as z:
            for name, nb in sub.notebooks.items():
                z.writestr(name, _notebook_bytes(nb))
            for name, data in sub.archive_members.items():
                z.writestr(name, data)
            if sub.archive_members:
                link = zipfile.ZipInfo("linked.ipynb")
                link.external_attr = 0o120777 << 16
                z.writestr(link, str(solutions / NB02))
    else:
        with tarfile.open(archive / f"{sub.student}.tar.gz", "w:gz") as t:
            for name, nb in sub.notebooks.items():
                data = _notebook_bytes(nb)
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            for kind, name in (
                (tarfile.SYMTYPE, "sym.ipynb"),
                (tarfile.LNKTYPE, "hard.ipynb"),
                (tarfile.CHRTYPE, "dev.ipynb"),
            ):
                info = tarfile.TarInfo(name)
                info.type, info.linkname = kind, str(solutions / NB02)
                t.addfile(info)


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with a hash of its content (links as their target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    course, outside = course_folder(base / "course"), base / "outside"
    outside.mkdir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    model_file = ensure_built() / "model.safetensors"
    targets = Targets(
        outside, listener.getsockname()[1], f"multiseq-{uuid.uuid4().hex[:10]}", model_file
    )
    model_hash = hashlib.sha256(model_file.read_bytes()).hexdigest()

    codes = {"release": make(course, "release", log="release.log")}
    subs = Corpus(released(course), solution_answers(course), targets).build()
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    for sub in subs:
        hand_in(sub, archive, course / "solutions" / ASSIGNMENT)
    codes["collect"] = make(course, "collect", log="collect.log")
    before = tree(course / "solutions") | {"nbgrader_config.py": tree(course)["nbgrader_config.py"]}
    started = time.perf_counter()
    codes["grade"] = make(course, "grade", "JOBS=2", log="grade.log")
    seconds = time.perf_counter() - started
    first = gradebook_scores(course)
    codes["regrade"] = make(
        course, "grade", "JOBS=2", "STUDENTS=zzz-control-last hidden-fail", log="regrade.log"
    )
    again = gradebook_scores(course)
    codes["feedback"] = make(course, "feedback", log="feedback.log")
    codes["grades"] = make(course, "grades", log="grades.log")
    time.sleep(1)  # an orphan would have had a second to appear in the process table
    processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    try:
        connected = listener.accept()
    except BlockingIOError:
        connected = None
    listener.close()
    notebooks = sum(len(s.notebooks) for s in subs)
    print(
        f"\ngraded {len(subs)} submissions, {notebooks} notebooks, in {seconds:.0f} s with 2 processes "
        f"({seconds / notebooks:.1f} s per notebook), load average {os.getloadavg()[0]:.1f}"
    )
    return dict(
        course=course,
        outside=outside,
        subs={s.student: s for s in subs},
        codes=codes,
        first=first,
        again=again,
        before=before,
        targets=targets,
        model_hash=model_hash,
        processes=processes,
        connected=connected,
    )


def feedback_files(graded) -> list[Path]:
    return sorted((graded["course"] / "feedback").rglob("*.html"))


def page_text(path: Path) -> str:
    text = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_every_make_command_succeeds(graded):
    logs = "".join(p.read_text() for p in graded["course"].glob("*.log"))
    assert graded["codes"] == {k: 0 for k in graded["codes"]}, logs[-5000:]
    assert "There was an error processing assignment" not in "".join(
        p.read_text() for p in (graded["course"] / ".grading" / "logs").glob("*.log")
    )


def test_every_submission_gets_exactly_its_expected_marks(graded):
    wrong = {}
    for student, sub in graded["subs"].items():
        got = graded["first"].get(student, {})
        differ = {
            f"{nb}/{gid}": [value, got.get((nb, gid))]
            for (nb, gid), value in sub.expect.items()
            if got.get((nb, gid)) != value
        }
        differ.update(
            {
                f"{nb}/{gid}": [0.0, value]
                for (nb, gid), value in got.items()
                if (nb, gid) not in sub.expect and value
            }
        )
        if differ:
            wrong[student] = {"why": sub.why, "expected, got": differ}
    (graded["course"] / "score-mismatch.json").write_text(
        json.dumps(wrong, indent=1, ensure_ascii=False)
    )
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=False)[:8000]


def test_the_controls_graded_first_and_last_keep_full_marks(graded):
    for student in ("aaa-control-first", "zzz-control-last"):
        expected = graded["subs"][student].expect
        assert expected and all(value > 0 for value in expected.values())
        assert {key: graded["first"][student].get(key) for key in expected} == expected


def test_regrading_gives_identical_grades(graded):
    for student in (
        "zzz-control-last",
        "hidden-fail",
    ):  # the students `make grade STUDENTS=...` graded again
        assert graded["again"][student] == graded["first"][student]


def test_everyone_is_in_the_gradebook_and_in_grades_csv(graded):
    with open(graded["course"] / "grades.csv", encoding="utf-8") as fh:
        rows = {row["student_id"] for row in csv.DictReader(fh)}
    expected = {s for s, sub in graded["subs"].items()}
    assert expected <= set(graded["first"]) and expected <= rows


def test_no_file_changes_outside_the_graders_own_output(graded):
    course, t = graded["course"], graded["targets"]
    assert not list(graded["outside"].iterdir())
    assert (
        tree(course / "solutions") | {"nbgrader_config.py": tree(course)["nbgrader_config.py"]}
        == graded["before"]
    )
    assert not list(course.rglob(f"*{t.marker}*")) and not list(Path("/tmp").glob(f"*{t.marker}*"))
    assert not list(course.rglob("escape-zip.ipynb")) and not list(course.rglob("abs-escape.ipynb"))
    assert hashlib.sha256(t.model_file.read_bytes()).hexdigest() == graded["model_hash"]


def test_no_process_outlives_grading_and_no_connection_was_made(graded):
    assert graded["targets"].marker not in graded["processes"]
    assert graded["connected"] is None


def test_the_gradebook_was_not_touched_by_a_notebook(graded):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gb:
        assert {s.id for s in gb.students} >= set(graded["subs"])
        for student in gb.students:
            submission = gb.find_submission(ASSIGNMENT, student.id)
            assert all(g.manual_score is None for nb in submission.notebooks for g in nb.grades), (
                student.id
            )


def test_nothing_of_the_hidden_cases_reaches_any_feedback_or_released_file(graded):
    assert len(hidden_markers()) > 20
    files = feedback_files(graded) + sorted((graded["course"] / "notebooks").rglob("*.ipynb"))
    assert len(feedback_files(graded)) >= len(graded["subs"])
    for path in files:
        leaked = leaks(path.read_text(), solutions=False)
        assert not leaked, f"{path}: {leaked[:3]}"


def test_no_solution_reaches_any_feedback(graded):
    for path in feedback_files(graded):
        student = path.parent.parent.name
        if student not in ("read-solutions", "grading-package", "folder-symlink"):
            continue  # the others hand in the solutions as their own answers
        leaked = leaks(page_text(path), hidden=False)
        assert not leaked, f"{path}: {leaked[:3]}"


def autograded(graded, student: str, name: str = NB02):
    return nbformat.read(
        graded["course"] / "autograded" / student / ASSIGNMENT / name, as_version=4
    )


def report_rows(graded) -> list[dict]:
    with open(graded["course"] / "grading-report.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_grading_report_says_why_for_every_incident(graded):
    rows = report_rows(graded)

    def statuses(student):
        return {r["status"] for r in rows if r["student"] == student}

    assert "renamed" in statuses("misnamed") and "renamed" in statuses("renamed-homework")
    assert "ignored" in statuses("copy-and-original")
    assert "invalid" in statuses("empty-file") and "invalid" in statuses("invalid-file")
    for killer in ("os-exit", "exit", "alarm"):
        assert "kernel died" in statuses(killer), (killer, statuses(killer))
    # Python 3.11's frames live on the heap: a recursion 10**7 deep either fills the kernel's memory cap (the
    # kernel dies) or is still growing when the cell's time is up (it is stopped); which one depends on the load
    assert statuses("deep-recursion") & {"kernel died", "did not stop", "timeout"}, statuses(
        "deep-recursion"
    )
    assert "did not stop" in statuses("sigint-ignored-loop") or "kernel died" in statuses(
        "sigint-ignored-loop"
    )
    assert "timeout" in statuses("endless-loop")
    assert all(r["reason"] for r in rows if r["accepted"] == "no")


def test_feedback_shows_the_graders_verdict_and_retracts_a_public_pass(graded):
    text = page_text(graded["course"] / "feedback" / "hidden-fail" / ASSIGNMENT / "04_padding.html")
    assert (
        REJECTED in text
        and "passes the public checks but gave a wrong result on a hidden case" in text
    )
    nb = autograded(graded, "hidden-fail", "04_padding.ipynb")
    check = next(
        c for c in nb.cells if c.cell_type == "code" and c.source.strip() == "ex.pad_batch.check()"
    )
    shown = json.dumps(check.outputs)
    assert CORRECT_WORDS not in shown and REJECTED in shown
    assert ACCEPTED in page_text(
        graded["course"]
        / "feedback"
        / "aaa-control-first"
        / ASSIGNMENT
        / NB02.replace(".ipynb", ".html")
    )


def test_notebook_12s_feedback_names_the_hidden_case_and_the_cache(graded):
    page = (
        graded["course"]
        / "feedback"
        / "packing-mistakes"
        / ASSIGNMENT
        / "12_packing_sequences.html"
    )
    text = page_text(page)
    assert "passes the public checks but gave a wrong result on a hidden case" in text
    assert "a text that holds the id 0" in text
    assert "use_cache" in text and "attended to each other" in text


def test_an_invalid_file_gets_feedback_that_says_why(graded):
    text = page_text(
        graded["course"] / "feedback" / "empty-file" / ASSIGNMENT / NB02.replace(".ipynb", ".html")
    )
    assert "could not be graded" in text and "empty" in text


def test_a_dead_kernel_costs_only_its_cell(graded):
    nb = autograded(graded, "os-exit")
    assert nb.cells[0].cell_type == "markdown" and "kernel died" in nb.cells[0].source
    errors = [
        o.get("ename")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert "KernelDied" in errors

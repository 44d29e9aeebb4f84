"""``make grade report grades feedback`` on a small class graded for real (notebooks 02 and 04): right
answers, typical wrong ones (rows of ``checker/exercises/attempts``, each with the mistake id the grader must
name), answers left as the starter code, notebooks not handed in, a kernel that dies, and a student id that
is HTML. The class report's counts are exactly the class's; nothing of a hidden case or a solution is in any
of the three outputs; the pages open in Chromium (artifacts/browser/report/graded-*.png).

Without bubblewrap the class is graded with ``UNSANDBOXED=1``: these submissions are the tests' own.
"""

from __future__ import annotations

import copy
import csv
import importlib
import os
import shutil
from collections import Counter

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from checker.exercises import section_of
from checker.exercises.attempts import CORRECT, NOT_ATTEMPTED
from grading import canvas, class_report, student_page
from tests.grading.test_class_report import _Quiet, page_text
from tests.helpers.course import course_folder, make, released, solution_answers
from tests.helpers.jupyter import browser, find_chromium, free_port, screenshots
from tests.helpers.notebooks import ASSIGNMENT
from tests.helpers.secrets import leaks

# `make grade` grades the class in the sandbox: its kernels start in a subprocess, where the fast lane's
# guard against unmarked kernels (tests/conftest.py) cannot see them, so the mark is said here.
pytestmark = pytest.mark.kernel

NB02, NB04 = "02_models_expect_a_batch", "04_padding"
HOSTILE = "<img src=x onerror=alert(1)>"
DIES = "import os\nos._exit(1)"
#: Each student's answer per notebook and exercise: CORRECT, NOT_ATTEMPTED (the starter code) or the id of
#: a mistake (its first row in the attempts); a notebook missing from a student's entry is not handed in.
CLASS = {
    "ann": {NB02: {}, NB04: {}},
    "o'brien": {NB02: {"seed_logits": "probabilities"}, NB04: {"padded_ids": "wrong_pad_id"}},
    "zoë": {NB02: {"batch_dimension": "no_batch_dimension", "seed_logits": NOT_ATTEMPTED}},
    HOSTILE: {NB04: {"padded_ids": "left_padding", "pad_batch": "pads_on_the_left"}},
    "blank": {
        NB02: {"batch_dimension": NOT_ATTEMPTED, "seed_logits": NOT_ATTEMPTED},
        NB04: {"padded_ids": NOT_ATTEMPTED, "pad_batch": NOT_ATTEMPTED},
    },
    "dead-kernel": {NB02: {}},  # right answers, and a cell that kills the kernel
}


def attempt(notebook: str, exercise: str, mistake: str) -> str:
    section = section_of(f"{notebook}.ipynb")
    rows = importlib.import_module(f"checker.exercises.attempts.{section}").ATTEMPTS
    (source,) = next(a for a in rows if a.exercise == exercise and a.mistake == mistake).sources
    return source


def handed_in(release, answers, student: str, notebook: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(release[f"{notebook}.ipynb"])
    given = CLASS[student][notebook]
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        exercise = gid.removesuffix("_answer")
        outcome = given.get(exercise, CORRECT)
        if outcome == CORRECT:
            cell.source = answers[f"{notebook}.ipynb"][gid]
        elif outcome != NOT_ATTEMPTED:
            cell.source = attempt(notebook, exercise, outcome)
    if student == "dead-kernel":
        at = next(
            i
            for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == "batch_dimension_test"
        )
        nb.cells.insert(at + 1, new_code_cell(DIES))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = course_folder(tmp_path_factory.mktemp("graded") / "course")
    codes = {"release": make(course, "release", log="release.log")}
    release, answers = released(course), solution_answers(course)
    for student, notebooks in CLASS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for notebook in notebooks:
            nbformat.write(
                handed_in(release, answers, student, notebook), folder / f"{notebook}.ipynb"
            )
    sandbox = [] if shutil.which("bwrap") else ["UNSANDBOXED=1"]
    for target in ("grade", "report", "grades", "feedback"):
        codes[target] = make(course, target, "JOBS=2", *sandbox, log=f"{target}.log", timeout=3600)
    return course, codes


def expected() -> Counter:
    """{(notebook, exercise, correct / not attempted / mistake key): students}, from CLASS."""
    counts = Counter()
    for notebook, exercises in (
        (NB02, ("batch_dimension", "seed_logits")),
        (NB04, ("padded_ids", "pad_batch")),
    ):
        for exercise in exercises:
            for notebooks in CLASS.values():
                if notebook not in notebooks:
                    counts[(notebook, exercise, NOT_ATTEMPTED)] += 1
                    continue
                outcome = notebooks[notebook].get(exercise, CORRECT)
                key = outcome if outcome in (CORRECT, NOT_ATTEMPTED) else f"{exercise}.{outcome}"
                counts[(notebook, exercise, key)] += 1
    return counts


def test_every_make_command_succeeds(graded):
    course, codes = graded
    logs = "".join(p.read_text(errors="replace") for p in course.glob("*.log"))
    assert codes == {k: 0 for k in codes}, logs[-4000:]


def test_the_class_mistakes_are_exactly_the_classs(graded):
    course, _ = graded
    with open(course / class_report.MISTAKES_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    got = {
        (r["notebook"], r["exercise"], r["mistake"]): int(r["students"])
        for r in rows
        if r["notebook"] in (NB02, NB04) and int(r["students"])
    }
    assert got == dict(expected())
    others = [r for r in rows if r["notebook"] not in (NB02, NB04)]
    assert others and all(
        int(r["students"]) == (len(CLASS) if r["mistake"] == NOT_ATTEMPTED else 0) for r in others
    )


def test_the_report_shows_the_dead_kernel_and_names_no_student(graded):
    course, _ = graded
    text = page_text(course / class_report.REPORT_HTML)
    incidents = text[text.index("Incidents") :]
    assert "kernel died" in incidents and NB02 in incidents
    for student in CLASS:
        if student != "ann":  # "ann" is inside ordinary words ("channel")
            assert student not in text, student
    assert "batch_dimension.no_batch_dimension" in text and "no batch dimension" in text


def test_nothing_hidden_or_a_solution_in_any_of_the_three_outputs(graded):
    course, _ = graded
    outputs = [
        course / class_report.MISTAKES_CSV,
        course / class_report.REPORT_HTML,
        course / canvas.CANVAS_CSV,
    ]
    outputs += sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/{student_page.PAGE}"))
    assert len(outputs) == 3 + len(CLASS)
    for path in outputs:
        text = page_text(path) if path.suffix == ".html" else path.read_text(encoding="utf-8")
        found = leaks(text)
        assert not found, (path.name, found[:3])


def test_each_student_page_has_every_verdict_and_links_to_the_notebook_pages(graded):
    course, _ = graded
    text = page_text(student_page.folder(course, "o'brien") / student_page.PAGE)
    assert "seed_logits.probabilities" in text and "padded_ids.wrong_pad_id" in text
    assert text.count("accepted") >= 2 and "Hint:" in text
    page = (student_page.folder(course, HOSTILE) / student_page.PAGE).read_text(encoding="utf-8")
    assert 'href="04_padding.html"' in page and "<img src=x" not in page
    assert "not handed in" in page_text(student_page.folder(course, HOSTILE) / student_page.PAGE)


def test_the_graded_class_report_in_chromium(graded, tmp_path):
    import functools
    import http.server
    import threading
    from urllib.parse import quote

    course, _ = graded
    handler = functools.partial(_Quiet, directory=str(course))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    shots = screenshots("report/graded")
    try:
        with browser(find_chromium(), tmp_path / "profile", base + "/", shots) as session:
            page = session.page
            page.goto(f"{base}/{class_report.REPORT_HTML}")
            page.wait_for_timeout(800)
            images = page.evaluate("[...document.images].map(i => i.naturalWidth)")
            page.screenshot(path=str(shots / "class-report-top.png"))
            page.screenshot(path=str(shots / "class-report-full.png"), full_page=True)
            student = quote("o'brien")
            page.goto(f"{base}/feedback/{student}/{ASSIGNMENT}/{student_page.PAGE}")
            page.wait_for_timeout(500)
            page.screenshot(path=str(shots / "student-page.png"), full_page=True)
            page.get_by_text("04_padding.html").first.click()
            page.wait_for_timeout(500)
            opened = page.url
        assert not session.foreign, session.foreign
    finally:
        server.shutdown()
        server.server_close()
    assert len(images) == 2 and all(images), images
    assert opened.endswith("/04_padding.html"), opened
    assert os.path.getsize(shots / "class-report-top.png") > 0

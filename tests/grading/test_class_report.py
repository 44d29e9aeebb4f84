"""``make report``, ``grades-canvas.csv`` and the student's own page, on a small class written straight into a
gradebook and a grading report (tests/helpers/class_gradebook.py): exact counts, the order, the layout
Canvas imports, every student id escaped, nobody named where they must not be, and both pages in Chromium.
The same outputs from a class graded for real: tests/grading/test_class_report_graded.py."""

from __future__ import annotations

import csv
import functools
import html
import http.server
import re
import threading
from collections import Counter
from pathlib import Path

import pytest

from grading import canvas, class_report, export, student_page
from grading.class_results import CORRECT, NOT_ATTEMPTED, SOMEONE, load
from tests.helpers.class_gradebook import Answer, course_cells, write_class
from tests.helpers.jupyter import browser, find_chromium, free_port, screenshots
from tests.helpers.notebooks import tool_env

NB02, NB04 = "02_models_expect_a_batch", "04_padding"
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("evil.example")'
STUDENTS = {
    "ann": {"first_name": "Ann", "last_name": "Lee"},
    "o'brien": {"first_name": "Seán", "last_name": "O'Brien", "email": "sean@example.org"},
    "zoë": {},
    HOSTILE: {},
    FORMULA: {},
    "pad": {},  # a name inside mistake ids (pad_batch): they stay whole
    "nobody": {},  # in the gradebook, handed in nothing
}
ANSWERS = [
    *(
        Answer("ann", nb, ex, CORRECT)
        for nb, ex in (
            (NB02, "batch_dimension"),
            (NB02, "seed_logits"),
            (NB04, "padded_ids"),
            (NB04, "pad_batch"),
        )
    ),
    Answer(
        "o'brien",
        NB02,
        "batch_dimension",
        "no_batch_dimension",
        "O'Brien's ids have no batch dimension. Expected: shape (1, 14). Found: shape (14,).",
    ),
    Answer("o'brien", NB02, "seed_logits", CORRECT),
    Answer("o'brien", NB04, "padded_ids", "wrong_pad_id"),
    Answer("o'brien", NB04, "pad_batch", CORRECT),
    Answer(
        "zoë",
        NB02,
        "batch_dimension",
        "no_batch_dimension",
        "Your ids have no batch dimension. Expected: shape (1, 14). Found: shape (14,).",
    ),
    Answer("zoë", NB02, "seed_logits", NOT_ATTEMPTED),
    Answer(HOSTILE, NB04, "padded_ids", "wrong_pad_id"),
    Answer(HOSTILE, NB04, "pad_batch", "pads_on_the_left", f"{HOSTILE} pads on the left."),
    Answer(FORMULA, NB02, "batch_dimension", NOT_ATTEMPTED),
    Answer(FORMULA, NB02, "seed_logits", NOT_ATTEMPTED),
    Answer("pad", NB04, "padded_ids", "left_padding"),
    Answer("pad", NB04, "pad_batch", "pads_on_the_left", "pad pads on the left."),
]
INCIDENTS = [
    {
        "student": "zoë",
        "notebook": NB02,
        "status": "kernel died",
        "reason": "cell 5: zoë's kernel died (os._exit)",
    },
    {"student": "ann", "notebook": f"{NB04}.ipynb", "status": "renamed", "reason": "from x.ipynb"},
]
LATE = {("o'brien", NB04): 0.5}


@pytest.fixture(scope="module")
def course(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("class")
    write_class(folder, STUDENTS, ANSWERS, INCIDENTS, LATE)
    results = load(folder)
    class_report.write(folder, results)
    canvas.write(folder, results)
    for student in STUDENTS:  # nbgrader's page for each notebook handed in, for the links
        for nb in {a.notebook for a in ANSWERS if a.student == student}:
            page = folder / "feedback" / student / "multiple_sequences" / f"{nb}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text("<p>nbgrader's page</p>")
    student_page.write(folder, results)
    return folder


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", tool_env()["PATH"])  # nbgrader's gradebook calls `alembic`
        yield patch


def expected_counts() -> Counter:
    """{(notebook, exercise, outcome or mistake id): students}, counted from ANSWERS alone: every student
    of STUDENTS once per exercise of the course, "not attempted" where ANSWERS has nothing."""
    given = {(a.student, a.notebook, a.exercise): a.outcome for a in ANSWERS}
    counts = Counter()
    for nb, cells in course_cells().items():
        for grade_id, _ in cells:
            exercise = grade_id.removesuffix("_test")
            for student in STUDENTS:
                outcome = given.get((student, nb, exercise), NOT_ATTEMPTED)
                label = outcome if outcome in (CORRECT, NOT_ATTEMPTED) else f"{exercise}.{outcome}"
                counts[(nb, exercise, label)] += 1
    return counts


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_class_mistakes_csv_has_exact_counts_for_every_exercise(course):
    rows = read_csv(course / class_report.MISTAKES_CSV)
    assert list(rows[0]) == ["notebook", "exercise", "mistake", "students"]
    got = Counter({(r["notebook"], r["exercise"], r["mistake"]): int(r["students"]) for r in rows})
    expected = expected_counts()
    # a "correct" and a "not attempted" row for every exercise, 0 included; no row for a mistake nobody made
    for nb, cells in course_cells().items():
        for grade_id, _ in cells:
            for kind in (CORRECT, NOT_ATTEMPTED):
                expected.setdefault((nb, grade_id.removesuffix("_test"), kind), 0)
    assert dict(got) == dict(expected)
    assert len(rows) == len(got), "one row per exercise and mistake"


def test_each_exercise_adds_up_to_the_class(course):
    totals = Counter()
    for row in read_csv(course / class_report.MISTAKES_CSV):
        totals[(row["notebook"], row["exercise"])] += int(row["students"])
    assert set(totals.values()) == {len(STUDENTS)}


def test_rows_are_in_course_order_then_by_count(course):
    rows = read_csv(course / class_report.MISTAKES_CSV)
    order = [
        (nb, g.removesuffix("_test")) for nb, cells in course_cells().items() for g, _ in cells
    ]
    seen = list(dict.fromkeys((r["notebook"], r["exercise"]) for r in rows))
    assert seen == order
    for exercise in order:
        counts = [
            (-int(r["students"]), r["mistake"])
            for r in rows
            if (r["notebook"], r["exercise"]) == exercise
        ]
        assert counts == sorted(counts), exercise


def test_the_ranking_puts_the_exercise_that_stopped_most_first(course):
    summaries = class_report.summarise(load(course))
    ranked = class_report.ranked(summaries)
    stopped = [s.stopped for s in ranked]
    assert stopped == sorted(stopped, reverse=True)
    # from ANSWERS: 02 was handed in by ann, o'brien, zoë and the formula; batch_dimension was accepted
    # for ann only; 04 by ann, o'brien, the hostile id and pad: padded_ids accepted for ann only
    first = {(s.exercise.notebook, s.exercise.name): s for s in summaries}
    assert first[(NB02, "batch_dimension")].stopped == 3
    assert first[(NB04, "padded_ids")].stopped == 3
    assert first[(NB04, "pad_batch")].stopped == 2 and first[(NB02, "seed_logits")].stopped == 2
    assert {(s.exercise.notebook, s.exercise.name) for s in ranked[:2]} == {
        (NB02, "batch_dimension"),
        (NB04, "padded_ids"),
    }
    assert not any(s.stopped for s in summaries if s.exercise.notebook not in (NB02, NB04))


def test_a_verdict_given_twice_counts_the_student_once(course, tmp_path):
    from grading.class_results import Exercise, outcomes

    row = {
        "student": "ann",
        "notebook": NB04,
        "exercise": "section4.pad_batch",
        "accepted": "no",
        "status": "graded",
        "reason": "r",
        "mistake": "pad_batch.pads_on_the_left",
    }
    got, handed = outcomes(
        ["ann", "bob"],
        [Exercise(NB04, "pad_batch", 1.0)],
        [row, {**row, "mistake": "pad_batch.result_shape"}, {**row, "student": "eve"}],
    )
    assert got[("ann", NB04, "pad_batch")].mistake == "pad_batch.result_shape"
    assert got[("bob", NB04, "pad_batch")].kind == NOT_ATTEMPTED
    assert len(got) == 2 and handed == {("ann", NB04)}


def page_text(path: Path) -> str:
    text = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r'src="data:image/png;base64,[^"]*"', "", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_the_report_names_no_student_and_shows_one_anonymised_example(course):
    page = (course / class_report.REPORT_HTML).read_text(encoding="utf-8")
    text = page_text(course / class_report.REPORT_HTML)
    for student in ("o'brien", "zoë", HOSTILE, "Seán", "O'Brien", "sean@example.org"):
        assert student.lower() not in text.lower(), student
    assert "pad_batch.pads_on_the_left" in text  # a student "pad" leaves mistake ids whole
    assert f"{SOMEONE} pads on the left." in text and f"{SOMEONE}'s kernel died" in text
    assert "Your ids have no batch dimension." in text or f"{SOMEONE}'s ids" in text
    assert "<img src=x" not in page and html.escape(HOSTILE) not in page


def test_the_report_is_self_contained(course):
    page = (course / class_report.REPORT_HTML).read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(|@import", page, re.I)
    assert page.count('src="data:image/png;base64,') == 2


def test_incidents_count_each_student_once_and_skip_staging(course):
    found = class_report.incidents(load(course))
    assert [(i.notebook, i.kind, i.students) for i in found] == [(NB02, "kernel died", 1)]


def test_canvas_csv_has_canvas_columns_points_possible_and_the_scores(course):
    with open(course / canvas.CANVAS_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    notebooks = list(course_cells())
    header = ["Student", "ID", "SIS User ID", "Section"]
    assert rows[0] == header + [f"multiple_sequences {nb}" for nb in notebooks] + [
        "multiple_sequences total"
    ]
    points = [sum(p for _, p in cells) for cells in course_cells().values()]
    assert rows[1][:4] == ["Points Possible", "", "", ""]
    assert [float(x) for x in rows[1][4:]] == points + [sum(points)]
    by_id = {export.uncell(r[2]): r for r in rows[2:]}
    assert set(by_id) == set(STUDENTS)
    given = {(a.student, a.notebook, a.exercise): a.outcome for a in ANSWERS}
    for student, row in by_id.items():
        scores = []
        for nb, cells in course_cells().items():
            score = sum(
                p for g, p in cells if given.get((student, nb, g.removesuffix("_test"))) == CORRECT
            )
            scores.append(max(0.0, score - LATE.get((student, nb), 0.0)))
        assert [float(x) for x in row[4:]] == scores + [sum(scores)], student
    assert by_id["ann"][0] == "Lee, Ann" and by_id["zoë"][0] == "zoë"
    assert by_id[FORMULA][0].startswith("'") and by_id[FORMULA][2].startswith("'")
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(export.FORMULA_STARTS) and not _number(c)]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_each_student_page_says_only_their_own_results(course):
    for student in STUDENTS:
        path = student_page.folder(course, student) / student_page.PAGE
        text = page_text(path)
        others = [s for s in STUDENTS if s != student and len(s) > 3 and s.lower() in text.lower()]
        assert not others, (student, others)
        assert student in text
    text = page_text(student_page.folder(course, "o'brien") / student_page.PAGE)
    assert "batch_dimension.no_batch_dimension" in text and "O'Brien's ids" in text
    assert "Hint:" in text and "not handed in" in text
    assert "0.5 / 2" in text  # 04: pad_batch accepted (1 point), less the late penalty of 0.5
    page = (student_page.folder(course, HOSTILE) / student_page.PAGE).read_text(encoding="utf-8")
    assert "<img src=x" not in page and html.escape(HOSTILE, quote=False) in page
    assert 'href="04_padding.html"' in page and 'href="02_models_expect_a_batch.html"' not in page


def test_the_class_page_shows_no_words_of_a_students_answer():
    """A reason quotes what the answer held (a string, token strings, a mapping's keys): the example the
    class's page shows keeps the grader's words and drops the learner's."""
    from grading.class_results import WRONG, ClassResults, Exercise, Outcome

    grader = (
        "`batch` is text, not numbers. Expected: a tensor of token ids or numbers Found: a string"
    )
    said = f"{grader} ('VISIT zqxjv.example' …) Likely cause: pass the text through the tokenizer first"
    exercise = Exercise("01_why_batches", "batch_of_two", 1.0)
    results = ClassResults(
        ["ann"],
        [exercise],
        {("ann", exercise.notebook, exercise.name): Outcome(WRONG, "batch_of_two.text", said)},
        {("ann", exercise.notebook)},
    )
    (summary,) = class_report.summarise(results)
    example = summary.mistakes[0].example
    assert "zqxjv" not in example and "VISIT" not in example, example
    assert example.startswith(grader) and example.endswith("through the tokenizer first")


def test_a_student_id_that_would_leave_feedback_gets_no_page(tmp_path):
    assert student_page.folder(tmp_path, "../x") is None
    assert student_page.folder(tmp_path, "..") is None


@pytest.fixture(scope="module")
def served(course):
    handler = functools.partial(_Quiet, directory=str(course))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_both_pages_in_chromium_load_nothing_run_nothing_and_fit(served, tmp_path):
    from urllib.parse import quote

    shots = screenshots("report")
    pages = {
        "class-report": f"{served}/{class_report.REPORT_HTML}",
        "student-page": f"{served}/feedback/{quote(HOSTILE)}/multiple_sequences/index.html",
    }
    dialogs: list[str] = []
    seen = {}
    for width in (1280, 390):
        with browser(
            find_chromium(), tmp_path / f"profile-{width}", served + "/", shots, (width, 900)
        ) as session:
            page = session.page
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for name, url in pages.items():
                page.goto(url)
                page.wait_for_timeout(800)
                seen[(name, width)] = page.evaluate(
                    "() => [document.documentElement.scrollWidth - document.documentElement.clientWidth,"
                    " [...document.images].map(i => i.complete && i.naturalWidth > 0)]"
                )
                page.screenshot(path=str(shots / f"{name}-{width}px.png"), full_page=True)
        assert not session.foreign, session.foreign
    assert not dialogs
    for (name, width), (overflow, images) in seen.items():
        assert overflow <= 1, (name, width, overflow)
        assert all(images), (name, width, images)
    assert len(seen[("class-report", 1280)][1]) == 2


def test_the_grader_tells_a_starter_answer_from_a_wrong_one_in_the_report(tmp_path):
    import json
    from dataclasses import asdict

    from grading.__main__ import report_rows
    from grading.scorer import REPORT_DIR, judge

    def failed(error: str) -> dict:
        return {"failed_run": ["padded_ids", error, "", False, True, ""]}

    starter = judge("section4.padded_ids", failed("NotImplementedError"))
    wrong = judge("section4.padded_ids", failed("ValueError"))
    assert not starter.accepted and not starter.attempted and not starter.mistake
    assert not wrong.accepted and wrong.attempted and wrong.mistake == "padded_ids.cell_raised"
    folder = tmp_path / "autograded" / "ann" / "multiple_sequences" / REPORT_DIR
    folder.mkdir(parents=True)
    (folder / f"{NB04}.json").write_text(
        json.dumps({"notebook": NB04, "exercises": [asdict(starter), asdict(wrong)]})
    )
    rows = report_rows(tmp_path, ["ann"], [], {})
    assert [(r["status"], r["mistake"]) for r in rows] == [
        ("not attempted", ""),
        ("graded", "padded_ids.cell_raised"),
    ]


def test_an_id_too_long_for_a_file_name_costs_only_its_own_page(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", tool_env()["PATH"])  # nbgrader's gradebook calls `alembic`
    long = "é" * 130  # 260 bytes: longer than a file name may be
    person = {"first_name": "A", "last_name": "B", "email": ""}
    write_class(tmp_path, {"ann": person, long: person}, [], [], {})
    written = student_page.write(tmp_path, load(tmp_path))
    assert written == [student_page.folder(tmp_path, "ann") / student_page.PAGE]
    assert "no page for the student" in capsys.readouterr().err


def test_a_report_cell_longer_than_csvs_limit_is_read_back(tmp_path):
    """A hostile folder made one reason 420 kB long, and csv's 128 KiB field limit stopped `make feedback` for the
    whole class; the report is read back whole, and grading again keeps the row."""
    from grading.__main__ import REPORT, write_report
    from grading.class_results import read_report

    long = "not graded: " + "`x/" * 100_000
    row = dict(student="ann", notebook="01.ipynb", exercise="", accepted="", status="duplicate")
    write_report(tmp_path, ["ann"], [{**row, "reason": long, "mistake": ""}])
    write_report(tmp_path, ["bob"], [{**row, "student": "bob", "reason": "", "mistake": ""}])
    rows = read_report(tmp_path)
    assert [r["student"] for r in rows] == ["ann", "bob"] and rows[0]["reason"] == long
    assert (tmp_path / REPORT).stat().st_size > 300_000

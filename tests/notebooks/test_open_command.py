"""`make course` (the README's first command): the learner's own copies, notebook 01 open, no instructor tools.

It copies the released notebooks into the learner's folder (WORK, outside git) only where a copy is
missing, serves that folder with JupyterLab on 127.0.0.1, prints a URL that opens notebook 01 (not the
Launcher), and the learner's Lab has none of nbgrader's instructor tools. A second `make course` keeps
the learner's work and brings back only a notebook they removed. The browser part opens the printed
URL in Chromium (tests/helpers/jupyter.py) and leaves a screenshot in artifacts/browser/jupyterlab/make-course/.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request

import nbformat
import pytest

from tests.helpers.jupyter import browser, jupyterlab, screenshots
from tests.helpers.notebooks import RELEASED, ROOT

pytestmark = pytest.mark.kernel  # `make course` starts JupyterLab; `make progress` runs notebooks

FIRST = sorted(p.name for p in RELEASED.glob("*.ipynb"))[0]
NAMES = sorted(p.name for p in RELEASED.glob("*.ipynb"))


def course_command(work):
    """The README's `make course`, with the learner's folder at ``work``, on the given port and token."""

    def command(port: int, token: str) -> list[str]:
        return [
            "make",
            "--no-print-directory",
            "course",
            f"PORT={port}",
            f"WORK={work}",
            f"JUPYTER_ARGS=--IdentityProvider.token={token}",
        ]

    return command


def status(lab, path: str) -> int:
    request = urllib.request.Request(
        f"{lab.base}/{path}", headers={"Authorization": f"token {lab.token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def page_config(lab) -> dict:
    """The JupyterLab page's configuration (what the front end is told to load and leave out)."""
    request = urllib.request.Request(
        f"{lab.base}/lab/tree/{FIRST}", headers={"Authorization": f"token {lab.token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        html = reply.read().decode()
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "no jupyter-config-data in the page"
    return json.loads(match.group(1))


def test_make_course_serves_the_learners_own_copies_and_opens_notebook_01(tmp_path):
    work = tmp_path / "my notebooks"  # a space in the path, as in many learners' homes
    with jupyterlab(tmp_path / "jupyter", course_command(work), cwd=ROOT) as lab:
        assert "started" in lab.api("status")
        listed = sorted(item["name"] for item in lab.api("contents")["content"])
        assert listed == NAMES, f"JupyterLab's root is not the learner's folder: {listed}"
        for name in NAMES:
            assert (work / name).read_bytes() == (RELEASED / name).read_bytes(), name
        printed = lab.log(tail=None)
        assert f"http://127.0.0.1:{lab.port}/lab/tree/{FIRST}?token=" in printed, printed[-2000:]
        assert f"{len(NAMES)} copied" in printed and str(work) in printed
        # The instructor's tools are off, on both sides: no server extension, no JupyterLab plug-in.
        assert status(lab, "formgrader") == 404 and status(lab, "assignments") == 404
        config = page_config(lab)
        disabled = config.get("disabledExtensions")
        # the page lists what it leaves out
        assert "@jupyter/nbgrader" in (disabled or []), disabled


def test_a_second_make_course_keeps_the_learners_work(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    mine = nbformat.read(RELEASED / FIRST, as_version=4)
    mine.cells.append(nbformat.v4.new_code_cell("my_answer = 42"))
    nbformat.write(mine, work / FIRST)
    extra = work / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), extra)
    with jupyterlab(tmp_path / "jupyter", course_command(work), cwd=ROOT) as lab:
        assert lab.api(f"contents/{FIRST}")["type"] == "notebook"
        printed = lab.log(tail=None)
    assert "my_answer = 42" in (work / FIRST).read_text(), (
        "make course overwrote the learner's notebook"
    )
    assert extra.exists()
    assert f"{len(NAMES) - 1} copied" in printed and "1 of yours kept" in printed, printed[-1500:]
    for name in NAMES[1:]:
        assert (work / name).read_bytes() == (RELEASED / name).read_bytes(), name


def test_the_printed_url_opens_notebook_01_without_nbgrader(chromium, tmp_path):
    shots = screenshots(
        "jupyterlab/make-course"
    )  # a folder of its own: test_browser empties jupyterlab/
    work = tmp_path / "work"
    with jupyterlab(tmp_path / "jupyter", course_command(work), cwd=ROOT) as lab:
        printed = lab.log(tail=None)
        url = re.search(rf"http://127\.0\.0\.1:{lab.port}/lab/tree/\S+", printed).group(0)
        url = url.replace(
            "token=...", f"token={lab.token}"
        )  # a token given on the command line is not printed
        with browser(chromium, tmp_path / "chromium-profile", lab.base + "/", shots) as session:
            page = session.page
            page.goto(url)
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-StatusBar-Widget')]
                          .some(w => /\\|\\s*Idle/.test(w.textContent))"""
            )
            lab.remember_children()
            current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
            assert current.count() == 1 and FIRST in current.first.text_content(), (
                f"the open tab: {current.all_text_contents()}"
            )
            tabs = " ".join(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").all_text_contents())
            assert "Launcher" not in tabs, f"the Launcher opened: {tabs}"
            menus = page.locator(".lm-MenuBar-itemLabel").all_text_contents()
            assert menus and not [m for m in menus if "grader" in m.lower()], menus
            text = page.locator("body").inner_text().lower()
            instructor = re.search(r"\b(nbgrader|formgrader|validate|assignments)\b", text)
            assert not instructor, f"the learner's Lab shows {instructor.group(0)!r}"
            page.screenshot(path=str(shots / "make-course-opens-01.png"))
    assert not session.foreign, f"Chromium tried to reach other hosts: {session.foreign[:5]}"


def test_make_progress_lists_the_exercises_of_the_learners_notebooks(tmp_path):
    """The README's `make progress`: python -m checker progress on WORK, not on notebooks/."""
    work = tmp_path / "work"
    work.mkdir()
    nb = nbformat.read(RELEASED / "02_models_expect_a_batch.ipynb", as_version=4)
    # both exercises answered: a notebook no other test executes (tests/checker/test_progress.py answers one)
    right = {
        "batch_dimension_answer": "input_ids = torch.tensor([ids])",
        "seed_logits_answer": "logits = model(input_ids.to(model.device)).logits",
    }
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in right:
            cell.source = cell.source.replace("# YOUR CODE HERE", right[grade_id])
    nbformat.write(nb, work / "02_models_expect_a_batch.ipynb")
    done = subprocess.run(
        ["make", "--no-print-directory", "progress", f"WORK={work}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "batch_dimension  passed" in done.stdout, done.stdout + done.stderr[-2000:]
    assert "seed_logits      passed" in done.stdout
    assert "2 passed, 0 failed, 0 not attempted" in done.stdout
    assert done.returncode == 0
    assert "01_" not in done.stdout  # only the learner's folder, not the course's notebooks/

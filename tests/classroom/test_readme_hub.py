"""The README's hub steps, followed as written: a new instructor needs nothing that is not there.

Root only (it creates the accounts the README creates; skipped otherwise). The README is the one
source: ``tests/helpers/readme_hub.py`` cuts its "A classroom on JupyterHub" section into its ``bash``
blocks, and this test changes only the values on the settings block's lines (unique account names, a
free port, folders of its own, and ``COURSE_GIT``: a git repository of this checkout in place of the
course's GitHub address), then:

1. runs the set-up blocks as root in one shell (clone, ``make hub-env``, accounts with passwords, the
   exchange, the hub's state folder, the course folder);
2. starts the hub with the README's command (its other ports, which the README leaves at their
   defaults, from the environment);
3. logs in through the hub's login form in Chromium (screenshots in artifacts/browser/hub/readme/),
   with the password the README's loop wrote, as the instructor: JupyterLab opens on the course
   folder; in a terminal of it (the Terminals API and its websocket, as JupyterLab's terminal) the
   instructor's first block releases the assignment;
4. logs in as the student: fetches the assignment from the Assignments tab's API, answers notebook 02,
   removes the others and submits; the instructor's second block, in a terminal again, collects,
   grades, makes and releases the feedback; the student fetches it and reads their scores;
5. stops the hub as the README says (Ctrl-C: SIGINT), then removes the accounts and folders.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import requests
import tomllib

from tests.helpers import readme_hub, unix_users
from tests.helpers.classroom import HUB_ENV, needs_npm, run_in_terminal
from tests.helpers.course import released, solution_answers
from tests.helpers.hub_browser import log_in, new_token, server_request
from tests.helpers.jupyter import browser, find_chromium, free_port, screenshots
from tests.helpers.notebooks import ASSIGNMENT, ROOT
from tests.helpers.submissions import NB02, answered

pytestmark = [
    pytest.mark.classroom,
    pytest.mark.skipif(
        unix_users.unavailable() is not None, reason=f"classroom: {unix_users.unavailable()}"
    ),
    pytest.mark.skipif(
        shutil.which("bwrap") is None,
        reason="needs bubblewrap (Debian `bubblewrap`; .ci/run installs it)",
    ),
    needs_npm,
    pytest.mark.skipif(shutil.which("git") is None, reason="the README clones with git"),
]
COURSE_ID = "multiple-sequences"
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # Debian's root login


def snapshot(dest: Path) -> Path:
    """A git repository of this checkout as it is (tracked files and new ones, not the ignored):
    what ``git clone`` of the course's repository gives, with this checkout's changes."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git = ["git", "-c", "user.name=README test", "-c", "user.email=test@127.0.0.1"]
    for step in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "checkout"]):
        subprocess.run(git + step, cwd=dest, check=True, capture_output=True)
    return dest


def wait_for_hub(url: str, hub: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise AssertionError(f"the hub exited ({hub.returncode}):\n{log.read_text()[-4000:]}")
        try:
            if requests.get(f"{url}/hub/api/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the hub did not answer within {timeout} s:\n{log.read_text()[-4000:]}")


def stop_hub(hub: subprocess.Popen) -> None:
    """Ctrl-C, as the README says: SIGINT to the hub's process group; what is left is killed."""
    if hub.poll() is None:
        os.killpg(hub.pid, signal.SIGINT)
        try:
            hub.wait(60)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(hub.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    hub.wait(10)


def feedback_scores(html: str) -> dict[str, float]:
    return {
        gid: float(score)
        for gid, score in re.findall(
            r'href="#([\w-]+)">Test cell</a> \(Score: ([\d.]+) / [\d.]+\)', html
        )
    }


@pytest.fixture(scope="module")
def followed():
    prefix = unix_users.unique_prefix()
    instructor, student = f"{prefix}-teach", f"{prefix}-s1"
    base = Path(tempfile.mkdtemp(prefix="msq-readme-hub-", dir="/tmp"))
    os.chmod(base, 0o755)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    values = {
        "COURSE_GIT": str(snapshot(base / "source")),
        "REPO": str(base / "repo"),
        "ENV": str(HUB_ENV),
        "STATE": str(base / "state"),
        "EXCHANGE": str(base / "exchange"),
        "COURSE": str(base / "course"),
        "INSTRUCTOR": instructor,
        "STUDENTS": student,
        "PASSWORDS": str(base / "passwords.txt"),
        "PORT": str(port),
    }
    env = {
        "PATH": ROOT_PATH,
        "LANG": "C.UTF-8",
        "HOME": "/root",
        # The hub's own ports, which the README leaves at their defaults (8081, 8001): free ones here.
        "CLASSROOM_HUB_PORT": str(free_port()),
        "CLASSROOM_PROXY_API_PORT": str(free_port()),
    }
    shell = base / "root-shell"
    shell.mkdir()
    seen: dict = {"settings": values}
    hub = None
    try:
        with open(base / "setup.log", "w") as log:
            seen["setup"] = subprocess.run(
                ["bash", "-c", readme_hub.setup_script(values)],
                env=env,
                cwd=shell,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=3600,
            ).returncode
        assert seen["setup"] == 0, (base / "setup.log").read_text()[-5000:]
        passwords = dict(
            line.split(" ", 1) for line in Path(values["PASSWORDS"]).read_text().splitlines()
        )
        seen["passwords file mode"] = oct(Path(values["PASSWORDS"]).stat().st_mode & 0o777)
        seen["state folder mode"] = oct(Path(values["STATE"]).stat().st_mode & 0o777)
        hub_log = base / "hub.log"
        with open(hub_log, "w") as log:
            hub = subprocess.Popen(
                ["bash", "-c", readme_hub.hub_script(values)],
                env=env,
                cwd=shell,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_for_hub(url, hub, hub_log)
        chromium = find_chromium()
        shots = screenshots("hub/readme")
        steps = readme_hub.instructor_blocks()
        for number, block in enumerate(steps, 1):
            path = base / f"instructor-step-{number}.sh"
            path.write_text(block)
            path.chmod(0o644)

        with browser(chromium, base / "chromium-instructor", f"{url}/", shots) as session:
            page = session.page
            log_in(page, url, instructor, passwords[instructor])
            page.screenshot(path=str(shots / "1-instructor-lab.png"))
            root = server_request(page, url, instructor, "GET", "api/contents/")
            seen["instructor's root"] = sorted(item["name"] for item in root.json()["content"])
            token = new_token(page, url, instructor)
        seen["step 1"] = run_in_terminal(
            url, instructor, token, base / "instructor-step-1.sh", base / "step-1.log"
        )
        assert seen["step 1"] == 0, (base / "step-1.log").read_text()[-5000:]

        course = Path(values["COURSE"])
        notebook = answered(released(course)[NB02], solution_answers(course)[NB02])
        with browser(chromium, base / "chromium-student", f"{url}/", shots) as session:
            page = session.page
            log_in(page, url, student, passwords[student])
            assignment = {"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}
            fetched = server_request(
                page, url, student, "POST", "assignments/fetch", form=assignment
            )
            seen["fetch"] = fetched.json()
            listing = server_request(page, url, student, "GET", f"api/contents/{ASSIGNMENT}")
            for item in listing.json()["content"]:
                if item["name"] != NB02:
                    server_request(page, url, student, "DELETE", f"api/contents/{item['path']}")
            saved = server_request(
                page,
                url,
                student,
                "PUT",
                f"api/contents/{ASSIGNMENT}/{NB02}",
                data={"type": "notebook", "format": "json", "content": notebook},
            )
            seen["save"] = saved.status
            submitted = server_request(
                page, url, student, "POST", "assignments/submit", form=assignment
            )
            seen["submit"] = submitted.json()

            seen["step 2"] = run_in_terminal(
                url, instructor, token, base / "instructor-step-2.sh", base / "step-2.log"
            )
            assert seen["step 2"] == 0, (base / "step-2.log").read_text()[-5000:]

            server_request(
                page, url, student, "POST", "assignments/fetch_feedback", form=assignment
            )
            pages = {}
            folder = server_request(
                page, url, student, "GET", f"api/contents/{ASSIGNMENT}/feedback"
            )
            for stamp in folder.json().get("content") or []:
                inner = server_request(page, url, student, "GET", f"api/contents/{stamp['path']}")
                for item in inner.json().get("content") or []:
                    html = server_request(page, url, student, "GET", f"api/contents/{item['path']}")
                    pages[item["name"]] = html.json()["content"]
            seen["feedback"] = pages
            page.goto(f"{url}/user/{student}/lab/tree/{ASSIGNMENT}/{NB02}")
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
            page.screenshot(path=str(shots / "2-student-notebook.png"))
            for stamp in (
                folder.json().get("content") or []
            ):  # the feedback, as the student opens it
                page.goto(f"{url}/user/{student}/lab/tree/{stamp['path']}/{NB02[:-6]}.html")
                page.locator(".jp-HTMLViewer iframe").wait_for()
                page.wait_for_timeout(2000)  # the sandboxed frame paints
                page.screenshot(path=str(shots / "3-student-feedback.png"))
        seen["expected scores"] = {
            cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"]["points"])
            for cell in nbformat.read(course / "notebooks" / ASSIGNMENT / NB02, as_version=4).cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }
    finally:
        if hub is not None:
            stop_hub(hub)
            seen["hub log"] = (base / "hub.log").read_text(errors="replace")[-3000:]
        made = [name for name in (instructor, student) if _exists(name)]
        uids = {unix_users.pwd_uid(name) for name in made}
        unix_users.stop_processes(uids)
        for name in made:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        seen["accounts left"] = [name for name in (instructor, student) if _exists(name)]
        shutil.rmtree(base, ignore_errors=True)
    return seen


def _exists(name: str) -> bool:
    return unix_users.pwd_uid(name) is not None


def test_the_readme_clones_the_course_from_the_repository_pyproject_names():
    settings = readme_hub.settings(readme_hub.steps().settings)
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert settings["COURSE_GIT"] == repository["Repository"]


def test_the_readme_steps_set_up_the_hub_as_root(followed):
    assert followed["setup"] == 0
    assert followed["passwords file mode"] == "0o600"
    assert followed["state folder mode"] == "0o700"


def test_the_instructor_logs_in_and_works_in_the_course_folder(followed):
    assert {"nbgrader_config.py", "solutions", "grading", "Makefile"} <= set(
        followed["instructor's root"]
    ), followed["instructor's root"]
    assert followed["step 1"] == 0 and followed["step 2"] == 0


def test_the_student_logs_in_fetches_and_submits(followed):
    fetched = [a for a in followed["fetch"]["value"] if a["assignment_id"] == ASSIGNMENT]
    assert fetched and fetched[0]["status"] == "fetched", followed["fetch"]
    assert followed["save"] in (200, 201)
    assert followed["submit"]["success"], followed["submit"]


def test_the_student_reads_their_feedback_with_full_marks(followed):
    page = NB02.replace(".ipynb", ".html")
    assert page in followed["feedback"], sorted(followed["feedback"])
    html = followed["feedback"][page]
    assert feedback_scores(html) == followed["expected scores"], re.sub(r"<[^>]+>|\s+", " ", html)[
        :2000
    ]
    assert followed["expected scores"], "notebook 02 has graded cells"


def test_nothing_is_left_of_the_accounts(followed):
    assert followed["accounts left"] == []

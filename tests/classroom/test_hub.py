"""The course in a real classroom: the whole nbgrader cycle through JupyterHub, with real Unix accounts.

One module-scoped run on 127.0.0.1 (root only: it creates the accounts; skipped otherwise):

- ``make hub-env`` (cached): the environment every account runs; the classroom's files are laid in a
  folder every account can read, as on a hub machine, with nbgrader's exchange (mode 1777) beside them;
- Unix accounts: one instructor and three students (private homes), removed at the end;
- the instructor, as that account: ``make release`` and ``nbgrader release_assignment``;
- JupyterHub (classroom/jupyterhub_config.py) as root; each account's server started through the REST
  API as that account; each student, through the hub with a token of their own: fetch, save their
  answers (different ones, so the grades differ), submit;
- the instructor: ``nbgrader collect``, ``make grade`` (every kernel in the bubblewrap sandbox, two
  graders), ``make feedback``, ``nbgrader release_feedback``;
- each student, through the hub: fetch_feedback, then read their feedback with the contents API;
- a student presses Validate and keeps listing their files while it runs;
- the instructor logs in through the hub's form in Chromium and reads the Formgrader's Manage Students,
  opened directly and in JupyterLab's Formgrader panel (screenshots in artifacts/browser/hub/);
- one student tries to read another's work, as their Unix account and through the hub;
- the hub is stopped (it stops every server and its proxy), the accounts and folders removed.

The tests below only read what the run saw.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from checker import config
from tests.helpers import unix_users
from tests.helpers.classroom import HUB_ENV, Hub, build_hub_env, needs_npm
from tests.helpers.course import course_folder, released, solution_answers
from tests.helpers.hub_browser import (
    FORMGRADER_ERROR,
    formgrader_students,
    log_in,
    open_formgrader_panel,
)
from tests.helpers.jupyter import browser, find_chromium, screenshots
from tests.helpers.notebooks import ASSIGNMENT, ROOT
from tests.helpers.submissions import NOTEBOOKS, small_class

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
]
COURSE_ID = "multiple-sequences"
# What a deployed classroom needs of the repository; copied (dates kept) to a folder every account reads.
DEPLOYED = ("Makefile", "requirements.txt", "constraints.txt", "pyproject.toml", "classroom")

# What a student who wants the Formgrader (or to serve pages that others' pages may frame) writes in ~/.jupyter.
OWN_SETTINGS = (
    'c.ServerApp.jpserver_extensions = {"nbgrader.server_extensions.formgrader": True}\n'
    'c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors *"}}\n'
)

WRITE_OWN_SETTINGS = (
    "import pathlib, sys; folder = pathlib.Path('.jupyter'); folder.mkdir(exist_ok=True); "
    "(folder / 'jupyter_server_config.py').write_text(sys.argv[1])"
)

PEEK = r"""
import json, os, sys
exchange, other_home, other_notebook = sys.argv[1:4]
attempts = {
    "list the exchange's inbound": lambda: os.listdir(os.path.join(exchange, "inbound")),
    "list the exchange's feedback": lambda: os.listdir(os.path.join(exchange, "feedback")),
    "list the other student's home": lambda: os.listdir(other_home),
    "read the other student's notebook": lambda: open(other_notebook, "rb").read(),
    "read the other student's nbgrader cache": lambda: os.listdir(os.path.join(other_home, ".local/share/jupyter")),
}
result = {}
for what, attempt in attempts.items():
    try:
        attempt()
        result[what] = "allowed"
    except OSError as error:
        result[what] = type(error).__name__
print(json.dumps(result))
"""


def _run_logged(
    account: unix_users.Account, command: list[str], env: dict, cwd: Path, log: Path
) -> int:
    with open(log, "w") as out:
        return account.run(
            command,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            capture_output=False,
            timeout=1800,
        ).returncode


def _feedback_scores(html: str) -> dict[str, float]:
    """{grade id: score} from one nbgrader feedback page."""
    return {
        gid: float(score)
        for gid, score in re.findall(
            r'href="#([\w-]+)">Test cell</a> \(Score: ([\d.]+) / [\d.]+\)', html
        )
    }


@pytest.fixture(scope="module")
def cycle():
    build_hub_env()
    prefix = unix_users.unique_prefix()
    instructor = f"{prefix}-teach"
    base = Path(tempfile.mkdtemp(prefix="msq-classroom-", dir="/tmp"))
    seen: dict = {"timings": {}, "hub": {}}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seen["timings"][step] = round(now - clock, 1)
        clock = now

    try:
        os.chmod(base, 0o755)
        deployed = base / "repo"
        deployed.mkdir()
        for name in DEPLOYED:
            if (ROOT / name).is_dir():
                shutil.copytree(
                    ROOT / name, deployed / name, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(ROOT / name, deployed / name)
        exchange = base / "exchange"
        exchange.mkdir(mode=0o777)
        os.chmod(exchange, 0o1777)  # as /tmp: every account may create, only the owner may remove
        course = course_folder(base / "course")
        names = [f"{prefix}-s{i + 1}" for i in range(3)]  # small_class's names
        with unix_users.accounts([instructor, *names]) as users:
            teacher = users[instructor]
            password = unix_users.set_password(instructor)  # the hub's login form, in Chromium
            subprocess.run(["chown", "-R", f"{teacher.uid}:{teacher.gid}", str(course)], check=True)
            os.chmod(course, 0o700)
            jupyter = deployed / "classroom" / "jupyter"
            env = teacher.env(
                base=config.quiet_transformers(
                    {
                        "PATH": f"{HUB_ENV}/bin:/usr/local/bin:/usr/bin:/bin",
                        "LANG": "C.UTF-8",
                        "HF_HUB_OFFLINE": "1",
                        "JUPYTER_CONFIG_PATH": f"{jupyter / 'instructors'}{os.pathsep}{jupyter / 'common'}",
                        "NBGRADER_EXCHANGE": str(exchange),
                        "CLASSROOM_COURSE": str(course),
                        "COURSE_CACHE": f"{HUB_ENV}/share/course-model",
                    }
                )
            )
            make = ["make", "-f", str(deployed / "Makefile"), "-C", str(course), f"VENV={HUB_ENV}"]
            codes = seen["codes"] = {}

            def teach(step: str, *command: str) -> None:
                codes[step] = _run_logged(teacher, list(command), env, course, base / f"{step}.log")
                lap(step)

            lap("accounts and course folder")
            teach("release", *make, "release")
            students = small_class(
                prefix, released(course), solution_answers(course), size=len(names)
            )
            seen["students"] = {s.name: s for s in students}
            teach(
                "release_assignment",
                f"{HUB_ENV}/bin/nbgrader",
                "release_assignment",
                ASSIGNMENT,
                "--force",
            )
            hub = Hub(
                base / "hub",
                exchange=exchange,
                course=course,
                instructors=[instructor],
                students=[s.name for s in students],
                env=HUB_ENV,
                config=deployed / "classroom" / "jupyterhub_config.py",
            )
            try:
                hub.start()
                lap("hub start")
                seen["hub"]["users"] = {
                    u["name"]: sorted(u["groups"]) for u in hub.api("GET", "/users")
                }
                # A student's own Jupyter settings, as a curious one writes them: ignored by the hub's servers.
                users[students[0].name].run(
                    [f"{HUB_ENV}/bin/python", "-c", WRITE_OWN_SETTINGS, OWN_SETTINGS], check=True
                )
                hub.start_servers([instructor, *(s.name for s in students)])
                lap("servers start")
                clients = {name: hub.as_user(name, hub.user_token(name)) for name in users}
                for student in students:
                    client = clients[student.name]
                    seen.setdefault("fetched", {})[student.name] = client.assignment_action(
                        "fetch", COURSE_ID, ASSIGNMENT
                    )
                    for item in client.get_contents(ASSIGNMENT).json()["content"]:
                        if (
                            item["name"] not in student.notebooks
                        ):  # this class hands in 02 and 04 only
                            client.delete(item["path"])
                    for name, nb in student.notebooks.items():
                        client.put_notebook(f"{ASSIGNMENT}/{name}", nb)
                    client.assignment_action("submit", COURSE_ID, ASSIGNMENT)
                lap("students fetch, save, submit")
                teach("collect", f"{HUB_ENV}/bin/nbgrader", "collect", ASSIGNMENT)
                teach("grade", *make, "grade", "JOBS=2")
                teach("feedback", *make, "feedback")
                teach("release_feedback", f"{HUB_ENV}/bin/nbgrader", "release_feedback", ASSIGNMENT)
                feedback = seen["feedback"] = {}
                for student in students:
                    client = clients[student.name]
                    client.assignment_action("fetch_feedback", COURSE_ID, ASSIGNMENT)
                    folder = client.get_contents(f"{ASSIGNMENT}/feedback").json()
                    pages = {}
                    for stamp in folder.get("content") or []:
                        for item in client.get_contents(stamp["path"]).json().get("content") or []:
                            pages[item["name"]] = client.get_contents(item["path"]).json()[
                                "content"
                            ]
                    feedback[student.name] = pages
                lap("students fetch feedback")
                seen["validate"] = _validate_while_browsing(
                    clients[students[0].name], f"{ASSIGNMENT}/{NOTEBOOKS[0]}"
                )
                lap("a student validates")
                seen["frame-ancestors"] = {
                    "instructor's Formgrader": clients[instructor]
                    .request("GET", "formgrader")
                    .headers.get("Content-Security-Policy"),
                    "instructor's JupyterLab": clients[instructor]
                    .request("GET", "lab")
                    .headers.get("Content-Security-Policy"),
                    "student's JupyterLab": clients[students[0].name]
                    .request("GET", "lab")
                    .headers.get("Content-Security-Policy"),
                }
                seen["formgrader in chromium"] = _formgrader_in_chromium(
                    hub.url, instructor, password, base
                )
                lap("the instructor's Formgrader in Chromium")
                first, second = students[0], students[1]
                peek = users[second.name].run(
                    [
                        f"{HUB_ENV}/bin/python",
                        "-c",
                        PEEK,
                        str(exchange / COURSE_ID),
                        str(users[first.name].home),
                        str(users[first.name].home / ASSIGNMENT / NOTEBOOKS[0]),
                    ],
                    cwd=users[second.name].home,
                )
                seen["peek"] = json.loads(peek.stdout) if peek.returncode == 0 else peek.stderr
                other = clients[second.name].get_contents(ASSIGNMENT, server=first.name)
                seen["peek through the hub"] = (
                    other.status_code,
                    first.name in other.text and "content" in other.text,
                )
                seen["formgrader"] = {
                    name: clients[name].request("GET", "formgrader/manage_students").status_code
                    for name in (instructor, first.name)
                }
                seen["autograded"] = sorted(p.name for p in (course / "autograded").iterdir())
                from nbgrader.api import Gradebook

                with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
                    seen["gradebook"] = {
                        s.id: {
                            (nb.name, g.name): g.auto_score
                            for nb in gb.find_submission(ASSIGNMENT, s.id).notebooks
                            for g in nb.grades
                        }
                        for s in gb.students
                    }
                lap("checks")
            finally:
                proxy_pid = base / "hub" / "jupyterhub-proxy.pid"
                seen["proxy pid"] = int(proxy_pid.read_text()) if proxy_pid.exists() else None
                seen["hub pid"] = hub.process.pid if hub.process else None
                hub.stop()
                lap("hub stop")
                seen["left running"] = unix_users.processes_of({a.uid for a in users.values()})
                seen["logs"] = {
                    p.name: p.read_text(errors="replace")[-3000:] for p in base.glob("*.log")
                }
                seen["hub log"] = hub.log()
        seen["accounts left"] = [n for n in [instructor, *names] if _exists(n)]
    except Exception as error:  # say where it stopped, with what the commands and the hub said
        logs = "".join(
            f"\n--- {p.name}\n{p.read_text(errors='replace')[-2500:]}"
            for p in sorted(base.rglob("*.log"))
        )
        raise AssertionError(
            f"the classroom cycle stopped: {type(error).__name__}: {error}\n"
            f"codes so far: {seen.get('codes')}{logs}"
        ) from error
    finally:
        shutil.rmtree(base, ignore_errors=True)
    seen["total"] = round(sum(seen["timings"].values()), 1)
    print(
        f"\nclassroom cycle: {seen['total']} s at load average {os.getloadavg()[0]:.1f}: {seen['timings']};"
        f" Validate of one notebook {seen['validate']['seconds']:.1f} s"
    )
    return seen


def _validate_while_browsing(client, path: str) -> dict:
    """A student presses Validate and, while it runs, keeps using their server (a file listing every
    half second). Returns Validate's answer, how long it took, and how many listings were answered
    while it was still running (at least 2 s before its answer came)."""
    answer: dict = {}

    def press_validate() -> None:
        started = time.monotonic()
        try:
            response = client.request("POST", "assignments/validate", data={"path": path})
            answer.update(
                status=response.status_code,
                body=response.json() if response.status_code == 200 else response.text[:2000],
            )
        except Exception as error:  # recorded: the test says what failed
            answer.update(status=None, body=f"{type(error).__name__}: {error}")
        answer.update(seconds=time.monotonic() - started, done=time.monotonic())

    thread = threading.Thread(target=press_validate)
    thread.start()
    time.sleep(2)  # the POST has reached the server and the validation runs
    answered = []
    while thread.is_alive():
        reply = client.request("GET", f"api/contents/{ASSIGNMENT}")
        answered.append((reply.status_code, time.monotonic()))
        time.sleep(0.5)
    thread.join()
    answer["answered while validating"] = sum(
        1 for status, when in answered if status == 200 and when < answer["done"] - 2
    )
    return answer


def _formgrader_in_chromium(hub: str, instructor: str, password: str, base: Path) -> dict:
    """The instructor logs in through the hub's form and opens the Formgrader's Manage Students page,
    directly and in JupyterLab's Formgrader panel; what each showed (screenshots in artifacts/browser/hub/)."""
    try:
        chromium = find_chromium()
    except pytest.skip.Exception as why:
        return {"skipped": str(why)}
    shots = screenshots("hub")
    seen: dict = {}
    with browser(chromium, base / "chromium-profile", f"{hub}/", shots) as session:
        page = session.page
        log_in(page, hub, instructor, password)
        page.screenshot(path=str(shots / "1-instructor-lab.png"))
        try:
            page.goto(f"{hub}/user/{instructor}/formgrader/manage_students")
            seen["directly: error page"] = FORMGRADER_ERROR in page.content()
            seen["directly"] = formgrader_students(page)
        except Exception as error:  # recorded: the tests below say what failed
            seen["directly"] = f"{type(error).__name__}: {str(error)[:500]}"
        page.screenshot(path=str(shots / "2-formgrader-directly.png"))
        try:
            page.goto(f"{hub}/user/{instructor}/lab")
            page.locator(".jp-LabShell").wait_for()
            frame = open_formgrader_panel(page)
            frame.locator("a", has_text="Manage Students").first.click()
            seen["in the panel"] = formgrader_students(frame)
        except Exception as error:
            seen["in the panel"] = f"{type(error).__name__}: {str(error)[:500]}"
        page.screenshot(path=str(shots / "3-formgrader-in-jupyterlab.png"))
    seen["foreign"] = session.foreign
    return seen


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def test_the_instructors_commands_succeed_as_the_instructors_account(cycle):
    assert cycle["codes"] == {k: 0 for k in cycle["codes"]}, json.dumps(cycle["logs"], indent=1)[
        -8000:
    ]


def test_the_hub_knows_the_instructor_and_the_students_by_group(cycle):
    groups = cycle["hub"]["users"]
    assert sorted(name for name, g in groups.items() if g == ["instructors"]) == [
        n for n in groups if n.endswith("-teach")
    ]
    assert sorted(name for name, g in groups.items() if g == ["students"]) == sorted(
        cycle["students"]
    )


def test_each_student_fetches_the_released_notebooks_through_the_hub(cycle):
    for name, listing in cycle["fetched"].items():
        fetched = [
            a for a in listing if a["assignment_id"] == ASSIGNMENT and a["status"] == "fetched"
        ]
        assert fetched and {nb["notebook_id"] for nb in fetched[0]["notebooks"]} >= {
            n[:-6] for n in NOTEBOOKS
        }, name


def test_every_submission_is_collected_under_its_unix_account_and_graded(cycle):
    assert cycle["autograded"] == sorted(cycle["students"])


def test_each_student_gets_exactly_their_own_grades(cycle):
    totals = {name: s.total for name, s in cycle["students"].items()}
    assert len(set(totals.values())) == len(totals), "the class should have different grades"
    for name, student in cycle["students"].items():
        assert student.unexpected(cycle["gradebook"][name]) == {}, (name, student.why)


def test_each_student_fetches_their_own_feedback_with_their_own_scores(cycle):
    for name, student in cycle["students"].items():
        pages = cycle["feedback"][name]
        assert sorted(pages) == sorted(n.replace(".ipynb", ".html") for n in NOTEBOOKS), (
            name,
            sorted(pages),
        )
        for page, html in pages.items():
            stem = page[: -len(".html")]
            expected = {gid: score for (nb, gid), score in student.expect.items() if nb == stem}
            assert _feedback_scores(html) == expected, (name, page)
            others = [other for other in cycle["students"] if other != name]
            assert not [other for other in others if other in html], (name, page)


def test_a_student_cannot_read_another_students_work_as_their_unix_account(cycle):
    assert cycle["peek"] == {
        "list the exchange's inbound": "PermissionError",
        "list the exchange's feedback": "PermissionError",
        "list the other student's home": "PermissionError",
        "read the other student's notebook": "PermissionError",
        "read the other student's nbgrader cache": "PermissionError",
    }


def test_a_students_token_does_not_open_another_students_server(cycle):
    status, leaked = cycle["peek through the hub"]
    assert status in (403, 404) and not leaked, status


def test_only_the_instructor_has_the_formgrader(cycle):
    codes = cycle["formgrader"]
    teacher = next(n for n in codes if n.endswith("-teach"))
    student = next(n for n in codes if n != teacher)
    assert codes[teacher] == 200 and codes[student] == 404, codes


def test_no_process_and_no_account_is_left(cycle):
    assert cycle["left running"] == []
    assert cycle["accounts left"] == []
    for pid in (cycle["hub pid"], cycle["proxy pid"]):
        assert pid is None or not Path(f"/proc/{pid}").exists(), pid


def test_the_instructor_opens_the_formgrader_directly_and_in_jupyterlab(cycle):
    seen = cycle["formgrader in chromium"]
    if "skipped" in seen:
        pytest.skip(seen["skipped"])
    assert seen.get("directly: error page") is False, seen
    for way in ("directly", "in the panel"):
        assert isinstance(seen[way], dict), f"{way}: {seen[way]}"
    assert not seen["foreign"], seen["foreign"]


def test_the_formgrader_shows_every_student_with_their_score(cycle):
    seen = cycle["formgrader in chromium"]
    if "skipped" in seen:
        pytest.skip(seen["skipped"])
    for way in ("directly", "in the panel"):
        shown = seen[way]
        assert isinstance(shown, dict), f"{way}: {shown}"
        assert sorted(shown) == sorted(cycle["students"]), (way, shown)
        scores = {name: [float(x) for x in text.split("/")] for name, text in shown.items()}
        for name, student in cycle["students"].items():
            total = sum(score or 0 for score in cycle["gradebook"][name].values())
            assert scores[name][0] == pytest.approx(student.total) == pytest.approx(total), (
                way,
                name,
                shown[name],
            )
        assert len({maximum for _, maximum in scores.values()}) == 1, (way, shown)


def test_only_the_instructors_server_may_be_framed_and_only_by_its_own_origin(cycle):
    assert cycle["frame-ancestors"] == {
        "instructor's Formgrader": "frame-ancestors 'self'",
        "instructor's JupyterLab": "frame-ancestors 'self'",
        "student's JupyterLab": "frame-ancestors 'none'",
    }


def test_the_students_server_answers_while_validate_runs(cycle):
    seen = cycle["validate"]
    assert seen["status"] == 200 and isinstance(seen["body"], dict) and seen["body"]["success"], (
        seen
    )
    assert seen["answered while validating"] >= 2, seen

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
import time
from pathlib import Path

import pytest

from checker import config
from tests.helpers import unix_users
from tests.helpers.classroom import HUB_ENV, Hub
from tests.helpers.course import course_folder, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT, ROOT
from tests.helpers.submissions import NOTEBOOKS, small_class

pytestmark = [
    pytest.mark.skipif(
        unix_users.unavailable() is not None, reason=f"classroom: {unix_users.unavailable()}"
    ),
    pytest.mark.skipif(
        shutil.which("bwrap") is None,
        reason="needs bubblewrap (Debian `bubblewrap`; .ci/run installs it)",
    ),
    pytest.mark.skipif(
        shutil.which("npm") is None and not (HUB_ENV / "proxy").is_dir(),
        reason="needs npm for configurable-http-proxy (Debian: apt-get install npm)",
    ),
]
COURSE_ID = "multiple-sequences"
# What a deployed classroom needs of the repository; copied (dates kept) to a folder every account reads.
DEPLOYED = ("Makefile", "requirements.txt", "constraints.txt", "pyproject.toml", "classroom")

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
    ran = subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "hub-env", f"HUB_ENV={HUB_ENV}"],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert ran.returncode == 0, f"make hub-env failed:\n{ran.stdout[-3000:]}{ran.stderr[-3000:]}"
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
                    name: clients[name].request("GET", "formgrader").status_code
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
        f"\nclassroom cycle: {seen['total']} s at load average {os.getloadavg()[0]:.1f}: {seen['timings']}"
    )
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

"""Nothing a student puts in nbgrader's exchange is followed or trusted by the instructor's ``nbgrader collect``
(grading/exchange.py), through JupyterHub with real Unix accounts (root only; skipped otherwise).

The class: ``s1`` answers notebooks 02 and 04 right, ``s3`` answers 02 only, both through the hub (fetch,
save, submit). ``s2`` fetches through the hub, submits from a terminal (as a student can on a hub) and
reads where its submission went from nbgrader's log. Then, as its own Unix account, it replaces its
submitted notebooks by symbolic links to the instructor's solutions (which it cannot read), links a folder
of the course, adds a FIFO, creates a folder named for ``s1`` with a later time and wrong answers, and a
folder whose name is not nbgrader's.

- Control: nbgrader's own collect, on a copy of the course folder (before the folder with an odd name,
  which stops it), follows the links and takes the folder named for ``s1``: the attack is real.
- The course's collect: succeeds for the class; ``s2`` gets 0 and no solution in the feedback it fetches
  through the hub; ``s1`` and ``s3`` get exactly their own marks; the report names every refusal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from checker import config
from tests.helpers import unix_users
from tests.helpers.classroom import HUB_ENV, Hub, build_hub_env, needs_npm
from tests.helpers.course import course_folder, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT, ROOT
from tests.helpers.secrets import leaks
from tests.helpers.submissions import answered

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
DEPLOYED = ("Makefile", "requirements.txt", "constraints.txt", "pyproject.toml", "classroom")
NB02, NB04 = "02_models_expect_a_batch.ipynb", "04_padding.ipynb"

#: What s2 runs as its own account, with its submission's folder in the exchange (from nbgrader's log).
ATTACK = r"""
import os, sys
inbound_folder, solutions, course, victim, assignment = sys.argv[1:6]
for name in ("02_models_expect_a_batch.ipynb", "04_padding.ipynb"):
    os.remove(os.path.join(inbound_folder, name))
    os.symlink(os.path.join(solutions, name), os.path.join(inbound_folder, name))
os.symlink(solutions, os.path.join(inbound_folder, "linked-solutions"))
os.symlink(course, os.path.join(inbound_folder, "linked-course"))
inbound = os.path.dirname(inbound_folder)
name = os.path.basename(inbound_folder).split("+")
impostor = os.path.join(inbound, f"{victim}+{assignment}+2099-01-01 00:00:00.000000 UTC+forged")
os.mkdir(impostor)
for file in ("02_models_expect_a_batch.ipynb", "timestamp.txt"):
    data = open(os.path.join(sys.argv[6], file), "rb").read() if file.endswith("ipynb") else b"2099-01-01 00:00:00.000000 UTC"
    open(os.path.join(impostor, file), "wb").write(data)
print("attack in place")
"""
#: Then (after the control, which either would stop): a FIFO in its submission, and a folder that nbgrader
#: did not name.
ODD_NAME = r"""
import os, sys
inbound_folder, student, assignment = sys.argv[1:4]
os.mkfifo(os.path.join(inbound_folder, "pipe.ipynb"))
os.mkdir(os.path.join(os.path.dirname(inbound_folder), f"{student}+{assignment}+not a time+x"))
print("odd folder made")
"""


def _feedback_scores(html: str) -> dict[str, float]:
    return {
        gid: float(score)
        for gid, score in re.findall(
            r'href="#([\w-]+)">Test cell</a> \(Score: ([\d.]+) / [\d.]+\)', html
        )
    }


@pytest.fixture(scope="module")
def collected():
    build_hub_env()
    prefix = unix_users.unique_prefix()
    teacher_name = f"{prefix}-teach"
    names = [f"{prefix}-s{i}" for i in (1, 2, 3)]
    base = Path(tempfile.mkdtemp(prefix="msq-exchange-", dir="/tmp"))
    seen: dict = {"codes": {}}
    started = time.perf_counter()
    try:
        os.chmod(base, 0o755)
        deployed = base / "repo"
        deployed.mkdir()
        for name in DEPLOYED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(
                    source, deployed / name, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(source, deployed / name)
        exchange = base / "exchange"
        exchange.mkdir(mode=0o777)
        os.chmod(exchange, 0o1777)
        course = course_folder(base / "course")
        with open(
            course / "nbgrader_config.py", "a"
        ) as settings:  # nothing here loops; a loaded machine is slow
            settings.write("\nc.GradingExecute.timeout = 240\n")
        with unix_users.accounts([teacher_name, *names]) as users:
            teacher = users[teacher_name]
            s1, s2, s3 = (users[n] for n in names)
            subprocess.run(["chown", "-R", f"{teacher.uid}:{teacher.gid}", str(course)], check=True)
            os.chmod(course, 0o700)
            jupyter = deployed / "classroom" / "jupyter"
            common = {
                "PATH": f"{HUB_ENV}/bin:/usr/local/bin:/usr/bin:/bin",
                "LANG": "C.UTF-8",
                "HF_HUB_OFFLINE": "1",
                "NBGRADER_EXCHANGE": str(exchange),
                "COURSE_CACHE": f"{HUB_ENV}/share/course-model",
            }
            env = teacher.env(
                base=config.quiet_transformers(
                    {
                        **common,
                        "JUPYTER_CONFIG_PATH": f"{jupyter / 'instructors'}{os.pathsep}{jupyter / 'common'}",
                        "CLASSROOM_COURSE": str(course),
                    }
                )
            )
            student_path = f"{jupyter / 'students'}{os.pathsep}{jupyter / 'common'}"
            make = ["make", "-f", str(deployed / "Makefile"), "-C", str(course), f"VENV={HUB_ENV}"]

            def teach(step: str, *command: str, cwd: Path = course) -> int:
                with open(base / f"{step}.log", "w") as out:
                    code = teacher.run(
                        list(command),
                        env=env,
                        cwd=cwd,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        capture_output=False,
                        timeout=1800,
                    ).returncode
                seen["codes"][step] = code
                return code

            teach("release", *make, "release")
            teach(
                "release_assignment",
                f"{HUB_ENV}/bin/nbgrader",
                "release_assignment",
                ASSIGNMENT,
                "--force",
            )
            release, answers = released(course), solution_answers(course)
            work = {
                s1.name: {
                    NB02: answered(release[NB02], answers[NB02]),
                    NB04: answered(release[NB04], answers[NB04]),
                },
                s2.name: {NB02: release[NB02], NB04: release[NB04]},
                s3.name: {NB02: answered(release[NB02], answers[NB02]), NB04: release[NB04]},
            }
            seen["expect"] = {
                s1.name: {NB02[:-6]: 2.0, NB04[:-6]: 2.0},
                s2.name: {NB02[:-6]: 0.0, NB04[:-6]: 0.0},
                s3.name: {NB02[:-6]: 2.0, NB04[:-6]: 0.0},
            }
            hub = Hub(
                base / "hub",
                exchange=exchange,
                course=course,
                instructors=[teacher_name],
                students=names,
                env=HUB_ENV,
                config=deployed / "classroom" / "jupyterhub_config.py",
            )
            try:
                hub.start()
                hub.start_servers(names)
                clients = {n: hub.as_user(n, hub.user_token(n)) for n in names}
                for student in names:
                    client = clients[student]
                    client.assignment_action("fetch", COURSE_ID, ASSIGNMENT)
                    for item in client.get_contents(ASSIGNMENT).json()["content"]:
                        if item["name"] not in work[student]:
                            client.delete(item["path"])
                    for name, nb in work[student].items():
                        client.put_notebook(f"{ASSIGNMENT}/{name}", nb)
                    if student != s2.name:
                        client.assignment_action("submit", COURSE_ID, ASSIGNMENT)
                # s2 submits from a terminal, as its account, and reads where the submission went
                student_env = s2.env(base={**common, "JUPYTER_CONFIG_PATH": student_path})
                submit = s2.run(
                    [f"{HUB_ENV}/bin/nbgrader", "submit", ASSIGNMENT, f"--course={COURSE_ID}"],
                    env=student_env,
                    cwd=s2.home,
                )
                seen["submit log"] = submit.stdout + submit.stderr
                destination = re.search(r"Destination: (\S.*\+\S+)\s*$", seen["submit log"], re.M)
                assert submit.returncode == 0 and destination, seen["submit log"][-2000:]
                forged = base / "forged"
                forged.mkdir()
                nbformat.write(
                    release[NB02], forged / NB02
                )  # the forged copy for s1: nothing answered
                os.chmod(forged, 0o755)
                os.chmod(forged / NB02, 0o644)
                attack = s2.run(
                    [
                        f"{HUB_ENV}/bin/python",
                        "-c",
                        ATTACK,
                        destination.group(1),
                        str(course / "solutions" / ASSIGNMENT),
                        str(course),
                        s1.name,
                        ASSIGNMENT,
                        str(forged),
                    ],
                    env=student_env,
                )
                seen["attack"] = attack.stdout + attack.stderr
                assert attack.returncode == 0, seen["attack"]
                # control: nbgrader's own collect, on a copy of the course
                stock = base / "course-stock"
                shutil.copytree(course, stock, symlinks=True)
                subprocess.run(
                    ["chown", "-R", f"{teacher.uid}:{teacher.gid}", str(stock)], check=True
                )
                teach(
                    "collect (nbgrader's own)",
                    f"{HUB_ENV}/bin/nbgrader",
                    "collect",
                    ASSIGNMENT,
                    "--ExchangeFactory.collect=nbgrader.exchange.default.collect.ExchangeCollect",
                    # the instructors' config roots nbgrader at the course (CLASSROOM_COURSE): the copy's own
                    f"--CourseDirectory.root={stock}",
                    cwd=stock,
                )
                seen["stock"] = {
                    student: {
                        name: (stock / "submitted" / student / ASSIGNMENT / name).read_bytes()
                        for name in (NB02, f"linked-solutions/{NB02}")
                        if (stock / "submitted" / student / ASSIGNMENT / name).is_file()
                    }
                    for student in (s1.name, s2.name)
                }
                odd = s2.run(
                    [
                        f"{HUB_ENV}/bin/python",
                        "-c",
                        ODD_NAME,
                        destination.group(1),
                        s2.name,
                        ASSIGNMENT,
                    ],
                    env=student_env,
                )
                assert odd.returncode == 0, odd.stdout + odd.stderr
                # the course's collect, grading and feedback
                teach("collect", f"{HUB_ENV}/bin/nbgrader", "collect", ASSIGNMENT)
                seen["submitted"] = {
                    student: sorted(
                        str(p.relative_to(course / "submitted" / student / ASSIGNMENT))
                        for p in (course / "submitted" / student / ASSIGNMENT).rglob("*")
                    )
                    for student in names
                }
                seen["submitted folders"] = sorted(p.name for p in (course / "submitted").iterdir())
                teach("grade", *make, "grade", "JOBS=2")
                teach("feedback", *make, "feedback")
                teach("release_feedback", f"{HUB_ENV}/bin/nbgrader", "release_feedback", ASSIGNMENT)
                feedback = seen["feedback"] = {}
                for student in names:
                    client = clients[student]
                    client.assignment_action("fetch_feedback", COURSE_ID, ASSIGNMENT)
                    pages = {}
                    # no folder (404) when nbgrader found no feedback for a notebook of the student's own
                    # submission: s2's held only links, which were not collected, so none of its notebooks was graded
                    listing = client.get_contents(f"{ASSIGNMENT}/feedback")
                    folder = listing.json() if listing.status_code == 200 else {}
                    for stamp in folder.get("content") or []:
                        for item in client.get_contents(stamp["path"]).json().get("content") or []:
                            pages[item["name"]] = client.get_contents(item["path"]).json()[
                                "content"
                            ]
                    feedback[student] = pages
                report = course / "downloaded" / ASSIGNMENT / "collect-report.txt"
                seen["report"] = report.read_text() if report.exists() else ""
                seen["solutions"] = {
                    name: (course / "solutions" / ASSIGNMENT / name).read_bytes()
                    for name in (NB02, NB04)
                }
            finally:
                hub.stop()
                seen["logs"] = {
                    p.name: p.read_text(errors="replace")[-3000:] for p in base.glob("*.log")
                }
            seen["names"] = names
    finally:
        # KEEP_EXCHANGE=1: a maintainer's look at the course, the homes and the logs
        if os.environ.get("KEEP_EXCHANGE"):
            print(f"\nkept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    seen["seconds"] = round(time.perf_counter() - started)
    print(f"\nexchange trust cycle: {seen['seconds']} s at load average {os.getloadavg()[0]:.1f}")
    return seen


def test_the_attack_is_real_with_nbgraders_own_collect(collected):
    s1, s2, _ = collected["names"]
    stock = collected["stock"]
    assert stock[s2][NB02] == collected["solutions"][NB02], "the link to the solutions was followed"
    assert (
        stock[s2][f"linked-solutions/{NB02}"] == collected["solutions"][NB02]
    )  # the linked folder too
    assert b"YOUR CODE HERE" in stock[s1][NB02], "s1's submission is the folder s2 named for s1"


def test_the_courses_collect_succeeds_for_the_class(collected):
    codes = collected["codes"]
    assert {k: v for k, v in codes.items() if "own" not in k} == {
        k: 0 for k in codes if "own" not in k
    }, json.dumps(collected["logs"], indent=1)[-6000:]


def test_no_link_is_followed_and_no_folder_named_for_another_is_taken(collected):
    s1, s2, s3 = collected["names"]
    assert collected["submitted"][s2] == ["submission_secret.txt", "timestamp.txt"]
    assert NB02 in collected["submitted"][s1] and NB04 in collected["submitted"][s1]
    assert sorted(collected["submitted folders"]) == sorted(collected["names"])
    report = collected["report"]
    for words in (
        "a symbolic link",
        "not a plain file",
        "made by",
        "not a submission nbgrader made",
    ):
        assert words in report, (words, report)


def test_each_student_gets_exactly_their_own_marks_and_no_solution(collected):
    s1, s2, s3 = collected["names"]
    for student, pages in collected["feedback"].items():
        assert pages or student == s2, student
        for page, html in pages.items():
            assert not leaks(html, hidden=False), (student, page, leaks(html, hidden=False)[:3])
            total = sum(_feedback_scores(html).values())
            assert total == collected["expect"][student].get(page[: -len(".html")], 0.0), (
                student,
                page,
            )
    for student in (s1, s3):
        assert sorted(collected["feedback"][student]) == [
            NB02.replace(".ipynb", ".html"),
            NB04.replace(".ipynb", ".html"),
        ]

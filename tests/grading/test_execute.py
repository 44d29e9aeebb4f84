"""The grading run's bounds (grading/execute.py): what one notebook, one report or one student may cost.

Each test grades small in-memory notebooks with :class:`GradingExecute` in the sandbox, as
``nbgrader autograde`` does (the released notebook with the solutions' answers, and a hostile cell or
function), then judges the kernel's reports with the trusted scorer. The course folder lives under
/var/tmp (the sandbox's /tmp is private). Warm kernels make a restart cost a fork, so the bounds are
tested with the real kernels, not mocks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from checker.exercises import catalog
from grading.execute import GradingExecute, spent_by
from grading.sandbox import SandboxKernelManager, sandbox_available
from grading.scorer import judge
from tests.helpers.course import solution_answers
from tests.helpers.notebooks import ASSIGNMENT, ROOT

AVAILABLE, WHY = sandbox_available()
pytestmark = [pytest.mark.kernel, pytest.mark.skipif(not AVAILABLE, reason=WHY)]
NB02, NB04, NB07 = (
    "02_models_expect_a_batch.ipynb",
    "04_padding.ipynb",
    "07_longer_sequences.ipynb",
)


@pytest.fixture(scope="module")
def work():
    folder = Path(tempfile.mkdtemp(prefix="grading-bounds-", dir="/var/tmp"))
    yield folder
    shutil.rmtree(folder)


def answered(name: str, *, replace=None, after=None, append=()) -> nbformat.NotebookNode:
    """The released notebook with every answer right (or ``replace``d), cells inserted ``after`` a
    grade id and ``append``ed at the end."""
    answers = solution_answers(ROOT)[name]
    nb = nbformat.read(ROOT / "notebooks" / ASSIGNMENT / name, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = (replace or {}).get(gid, answers[gid])
    for gid, code in (after or {}).items():
        at = next(
            i
            for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == gid
        )
        nb.cells.insert(at + 1, new_code_cell(code))
    nb.cells.extend(new_code_cell(code) for code in append)
    return nb


def grade(nb, name: str, work: Path, student: str, **settings) -> tuple[dict, float, dict]:
    """Run ``nb`` as notebook ``name`` of ``student``: (grading results, seconds, accepted by key)."""
    settings = {"timeout": 30, "shutdown_kernel": "immediate", **settings}
    execute = GradingExecute(kernel_manager_class=SandboxKernelManager, **settings)
    resources = {
        "nbgrader": {"notebook": name[: -len(".ipynb")], "student": student},
        "metadata": {"path": str(work)},
    }
    started = time.monotonic()
    _, resources = execute.preprocess(nb, resources)
    seconds = time.monotonic() - started
    run = resources["grading"]
    accepted = {key: judge(key, report).accepted for key, report in run["reports"].items()}
    return run, seconds, accepted


@pytest.mark.smoke
def test_a_notebook_graded_in_the_sandbox_gets_the_marks_its_answers_deserve(work):
    """make check's grading smoke test: one notebook through the real sandbox, a right answer accepted and a
    wrong one (pad with 0, not the pad id) refused, with no incident."""
    wrong = "def pad_batch(sequences, pad_id):\n    width = max(len(s) for s in sequences)\n" + (
        "    return torch.tensor([s + [0] * (width - len(s)) for s in sequences])"
    )
    run, _, accepted = grade(
        answered(NB04, replace={"pad_batch_answer": wrong}), NB04, work, "smoke"
    )
    assert accepted == {"section4.padded_ids": True, "section4.pad_batch": False}, run["reports"]
    assert kinds(run) == [], run["incidents"]


def kinds(run: dict) -> list[str]:
    return [incident["kind"] for incident in run["incidents"]]


#: A right truncate_ids that, once the notebook has run (the report), cancels the checker's timer and
#: loops: a check that never returns on its own.
HANGS_IN_THE_REPORT = """import signal
_right = truncate_ids
def truncate_ids(ids, max_length):
    if globals().get("_REPORTING"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        {ignore}
        while True:
            pass
    return _right(ids, max_length)
"""


@pytest.mark.parametrize("ignore", ["", "signal.signal(signal.SIGINT, signal.SIG_IGN)"])
def test_a_report_that_hangs_costs_only_its_exercise(work, ignore):
    hang = HANGS_IN_THE_REPORT.format(ignore=ignore)
    nb = answered(NB07, after={"truncate_ids_answer": hang}, append=["_REPORTING = True"])
    run, seconds, accepted = grade(nb, NB07, work, f"hangs-{bool(ignore)}", report_timeout=8)
    # every exercise of the notebook (from the catalog: a new one is expected too) but the one that hangs
    assert accepted == {
        name: name != "section7.truncate_ids" for name in catalog() if name.startswith("section7.")
    }, run["reports"]
    assert "did not finish within 8 s" in run["reports"]["section7.truncate_ids"]["crashed"]
    assert "timeout" in kinds(run) and seconds < 120


#: A cell that takes 60 % of the kernel's free address space in a frame, then loops until it is interrupted;
#: the traceback IPython keeps holds the frame. After it, a cell takes as much again.
HOLDS_MEMORY_IN_ITS_TRACEBACK = """import resource
limit = resource.getrlimit(resource.RLIMIT_AS)[0]
used = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
assert limit != resource.RLIM_INFINITY, "the sandbox caps the address space"
HOLD = int((limit - used) * 0.6)
def hold():
    held = bytearray(HOLD)
    while True:
        pass
hold()"""
TAKES_AS_MUCH_AGAIN = "spare = bytearray(HOLD)\ndel spare\nprint('allocated')"


def test_an_interrupted_cell_does_not_keep_its_memory_from_the_next(work):
    """What an interrupted cell's traceback holds is freed before the next cell runs (a recursion interrupted
    deep down kept most of the address space, and the next cell's model call failed to allocate)."""
    nb = answered(
        NB04,
        after={"padded_ids_answer": HOLDS_MEMORY_IN_ITS_TRACEBACK},
        append=[TAKES_AS_MUCH_AGAIN],
    )
    run, _, accepted = grade(nb, NB04, work, "holds-memory", timeout=5)
    assert kinds(run) == ["timeout"] and all(accepted.values()), (run["incidents"], accepted)
    last = json.dumps(nb.cells[-1].outputs)
    assert "allocated" in last and "MemoryError" not in last, last


#: Raises after making the grader's clean-up (it calls ``gc.collect``) hang, without allocating.
HANGS_THE_CLEAN_UP = "import gc\ngc.collect = lambda *_: any(iter(int, 1))\nraise ValueError"


def test_a_kernel_that_hangs_after_a_cell_raised_is_started_again(work):
    nb = answered(NB04, after={"padded_ids_answer": HANGS_THE_CLEAN_UP})
    run, _, accepted = grade(nb, NB04, work, "hangs-the-clean-up", timeout=5)
    assert kinds(run) == ["did not stop"] and all(accepted.values()), (run["incidents"], accepted)
    assert "did not answer after this cell raised" in run["incidents"][0]["text"]
    cell = next(c for c in nb.cells if c.source == HANGS_THE_CLEAN_UP)
    assert cell.outputs[-1]["ename"] == "CellTimeoutError", cell.outputs


def test_a_kernel_that_dies_in_every_cell_is_bounded_per_notebook(work):
    nb = answered(NB02)
    for at in range(len(nb.cells) - 1, 0, -1):
        if nb.cells[at].cell_type == "code":
            nb.cells.insert(at, new_code_cell("import os\nos._exit(1)"))
    run, seconds, accepted = grade(nb, NB02, work, "exit-everywhere", restarts=3)
    assert kinds(run).count("kernel died") == 4 and kinds(run)[-1] == "gave up", run["incidents"]
    assert "died or hung 4 times" in run["incidents"][-1]["text"]
    assert not any(accepted.values()) and seconds < 120
    not_run = [c for c in nb.cells if any(o.get("ename") == "NotRun" for o in c.get("outputs", []))]
    assert not_run, "the cells after the last restart say they were not run, and why"


def test_restarts_are_bounded_per_student(work):
    student = "exits-in-two-notebooks"
    dying = answered(NB04, after={"padded_ids_answer": "import os\nos._exit(1)"})
    first, _, accepted = grade(dying, NB04, work, student, student_restarts=1)
    assert kinds(first) == ["kernel died"] and all(accepted.values()), first["incidents"]
    second, _, accepted = grade(
        answered(NB04, after={"padded_ids_answer": "import os\nos._exit(1)"}),
        NB04,
        work,
        student,
        student_restarts=1,
    )
    assert kinds(second) == ["kernel died", "gave up"], second["incidents"]
    assert "died or hung 1 times in all" in second["incidents"][-1]["text"]
    assert spent_by(student).restarts == 2


def test_a_notebook_has_a_time_limit_and_what_is_left_says_why(work):
    nb = answered(NB04, after={"padded_ids_answer": "import time\ntime.sleep(20)"})
    run, seconds, accepted = grade(nb, NB04, work, "slow-notebook", notebook_time=12)
    assert kinds(run)[-1] == "gave up" and "used up their 12 s" in run["incidents"][-1]["text"]
    assert seconds < 12 + 30 and not any(accepted.values())


def test_a_student_has_a_time_limit(work):
    student = "slow-student"
    slow = answered(NB04, after={"padded_ids_answer": "import time\ntime.sleep(15)"})
    grade(slow, NB04, work, student, student_time=10)
    run, seconds, accepted = grade(answered(NB02), NB02, work, student, student_time=10)
    assert kinds(run) == ["gave up"] and "student's notebooks used up their 10 s" in str(run)
    assert not any(accepted.values()) and seconds < 5


FLOOD = (
    "import sys\nchunk = 'x' * 999 + '\\n'\nfor _ in range(100_000):\n    sys.stdout.write(chunk)\n"
)
PEAK_RSS = """import json, resource, sys
sys.path[:0] = {paths!r}
from tests.grading.test_execute import answered, grade, NB04
from pathlib import Path
nb = answered(NB04, after={{"padded_ids_answer": {cell!r}}})
run, seconds, accepted = grade(nb, NB04, Path({work!r}), "flood")
cell = next(c for c in nb.cells if c.source == {cell!r})
print(json.dumps(dict(peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    kept=len(json.dumps(cell.outputs)), accepted=accepted, notes=[o.get("text", "") for o in cell.outputs])))
"""


def peak_memory(work: Path, cell: str) -> dict:
    """Grade notebook 04 with ``cell`` in a process of its own: its peak memory is the grader's (the
    kernel is another process), and what the cell kept."""
    code = PEAK_RSS.format(paths=[str(ROOT)], cell=cell, work=str(work))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_100_mb_of_output_stays_out_of_the_graders_memory(work):
    quiet, flood = peak_memory(work, "print('a line')"), peak_memory(work, FLOOD)
    assert all(flood["accepted"].values()), flood
    assert flood["kept"] < 1_100_000 and "dropped the rest" in flood["notes"][-1]
    grown = flood["peak"] - quiet["peak"]
    assert grown < 100 * 2**20, f"the grader grew by {grown / 2**20:.0f} MiB for 100 MB printed"


def test_the_kernel_writes_nothing_into_the_graders_output(work, capfd):
    marker = f"forged-log-line-{os.getpid()}"
    code = (
        "import os\n"
        f"os.write(1, b'{marker} on fd 1\\n')\nos.write(2, b'{marker} on fd 2\\n')\n"
        "os.write(2, b'x' * (20 * 2**20))"
    )
    run, _, accepted = grade(
        answered(NB04, after={"padded_ids_answer": code}), NB04, work, "writes-to-fds"
    )
    assert all(accepted.values()) and kinds(run) == []
    out, err = capfd.readouterr()
    assert marker not in out + err and len(out + err) < 2**20

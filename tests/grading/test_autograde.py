"""Each student's grader is a child of one warm fork server (grading/autograde.py): it starts from the
server's memory, which holds the imports and the scorer's models, never from another student's grader, and
what one grader does (or how it ends, its server's death included) costs only its student."""

from __future__ import annotations

import json
import os
import signal
from multiprocessing import forkserver

import psutil
import pytest

from grading.autograde import GRADED_IN, grade_students
from tests.helpers.forked_grader import probe


@pytest.fixture
def server(monkeypatch):
    """A fork server of this test's own, on two OpenMP threads (under xdist the suite's environment has
    one, with which no thread pool ever forms and a hang after fork cannot show)."""
    forkserver._forkserver._stop()
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    yield
    forkserver._forkserver._stop()


def _graded(tmp_path, students: list[str], jobs: int, codes: dict[str, int]):
    logs = {s: tmp_path / f"{s}.log" for s in students}
    ended = grade_students(tmp_path, students, jobs, logs, sandboxed=False, target=probe)
    texts = {s: logs[s].read_text(encoding="utf-8").splitlines() for s in students}
    assert ended == codes, (
        f"exit statuses (-{int(signal.SIGALRM)}: a child hung in its first parallel region); "
        f"the logs' last lines: { ({s: lines[-2:] for s, lines in texts.items()}) }"
    )
    return {s: json.loads(lines[0]) for s, lines in texts.items()}, texts


def test_each_grader_starts_from_the_warm_server_never_from_another_students(tmp_path, server):
    students = ["ann", "bo", "cy"]
    found, texts = _graded(tmp_path, students, jobs=1, codes=dict.fromkeys(students, 0))
    for student in students:
        seen = found[student]
        assert seen["warm"] and seen["preloaded"] >= 1, (
            f"{student}'s grader imported or loaded again"
        )
        assert seen["threads"] == 2, "the parallel region below would not test the fork"
        assert seen["unsandboxed"] == "1", "sandboxed or not is the child's argument"
        assert seen["marked_by"] is None, f"{student}'s grader saw {seen['marked_by']}'s change"
        assert seen["parent"] != os.getpid(), "a grader forked from the grading command itself"
        assert texts[student][-1].startswith(GRADED_IN)
    assert len({s["weight_sum"] for s in found.values()}) == 1, "a weight changed by one grader"
    assert len({s["pid"] for s in found.values()}) == len(students)
    assert len({s["parent"] for s in found.values()}) == 1, "not one server for the run"


def test_a_grader_that_dies_or_fails_costs_only_its_student(tmp_path, server):
    students = ["ann", "dies", "fails", "zed"]
    found, texts = _graded(tmp_path, students, 2, {"ann": 0, "dies": -9, "fails": 3, "zed": 0})
    assert {s: found[s]["marked_by"] for s in students} == dict.fromkeys(students)
    assert all(lines[-1].startswith(GRADED_IN) for lines in texts.values())


def test_a_dead_server_costs_only_the_student_being_graded_and_is_started_again(tmp_path, server):
    students = ["ann", "kills-server", "zed"]
    found, _ = _graded(tmp_path, students, 1, {"ann": 0, "kills-server": 255, "zed": 0})
    assert found["zed"]["parent"] != found["ann"]["parent"], "graded by the dead server"
    killer = found["kills-server"]["pid"]
    assert (
        not psutil.pid_exists(killer) or psutil.Process(killer).status() == psutil.STATUS_ZOMBIE
    ), "a grader outlived its server"

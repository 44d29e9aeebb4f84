"""A stand-in for one student's nbgrader in :func:`grading.autograde.grade_students` (``target=probe``).

It runs in the forked child like the real one, and writes to the student's log, as JSON, what it found of
the fork server's memory and of the students graded before it; then it changes that memory (a mark on
the scorer's model and one of its weights), as a grader that misbehaved could. It also runs an OpenMP
parallel region on two threads, which hangs in a fork of a process whose OpenMP threads had run (it then
ends by SIGALRM after 30 s). Students named ``dies`` and ``fails`` end by SIGKILL and by exit status 3;
``kills-server`` kills the fork server.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def probe(course: str, student: str, log: str, sandbox_folder: str | None) -> None:
    import torch

    signal.alarm(30)  # a parallel region that hangs (below) ends this child, by SIGALRM

    from checker import model

    preloaded = model._load.cache_info().currsize  # before this child loads anything
    threads = torch.get_num_threads()
    loaded = model.load_model().model
    weight = next(loaded.parameters())
    found = {
        "student": student,
        "pid": os.getpid(),
        "parent": os.getppid(),
        "warm": "grading.warm" in sys.modules,
        "preloaded": preloaded,
        "marked_by": getattr(loaded, "marked_by", None),
        "weight_sum": float(weight.detach().double().sum()),
        "cwd": os.getcwd(),
        "threads": threads,
        "unsandboxed": os.environ.get("GRADE_UNSANDBOXED"),
    }
    torch.set_num_threads(2)
    # a fork after OpenMP threads ran hangs here
    torch.mm(torch.ones(512, 512), torch.ones(512, 512))
    torch.set_num_threads(1)
    loaded.marked_by = student
    with torch.no_grad():
        weight.add_(1.0)
    with open(log, "w", encoding="utf-8") as out:
        out.write(json.dumps(found) + "\n")
    if student == "kills-server":
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(60)  # killed at once with its server, unless it outlives it
    if student == "dies":
        os.kill(os.getpid(), signal.SIGKILL)
    if student == "fails":
        sys.exit(3)

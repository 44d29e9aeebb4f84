"""Each student's ``nbgrader autograde``, forked from a warm grader.

A new Python per student paid, before grading anything, for importing nbgrader, torch, transformers and
the checker and for loading the course models in the scorer: about 8 s of CPU on two cores, more than
half of a student's grading where one notebook was handed in. ``python -m grading grade`` now starts one
fork server per run (:mod:`multiprocessing`'s ``forkserver``, which imports :mod:`grading.warm` once)
and runs each student's nbgrader in a child forked from it. The child is still a process of its own: its
own log, exit status and gradebook session, a crash costs only that student, and it starts from the
server's memory, in which no student has been graded.
"""

from __future__ import annotations

import ctypes
import glob
import logging
import multiprocessing
import os
import signal
import sys
import time
from concurrent import futures
from multiprocessing import forkserver
from multiprocessing.connection import wait
from pathlib import Path

ASSIGNMENT = "multiple_sequences"
STAGED = ".grading/submitted"  # relative to the course folder (gitignored)
GRADED_IN = "[grading] this student graded in"
PR_SET_PDEATHSIG = 1


def argv(student: str) -> list[str]:
    """nbgrader's command line for one student (the id is one argument, never read by a shell)."""
    return [
        "autograde",
        ASSIGNMENT,
        "--force",
        f"--student={glob.escape(student)}",
        f"--CourseDirectory.submitted_directory={STAGED}",
    ]


def _graded_in_child(course: str, student: str, log: str, sandbox_folder: str | None) -> None:
    """In the forked child: ``nbgrader autograde`` for ``student``, its output in ``log``."""
    sys.stdout.flush()
    sys.stderr.flush()
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    os.chdir(course)
    starting = None
    try:
        if sandbox_folder:  # the student's warm sandbox starts while nbgrader reads the submission
            from .sandbox import prestart_for

            starting = prestart_for(
                sandbox_folder, {**os.environ, "NBGRADER_EXECUTION": "autograde"}
            )
        from nbgrader.apps.nbgraderapp import NbGraderApp

        NbGraderApp.launch_instance(argv=argv(student))
    finally:
        # multiprocessing ends a child with os._exit, and the atexit functions are the server's too (one
        # removes temporary folders the server made): do here only what this child's exit needs. A
        # sandbox still starting (nbgrader ended early) is waited for, so that it is closed too.
        from .sandbox import close_sandboxes

        if starting is not None:
            futures.wait([starting])
        close_sandboxes()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()


def _in_child(target, *args) -> None:
    """What each forked child runs first: it dies with the fork server (a grader whose server died is
    reported as failed, and must not go on grading unseen), says whether kernels are sandboxed (the
    last of ``args``, the sandbox's folder), then runs ``target(*args)``."""
    server = os.getppid()
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server:  # it died before the line above
        os._exit(1)
    # sandboxed or not is the child's argument alone (nbgrader_config.py reads the variable), not
    # whatever the instructor's shell or an earlier run left in the environment
    _course, _student, _log, sandbox_folder = args
    if sandbox_folder:
        os.environ.pop("GRADE_UNSANDBOXED", None)
    else:
        os.environ["GRADE_UNSANDBOXED"] = "1"
    target(*args)


def start_server() -> multiprocessing.context.BaseContext:
    """Start the fork server (again, if it died) with this process's environment; it warms up on its own.

    One per process: the environment and working folder (whose ``grading`` it imports) are those of its
    first start."""
    if (3, 10) <= sys.version_info < (3, 10, 9):  # CVE-2022-42919: any local account could use it
        raise RuntimeError("grading needs Python 3.10.9 or later (its fork server's socket)")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["grading.warm"])
    forkserver.ensure_running()
    return context


def _started(context, target, args: tuple, name: str):
    """A started child, the server started again if it had died; None if it cannot start."""
    for attempt in range(5):
        child = context.Process(target=_in_child, args=(target, *args), name=name)
        try:
            child.start()
            return child
        except (OSError, EOFError) as error:  # the server is gone (killed, or a fork failed)
            failure = error
            # a killed server closes its socket before it can be reaped, and until then
            # ensure_running takes it for alive: wait a little, then start it again
            time.sleep(0.2 * (attempt + 1))
            start_server()
    with open(args[2], "a", encoding="utf-8") as out:
        out.write(f"[grading] could not start this student's grader: {failure!r}\n")
    return None


def grade_students(
    course: Path,
    students: list[str],
    jobs: int,
    logs: dict[str, Path],
    sandboxed: bool,
    target=_graded_in_child,
) -> dict[str, int]:
    """Grade ``students``, ``jobs`` at a time; each one's exit status (negative: killed by that signal;
    255: its server died first).

    ``target`` is what runs in each child, with the arguments of :func:`_graded_in_child` (tests give
    their own)."""
    context = start_server()
    pending, running, codes = list(students), {}, {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            student = pending.pop(0)
            folder = str(course / "autograded" / student / ASSIGNMENT) if sandboxed else None
            args = (str(course), student, str(logs[student]), folder)
            child = _started(context, target, args, f"grading {student!r}")
            if child is None:
                codes[student] = 1
                continue
            running[child.sentinel] = (student, child, time.perf_counter())
        for sentinel in wait(list(running)) if running else []:
            student, child, started = running.pop(sentinel)
            child.join()
            codes[student] = child.exitcode
            with open(logs[student], "a", encoding="utf-8") as out:
                out.write(f"{GRADED_IN} {time.perf_counter() - started:.1f} s\n")
    return codes

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

import logging
import multiprocessing
import os
import sys
import time
from multiprocessing import forkserver
from multiprocessing.connection import wait
from pathlib import Path

ASSIGNMENT = "multiple_sequences"
STAGED = ".grading/submitted"  # relative to the course folder (gitignored)
GRADED_IN = "[grading] this student graded in"


def argv(student: str) -> list[str]:
    """nbgrader's command line for one student (the id is one argument, never read by a shell)."""
    import glob

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
    try:
        if sandbox_folder:  # the student's warm sandbox starts while nbgrader reads the submission
            from .sandbox import prestart_for

            prestart_for(sandbox_folder, {**os.environ, "NBGRADER_EXECUTION": "autograde"})
        from nbgrader.apps.nbgraderapp import NbGraderApp

        NbGraderApp.launch_instance(argv=argv(student))
    finally:
        # multiprocessing ends a child with os._exit, and the atexit functions are the server's too (one
        # removes temporary folders the server made): do here only what this child's exit needs
        from .sandbox import close_sandboxes

        close_sandboxes()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()


def start_server() -> multiprocessing.context.BaseContext:
    """Start the fork server (once per process; it warms up on its own) with this process's environment."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["grading.warm"])
    forkserver.ensure_running()
    return context


def grade_students(
    course: Path,
    students: list[str],
    jobs: int,
    logs: dict[str, Path],
    sandboxed: bool,
    target=_graded_in_child,
) -> dict[str, int]:
    """Grade ``students``, ``jobs`` at a time; each one's exit status (negative: killed by that signal).

    The environment of every student's nbgrader is this process's when the first one starts. ``target``
    is what runs in each child, with the arguments of :func:`_graded_in_child` (tests give their own)."""
    context = start_server()
    pending, running, codes = list(students), {}, {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            student = pending.pop(0)
            folder = str(course / "autograded" / student / ASSIGNMENT) if sandboxed else None
            child = context.Process(
                target=target,
                args=(str(course), student, str(logs[student]), folder),
                name=f"grading {student!r}",
            )
            child.start()
            running[child.sentinel] = (student, child, time.perf_counter())
        for sentinel in wait(list(running)):
            student, child, started = running.pop(sentinel)
            child.join()
            codes[student] = child.exitcode
            with open(logs[student], "a", encoding="utf-8") as out:
                out.write(f"{GRADED_IN} {time.perf_counter() - started:.1f} s\n")
    return codes

"""A classroom's grading, measured: ``python -m benchmarks.classroom``.

Grades one class (every student hands in every notebook, all answers right) with ``make grade JOBS=N``,
on a SQLite gradebook and on a PostgreSQL one (a throw-away cluster on 127.0.0.1,
tests/helpers/postgres.py), at each JOBS, and times the JupyterHub cycle test
(tests/classroom/test_hub.py). Prints seconds, seconds per notebook and the load average before
and after each run: other work on the machine slows every figure down. A benchmark, not a test.

    python -m benchmarks.classroom                          # 8 students x 8 notebooks, JOBS 1 2 4, both gradebooks, hub
    python -m benchmarks.classroom --students 2 --jobs 2 --db sqlite --no-hub   # a quick run

Run it with the environment that runs the tests (it needs psycopg2 and bubblewrap; root for the hub).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tests.grading.corpus import graded_points
from tests.helpers import postgres
from tests.helpers.course import course_folder, gradebook_scores, make, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT, ROOT
from tests.helpers.submissions import answered


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


@contextlib.contextmanager
def gradebook(kind: str, course: Path):
    """The make variables for a ``kind`` gradebook ("sqlite": the course folder's file; "postgresql": a cluster)."""
    if kind == "sqlite":
        yield [], f"sqlite:///{course / 'gradebook.db'}"
    else:
        with postgres.cluster() as db:
            yield [f"DB_URL={db.url}"], db.url


def hand_in(course: Path, students: int, notebooks: int) -> int:
    """Every student hands in the first ``notebooks`` released notebooks, every answer right; the count."""
    release, answers = released(course), solution_answers(course)
    names = sorted(release)[:notebooks]
    for index in range(students):
        folder = course / "submitted" / f"student{index + 1:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        for name in names:
            nbformat.write(answered(release[name], answers[name]), folder / name)
    return students * len(names)


def prepare(kind: str, students: int, notebooks: int, base: Path, stack: contextlib.ExitStack):
    """A course folder with a ``kind`` gradebook, released, every student's work handed in."""
    course = course_folder(base / f"course-{kind}")
    variables, url = stack.enter_context(gradebook(kind, course))
    if make(course, "release", *variables, log="release.log"):
        sys.exit(f"make release failed: {(course / 'release.log').read_text()[-3000:]}")
    return course, variables, url, hand_in(course, students, notebooks)


def grading_run(kind: str, jobs: int, students: int, notebooks: int, prepared) -> dict:
    """``make grade JOBS=jobs`` once on a prepared course folder (every submission graded again: --force)."""
    course, variables, url, count = prepared
    before = load()
    started = time.perf_counter()
    code = make(course, "grade", *variables, f"JOBS={jobs}", log=f"grade-{jobs}.log")
    seconds = time.perf_counter() - started
    os.environ["GRADEBOOK_URL"] = url
    try:
        scores = gradebook_scores(course)
    finally:
        del os.environ["GRADEBOOK_URL"]
    release = released(course)
    points = {
        (name[: -len(".ipynb")], grade_id): value
        for name in sorted(release)[:notebooks]
        for grade_id, value in graded_points(release[name]).items()
    }
    # nbgrader also records the notebooks not handed in, at 0: only the handed-in ones must be full marks
    full = sum(
        bool(s) and all(s.get(key) == value for key, value in points.items())
        for s in scores.values()
    )
    row = dict(
        db=kind,
        jobs=jobs,
        notebooks=count,
        seconds=seconds,
        ok=code == 0 and full == students,
        before=before,
        after=load(),
    )
    print(
        f"  {kind:<10} JOBS={jobs}: {seconds:6.1f} s for {count} notebooks (load {before} -> {row['after']})"
        f"{'' if row['ok'] else '  FAILED: see ' + str(course)}",
        file=sys.stderr,
        flush=True,
    )
    return row


def hub_cycle() -> tuple[float | None, str]:
    """Run tests/classroom/test_hub.py; its wall time and the cycle line it prints."""
    started = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-s",
            "-q",
            "-o",
            "addopts=",
            str(ROOT / "tests" / "classroom" / "test_hub.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    line = next((m for m in re.findall(r"classroom cycle: .*", run.stdout)), "")
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-300:]
    return (seconds if run.returncode == 0 else None), f"{line}\n  pytest: {summary}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.classroom", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument(
        "--notebooks", type=int, default=8, help="the first N released notebooks (default all 8)"
    )
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--no-hub", action="store_true", help="skip the JupyterHub cycle test")
    args = parser.parse_args(argv)
    if shutil.which("bwrap") is None:
        sys.exit("needs bubblewrap (the grading sandbox)")
    if "postgresql" in args.db and postgres.unavailable():
        sys.exit(f"PostgreSQL: {postgres.unavailable()}")
    print(
        f"{os.cpu_count()} cores; load average {load()} at the start; {args.students} students x "
        f"{args.notebooks} notebooks, all answers right; JOBS {' '.join(map(str, args.jobs))}"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="msq-bench-") as tmp, contextlib.ExitStack() as stack:
        prepared = {
            kind: prepare(kind, args.students, args.notebooks, Path(tmp), stack) for kind in args.db
        }
        for (
            jobs
        ) in args.jobs:  # each JOBS on every gradebook in turn: a run cut short still compares them
            rows += [
                grading_run(kind, jobs, args.students, args.notebooks, prepared[kind])
                for kind in args.db
            ]
    print()
    print(
        "| gradebook | JOBS | notebooks | seconds | s per notebook | load before | load after | all graded |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['db']} | {r['jobs']} | {r['notebooks']} | {r['seconds']:.0f} | {r['seconds'] / r['notebooks']:.1f} | "
            f"{r['before']} | {r['after']} | {'yes' if r['ok'] else 'NO'} |"
        )
    if not args.no_hub:
        before = load()
        seconds, line = hub_cycle()
        print(
            f"\nJupyterHub cycle test (tests/classroom/test_hub.py): "
            f"{'failed' if seconds is None else f'{seconds:.0f} s'}; load {before} -> {load()}\n  {line}"
        )
    print(f"\nload average {load()} at the end")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

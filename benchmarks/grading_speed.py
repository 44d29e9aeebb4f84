"""Seconds per graded notebook, with and without the sandbox, against a cold start of Python:
``python -m benchmarks.grading_speed [--students 1 --jobs 1]``.

Builds a course folder in a temporary directory (``make release``), hands in ``--students`` correct
submissions of ``--notebooks`` (default: all), and grades them with ``make grade JOBS=--jobs``,
sandboxed (warm kernels) and unsandboxed in turn, ``--repeats`` times each. In the same run it times a
cold ``python -c "from checker import load_model; load_model()"`` (before and after each grading run;
the median), the cost that a notebook paid on top of its cells when every kernel started cold, and
prints each run's seconds per notebook divided by it: the figure to compare across machines, as the
load moves both alike. Prints the load average (1, 5, 15 minutes) before and after each figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tests.helpers.course import course_folder, make, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT, tool_env

COLD_START = "from checker import load_model; load_model()"


def hand_in(course: Path, students: int, notebooks: list[str]) -> int:
    release, answers = released(course), solution_answers(course)
    for n in range(students):
        folder = course / "submitted" / f"student-{n:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        for name in notebooks:
            nb = release[name]
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answers[name]:
                    cell.source = answers[name][gid]
            nbformat.write(nb, folder / name)
    return students * len(notebooks)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def cold_start(env: dict) -> float:
    """Seconds for a new Python to import the checker and load the course model."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", COLD_START], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1)
    parser.add_argument("--notebooks", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--modes", nargs="*", default=["sandboxed", "unsandboxed"], help="what to grade"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as tmp:
        course = course_folder(Path(tmp) / "course")
        assert make(course, "release", log="release.log") == 0, (
            course / "release.log"
        ).read_text()[-2000:]
        names = args.notebooks or sorted(released(course))
        count = hand_in(course, args.students, names)
        print(
            f"{args.students} students x {len(names)} notebooks = {count} notebooks, "
            f"JOBS={args.jobs}, {os.cpu_count()} CPUs"
        )
        env = tool_env()
        colds = [cold_start(env)]
        print(f"cold start {colds[0]:5.2f} s (load average {load()})")
        results: dict[str, list[float]] = {mode: [] for mode in args.modes}
        for _ in range(args.repeats):
            for mode in results:
                before = load()
                started = time.perf_counter()
                targets = ["grade", f"JOBS={args.jobs}"] + (
                    ["UNSANDBOXED=1"] if mode == "unsandboxed" else []
                )
                code = make(course, *targets, log=f"grade-{mode}.log", env=env)
                seconds = time.perf_counter() - started
                assert code == 0, failure(course, mode)
                colds.append(cold_start(env))
                per = seconds / count
                results[mode].append(per)
                print(
                    f"{mode:12} {seconds:7.1f} s, {per:5.2f} s per notebook, "
                    f"{per / statistics.median(colds[-2:]):4.2f} cold starts "
                    f"(cold start {colds[-1]:5.2f} s; load average {before} before, {load()} after)"
                )
        cold = statistics.median(colds)
        print(f"cold start   median {cold:.2f} s over {len(colds)} runs")
        for mode, figures in results.items():
            per = statistics.median(figures)
            print(
                f"{mode:12} median {per:.2f} s per notebook over {len(figures)} run(s): "
                f"{per / cold:.2f} cold starts per notebook"
            )


def failure(course: Path, mode: str) -> str:
    """Why a grading run failed: the end of make's log and of each student's nbgrader log (the temporary
    course goes when the benchmark ends)."""
    parts = [(course / f"grade-{mode}.log").read_text()[-3000:]]
    for log in sorted((course / ".grading" / "logs").glob("*.log")):
        parts.append(f"--- {log.name} ---\n{log.read_text()[-3000:]}")
    return "\n".join(parts)


if __name__ == "__main__":
    main()

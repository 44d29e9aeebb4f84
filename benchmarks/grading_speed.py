"""Seconds per graded notebook, with and without the sandbox: ``python -m benchmarks.grading_speed``.

Builds a course folder in a temporary directory (``make release``), hands in ``--students`` correct
submissions of ``--notebooks`` (default: all), and grades them with ``make grade JOBS=--jobs``, sandboxed
and unsandboxed in turn, ``--repeats`` times each. Prints the wall time per notebook of each run, the
median, and the load average before and after. The machine's load moves these figures: quote the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from tests.helpers.course import course_folder, make, released, solution_answers
from tests.helpers.notebooks import ASSIGNMENT, tool_env


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2)
    parser.add_argument("--notebooks", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-speed-") as tmp:
        course = course_folder(Path(tmp) / "course")
        assert make(course, "release", log="release.log") == 0, (
            course / "release.log"
        ).read_text()[-2000:]
        names = args.notebooks or sorted(released(course))
        count = hand_in(course, args.students, names)
        print(
            f"{args.students} students x {len(names)} notebooks = {count} notebooks, JOBS={args.jobs}"
        )
        results: dict[str, list[float]] = {"sandboxed": [], "unsandboxed": []}
        for _ in range(args.repeats):
            for mode in results:
                env = tool_env()
                load = os.getloadavg()[0]
                started = time.perf_counter()
                targets = ["grade", f"JOBS={args.jobs}"] + (
                    ["UNSANDBOXED=1"] if mode == "unsandboxed" else []
                )
                code = make(course, *targets, log=f"grade-{mode}.log", env=env)
                seconds = time.perf_counter() - started
                assert code == 0, (course / f"grade-{mode}.log").read_text()[-3000:]
                results[mode].append(seconds / count)
                print(
                    f"{mode:12} {seconds:7.1f} s, {seconds / count:5.2f} s per notebook "
                    f"(load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
                )
        for mode, figures in results.items():
            print(
                f"{mode:12} median {statistics.median(figures):.2f} s per notebook over {len(figures)} run(s)"
            )


if __name__ == "__main__":
    main()

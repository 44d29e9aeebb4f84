"""Seconds ``make report`` (and the other two outputs) take for a generated class:
``python -m benchmarks.class_report_speed [--students 300]``.

Writes a gradebook and a grading report for ``--students`` students in a temporary course folder
(tests/helpers/class_gradebook.py: every notebook of the course, real mistake ids, drawn with a seed),
then times ``make report``, ``python -m grading canvas`` and ``python -m grading student-pages`` as
separate processes (what ``make`` runs), ``--repeats`` times each, with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.helpers.class_gradebook import random_class
from tests.helpers.course import ROOT
from tests.helpers.notebooks import BIN, tool_env


def timed(command: list[str], course: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=course, env=tool_env(), check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ["PATH"] = tool_env()["PATH"]  # nbgrader's gradebook calls `alembic`
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp)
        started = time.perf_counter()
        answers = random_class(course, args.students)
        print(
            f"generated {args.students} students, {len(answers)} verdicts in "
            f"{time.perf_counter() - started:.0f} s"
        )
        commands = {
            "make report": ["make", "-f", str(ROOT / "Makefile"), f"VENV={BIN.parent}", "report"],
            "grading canvas": [str(BIN / "python"), "-m", "grading", "canvas"],
            "grading student-pages": [str(BIN / "python"), "-m", "grading", "student-pages"],
            "python start-up and imports alone": [
                str(BIN / "python"),
                "-c",
                "import grading.class_report, grading.class_results, nbgrader.api, checker.exercises",
            ],
        }
        env_path = os.environ.get("PYTHONPATH", "")
        os.environ["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env_path}" if env_path else str(ROOT)
        for name, command in commands.items():
            before = os.getloadavg()
            seconds = [timed(command, course) for _ in range(args.repeats)]
            after = os.getloadavg()
            print(
                f"{name}: median {statistics.median(seconds):.1f} s of {args.repeats} "
                f"({', '.join(f'{s:.1f}' for s in seconds)}); load average "
                f"{before[0]:.1f}/{before[1]:.1f}/{before[2]:.1f} before, "
                f"{after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f} after"
            )
        size = (course / "class-report.html").stat().st_size
        print(f"class-report.html: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()

"""How long one check takes once the model is loaded: ``python -m benchmarks.check_speed``.

Runs every solution notebook's code in this process (so every answer is a correct one), then
times each exercise's check against that notebook's variables and prints the median and the
slowest run per exercise. Target: a median of at most 100 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions" / "multiple_sequences"


def notebook_namespace(path: Path) -> dict:
    """Execute a notebook's code cells in a fresh namespace, quietly, as a kernel would."""
    import nbformat

    namespace: dict = {"__name__": "__main__"}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and not cell.source.lstrip().startswith(("%", "!")):
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                try:
                    exec(compile(cell.source, f"{path.name}", "exec"), namespace)
                except Exception:  # cells that demonstrate an error; the answers still get defined
                    pass
    return namespace


def main() -> None:
    from checker.exercises import exercises_of, section_of

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        namespace = notebook_namespace(path)
        for name, exercise in exercises_of(section_of(path)).items():
            times, outcome = [], None
            for _ in range(args.repeat):
                started = time.perf_counter()
                outcome = exercise.check_namespace(namespace).outcome.value
                times.append((time.perf_counter() - started) * 1000)
            rows.append(
                (f"{section_of(path)}.{name}", outcome, statistics.median(times), max(times))
            )
    print(f"{'exercise':<40} {'outcome':<14} {'median ms':>10} {'max ms':>8}")
    for name, outcome, median, worst in rows:
        print(f"{name:<40} {outcome:<14} {median:>10.2f} {worst:>8.2f}")
    medians = [r[2] for r in rows]
    print(
        f"\n{len(rows)} checks; median of medians {statistics.median(medians):.2f} ms; "
        f"slowest median {max(medians):.2f} ms (target: at most 100 ms)"
    )


if __name__ == "__main__":
    main()

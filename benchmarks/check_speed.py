"""How long one check takes once the model is loaded: ``python -m benchmarks.check_speed``.

Runs every solution notebook's code in this process (so every answer is a correct one), then
times each exercise's check against that notebook's variables and prints the median and the
slowest run per exercise, and the median of the check's own share: its time less the time the
learner's function took in it (a right answer that runs the model costs what the model costs).
Target: a median of at most 100 ms.
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
    from checker import harness
    from checker.exercises import exercises_of, section_of

    learner: list[float] = []  # seconds the learner's function took, per call of the check's runs
    run = harness.run

    def timed_run(*args, **kwargs):
        outcome = run(*args, **kwargs)
        learner.append(outcome.seconds)
        return outcome

    harness.run = timed_run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        namespace = notebook_namespace(path)
        for name, exercise in exercises_of(section_of(path)).items():
            times, own, outcome = [], [], None
            for _ in range(args.repeat):
                learner.clear()
                started = time.perf_counter()
                outcome = exercise.check_namespace(namespace).outcome.value
                times.append((time.perf_counter() - started) * 1000)
                own.append(times[-1] - sum(learner) * 1000)
            rows.append(
                (
                    f"{section_of(path)}.{name}",
                    outcome,
                    statistics.median(times),
                    max(times),
                    statistics.median(own),
                )
            )
    print(f"{'exercise':<40} {'outcome':<14} {'median ms':>10} {'max ms':>8} {'own ms':>8}")
    for name, outcome, median, worst, mine in rows:
        print(f"{name:<40} {outcome:<14} {median:>10.2f} {worst:>8.2f} {mine:>8.2f}")
    medians = [r[2] for r in rows]
    print(
        f"\n{len(rows)} checks; median of medians {statistics.median(medians):.2f} ms; "
        f"slowest median {max(medians):.2f} ms (target: at most 100 ms); slowest own share "
        f"{max(r[4] for r in rows):.2f} ms"
    )


if __name__ == "__main__":
    main()

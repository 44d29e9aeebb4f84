"""How often a test run executes each notebook: ``python -m benchmarks.kernel_census [PYTEST ARGS]``.

Runs ``python -m pytest PYTEST ARGS`` (default: the whole suite, two workers) with an IPython startup file in
a temporary ``IPYTHONDIR``: every kernel started from this environment then logs the test that started it
(``PYTEST_CURRENT_TEST``, inherited through make, nbgrader and site/build.py) and a hash of each cell it runs.
Each kernel is matched to the notebook (solutions/ or notebooks/) most of whose code cells it ran, and the
census prints, per notebook, the kernels that ran at least half of it ("executions") or a part of it, and,
per test file, the kernels it started. ``make test`` should execute each notebook at most once per setting
(README, "Which tests to run when").

Not seen: kernels with an IPYTHONDIR of their own (the JupyterLab of the browser and classroom tests) and
kernels in the grading sandbox (a whitelisted environment); count those from the tests.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "solutions" / "multiple_sequences", ROOT / "notebooks" / "multiple_sequences")
STARTUP = """
def _census():
    import hashlib, json, os
    log = os.environ.get("KERNEL_CENSUS_LOG")
    if not log:
        return
    pid, test = os.getpid(), os.environ.get("PYTEST_CURRENT_TEST", "")
    with open(log, "a") as out:
        out.write(json.dumps({"pid": pid, "test": test}) + "\\n")

    def pre_run_cell(info):
        digest = hashlib.sha1((info.raw_cell or "")[:300].encode()).hexdigest()[:12]
        with open(log, "a") as out:
            out.write(json.dumps({"pid": pid, "cell": digest}) + "\\n")

    get_ipython().events.register("pre_run_cell", pre_run_cell)


_census()
del _census
"""


def digest(source: str) -> str:
    return hashlib.sha1(source[:300].encode()).hexdigest()[:12]


def notebook_cells() -> dict[str, set[str]]:
    """``folder/name`` -> the hashes of its code cells."""
    cells = {}
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            cells[f"{folder.parent.name}/{path.name}"] = {
                digest(c.source) for c in nb.cells if c.cell_type == "code" and c.source.strip()
            }
    return cells


def census(log: Path) -> tuple[dict, dict]:
    kernels: dict[int, dict] = {}
    for line in log.read_text().splitlines():
        row = json.loads(line)
        kernel = kernels.setdefault(row["pid"], {"test": "", "cells": set()})
        if "test" in row:
            kernel["test"] = row["test"]
        else:
            kernel["cells"].add(row["cell"])
    notebooks = notebook_cells()
    per_notebook = collections.defaultdict(lambda: {"executions": 0, "parts": 0, "by": set()})
    per_file = collections.Counter()
    for kernel in kernels.values():
        test_file = kernel["test"].split("::")[0] or "(no test)"
        per_file[test_file] += 1
        if not kernel["cells"]:
            continue
        name, cells = max(notebooks.items(), key=lambda item: len(item[1] & kernel["cells"]))
        ran = len(cells & kernel["cells"]) / max(1, len(cells))
        if ran < 0.2:
            continue
        entry = per_notebook[name]
        entry["executions" if ran >= 0.5 else "parts"] += 1
        entry["by"].add(test_file)
    return dict(per_notebook), dict(per_file)


def main(argv: list[str]) -> int:
    args = argv or ["-n", "2"]
    with tempfile.TemporaryDirectory() as home:
        startup = Path(home, "profile_default", "startup")
        startup.mkdir(parents=True)
        (startup / "00-census.py").write_text(STARTUP)
        log = Path(home, "kernels.jsonl")
        log.touch()
        env = {**os.environ, "IPYTHONDIR": home, "KERNEL_CENSUS_LOG": str(log)}
        code = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env).returncode
        per_notebook, per_file = census(log)
    print(f"\n{'notebook':<55} {'executions':>10} {'parts':>6}  by")
    for name in sorted(per_notebook):
        entry = per_notebook[name]
        by = ", ".join(sorted(entry["by"]))
        print(f"{name:<55} {entry['executions']:>10} {entry['parts']:>6}  {by}")
    print(f"\n{'test file':<55} {'kernels':>10}")
    for name, count in sorted(per_file.items(), key=lambda item: -item[1]):
        print(f"{name:<55} {count:>10}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``python -m checker progress notebooks/``: run a learner's notebooks and tabulate every exercise.

Each notebook is executed in its own kernel (errors allowed, as a learner's notebook may have
them); a last cell, added only to the executed copy, checks every exercise of that notebook's
section against the notebook's own variables and prints the outcomes as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MARKER = "COURSE-PROGRESS:"
REPORT_CELL = f"""
import json as _json
from checker.progress import section_results as _section_results
print({MARKER!r} + _json.dumps(_section_results({{section!r}}, globals())))
"""


@dataclass(frozen=True)
class Row:
    notebook: str
    exercise: str
    status: str  # passed / failed / not attempted / error
    detail: str = ""


def section_results(section: str, namespace: dict) -> list[dict]:
    """Run inside the learner's kernel: the outcome of each exercise of ``section``."""
    from .exercises import exercises_of
    from .outcome import Outcome

    status = {
        Outcome.CORRECT: "passed",
        Outcome.INCORRECT: "failed",
        Outcome.NOT_ATTEMPTED: "not attempted",
    }
    rows = []
    for name, exercise in exercises_of(section).items():
        result = exercise.check_namespace(namespace)
        detail = " ".join(
            part for part in (result.problem, f"Hint: {result.hint}" if result.hint else "") if part
        )
        rows.append(
            {
                "exercise": name,
                "status": status[result.outcome],
                "detail": detail if not result.correct else "",
            }
        )
    return rows


def run_notebook(path: Path, timeout: int = 120) -> list[Row]:
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    from .exercises import section_of

    section = section_of(path)
    if section is None:
        return []
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(REPORT_CELL.format(section=section)))
    try:
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up warnings in the table
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    except Exception as error:  # a kernel that dies or a cell past the timeout
        return [
            Row(path.name, "(notebook)", "error", f"{type(error).__name__}: {str(error)[:200]}")
        ]
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(MARKER):
                return [
                    Row(path.name, r["exercise"], r["status"], r["detail"])
                    for r in json.loads(line[len(MARKER) :])
                ]
    return [
        Row(path.name, "(notebook)", "error", "the exercises could not be checked in this notebook")
    ]


def notebooks_in(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def table(rows: list[Row]) -> str:
    headers = ("notebook", "exercise", "status", "what to do")
    body = [(r.notebook, r.exercise, r.status, r.detail) for r in rows]
    widths = [
        max(len(h), *(len(b[i]) for b in body)) if body else len(h)
        for i, h in enumerate(headers[:3])
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers[:3], widths)) + "  " + headers[3]]
    lines += ["  ".join(c.ljust(w) for c, w in zip(b[:3], widths)) + "  " + b[3] for b in body]
    return "\n".join(lines)


def main(target: str) -> int:
    path = Path(target)
    if not path.exists():
        print(f"no such file or folder: {target}")
        return 2
    rows = [row for nb in notebooks_in(path) for row in run_notebook(nb)]
    if not rows:
        print(f"no course notebooks (NN_name.ipynb) under {target}")
        return 2
    print(table(rows))
    counts = {
        s: sum(r.status == s for r in rows) for s in ("passed", "failed", "not attempted", "error")
    }
    print("\n" + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 1 if counts["failed"] or counts["error"] else 0

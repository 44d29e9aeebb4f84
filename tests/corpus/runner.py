"""The rows of checker/exercises/attempts that need a real kernel, run cell by cell in a Jupyter kernel.

A section's rows run in one kernel: it first runs the section's solution notebook up to an exercise's answer
cell (earlier exercises answered correctly) and keeps what the notebook holds then
(:class:`tests.helpers.attempts.Snapshot`); each row starts from it, runs its cells, and a probe runs the
exercise's check as the notebook's check cell does and asks for the grading report
(:func:`tests.helpers.attempts.seen`, with the hidden cases' arguments). The report is judged here, outside the
kernel, by :func:`grading.scorer.judge`: the public check and the grader see the same attempt. Which rows need a
kernel: :func:`tests.helpers.attempts.needs_kernel`; the others run in-process (tests/checker/exercises).
"""

from __future__ import annotations

import importlib
import json

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from checker.exercises import section_of
from checker.exercises.attempts import Attempt
from tests.helpers.attempts import ROOT, Outcome, answer_order, judged, needs_kernel, verdict
from tests.helpers.notebooks import SOLUTIONS, notebook_names

MARK = "CORPUS-PROBE:"
PROBE_DEF = f"""
import sys as _sys
_sys.path.insert(0, {str(ROOT)!r})
from tests.helpers.attempts import Snapshot as _Snapshot, seen as _seen


def _corpus_probe(section, name):
    import json as _json
    print({MARK!r} + _json.dumps({{**_seen(section, name, globals()), "intact": _snapshot.intact()}}))
"""


def kernel_rows(section: str) -> list[Attempt]:
    try:
        module = importlib.import_module(f"checker.exercises.attempts.{section}")
    except ModuleNotFoundError:
        return []
    return [row for row in module.ATTEMPTS if needs_kernel(section, row)]


class Session:
    """One kernel running one section's notebook, cell by cell."""

    def __init__(self, notebook: str):
        self.path = SOLUTIONS / notebook
        self.section = section_of(notebook)
        self.cells = nbformat.read(self.path, as_version=4).cells
        self.position = 0  # the next notebook cell to run

    def __enter__(self):
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb,
            timeout=120,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(self.path.parent)}},
        )
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        self.position = 0
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)

    def run(self, source: str) -> list:
        cell = new_code_cell(source)
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return cell.outputs

    def run_until(self, grade_id: str) -> None:
        """Run the notebook's cells (solutions included) up to the answer cell ``grade_id`` (not it); keep what
        the notebook holds there for each row to start from."""
        while self.position < len(self.cells):
            cell = self.cells[self.position]
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                self.run("_snapshot = _Snapshot(globals())")
                return
            self.position += 1
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                self.run(cell.source)
                if "from checker.exercises import" in cell.source:
                    self.run(PROBE_DEF)
        raise KeyError(f"{grade_id} is not in {self.path.name}")

    def attempt(self, row: Attempt) -> Outcome:
        self.run("_snapshot.restore(globals())")
        for source in row.sources:
            self.run(source)
        outputs = self.run(f"_corpus_probe({self.section!r}, {row.exercise!r})")
        for output in outputs:
            for line in output.get("text", "").splitlines():
                if line.startswith(MARK):
                    seen = json.loads(line[len(MARK) :])
                    if not seen.pop(
                        "intact"
                    ):  # a row changed the tokenizer: a new kernel for the next
                        self.restart(f"{row.exercise}_answer")
                    return judged(row, verdict(self.section, row.exercise, seen))
        raise RuntimeError(f"the probe printed nothing: {outputs}")

    def restart(self, grade_id: str) -> None:
        self.__exit__(None, None, None)
        self.__enter__()
        self.run_until(grade_id)


def run_section(notebook: str) -> list[Outcome]:
    """Every kernel row of the section, exercises in notebook order."""
    section = section_of(notebook)
    rows = kernel_rows(section)
    outcomes: list[Outcome] = []
    with Session(notebook) as session:
        for name in answer_order(section):
            mine = [row for row in rows if row.exercise == name]
            session.run_until(f"{name}_answer")
            for row in mine:
                outcomes.append(session.attempt(row))
            session.run("_snapshot.restore(globals())")
            session.run(
                session.cells[session.position].source
            )  # the next exercises start from a right answer
            session.position += 1
    return outcomes


def notebooks() -> list[str]:
    return notebook_names()

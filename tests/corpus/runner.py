"""The rows of checker/exercises/attempts that need a real kernel, run cell by cell in a Jupyter kernel.

A section's rows run in the kernel nbval runs its solution notebook in (:class:`NotebookKernel`, an item
before each answer cell, added by :func:`tests.corpus.in_notebooks.add_rows`): the kernel holds the notebook up
to that answer cell (earlier exercises answered correctly) and keeps what it holds then
(:class:`tests.helpers.attempts.Snapshot`); each row starts from it, runs its cells, and a probe runs the
exercise's check as the notebook's check cell does and asks for the grading report
(:func:`tests.helpers.attempts.seen`, with the hidden cases' arguments). The report is judged here, outside the
kernel, by :func:`grading.scorer.judge`: the public check and the grader see the same attempt. Then the notebook
gets back its own objects, random states and weights (:class:`tests.helpers.attempts.Borrowed`), and nbval runs
the answer cell and compares every later output as if no row had run: each solution notebook is executed once.

:class:`Session` runs a notebook in a kernel of its own (nbclient), for tests/learner_corpus. Which rows need a
kernel: :func:`tests.helpers.attempts.needs_kernel`; the others run in-process (tests/checker/exercises).
"""

from __future__ import annotations

import functools
import importlib
import json
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from checker.exercises import section_of
from checker.exercises.attempts import Attempt
from tests.helpers.attempts import ROOT, Outcome, answer_cell, judged, needs_kernel, verdict
from tests.helpers.notebooks import SOLUTIONS

MARK = "CORPUS-PROBE:"
PROBE_DEF = f"""
import sys as _sys
_sys.path.insert(0, {str(ROOT)!r})
from tests.helpers.attempts import Snapshot as _Snapshot, seen as _seen


def _corpus_probe(section, name):
    import json as _json
    print({MARK!r} + _json.dumps({{**_seen(section, name, globals()), "intact": _snapshot.intact()}}))
"""
#: Before the rows, in the notebook's own kernel: what the notebook holds, kept to be given back (first, before
#: the probe's own names exist and with ``sys.path`` as it was), then the probe and the snapshot every row
#: starts from.
BORROW = (
    f"__import__('sys').path.insert(0, {str(ROOT)!r})\n"
    "_borrowed = __import__('tests.helpers.attempts', fromlist=['Borrowed']).Borrowed(\n"
    f"    globals(), added_path={str(ROOT)!r}\n"
    ")\n"
    f"{PROBE_DEF}\n"
    "_snapshot = _Snapshot(globals())\n"
)
GIVE_BACK = "_borrowed.give_back(globals(), _snapshot)"
#: Seconds a cell may take (a row's endless loop stops at the check's own limit long before).
TIMEOUT = 120


@functools.cache  # asked for every cell nbval collects
def kernel_rows(section: str) -> tuple[Attempt, ...]:
    try:
        module = importlib.import_module(f"checker.exercises.attempts.{section}")
    except ModuleNotFoundError:
        return ()
    return tuple(row for row in module.ATTEMPTS if needs_kernel(section, row))


class Kernel:
    """One kernel running one section's notebook, and the rows of its exercises (``run`` is the kernel's)."""

    section: str
    cells: list

    def run(self, source: str) -> list:
        raise NotImplementedError

    def restart(self, grade_id: str) -> None:
        raise NotImplementedError

    def must(self, source: str) -> None:
        self.run(source)

    def attempt(self, row: Attempt) -> Outcome:
        self.must("_snapshot.restore(globals())")
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


class NotebookKernel(Kernel):
    """The kernel nbval runs a solution notebook in (``notebook``: nbval's ``IPyNbFile``), borrowed between two of
    its cells. ``ran`` holds the numbers of the code cells nbval has run in it; the rows of an exercise run
    those before its answer cell that nbval has not (an item selected alone), restore nothing nbval will see."""

    def __init__(self, notebook, ran: set[int]):
        self.notebook = notebook
        self.section = section_of(notebook.path.name)
        self.cells = [
            c for c in nbformat.read(notebook.path, as_version=4).cells if c.cell_type == "code"
        ]
        self.ran = ran

    @property
    def kernel(self):
        kernel = self.notebook.kernel
        if kernel is None or not kernel.is_alive():
            raise RuntimeError(
                f"the kernel of {self.notebook.path.name} is not running (an earlier cell died)"
            )
        return kernel

    def run(self, source: str) -> list:
        """Run ``source`` as nbval runs a cell (no history: ``In``, ``Out`` and the count stay nbval's); its outputs
        (streams, results, errors), as nbformat has them. A cell past :data:`TIMEOUT` is interrupted, and fails."""
        msg_id = self.kernel.kc.execute(
            source, store_history=False, allow_stdin=False, stop_on_error=False
        )
        try:
            self.kernel.await_reply(msg_id, timeout=TIMEOUT)
        except Empty:
            self.kernel.interrupt()  # the kernel is nbval's: its next cell must not wait for this one
            self._outputs(msg_id)
            raise RuntimeError(
                f"a cell ran past {TIMEOUT} s and was interrupted: {source[:200]!r}"
            ) from None
        return self._outputs(msg_id)

    def _outputs(self, msg_id: str) -> list:
        outputs = []
        while True:
            try:
                msg = self.kernel.get_message("iopub", timeout=TIMEOUT)
            except Empty:
                raise RuntimeError(f"the kernel went silent for {TIMEOUT} s") from None
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return outputs
            if kind == "stream":
                outputs.append(
                    {"output_type": kind, "name": content["name"], "text": content["text"]}
                )
            elif kind in ("display_data", "execute_result"):
                outputs.append({"output_type": kind, "data": content["data"]})
            elif kind == "error":
                outputs.append(
                    {"output_type": kind, "ename": content["ename"], "evalue": content["evalue"]}
                )

    def must(self, source: str) -> None:
        """Run the corpus's own code (borrowing, restoring, giving back): an error there fails the rows' item."""
        errors = [o for o in self.run(source) if o["output_type"] == "error"]
        if errors:
            raise RuntimeError(
                f"{source.splitlines()[0]!r} raised {errors[0]['ename']}: {errors[0]['evalue']}"
            )

    def catch_up(self, until: int) -> None:
        """Run the code cells before ``until`` that nbval has not run in this kernel."""
        for number in range(until):
            if number not in self.ran:
                self.run(self.cells[number].source)
                self.ran.add(number)

    def rows(self, exercise: str, rows: list[Attempt]) -> list[Outcome]:
        """Every row of ``exercise``, from its answer cell; then the notebook as nbval left it."""
        self.catch_up(answer_cell(self.cells, exercise))
        self.must(BORROW)
        try:
            return [self.attempt(row) for row in rows]
        finally:
            self.must(GIVE_BACK)

    def restart(self, grade_id: str) -> None:
        """A new kernel, run up to the answer cell again (only after a row that spoils the tokenizer)."""
        self.kernel.restart()
        self.kernel.kc.wait_for_ready(timeout=TIMEOUT)
        self.ran.clear()
        self.catch_up(answer_cell(self.cells, grade_id.removesuffix("_answer")))
        self.must(BORROW)


class Session(Kernel):
    """A kernel of its own (nbclient) running one section's notebook, cell by cell (tests/learner_corpus)."""

    def __init__(self, notebook: str):
        self.path = SOLUTIONS / notebook
        self.section = section_of(notebook)
        self.cells = nbformat.read(self.path, as_version=4).cells
        self.position = 0  # the next notebook cell to run

    def __enter__(self):
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb,
            timeout=TIMEOUT,
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

    def restart(self, grade_id: str) -> None:
        self.__exit__(None, None, None)
        self.__enter__()
        self.run_until(grade_id)

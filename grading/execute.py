"""Running a submitted notebook for grading: every cell, whatever it does, then the kernel's report.

:class:`GradingExecute` replaces nbgrader's ``Execute`` preprocessor. It runs the cells in a
(sandboxed) kernel as nbgrader does, with three differences:

- A cell that kills the kernel (``os._exit``, a segfault, an alarm signal) or cannot be stopped (a loop
  that ignores interrupts) costs only that cell: the kernel is started again, the cells before it are
  run again quietly, and grading goes on with the next cell. Each such event is recorded as an
  incident, with its reason, for the student's feedback and the grading report.
- When the notebook has run, one more cell of the grader's own asks the kernel for its report
  (:func:`checker.evidence.report`): the answers, and each learner function's runs on the public and
  the hidden cases (only their arguments go in). The outputs of every other cell are saved before
  that cell runs and put back after it, so nothing the notebook does once the hidden arguments are in
  its reach (display updates included) changes what the feedback shows; the report cell itself is
  removed. A kernel that dies while reporting costs the exercise it was reporting on.
- Nothing a notebook does makes ``preprocess`` raise: nbgrader would drop the student's whole
  submission.

The reports and incidents go to ``resources["grading"]`` for :class:`grading.scorer.TrustedScores`.
"""

from __future__ import annotations

import copy
import json

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.preprocessors.execute import NotebookClient
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from checker import evidence
from checker.exercises import exercises_of, section_of

from . import hidden

REPORT_SOURCE = (
    "import json as _json\nfrom checker import evidence as _evidence\n"
    "from checker.exercises import catalog as _catalog\n"
    "_evidence.report(_catalog(), _json.loads({spec!r}), globals())"
)
MAX_REPORT_BYTES = 20_000_000  # a larger report is not read (a kernel flooding the grader)


def _incident(cell: int | None, kind: str, text: str) -> dict:
    return {"cell": cell, "kind": kind, "text": text}


class GradingExecute(Execute):
    """nbgrader's Execute, made to grade every notebook to the end and to let the kernel only report."""

    restarts = Integer(
        3, help="How many times the kernel may be started again after it died or hung."
    ).tag(config=True)
    report_timeout = Integer(
        300, help="Seconds the report cell may take (it runs the learner's functions)."
    ).tag(config=True)

    def preprocess(self, nb, resources, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        notebook = resources.get("nbgrader", {}).get("notebook", "")
        section = section_of(f"{notebook}.ipynb")
        keys = [f"{section}.{name}" for name in exercises_of(section)] if section else []
        self._grading = {"reports": {}, "incidents": [], "section": section, "keys": keys}
        self._started, self._asked_exit = False, False
        try:
            run_sync(self._grade)()
        except Exception as error:
            if (
                not self._started
            ):  # the kernel (or its sandbox) cannot start: the grader's problem, not a student's
                raise
            self.log.error("Grading run stopped: %s", error)
            self._grading["incidents"].append(
                _incident(None, "grader", f"the grading run stopped: {error}")
            )
        self.set_widgets_metadata()
        resources["grading"] = self._grading
        return self.nb, self.resources

    # --- the run -------------------------------------------------------------------------------------

    async def _grade(self) -> None:
        code = [i for i, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        done: list[int] = []  # cells that ran to their end: run again quietly after a restart
        pending = list(code)
        to_report = list(self._grading["keys"])
        starts = 0
        while True:
            starts += 1
            async with self.async_setup_kernel():
                await self._kernel_info()
                self._started = True
                if not await self._replay(done):
                    self._grading["incidents"].append(
                        _incident(
                            None,
                            "kernel died",
                            "the kernel stopped while the cells above a restart were run again",
                        )
                    )
                    if starts > self.restarts:
                        self._give_up(pending, to_report, f"the kernel died or hung {starts} times")
                        return
                    continue
                while pending:
                    index = pending.pop(0)
                    trouble = await self._run_cell(index)
                    if trouble:
                        self._grading["incidents"].append(_incident(index, *trouble))
                        break
                    done.append(index)
                else:
                    to_report = await self._report(to_report)
                    if not to_report:
                        return
            if starts > self.restarts:
                self._give_up(pending, to_report, f"the kernel died or hung {starts} times")
                return

    async def _kernel_info(self) -> None:
        reply = await self.async_wait_for_reply(await run_sync_async(self.kc.kernel_info))
        if reply and "language_info" in reply.get("content", {}):
            self.nb.metadata["language_info"] = reply["content"]["language_info"]

    async def _run_cell(self, index: int) -> tuple[str, str] | None:
        """Run one cell; ``(kind, reason)`` when the kernel died or hung in it (then it must be restarted)."""
        cell = self.nb.cells[index]
        try:
            await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
        except DeadKernelError:
            reason = "the kernel stopped while running this cell; it was started again and the cells above re-run"
            cell.outputs.append(
                new_output(
                    "error", ename="KernelDied", evalue=reason, traceback=[f"KernelDied: {reason}"]
                )
            )
            return "kernel died", reason
        except CellTimeoutError:
            reason = (
                f"this cell did not stop when interrupted after {self.timeout} s; the kernel was stopped, "
                "started again and the cells above re-run"
            )
            cell.outputs.append(
                new_output(
                    "error",
                    ename="CellTimeoutError",
                    evalue=reason,
                    traceback=[f"CellTimeoutError: {reason}"],
                )
            )
            return "did not stop", reason
        if self._asked_exit:  # exit() or quit(): the kernel stops after replying
            self._asked_exit = False
            return (
                "kernel died",
                "this cell asked the kernel to exit; it was started again and the cells above re-run",
            )
        if any(
            o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
            for o in cell.outputs
        ):
            self._grading["incidents"].append(
                _incident(index, "timeout", f"interrupted after {self.timeout} s")
            )
        return None

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        payload = kwargs["execute_reply"].get("content", {}).get("payload") or []
        if any(
            p.get("source") == "ask_exit" and not p.get("keepkernel")
            for p in payload
            if isinstance(p, dict)
        ):
            self._asked_exit = True

    async def _replay(self, done: list[int]) -> bool:
        """Run again, quietly, the cells that ran before the kernel was restarted; a cell that stops the kernel
        now (it did not before: it depends on time, or on what ran after it) is dropped from ``done``."""
        for index in list(done):
            try:
                await self.async_execute_cell(
                    copy.deepcopy(self.nb.cells[index]), index, store_history=True
                )
            except (DeadKernelError, CellTimeoutError):
                done.remove(index)
                return False
            if self._asked_exit:
                self._asked_exit = False
                done.remove(index)
                return False
        return True

    async def _report(self, keys: list[str]) -> list[str]:
        """Ask the kernel for its report on ``keys``; the keys still to report when it died while reporting."""
        if not keys:
            return []
        spec = evidence.hidden_spec({key: hidden.cases_for(key) for key in keys})
        cell = new_code_cell(REPORT_SOURCE.format(spec=json.dumps(spec)))
        saved = [copy.deepcopy(c.get("outputs")) for c in self.nb.cells]
        self.nb.cells.append(cell)
        timeout, self.timeout = self.timeout, self.report_timeout
        try:
            await self.async_execute_cell(
                cell, len(self.nb.cells) - 1, execution_count=self.code_cells_executed + 1
            )
            died = False
        except (DeadKernelError, CellTimeoutError):
            died = True
        finally:
            self.timeout = timeout
            self.nb.cells.pop()
            for c, outputs in zip(self.nb.cells, saved):
                if outputs is not None:
                    c.outputs = outputs
        reports = self._grading["reports"]
        if sum(len(json.dumps(o)) for o in cell.outputs) <= MAX_REPORT_BYTES:
            reports.update(
                {k: v for k, v in evidence.reports_in(cell.outputs).items() if k in keys}
            )
        left = [key for key in keys if key not in reports]
        if not died or not left:
            for key in left:
                reports[key] = {
                    "key": key,
                    "missing": "the grading run reported nothing for this exercise",
                }
            return []
        reports[left[0]] = {
            "key": left[0],
            "crashed": "the kernel stopped while your answer was being checked",
        }
        self._grading["incidents"].append(
            _incident(
                None, "kernel died", f"the kernel stopped while checking {left[0].split('.', 1)[1]}"
            )
        )
        return left[1:]

    def _give_up(self, pending: list[int], keys: list[str], reason: str) -> None:
        self._grading["incidents"].append(
            _incident(pending[0] if pending else None, "gave up", reason)
        )
        for index in pending:
            self.nb.cells[index].outputs = [
                new_output("error", ename="NotRun", evalue=reason, traceback=[f"not run: {reason}"])
            ]
        for key in keys:
            self._grading["reports"].setdefault(key, {"key": key, "crashed": reason})


async def run_sync_async(function):
    """``kc.kernel_info()`` is plain on some clients and a coroutine on others."""
    result = function()
    return await result if hasattr(result, "__await__") else result

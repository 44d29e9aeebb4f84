"""Running a submitted notebook for grading: every cell, whatever it does, then the kernel's report.

:class:`GradingExecute` replaces nbgrader's ``Execute`` preprocessor. It runs the cells in a
(sandboxed) kernel as nbgrader does, with these differences:

- A cell that kills the kernel (``os._exit``, a segfault, an alarm signal) or cannot be stopped (a loop
  that ignores interrupts) costs only that cell: the kernel is started again, the cells before it are
  run again quietly, and grading goes on with the next cell. Each such event is recorded as an
  incident, with its reason, for the student's feedback and the grading report. After a cell that
  raised (an interrupted one too), the kernel drops what the exception kept (:data:`FORGET_THE_ERROR`).
- When the notebook has run, the grader asks the kernel for its report (:func:`checker.evidence.report`),
  one exercise per cell of its own: the answers, and each learner function's runs on the public and
  the hidden cases (only their arguments go in). Each exercise's report has its own time limit, the
  sum of its cases' limits plus :attr:`GradingExecute.report_margin`: a report that hangs (a learner's
  function that cancels the checker's timer) costs that exercise, and the others are still reported.
  The outputs of every other cell are saved before the first report cell runs and put back after the
  last, so nothing the notebook does once the hidden arguments are in its reach (display updates
  included) changes what the feedback shows; the report cells themselves are removed.
- Bounds, so that no notebook and no student costs the class more than its share: a notebook's cells,
  with their restarts and replays, have :attr:`notebook_time` seconds and :attr:`restarts` restarts
  (its reports then have their own limits); all notebooks of one student (one ``nbgrader autograde
  --student``) have :attr:`student_time` seconds and :attr:`student_restarts` restarts. What a limit
  stops is not run and says why. A cell keeps at most :attr:`output_limit` bytes of output (the rest
  is dropped with a note), a notebook :attr:`notebook_output_limit`; no kernel message of more than
  :data:`MAX_MESSAGE_BYTES` reaches the grader's memory (ZeroMQ drops it).
- The kernel inherits none of the grader's descriptors (its standard streams go nowhere, or to the
  sandbox's capped pipe): a notebook cannot write into the grader's log.
- Nothing a notebook does makes ``preprocess`` raise: nbgrader would drop the student's whole
  submission.

The reports and incidents go to ``resources["grading"]`` for :class:`grading.scorer.TrustedScores`.
"""

from __future__ import annotations

import copy
import json
import subprocess
import threading
import time
from dataclasses import dataclass

import zmq
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbconvert.preprocessors.execute import NotebookClient
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from checker import evidence, harness
from checker.exercises import catalog, exercises_of, section_of

from . import hidden

REPORT_SOURCE = (  # one exercise's: imports only its own section (the notebook imported it already)
    "import json as _json\nfrom checker import evidence as _evidence\n"
    "from checker.exercises import exercises_of as _exercises_of\n"
    "_evidence.report({{{key!r}: _exercises_of({section!r})[{name!r}]}}, _json.loads({spec!r}), "
    "globals())"
)
MAX_REPORT_BYTES = 20_000_000  # a larger report is not read (a kernel flooding the grader)
#: The largest kernel message the grader reads (a report is one message); ZeroMQ drops larger ones.
MAX_MESSAGE_BYTES = MAX_REPORT_BYTES + 2**20
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "update_display_data", "error"}
ERROR_TEXT = 2000  # characters of an error's name, value and traceback kept past the output limit
#: Sent, silently, after a cell that raised (an interrupted one included). IPython keeps the exception,
#: and through its traceback every frame and what the frames held, in ``sys.last_*``, the shell's last
#: result and its traceback formatter; the frames' cycles need a full collection. Without it a recursion
#: interrupted deep down kept most of the kernel's address space, and the next cell's first tensor could
#: not be allocated: one cell cost the cells after it.
_FORGET = """\
import gc, sys
from IPython import get_ipython
for name in ("last_type", "last_value", "last_traceback", "last_exc"):
    setattr(sys, name, None)
shell = get_ipython()
shell.last_execution_result = None
shell.InteractiveTB.tb = None
gc.collect()
"""
FORGET_THE_ERROR = f"__import__('builtins').exec({_FORGET!r}, {{}})"  # none of the notebook's names


def _incident(cell: int | None, kind: str, text: str) -> dict:
    return {"cell": cell, "kind": kind, "text": text}


#: The error a cell shows when the kernel had to be started again after it, by the incident's kind.
_RESTART_ERRORS = {"kernel died": "KernelDied", "did not stop": "CellTimeoutError"}


def _restarted_in(cell, kind: str, reason: str) -> tuple[str, str]:
    """Show in ``cell`` why the kernel was started again after it; the incident, ``(kind, reason)``."""
    ename = _RESTART_ERRORS[kind]
    cell.outputs.append(
        new_output("error", ename=ename, evalue=reason, traceback=[f"{ename}: {reason}"])
    )
    return kind, reason


@dataclass
class _Spent:
    """What one student's notebooks have used of the student's bounds (one autograde process)."""

    seconds: float = 0.0
    restarts: int = 0


_students: dict[str, _Spent] = {}
_students_lock = threading.Lock()


def spent_by(student: str) -> _Spent:
    with _students_lock:
        return _students.setdefault(student, _Spent())


class _Stop(Exception):
    """A bound of the notebook or of the student is reached: what is left is not run."""

    @property
    def text(self) -> str:
        return str(self.args[0])


class GradingExecute(Execute):
    """nbgrader's Execute, made to grade every notebook to the end and to let the kernel only report."""

    restarts = Integer(
        3,
        help="How many times the kernel may be started again for one notebook after it died or hung.",
    ).tag(config=True)
    report_margin = Integer(
        30,
        help="Seconds one exercise's report may take beyond the time limits of its cases (a report "
        "of a function exercise runs it on every public and hidden case, each within its limit).",
    ).tag(config=True)
    report_timeout = Integer(
        0,
        help="Seconds each exercise's report may take; 0: the time limits of its cases plus "
        "report_margin.",
    ).tag(config=True)
    notebook_time = Integer(
        600,
        help="Seconds one notebook's cells may take in all, restarts and replays included; its "
        "reports then have their own limits. What is left when they are used up is not run.",
    ).tag(config=True)
    student_time = Integer(
        3600,
        help="Seconds all notebooks of one student may take in all (one autograde process grades "
        "one student); a notebook that starts past it is not run.",
    ).tag(config=True)
    student_restarts = Integer(
        10,
        help="How many times a kernel may be started again across all notebooks of one student.",
    ).tag(config=True)
    output_limit = Integer(
        1_000_000,
        help="Bytes of output one cell keeps; what it prints beyond is dropped, with a note.",
    ).tag(config=True)
    notebook_output_limit = Integer(
        10_000_000, help="Bytes of output all cells of one notebook keep."
    ).tag(config=True)

    def preprocess(self, nb, resources, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        info = resources.get("nbgrader", {})
        section = section_of(f"{info.get('notebook', '')}.ipynb")
        keys = [f"{section}.{name}" for name in exercises_of(section)] if section else []
        self._grading = {"reports": {}, "incidents": [], "section": section, "keys": keys}
        self._started, self._asked_exit, self._raised = False, False, False
        self._spent = spent_by(str(info.get("student", "")))
        self._output_bytes: dict[int, int] = {}
        self._cut: set[int] = set()
        self._output_cap = self.output_limit
        self._cell_timeout = self.timeout
        began = time.monotonic()
        self._student_deadline = began + self.student_time - self._spent.seconds
        self._deadline = min(began + self.notebook_time, self._student_deadline)
        self._report_deadline = self._deadline
        try:
            run_sync(self._grade)()
        except Exception as error:
            if not self._started:  # the kernel (or its sandbox) cannot start: the grader's problem
                raise
            self.log.error("Grading run stopped: %s", error)
            self._grading["incidents"].append(
                _incident(None, "grader", f"the grading run stopped: {error}")
            )
        finally:
            self.timeout = self._cell_timeout
            self._spent.seconds += time.monotonic() - began
        self.set_widgets_metadata()
        resources["grading"] = self._grading
        return self.nb, self.resources

    # --- the kernel ----------------------------------------------------------------------------------

    async def async_start_new_kernel(self, **kwargs):
        # The kernel gets none of the grader's descriptors: its stdout and stderr would be the grader's
        # log (a sandboxed kernel's go to the sandbox's capped pipe whatever is asked here).
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        return await super().async_start_new_kernel(**kwargs)

    async def async_start_new_kernel_client(self):
        # Sockets made from here on drop a message larger than this (and the connection it came on)
        # before it is read: one message cannot fill the grader's memory.
        self.km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        return await super().async_start_new_kernel_client()

    # --- bounds --------------------------------------------------------------------------------------

    def _limit(self, seconds: float, reporting: bool) -> int:
        """A timeout for the next cell: ``seconds``, or what is left of the notebook's time (of its
        cells' or, once they have run, of its reports')."""
        deadline = self._report_deadline if reporting else self._deadline
        if deadline - time.monotonic() >= 1:
            return max(1, int(min(seconds, deadline - time.monotonic())))
        if deadline >= self._student_deadline:
            raise _Stop(f"the student's notebooks used up their {self.student_time} s")
        if reporting:
            raise _Stop("the reports on this notebook's exercises used up their time")
        raise _Stop(f"the notebook's cells used up their {self.notebook_time} s")

    def _restarted(self, restarts: int) -> None:
        """Count a restart against the notebook's and the student's bounds."""
        if restarts > self.restarts:
            raise _Stop(f"the kernel died or hung {restarts} times")
        self._spent.restarts += 1
        if self._spent.restarts > self.student_restarts:
            raise _Stop(f"the student's kernels died or hung {self.student_restarts} times in all")

    # --- the run -------------------------------------------------------------------------------------

    async def _grade(self) -> None:
        code = [i for i, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        done: list[int] = []  # cells that ran to their end: run again quietly after a restart
        pending = list(code)
        to_report = list(self._grading["keys"])
        reporting = False
        starts = 0
        try:
            while True:
                starts += 1
                if starts > 1:
                    self._restarted(starts - 1)
                if self._student_deadline - time.monotonic() < 1:
                    raise _Stop(f"the student's notebooks used up their {self.student_time} s")
                async with self.async_setup_kernel():
                    await self._kernel_info()
                    self._started = True
                    if not await self._replay(done, reporting):
                        self._grading["incidents"].append(
                            _incident(
                                None,
                                "kernel died",
                                "the kernel stopped while the cells above a restart were run again",
                            )
                        )
                        continue
                    while pending:
                        trouble = await self._run_cell(pending[0])
                        index = pending.pop(0)
                        if trouble:
                            self._grading["incidents"].append(_incident(index, *trouble))
                            break
                        done.append(index)
                    else:
                        if not reporting:
                            reporting = True
                            allowance = sum(self._report_time(key) for key in to_report)
                            self._report_deadline = min(
                                max(self._deadline, time.monotonic()) + allowance,
                                self._student_deadline,
                            )
                        to_report = await self._report(to_report)
                        if not to_report:
                            return
        except _Stop as stop:
            self._give_up(pending, to_report, stop.text)

    async def _kernel_info(self) -> None:
        reply = await self.async_wait_for_reply(await ensure_async(self.kc.kernel_info()))
        if reply and "language_info" in reply.get("content", {}):
            self.nb.metadata["language_info"] = reply["content"]["language_info"]

    async def _execute(self, cell, index: int, seconds: float, reporting: bool, **kw) -> None:
        """Execute one cell within ``seconds`` (or what is left of the notebook's time)."""
        self.timeout = self._given = self._limit(seconds, reporting)
        try:
            await self.async_execute_cell(cell, index, **kw)
        finally:
            self.timeout = self._cell_timeout

    async def _run_cell(self, index: int) -> tuple[str, str] | None:
        """Run one cell; ``(kind, reason)`` when the kernel died or hung in it (then it must be restarted)."""
        cell = self.nb.cells[index]
        try:
            await self._execute(
                cell, index, self._cell_timeout, False, execution_count=self.code_cells_executed + 1
            )
        except DeadKernelError:
            return _restarted_in(
                cell,
                "kernel died",
                "the kernel stopped while running this cell; it was started again and the cells above re-run",
            )
        except CellTimeoutError:
            return _restarted_in(
                cell,
                "did not stop",
                f"this cell did not stop when interrupted after {self._given} s; the kernel "
                "was stopped, started again and the cells above re-run",
            )
        if self._asked_exit:  # exit() or quit(): the kernel stops after replying
            self._asked_exit = False
            return (
                "kernel died",
                "this cell asked the kernel to exit; it was started again and the cells above re-run",
            )
        if _timed_out(cell.outputs):
            self._grading["incidents"].append(
                _incident(index, "timeout", f"interrupted after {self._given} s")
            )
        if self._raised:
            self._raised = False
            return await self._forget_the_error(cell)
        return None

    async def _forget_the_error(self, cell) -> tuple[str, str] | None:
        """After ``cell`` raised, :data:`FORGET_THE_ERROR`, within a cell's time limit; ``(kind, reason)``
        when the kernel died or hung meanwhile (then it must be restarted)."""
        try:
            self.timeout = self._limit(self._cell_timeout, False)
        except _Stop:  # the notebook's time is up: the next cell says so
            return None
        try:
            reply = await self.async_wait_for_reply(
                await ensure_async(
                    self.kc.execute(FORGET_THE_ERROR, silent=True, store_history=False)
                ),
                cell,
            )
        except DeadKernelError:
            return _restarted_in(
                cell,
                "kernel died",
                "the kernel stopped after this cell raised; it was started again and the cells "
                "above re-run",
            )
        except CellTimeoutError:  # no answer in time (nbclient interrupts the kernel, or raises)
            reply = None
        finally:
            self.timeout = self._cell_timeout
        if reply is None:
            return _restarted_in(
                cell,
                "did not stop",
                "the kernel did not answer after this cell raised; it was stopped, started again "
                "and the cells above re-run",
            )
        return None

    def on_cell_executed(self, **kwargs):
        content = kwargs["execute_reply"].get("content", {})
        self._raised = content.get("status") == "error"
        if self._raised:  # nbgrader copies it into the cell: keep it short
            _shorten_error(content)
        super().on_cell_executed(**kwargs)
        payload = content.get("payload") or []
        if any(
            p.get("source") == "ask_exit" and not p.get("keepkernel")
            for p in payload
            if isinstance(p, dict)
        ):
            self._asked_exit = True

    async def _replay(self, done: list[int], reporting: bool) -> bool:
        """Run again, quietly, the cells that ran before the kernel was restarted; a cell that stops the kernel
        now (it did not before: it depends on time, or on what ran after it) is dropped from ``done``.
        A cell that was interrupted is not run again (it would only be interrupted again)."""
        for index in list(done):
            cell = copy.deepcopy(self.nb.cells[index])
            if _timed_out(cell.get("outputs", [])):
                continue
            try:
                await self._execute(cell, index, self._cell_timeout, reporting, store_history=True)
            except (DeadKernelError, CellTimeoutError):
                done.remove(index)
                return False
            if self._asked_exit:
                self._asked_exit = False
                done.remove(index)
                return False
        return True

    # --- the report ----------------------------------------------------------------------------------

    def _report_time(self, key: str) -> float:
        """Seconds the report on one exercise may take: its cases' own limits, and a margin."""
        if self.report_timeout:
            return self.report_timeout
        exercise = catalog().get(key)
        if exercise is None or exercise.kind != "function":
            return self.report_margin
        cases = len(exercise.cases) + len(hidden.cases_for(key))
        return self.report_margin + cases * (exercise.seconds or harness.DEFAULT_SECONDS)

    async def _report(self, keys: list[str]) -> list[str]:
        """Ask the kernel for its report on ``keys``, one exercise per cell; the keys still to report
        when the kernel must be started again (it died or hung while reporting)."""
        saved = [copy.deepcopy(c.get("outputs")) for c in self.nb.cells]
        self._output_cap = MAX_REPORT_BYTES
        try:
            while keys:
                key, keys = keys[0], keys[1:]
                if not await self._report_one(key):
                    return keys  # a new kernel for the others
            return []
        finally:
            self._output_cap = self.output_limit
            for c, outputs in zip(self.nb.cells, saved):
                if outputs is not None:
                    c.outputs = outputs

    async def _report_one(self, key: str) -> bool:
        """Ask for the report on one exercise; False when the kernel cannot go on (it died or hung)."""
        spec = evidence.hidden_spec({key: hidden.cases_for(key)})
        section, name = key.split(".", 1)
        source = REPORT_SOURCE.format(key=key, section=section, name=name, spec=json.dumps(spec))
        cell = new_code_cell(source)
        self.nb.cells.append(cell)
        index, seconds = len(self.nb.cells) - 1, self._report_time(key)
        wedged = died = False
        try:
            await self._execute(
                cell, index, seconds, True, execution_count=self.code_cells_executed + 1
            )
        except DeadKernelError:
            died = True
        except CellTimeoutError:  # interrupted, and still busy after it
            wedged = True
        finally:
            self.nb.cells.pop()
            self._output_bytes.pop(index, None)
            self._cut.discard(index)
        reports = self._grading["reports"]
        found = evidence.reports_in(cell.outputs).get(key)
        timed_out = wedged or _timed_out(cell.outputs)
        if found is not None:
            reports[key] = found
        elif timed_out or died:
            what = (
                f"the check of this answer did not finish within {seconds:.0f} s"
                if timed_out
                else "the kernel stopped while this answer was being checked"
            )
            reports[key] = {"key": key, "crashed": what}
            kind = "timeout" if timed_out else "kernel died"
            self._grading["incidents"].append(_incident(None, kind, f"{what} ({name})"))
        else:
            reports[key] = {
                "key": key,
                "missing": "the grading run reported nothing for this exercise",
            }
        return not (died or wedged) and await ensure_async(self.km.is_alive())

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

    # --- what the kernel sends -----------------------------------------------------------------------

    def process_message(self, msg, cell, cell_index):
        """Keep at most :attr:`output_limit` bytes of a cell's outputs, and :attr:`notebook_output_limit`
        of the notebook's (a report cell: :data:`MAX_REPORT_BYTES`, on its own)."""
        if msg.get("msg_type") in OUTPUT_TYPES:
            size = _size(msg.get("content", {}))
            kept = self._output_bytes.get(cell_index, 0)
            reporting = self._output_cap == MAX_REPORT_BYTES
            total = 0 if reporting else sum(self._output_bytes.values())
            over = kept + size > self._output_cap or total + size > self.notebook_output_limit
            if over or cell_index in self._cut:  # once cut, the rest of the cell goes too
                if msg["msg_type"] != "error":
                    self._note_cut(cell, cell_index)
                    return None
                _shorten_error(msg["content"])
                size = _size(msg["content"])
            self._output_bytes[cell_index] = kept + size
        return super().process_message(msg, cell, cell_index)

    def _note_cut(self, cell, cell_index: int) -> None:
        if cell_index in self._cut:
            return
        self._cut.add(cell_index)
        cell.outputs.append(
            new_output(
                "stream",
                name="stderr",
                text=f"[The grader kept the first {self._output_cap:,} bytes of this cell's output "
                "and dropped the rest.]\n",
            )
        )


def _size(content: dict) -> int:
    """About the bytes an output keeps: its text, data and traceback (without copying them)."""
    size = 0
    for value in [content.get("text"), content.get("ename"), content.get("evalue")]:
        size += len(value) if isinstance(value, str) else 0
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    traceback = content.get("traceback")
    if isinstance(traceback, list):
        size += sum(len(line) if isinstance(line, str) else 100 for line in traceback)
    return size


def _timed_out(outputs) -> bool:
    return any(
        o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in outputs
    )


def _shorten_error(content: dict) -> None:
    """An error's name, value and traceback, cut to a size the grader keeps."""
    for field in ("ename", "evalue"):
        if isinstance(content.get(field), str):
            content[field] = content[field][:ERROR_TEXT]
    traceback = content.get("traceback")
    if isinstance(traceback, list):
        kept, room = [], ERROR_TEXT
        for line in traceback[-20:]:
            line = str(line)[:room]
            kept.append(line)
            room -= len(line)
            if room <= 0:
                break
        content["traceback"] = kept

"""Reading a learner's answers from the notebook, and knowing when the cell that sets one last failed.

IPython keeps a variable when the cell that assigns it raises, so a check that only reads the
namespace would judge the value of an earlier run. :func:`track` hooks IPython's cell events: for
every cell it notes which names the cell binds (parsed from its source), and after the run whether it
raised and whether each name still holds the object it held before. :func:`read` then marks an
answer whose latest setting cell failed and left it unset, ``None``, or as it was.
"""

from __future__ import annotations

import re
import symtable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import harness

UNSET = object()  # the name is not defined in the notebook


@dataclass(frozen=True)
class FailedRun:
    """The latest run of a cell that binds the name raised."""

    error_type: str
    error: str  # one line: "ValueError: expected sequence of length 3 at dim 1 (got 2)"
    kept_old_value: bool  # the name holds the object it held before that run
    note: str = ""  # what the error means, when its own text says nothing useful


@dataclass(frozen=True)
class Answer:
    name: str
    value: Any
    failed_run: FailedRun | None = None  # set when the value must not be judged as the answer


_last_run: dict[str, FailedRun | None] = {}


def read(namespace: dict, names: Iterable[str]) -> list[Answer]:
    found = []
    for name in names:
        value = namespace.get(name, UNSET)
        failed = _last_run.get(name)
        if failed and not (
            failed.kept_old_value or value is UNSET or value is None or value is Ellipsis
        ):
            failed = (
                None  # the cell assigned a new value before it raised: that value is this run's
            )
        found.append(Answer(name, value, failed))
    return found


def failed_run_problem(name: str, run: FailedRun, unset: bool) -> str:
    kept = (
        " still holds the value of an earlier run"
        if run.kept_old_value and not unset
        else " was not set"
    )
    note = f" ({run.note})" if run.note else ""
    return (
        f"The cell that sets `{name}` raised {run.error}{note} when you last ran it, so `{name}`{kept}. "
        "Fix that error and run the cell again; an old value is not checked."
    )


def bound_names(source: str) -> set[str]:
    """The names a cell binds at the notebook's top level: assignments, ``def``, ``class``, imports, loop, ``with``,
    ``except ... as`` and ``match`` targets, ``del`` (the stdlib's ``symtable``, the compiler's own view of scopes:
    nothing inside a function, a class or a comprehension counts)."""
    try:
        table = symtable.symtable(source, "<cell>", "exec")
    except (
        SyntaxError,
        ValueError,
    ):  # the cell does not run; guess from its lines what it meant to set
        return _names_by_line(source)
    return {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}


def _names_by_line(source: str) -> set[str]:
    """``def name``, ``class name`` and ``a, b = ...`` at the start of a line."""
    names = set()
    for match in re.finditer(
        r"^\s*(?:(?:def|class)\s+([A-Za-z_]\w*)|([A-Za-z_][\w, ]*?)\s*(?::[^=\n]*)?=(?!=))",
        source,
        re.M,
    ):
        if match.group(1):
            names.add(match.group(1))
        elif match.group(2):
            names.update(n.strip() for n in match.group(2).split(",") if n.strip().isidentifier())
    return names


def _one_line(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [""])[0][:160]
    if isinstance(error, SyntaxError) and error.lineno:
        text = f"{error.msg} (line {error.lineno})"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class _Tracker:
    def __init__(self, shell):
        self.shell = shell
        self.before: dict[str, Any] = {}

    def pre_run_cell(self, info) -> None:
        source = getattr(info, "raw_cell", "") or ""
        try:
            source = self.shell.transform_cell(source)  # magics and shell escapes become Python
        except Exception:  # a cell IPython itself cannot transform raises when it runs
            pass
        namespace = self.shell.user_ns
        global _cell
        _cell += 1
        self.before = {name: namespace.get(name, UNSET) for name in bound_names(source)}
        for name in self.before:
            _last_run[name] = None  # running now: a check inside this very cell judges what it sets

    def post_run_cell(self, result) -> None:
        error = result.error_before_exec or result.error_in_exec
        namespace = self.shell.user_ns
        for name, old in self.before.items():
            if error is None:
                _last_run[name] = None
                _bound_in[name] = _bound_in.get(name, ())[-1:] + (_cell,)
            else:
                _last_run[name] = FailedRun(
                    type(error).__name__,
                    _one_line(error),
                    kept_old_value=namespace.get(name, UNSET) is old,
                    note=harness.known_trap(error),
                )
        self.before = {}


_tracker: _Tracker | None = None


def track() -> bool:
    """Follow the cells of the IPython shell this runs in (once per shell); False outside IPython."""
    global _tracker
    try:
        from IPython import get_ipython
    except ImportError:
        return _tracker is not None
    shell = get_ipython()
    if _tracker is not None and (shell is None or _tracker.shell is shell):
        return True
    if shell is None or not hasattr(shell, "events"):
        return False
    _tracker = _Tracker(shell)  # a new shell (a test's in-process notebook): follow it instead
    shell.events.register("pre_run_cell", _tracker.pre_run_cell)
    shell.events.register("post_run_cell", _tracker.post_run_cell)
    return True


_cell = 0  # cells run so far (counted when each starts)
_bound_in: dict[
    str, tuple[int, ...]
] = {}  # the last two cells that bound each name without raising


def current_cell() -> int:
    """The number of the cell running now (0 outside a followed kernel): for records of model calls."""
    return _cell


def calls_after(name: str) -> int | None:
    """Calls made in cells numbered above this one can be behind the answer ``name``: those since the cell
    that bound it before its latest binding ran (a call in an older cell served an older answer). None: no
    record of the cells that bound it (outside IPython)."""
    binds = _bound_in.get(name, ())
    if _tracker is not None and name in _tracker.before:  # a check inside the cell that binds it
        return binds[-1] if binds else 0
    if not binds:
        return None
    return binds[-2] if len(binds) > 1 else 0

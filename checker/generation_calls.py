"""Watching a decoder's calls: what each forward pass predicted and what each ``generate`` call was given and
returned, so that the generation checks can tell one batched call from rows computed one at a time.

:mod:`checker.model_calls` keeps a classifier's logits for provenance; a decoder's logits (batch × positions ×
vocabulary) are far too large to keep, and what a generation answer holds are token ids anyway. So for every
decoder :func:`checker.load_decoder` loads, :func:`install` keeps, for each forward call on a small batch, the
input ids, the attention mask, the position ids passed (None when the model numbered the positions itself) and
the token each position predicts (the argmax of its logits); and for each ``model.generate`` call its inputs,
its decoding settings and its output ids. Only the latest :data:`RECENT` calls are kept, and none of the
checker's own (inside :func:`checker.model_calls.unrecorded`).

:func:`generated_by` finds the ``generate`` call that returned a tensor; :func:`predicted_by` finds the forward
calls whose predictions, read at the last position (or the first, or each row's last real token), are a
tensor of ids. Both records travel to the grader as plain data (``to_dict`` / ``from_dict``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from . import answers, model_calls

KEEP_TOKENS = 8192  # positions (batch × width): larger calls are not kept
RECENT = 256  # calls of each kind remembered
KEEP_RETURNED = (
    16  # the latest generate outputs themselves, to tell them from copies (small tensors only)
)
READINGS = (
    "last",
    "first",
    "last real",
)  # where a forward call's predictions can be read, one id per row

Grid = tuple[tuple[int, ...], ...]

_forward: deque = deque(maxlen=RECENT)
_generate: deque = deque(maxlen=RECENT)
_returned: deque = deque(maxlen=KEEP_RETURNED)  # (GenerateCall, the tensor generate returned)
_lock = threading.Lock()
_inside = threading.local()  # .depth: inside model.generate (its forward calls are its steps)
_reported = (
    threading.local()
)  # .singles: in the grader, the single-prompt outputs a grading kernel reported
REPORTED_SINGLES = 64  # single-prompt generate outputs a grading kernel reports for one answer


def _grid(tensor) -> Grid | None:
    if (
        tensor is None
        or not hasattr(tensor, "dim")
        or tensor.dim() != 2
        or tensor.numel() > KEEP_TOKENS
    ):
        return None
    return tuple(tuple(int(x) for x in row) for row in tensor.detach().to("cpu").long().tolist())


def _read_grid(data: Any, name: str) -> Grid | None:
    if data is None:
        return None
    if not isinstance(data, list) or len(data) > KEEP_TOKENS:
        raise ValueError(f"{name} is not a grid of ids")
    rows = []
    for row in data:
        if (
            not isinstance(row, list)
            or len(row) > KEEP_TOKENS
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in row)
        ):
            raise ValueError(f"{name} is not a grid of ids")
        rows.append(tuple(row))
    return tuple(rows)


def _lists(grid: Grid | None) -> list | None:
    return None if grid is None else [list(row) for row in grid]


@dataclass(frozen=True)
class ForwardCall:
    """One forward pass of the decoder on a batch of ids."""

    input_ids: Grid
    attention_mask: Grid | None
    position_ids: Grid | None  # as passed; None: the model numbered the columns 0, 1, 2, ...
    predicted: Grid  # the argmax of the logits at each position the model returned logits for
    in_generate: bool = False  # one of the steps of a model.generate call
    cell: int = (
        0  # the notebook cell it ran in (checker.answers.current_cell); not sent to the grader
    )

    @property
    def batch(self) -> int:
        return len(self.input_ids)

    @property
    def width(self) -> int:
        return len(self.input_ids[0]) if self.input_ids else 0

    def reading(self, where: str) -> tuple[int, ...] | None:
        """One predicted id per row, read at the last position, the first, or each row's last real token."""
        if not self.predicted or any(not row for row in self.predicted):
            return None
        if where == "last":
            return tuple(row[-1] for row in self.predicted)
        if (
            len(self.predicted[0]) != self.width
        ):  # the model kept only the last logits (inside generate)
            return None
        if where == "first":
            return tuple(row[0] for row in self.predicted)
        if (
            where == "last real"
            and self.attention_mask is not None
            and all(len(row) == self.width for row in self.attention_mask)
        ):
            ends = [
                max((i for i, m in enumerate(row) if m), default=-1) for row in self.attention_mask
            ]
            if all(end >= 0 for end in ends):
                return tuple(row[end] for row, end in zip(self.predicted, ends))
        return None

    def to_dict(self) -> dict:
        return {
            "input_ids": _lists(self.input_ids),
            "attention_mask": _lists(self.attention_mask),
            "position_ids": _lists(self.position_ids),
            "predicted": _lists(self.predicted),
            "in_generate": self.in_generate,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ForwardCall:
        if not isinstance(data, dict):
            raise ValueError("not a forward call")
        ids, predicted = (
            _read_grid(data.get("input_ids"), "input_ids"),
            _read_grid(data.get("predicted"), "predicted"),
        )
        if ids is None or predicted is None:
            raise ValueError("a forward call without ids")
        return cls(
            ids,
            _read_grid(data.get("attention_mask"), "attention_mask"),
            _read_grid(data.get("position_ids"), "position_ids"),
            predicted,
            bool(data.get("in_generate")),
        )


@dataclass(frozen=True)
class GenerateCall:
    """One ``model.generate`` call: its inputs, its decoding settings and the ids it returned."""

    input_ids: Grid
    attention_mask: Grid | None
    position_ids: Grid | None
    sampled: bool  # do_sample
    beams: int
    max_new_tokens: int | None
    output: Grid
    copied: bool = False  # the answer has this output's ids but is another tensor than the one generate returned

    def to_dict(self) -> dict:
        return {
            "input_ids": _lists(self.input_ids),
            "attention_mask": _lists(self.attention_mask),
            "position_ids": _lists(self.position_ids),
            "sampled": self.sampled,
            "beams": self.beams,
            "max_new_tokens": self.max_new_tokens,
            "output": _lists(self.output),
            "copied": self.copied,
        }

    @classmethod
    def from_dict(cls, data: Any) -> GenerateCall:
        if not isinstance(data, dict):
            raise ValueError("not a generate call")
        ids, output = (
            _read_grid(data.get("input_ids"), "input_ids"),
            _read_grid(data.get("output"), "output"),
        )
        if ids is None or output is None:
            raise ValueError("a generate call without ids")
        new = data.get("max_new_tokens")
        return cls(
            ids,
            _read_grid(data.get("attention_mask"), "attention_mask"),
            _read_grid(data.get("position_ids"), "position_ids"),
            bool(data.get("sampled")),
            int(data.get("beams") or 1),
            None if new is None else int(new),
            output,
            bool(data.get("copied")),
        )


@dataclass(frozen=True)
class Predicted:
    """The forward calls whose predictions, read somewhere, are an answer (latest first), and whether each row
    of it is the last prediction of some separate call on one sequence."""

    matches: tuple[tuple[str, ForwardCall], ...]
    one_at_a_time: bool = False

    def to_dict(self) -> dict:
        return {
            "matches": [[where, call.to_dict()] for where, call in self.matches],
            "one_at_a_time": self.one_at_a_time,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Predicted:
        if not isinstance(data, dict) or not isinstance(data.get("matches", []), list):
            raise ValueError("not a record of predictions")
        matches = []
        for item in data.get("matches", [])[:16]:
            if not isinstance(item, list) or len(item) != 2 or item[0] not in READINGS:
                raise ValueError("not a match")
            matches.append((item[0], ForwardCall.from_dict(item[1])))
        return cls(tuple(matches), bool(data.get("one_at_a_time")))


# --- recording --------------------------------------------------------------------------------------------


def _arguments(module, args: tuple, kwargs: dict) -> dict:
    names = getattr(module, "_course_forward_names", None)
    if names is None:
        names = [
            n
            for n, p in inspect.signature(module.forward).parameters.items()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        module._course_forward_names = names
    found = dict(zip(names, args))
    found.update(kwargs)
    return found


def _after_forward(module, args, kwargs, output) -> None:
    if not model_calls.recording():
        return
    given = _arguments(module, args, kwargs)
    ids = _grid(given.get("input_ids"))
    logits = getattr(output, "logits", None)
    if ids is None or not ids or logits is None or not hasattr(logits, "dim") or logits.dim() != 3:
        return
    predicted = _grid(logits.detach().argmax(dim=-1))
    if predicted is None or len(predicted) != len(ids):
        return
    call = ForwardCall(
        ids,
        _grid(given.get("attention_mask")),
        _grid(given.get("position_ids")),
        predicted,
        getattr(_inside, "depth", 0) > 0,
        answers.current_cell(),
    )
    with _lock:
        _forward.append(call)


def _setting(model, kwargs: dict, name: str, default: Any) -> Any:
    if name in kwargs:
        return kwargs[name]
    config = kwargs.get("generation_config") or getattr(model, "generation_config", None)
    value = getattr(config, name, None)
    return default if value is None else value


def _recording_generate(model, original):
    @functools.wraps(original)
    def generate(*args, **kwargs):
        _inside.depth = getattr(_inside, "depth", 0) + 1
        try:
            output = original(*args, **kwargs)
        finally:
            _inside.depth -= 1
        if model_calls.recording():
            try:
                _record_generate(model, args, kwargs, output)
            except Exception:  # a record is only evidence: never let it break the learner's call
                pass
        return output

    generate._course_recording = True
    return generate


def _record_generate(model, args: tuple, kwargs: dict, output) -> None:
    ids = _grid(args[0] if args else kwargs.get("input_ids", kwargs.get("inputs")))
    sequences = _grid(getattr(output, "sequences", output))
    if ids is None or sequences is None:
        return
    new = _setting(model, kwargs, "max_new_tokens", None)
    call = GenerateCall(
        ids,
        _grid(kwargs.get("attention_mask")),
        _grid(kwargs.get("position_ids")),
        bool(_setting(model, kwargs, "do_sample", False)),
        int(_setting(model, kwargs, "num_beams", 1)),
        None if new is None else int(new),
        sequences,
    )
    with _lock:
        _generate.append(call)
        _returned.append((call, getattr(output, "sequences", output)))


def install(model) -> None:
    """Follow ``model``'s forward and ``generate`` calls (once per model)."""
    if getattr(model, "_course_generation_watched", False):
        return
    model.register_forward_hook(_after_forward, with_kwargs=True)
    if hasattr(model, "generate"):
        model.generate = _recording_generate(model, model.generate)
    model._course_generation_watched = True


# --- provenance ---------------------------------------------------------------------------------------------


def _ids_of(value: Any) -> list | None:
    if not (hasattr(value, "dim") and hasattr(value, "dtype") and hasattr(value, "tolist")):
        return None
    if getattr(value, "is_floating_point", lambda: True)() or str(value.dtype) == "torch.bool":
        return None
    if getattr(value.device, "type", "cpu") == "meta" or value.numel() > KEEP_TOKENS:
        return None
    return value.detach().to("cpu").tolist()


def generated_by(value: Any) -> GenerateCall | None:
    """The latest ``generate`` call whose output is exactly ``value`` (a 2-D tensor of ids), else None."""
    found = _ids_of(value)
    if found is None or not isinstance(found, list) or not found or not isinstance(found[0], list):
        return None
    target = tuple(tuple(row) for row in found)
    with _lock:
        calls, returned = list(_generate), list(_returned)
    call = next((call for call in reversed(calls) if call.output == target), None)
    if call is None:
        return None
    kept = next((tensor for c, tensor in reversed(returned) if c is call), None)
    copied = (
        kept is not None
        and kept.device.type == value.device.type
        and not _same_storage(kept, value)
    )
    return dataclasses.replace(call, copied=copied)


def _same_storage(a, b) -> bool:
    try:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    except Exception:  # a tensor without storage (meta) is nobody's output
        return False


def generated_one_at_a_time(rows: list[list[int]], pad_id: int | None) -> bool:
    """Every row (its padding stripped) is the whole output of a separate ``generate`` call on one prompt.

    The grader, outside the kernel, asks the outputs the grading kernel reported (:func:`reported_singles`),
    never the calls of its own process."""
    singles = getattr(_reported, "singles", None)
    if singles is None:
        with _lock:
            singles = [call.output[0] for call in _generate if len(call.output) == 1]
    strip = (lambda row: tuple(row)) if pad_id is None else (lambda row: _strip(tuple(row), pad_id))
    if not rows or len(rows) < 2:
        return False
    width = max(len(row) for row in rows)  # a wider output cannot be a row (a report may hold any)
    outputs = {strip(s) for s in singles if len(s) <= width}  # once, not once per row
    return all(strip(row) in outputs for row in rows)


def report_singles(value: Any) -> dict | None:
    """For a grading kernel's report on an answer no single ``generate`` call returned: the outputs of the
    recent calls on one prompt that are not wider than it (the latest :data:`REPORTED_SINGLES`)."""
    found = _ids_of(value)
    if not isinstance(found, list) or not found or not isinstance(found[0], list):
        return None
    width = len(found[0])
    with _lock:
        singles = [
            list(call.output[0])
            for call in _generate
            if len(call.output) == 1 and len(call.output[0]) <= width
        ]
    return {"singles": singles[-REPORTED_SINGLES:]} if singles else None


class reported_singles:
    """For the grader: :func:`generated_one_at_a_time` sees the outputs a grading kernel reported
    (:func:`report_singles`; none where it reported nothing readable)."""

    def __init__(self, data: Any):
        singles = data.get("singles") if isinstance(data, dict) else None
        self.singles: list[tuple[int, ...]] = []
        if isinstance(singles, list):
            for row in singles[:REPORTED_SINGLES]:
                if isinstance(row, list) and all(
                    isinstance(n, int) and not isinstance(n, bool) for n in row
                ):
                    self.singles.append(tuple(row))

    def __enter__(self):
        self.previous = getattr(_reported, "singles", None)
        _reported.singles = self.singles

    def __exit__(self, *exc) -> None:
        _reported.singles = self.previous


def _strip(row: tuple[int, ...], pad_id: int) -> tuple[int, ...]:
    start, end = 0, len(row)
    while start < end and row[start] == pad_id:
        start += 1
    while end > start and row[end - 1] == pad_id:
        end -= 1
    return row[start:end]


def predicted_by(value: Any, keep: int = 8, after_cell: int | None = None) -> Predicted | None:
    """The forward calls (latest first, at most ``keep``; only those run in cells after ``after_cell`` when it
    is given) whose predictions read at one place are ``value``, a 1-D tensor of ids, one per row; None when
    ``value`` is not such a tensor."""
    found = _ids_of(value)
    if found is None or not isinstance(found, list) or not found or isinstance(found[0], list):
        return None
    target = tuple(found)
    with _lock:
        calls = list(_forward)
    matches = []
    for call in reversed(calls):
        if call.batch != len(target) or (after_cell is not None and call.cell <= after_cell):
            continue
        where = next((w for w in READINGS if call.reading(w) == target), None)
        if where is not None:
            matches.append((where, call))
            if len(matches) >= keep:
                break
    singles = {
        call.predicted[0][-1]
        for call in calls
        if call.batch == 1 and not call.in_generate and call.predicted[0]
    }
    return Predicted(tuple(matches), len(target) > 1 and all(t in singles for t in target))


class _Trace:
    """What :class:`checker.exercise.TracedValueExercise` asks of a record of calls: the record behind a value,
    and, where no record is, what else the grading kernel reports (``report``) for the grader to judge with
    (``reported``, a context manager)."""

    def __init__(self, provenance, record, report=None, reported=None):
        self._provenance, self.from_dict = provenance, record.from_dict
        self._report, self._reported = report, reported

    def provenance(self, value: Any, name: str | None = None):
        """The record behind ``value``, the answer ``name`` (only calls since the cell that bound it before)."""
        try:
            return self._provenance(value, name)
        except (
            Exception
        ):  # evidence only: a value the records cannot be compared with has no provenance
            return None

    def report(self, value: Any) -> dict | None:
        try:
            return self._report(value) if self._report else None
        except Exception:  # evidence only
            return None

    def reported(self, data: Any):
        return self._reported(data) if self._reported else contextlib.nullcontext()


#: The ``generate`` call behind an answer, and the forward calls behind a tensor of next-token ids.
GENERATE = _Trace(
    lambda value, name: generated_by(value), GenerateCall, report_singles, reported_singles
)
FORWARD = _Trace(
    lambda value, name: predicted_by(
        value, after_cell=None if name is None else answers.calls_after(name)
    ),
    Predicted,
)


def forget() -> None:
    """Drop every record (tests start from a clean slate)."""
    with _lock:
        _forward.clear()
        _generate.clear()
        _returned.clear()

"""Watching the course model's forward calls: how a learner's answer was computed, not only what it is.

Every model :func:`checker.load_model` returns carries two cheap hooks that record each call: the
input's shape, whether an attention mask came with it, the real length of every row (from the mask),
whether position ids were given, and the output logits (kept only while small). The checks use this to
tell a batched call from rows computed one at a time and glued together (:func:`provenance`), and to
see how a learner's function batches (:func:`watching`): how many calls, how large, padded how far.
``watching(padding_slack=0)`` stops a call that is padded beyond its own longest row *before* the model
runs it, so that checking a wrong answer that pads every batch to 512 tokens costs milliseconds.
"""

from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import torch

KEEP_LOGITS = (
    4096  # elements: a call's logits are kept for provenance when they are at most this many
)
RECENT = 512  # calls remembered for provenance (at most 512 x 16 KB of logits)


@dataclass(frozen=True)
class ModelCall:
    batch: int
    width: int  # padded length
    masked: bool  # an attention mask was passed
    lengths: tuple[
        int, ...
    ]  # real tokens of each row (the mask's sums; the width when there is no mask)
    position_ids: bool = False
    ignored_ids: tuple[
        int, ...
    ] = ()  # the distinct ids where the mask has 0 (the pad ids the call used)

    @property
    def padding(self) -> int:
        return self.batch * self.width - sum(self.lengths)

    @property
    def overpadded(self) -> bool:
        """Padded beyond its own longest row (e.g. ``padding="max_length"``)."""
        return self.width > max(self.lengths, default=0)

    def to_dict(self) -> dict:
        return {**asdict(self), "lengths": list(self.lengths)}

    @classmethod
    def from_dict(cls, data: Any) -> ModelCall:
        if not isinstance(data, dict):
            raise ValueError("not a model call")
        lengths = tuple(int(n) for n in data.get("lengths", ()))
        return cls(
            int(data["batch"]),
            int(data["width"]),
            bool(data["masked"]),
            lengths,
            bool(data.get("position_ids", False)),
            tuple(int(n) for n in data.get("ignored_ids", ())),
        )


class OverPadded(BaseException):
    """Raised inside a watched call padded beyond its longest row (a BaseException: learners' ``except`` misses it)."""

    def __init__(self, call: ModelCall):
        super().__init__(
            f"a batch of {call.batch} padded to {call.width} tokens, its longest row has "
            f"{max(call.lengths, default=0)}"
        )
        self.call = call


_recent: deque = deque(maxlen=RECENT)  # (ModelCall, logits or None)
_watchers: list[dict] = []
_lock = threading.Lock()
_local = (
    threading.local()
)  # .quiet: the checker's own calls (references, truths) are not the learner's


def _tensor(value):
    """``value`` if it is a torch tensor (a NumPy array of strings has a shape and a dtype too), else None."""
    return value if isinstance(value, torch.Tensor) else None


def _call_of(args: tuple, kwargs: dict) -> ModelCall | None:
    ids = _tensor(kwargs.get("input_ids", args[0] if args else None))
    if ids is None or ids.dim() != 2:
        return None
    mask = _tensor(kwargs.get("attention_mask", args[1] if len(args) > 1 else None))
    batch, width = int(ids.shape[0]), int(ids.shape[1])
    ignored: tuple[int, ...] = ()
    if mask is not None and tuple(mask.shape) == (batch, width):
        lengths = tuple(int(n) for n in mask.detach().to("cpu").long().sum(dim=1).tolist())
        ignored = _ignored_ids(ids, mask)
    else:
        lengths = (width,) * batch
    return ModelCall(
        batch, width, mask is not None, lengths, kwargs.get("position_ids") is not None, ignored
    )


def _before(module, args, kwargs):
    call = None if getattr(_local, "quiet", False) else _call_of(args, kwargs)
    module._course_call = call
    if call is None:
        return None
    with _lock:
        watchers = list(_watchers)
    for watch in watchers:
        watch["calls"].append(call.to_dict())
        if (
            watch["slack"] is not None
            and call.width > max(call.lengths, default=0) + watch["slack"]
        ):
            raise OverPadded(call)
    return None


def _after(module, args, kwargs, output):
    call = getattr(module, "_course_call", None)
    logits = getattr(output, "logits", None)
    kept = None
    if call is not None and _tensor(logits) is not None and logits.numel() <= KEEP_LOGITS:
        kept = logits.detach().to("cpu").float().clone()
    if call is not None:
        _recent.append((call, kept))
    return None


def install(model) -> None:
    """Follow ``model``'s calls (once per model)."""
    if getattr(model, "_course_watched", False):
        return
    model.register_forward_pre_hook(_before, with_kwargs=True)
    model.register_forward_hook(_after, with_kwargs=True)
    model._course_watched = True


def provenance(value: Any) -> ModelCall | None:
    """The latest call whose logits are exactly ``value`` (a detached copy or a view counts), else None."""
    tensor = _tensor(value)
    if tensor is None or tensor.device.type == "meta" or tensor.is_complex():
        return None
    found = tensor.detach().to("cpu").float()
    for call, logits in reversed(_recent):
        if logits is not None and logits.shape == found.shape and bool((logits == found).all()):
            return call
    return None


@contextmanager
def watching(padding_slack: int | None = None):
    """Collect the calls made in the body (as dicts); with ``padding_slack``, stop any call padded more than
    that many tokens beyond its longest row."""
    watch = {"calls": [], "slack": padding_slack}
    with _lock:
        _watchers.append(watch)
    try:
        yield watch["calls"]
    finally:
        with _lock:
            _watchers.remove(watch)


@contextmanager
def unrecorded():
    """The checker's own model calls (references, the truth for a case): not in the learner's log."""
    previous = getattr(_local, "quiet", False)
    _local.quiet = True
    try:
        yield
    finally:
        _local.quiet = previous


def row_sources(value: Any, *, batch_of_one: bool = False) -> list[ModelCall | None]:
    """For each row of a 2-D answer, the latest call whose logits hold exactly that row (None where none does);
    ``batch_of_one``: only calls on a single row.

    Tells a tensor put together after the model ran (rows of separate calls joined with ``torch.cat``, one
    call's row repeated) from numbers that no call gave. The same call object is returned for rows of one call.
    Only the calls of this process are known; the grader, outside the kernel, sees what the grading kernel
    reported (:func:`reported_rows`) and never the calls of its own process.
    """
    tensor = _tensor(value)
    if tensor is None or tensor.device.type == "meta" or tensor.is_complex() or tensor.dim() != 2:
        return []
    reported = getattr(_local, "rows", None)
    if reported is not None:
        found = reported["one" if batch_of_one else "any"]
        return list(found) if len(found) == tensor.shape[0] else [None] * tensor.shape[0]
    rows = tensor.detach().to("cpu").float()
    found: list[ModelCall | None] = []
    for row in rows:
        found.append(
            next(
                (
                    call
                    for call, logits in reversed(_recent)
                    if logits is not None
                    and logits.dim() == 2
                    and logits.shape[1] == row.shape[0]
                    and (call.batch == 1 or not batch_of_one)
                    and bool((logits == row).all(dim=1).any())
                ),
                None,
            )
        )
    return found


def _ignored_ids(ids, mask, most: int = 8) -> tuple[int, ...]:
    """The distinct ids at the positions ``mask`` ignores (at most ``most``): what the batch was padded with."""
    try:
        found = ids.detach().to("cpu")[mask.detach().to("cpu") == 0]
        return (
            tuple(int(n) for n in found.unique().tolist()[:most])
            if not found.is_floating_point()
            else ()
        )
    except (RuntimeError, TypeError, ValueError):  # ids the model will refuse anyway
        return ()


def row_calls(value: Any) -> list[ModelCall] | None:
    """For 2-D logits that no single call gave whole: the batch-of-one calls whose logits are its rows, in
    row order, when every row has one (rows computed one at a time and joined); else None."""
    tensor = _tensor(value)
    if tensor is None or tensor.dim() != 2 or tensor.shape[0] < 2:
        return None
    found = row_sources(tensor, batch_of_one=True)
    return found if found and all(call is not None for call in found) else None


def report_rows(value: Any) -> dict | None:
    """For a grading kernel's report: the calls :func:`row_sources` finds for each row of ``value`` (a 1-D value
    as one row), any call and batch-of-one calls only, as JSON-ready data. A row of the same call as an
    earlier row is that row's index, so that the grader tells one call's rows from separate calls'."""
    tensor = _tensor(value)
    if tensor is None or tensor.dim() not in (1, 2):
        return None
    tensor = tensor if tensor.dim() == 2 else tensor[None]

    def encoded(calls: list[ModelCall | None]) -> list:
        out: list = []
        for i, call in enumerate(calls):
            same = next((j for j in range(i) if call is not None and calls[j] is call), None)
            out.append(same if same is not None else (call.to_dict() if call else None))
        return out

    found = {
        "any": encoded(row_sources(tensor)),
        "one": encoded(row_sources(tensor, batch_of_one=True)),
    }
    return found if any(c is not None for rows in found.values() for c in rows) else None


@contextmanager
def reported_rows(data: Any):
    """For the grader, outside the kernel: :func:`row_sources` and :func:`row_calls` see the calls a grading
    kernel reported for an answer's rows (:func:`report_rows`; nothing where it reported nothing readable),
    never the calls of the grader's own process."""
    previous = getattr(_local, "rows", None)
    _local.rows = {"any": _decoded(data, "any"), "one": _decoded(data, "one")}
    try:
        yield
    finally:
        _local.rows = previous


def _decoded(data: Any, key: str) -> list[ModelCall | None]:
    """One list of :func:`report_rows` back as calls (the learner's data: [] when it cannot be read)."""
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list) or len(rows) > 1000:
        return []
    calls: list[ModelCall | None] = []
    try:
        for i, row in enumerate(rows):
            if row is None:
                calls.append(None)
            elif isinstance(row, int) and not isinstance(row, bool) and 0 <= row < i:
                calls.append(calls[row])
            else:
                calls.append(ModelCall.from_dict(row))
    except (KeyError, TypeError, ValueError):
        return []
    return calls


def recording() -> bool:
    """False inside :func:`unrecorded` (the checker's own calls): for other records of calls to honour it."""
    return not getattr(_local, "quiet", False)

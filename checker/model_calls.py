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

KEEP_LOGITS = 4096  # elements: a call's logits are kept for provenance when they are at most this many
RECENT = 512  # calls remembered for provenance (at most 512 x 16 KB of logits)


@dataclass(frozen=True)
class ModelCall:
    batch: int
    width: int  # padded length
    masked: bool  # an attention mask was passed
    lengths: tuple[int, ...]  # real tokens of each row (the mask's sums; the width when there is no mask)
    position_ids: bool = False

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
    def from_dict(cls, data: Any) -> "ModelCall":
        if not isinstance(data, dict):
            raise ValueError("not a model call")
        lengths = tuple(int(n) for n in data.get("lengths", ()))
        return cls(int(data["batch"]), int(data["width"]), bool(data["masked"]), lengths,
                   bool(data.get("position_ids", False)))


class OverPadded(BaseException):
    """Raised inside a watched call padded beyond its longest row (a BaseException: learners' ``except`` misses it)."""

    def __init__(self, call: ModelCall):
        super().__init__(f"a batch of {call.batch} padded to {call.width} tokens, its longest row has "
                         f"{max(call.lengths, default=0)}")
        self.call = call


_recent: deque = deque(maxlen=RECENT)  # (ModelCall, logits or None)
_watchers: list[dict] = []
_lock = threading.Lock()
_local = threading.local()  # .quiet: the checker's own calls (references, truths) are not the learner's


def _tensor(value):
    return value if hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "sum") else None


def _call_of(args: tuple, kwargs: dict) -> ModelCall | None:
    ids = _tensor(kwargs.get("input_ids", args[0] if args else None))
    if ids is None or ids.dim() != 2:
        return None
    mask = _tensor(kwargs.get("attention_mask", args[1] if len(args) > 1 else None))
    batch, width = int(ids.shape[0]), int(ids.shape[1])
    if mask is not None and tuple(mask.shape) == (batch, width):
        lengths = tuple(int(n) for n in mask.detach().to("cpu").long().sum(dim=1).tolist())
    else:
        lengths = (width,) * batch
    return ModelCall(batch, width, mask is not None, lengths, kwargs.get("position_ids") is not None)


def _before(module, args, kwargs):
    call = None if getattr(_local, "quiet", False) else _call_of(args, kwargs)
    module._course_call = call
    if call is None:
        return None
    with _lock:
        watchers = list(_watchers)
    for watch in watchers:
        watch["calls"].append(call.to_dict())
        if watch["slack"] is not None and call.width > max(call.lengths, default=0) + watch["slack"]:
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
    if tensor is None or not hasattr(tensor, "detach") or tensor.device.type == "meta":  # NumPy: a str .device
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

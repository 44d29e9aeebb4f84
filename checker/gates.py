"""The first checks on any answer, written once: what it is when it is not what the task asks for.

Every exercise meets the same wrong kinds of answer before its own mistakes: a function that returned
None, a list or a NumPy array where a tensor belongs, the tokenizer's (or the model's) whole output
where one tensor belongs. Each gate here names one of them with its own mistake id; an exercise passes
only what is particular to it: the words for what was expected and, where it knows better than the
default, the cause and the hint. :func:`token_text` shows ids as the tokenizer's text in a message.

    if result is None:
        raise gates.returned_none("pad_batch", "a tensor of shape (batch, longest length)")
    mistake = gates.not_a_tensor(result, "pad_batch", "a torch tensor of dtype torch.int64",
                                 returned=True, hint={"list": "return `torch.tensor(padded)`"})
    if mistake:
        raise mistake
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import torch

from .outcome import Mistake
from .serial import Opaque

#: Why a function returns None.
NO_RETURN = "a function without `return` returns None (printing is not returning)"

#: What the tokenizer's fields are when they are not PyTorch tensors (a cause for :func:`not_a_tensor`).
TOKENIZER_FIELDS = {
    "list": "without `return_tensors` the tokenizer returns lists",
    "numpy": "`return_tensors='np'` gives NumPy arrays",
}
RETURN_TENSORS = 'add `return_tensors="pt"`'

#: The default cause and hint of each kind of value :func:`not_a_tensor` names.
_DEFAULTS = {
    "model": ("the model returns an output object", "take its logits: `model(...).logits`"),
    "tokenizer": (
        "the tokenizer returns a dict of tensors",
        "pick the tensor you need, such as `['input_ids']`",
    ),
    "numpy": (
        "PyTorch models take torch tensors",
        "`torch.tensor(...)` or `torch.from_numpy(...)`",
    ),
    "list": (
        "models take tensors; a list of lists is only their raw material",
        "make it one with `torch.tensor(...)`",
    ),
    "other": ("", "make it one with `torch.tensor(...)`"),
}
KINDS = tuple(_DEFAULTS)


def describe(value: Any) -> str:
    """A short, safe description of any value, for 'Found: ...'."""
    if isinstance(value, Opaque):  # a value the grading kernel could only describe
        return value.describe()
    if _is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}" + (
            f" on {value.device}" if value.device.type != "cpu" else ""
        )
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        kind = type(value).__name__
        if type(value).__module__.startswith("numpy"):
            kind = "NumPy array" if kind == "ndarray" else f"NumPy {kind}"
        article = "an" if kind[0].lower() in "aeiou" else "a"
        return f"{article} {kind} of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        kind = type(value).__name__
        if value and all(isinstance(v, (list, tuple)) for v in value):
            lengths = [len(v) for v in value][:6]
            return f"a {kind} of {len(value)} lists of lengths {lengths}{'…' if len(value) > 6 else ''}"
        return f"a {kind} of {len(value)} items"
    if isinstance(value, str):
        return f"a string ({value[:40]!r}{'…' if len(value) > 40 else ''})"
    if isinstance(value, dict) or hasattr(value, "keys"):
        keys = list(value.keys())[:4]
        return f"a {type(value).__name__} with keys {keys}"
    return f"a value of type {type(value).__name__} ({str(value)[:40]})"


def returned_none(
    name: str, expected: str, *, cause: str = NO_RETURN, hint: str = "", found: str = ""
) -> Mistake:
    """The function ``name`` returned None where ``expected`` belongs."""
    return Mistake(
        f"`{name}` returned None.",
        id="returned_none",
        expected=expected,
        found=found,
        cause=cause,
        hint=hint,
    )


def losses(result: Any, name: str, count: int) -> list[float]:
    """The function ``name``'s result as ``count`` floats, one loss per batch; else the Mistake that names
    what it returned instead (not a list, loss tensors, other values, another count)."""
    if not isinstance(result, list):
        raise Mistake(
            f"`{name}` did not return a list.",
            id="losses_not_a_list",
            expected=f"a list of {count} floats, one per batch",
            found=describe(result),
        )
    if any(isinstance(v, torch.Tensor) for v in result):
        raise Mistake(
            f"`{name}` returned tensors.",
            id="losses_tensors",
            expected="Python floats: `loss.item()`",
            found=describe(result),
            cause="a loss tensor keeps its whole graph alive; the task asks for the numbers",
            hint="append `loss.item()`",
        )
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in result):
        raise Mistake(
            f"`{name}` returned a list that holds something other than numbers.",
            id="losses_not_numbers",
            expected="Python floats",
            found=describe(result),
        )
    if len(result) != count:
        raise Mistake(
            f"`{name}` returned {len(result)} loss{'' if len(result) == 1 else 'es'} for {count} batches.",
            id="loss_count",
            expected="one loss per batch, in order",
            found=f"{len(result)} values",
        )
    return [float(v) for v in result]


def kind_of(value: Any) -> str | None:
    """Which wrong kind of value stands where a tensor belongs (None for a tensor and for None)."""
    if _is_tensor(value) or value is None:
        return None
    if isinstance(value, (str, bytes)):
        return "other"
    if hasattr(value, "logits"):
        return "model"
    if hasattr(value, "keys") and callable(getattr(value, "keys", None)):
        return "tokenizer"
    if type(value).__module__.startswith("numpy") and hasattr(value, "shape"):
        return "numpy"
    if isinstance(value, (list, tuple)):
        return "list"
    return "other"


def not_a_tensor(
    value: Any,
    name: str,
    expected: str,
    *,
    returned: bool = False,
    cause: str | Mapping[str, str] | None = None,
    hint: str | Mapping[str, str] | None = None,
    kinds: Iterable[str] = KINDS,
) -> Mistake | None:
    """The mistake of a value that should be a torch tensor and is not; None when it is one (or is None:
    :func:`returned_none`).

    ``name`` is the variable (``x is a NumPy array``) or, with ``returned=True``, the function (``f returned
    a NumPy array``). ``cause`` and ``hint`` replace the default sentence: one for every kind, or a mapping
    by kind (``"model"``, ``"tokenizer"``, ``"numpy"``, ``"list"``, ``"other"``) for some of them. Only the
    ``kinds`` given are named; for the others this returns None, for the exercise to say more.
    """
    kind = kind_of(value)
    if kind is None or kind not in kinds:
        return None
    if kind in ("model", "tokenizer"):
        return whole_output(value, name, expected, returned=returned, cause=cause, hint=hint)
    subject = f"`{name}` returned" if returned else f"`{name}` is"
    found, why, fix = describe(value), _pick(cause, kind, 0), _pick(hint, kind, 1)
    if kind == "numpy":
        return Mistake(
            f"{subject} a NumPy array, not a PyTorch tensor.",
            id="numpy_array",
            expected=expected,
            found=found,
            cause=why,
            hint=fix,
        )
    if kind == "list":
        return Mistake(
            f"{subject} {'a' if returned else 'a Python'} {type(value).__name__}, not a tensor.",
            id="python_list",
            expected=expected,
            found=found,
            cause=why,
            hint=fix,
        )
    return Mistake(
        f"`{name}` did not return a torch tensor." if returned else f"`{name}` is not a tensor.",
        id="not_a_tensor",
        expected=expected,
        found=found,
        cause=why,
        hint=fix,
    )


def whole_output(
    value: Any,
    name: str,
    expected: str,
    *,
    returned: bool = False,
    instead: str = "",
    cause: str | Mapping[str, str] | None = None,
    hint: str | Mapping[str, str] | None = None,
) -> Mistake | None:
    """The mistake of the model's or the tokenizer's whole output where one part of it belongs (None for any
    other value): ``x is the tokenizer's whole output, not one tensor`` (``instead`` replaces "one tensor")."""
    kind = kind_of(value)
    subject = f"`{name}` returned" if returned else f"`{name}` is"
    found = describe(value)
    if kind == "model":
        return Mistake(
            f"{subject} the model's whole output, not {instead or 'a tensor'}.",
            id="model_output",
            expected=expected,
            found=found,
            cause=_pick(cause, kind, 0),
            hint=_pick(hint, kind, 1),
        )
    if kind == "tokenizer":
        return Mistake(
            f"{subject} the tokenizer's whole output, not {instead or 'one tensor'}.",
            id="tokenizer_output",
            expected=expected,
            found=found,
            cause=_pick(cause, kind, 0),
            hint=_pick(hint, kind, 1),
        )
    return None


def _pick(given: str | Mapping[str, str] | None, kind: str, which: int) -> str:
    """The cause (``which=0``) or hint (1) for ``kind``: the given sentence, else the default."""
    if isinstance(given, str):
        return given
    default = _DEFAULTS[kind][which]
    return default if given is None else given.get(kind, default)


def token_text(tokenizer: Any, ids: Iterable[Any], *, show_ids: bool = False) -> str:
    """``ids`` as the tokenizer's tokens for a message (``[CLS] the film``); an id the tokenizer cannot name
    is shown as ``id 9999``. ``show_ids=True``: each as ``200 ('the')``. Without a tokenizer, the ids."""
    shown = []
    for i in ids:
        number = int(i)
        token = None
        if tokenizer is not None:
            try:
                size = len(tokenizer) if hasattr(tokenizer, "__len__") else None
                if size is None or 0 <= number < size:
                    token = tokenizer.convert_ids_to_tokens(number)
            except Exception:  # a learner's id (or a tokenizer) that cannot be named
                token = None
        if show_ids:
            shown.append(f"{number} ({token!r})" if token is not None else str(number))
        else:
            shown.append(str(token) if token is not None else f"id {number}")
    return " ".join(shown)


def _is_tensor(value: Any) -> bool:
    return isinstance(value, torch.Tensor)

"""Turning a learner's answer into a tensor, and comparing tensors and logits with a tolerance.

Every function here meets bad input (None, a string, a ragged or nested list, NaN, a tensor on
another device or needing grad) with a :class:`Mistake` that says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from . import gates
from .gates import describe
from .outcome import Mistake

MAX_ELEMENTS = 10_000_000  # larger answers are refused before any work is done on them


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    def __str__(self) -> str:
        return f"atol={self.atol:g}, rtol={self.rtol:g}"


def tolerance(dtype: torch.dtype = torch.float32, device: str | torch.device = "cpu") -> Tolerance:
    """fp32 on the CPU is tight; GPUs (TF32, other kernels) and half precision are looser."""
    if dtype in (torch.float16, torch.bfloat16):
        return Tolerance(rtol=2e-2, atol=5e-2)
    if torch.device(device).type != "cpu":
        return Tolerance(rtol=1e-3, atol=1e-3)
    return Tolerance(rtol=1e-4, atol=1e-4)


def tolerance_for(value: Any) -> Tolerance:
    """The tolerance for an answer as computed: its dtype and device (fp32 on the CPU when unknown)."""
    if isinstance(value, torch.Tensor):
        return tolerance(value.dtype, value.device)
    if hasattr(value, "logits") and isinstance(value.logits, torch.Tensor):
        return tolerance(value.logits.dtype, value.logits.device)
    return tolerance()


def to_tensor(value: Any, name: str) -> torch.Tensor:
    """``value`` as a detached CPU tensor, or a Mistake that says why it cannot be one."""
    if value is None:
        raise Mistake(
            f"`{name}` is None.",
            id="none",
            expected="a tensor",
            found="None",
            cause="a function that prints its result instead of returning it returns None",
        )
    if isinstance(value, (str, bytes)):
        raise Mistake(
            f"`{name}` is text, not numbers.",
            id="text",
            expected="a tensor of token ids or numbers",
            found=describe(value),
            cause="pass the text through the tokenizer first",
        )
    # A model output has keys too: the gate names it before treating it as a tokenizer output.
    keys = list(value.keys()) if gates.kind_of(value) == "tokenizer" else []
    mistake = gates.not_a_tensor(
        value,
        name,
        "the logits tensor" if hasattr(value, "logits") else "a single tensor",
        kinds=("model", "tokenizer"),
        cause={"tokenizer": f"pick one field, for example `{name}['input_ids']`"}
        if "input_ids" in keys
        else {"tokenizer": "pick the tensor you need from it"},
        hint={"tokenizer": ""},
    )
    if mistake is not None:
        raise mistake
    if isinstance(value, torch.Tensor):
        tensor = value
    else:
        _refuse_ragged(value, name)
        try:
            tensor = torch.as_tensor(value)
        except (TypeError, ValueError, RuntimeError, OverflowError) as error:
            raise Mistake(
                f"`{name}` cannot be read as a tensor.",
                id="unreadable",
                found=describe(value),
                expected="a tensor, a NumPy array or a (nested) list of numbers",
                cause=str(error).splitlines()[0][:160],
            ) from None
    if tensor.numel() > MAX_ELEMENTS:
        raise Mistake(
            f"`{name}` is far too large to be the answer.",
            id="too_large",
            found=describe(tensor),
            expected="a tensor the size of the exercise's batch",
        )
    if tensor.is_complex():
        raise Mistake(
            f"`{name}` holds complex numbers.",
            id="complex",
            found=describe(tensor),
            expected="real numbers",
        )
    try:
        return tensor.detach().to("cpu")
    except (
        RuntimeError,
        NotImplementedError,
    ) as error:  # e.g. a tensor on the 'meta' device has no data
        raise Mistake(
            f"`{name}` cannot be read back to the CPU.",
            id="not_on_cpu",
            found=describe(tensor),
            cause=str(error).splitlines()[0][:160],
        ) from None


def _refuse_ragged(value: Any, name: str) -> None:
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, (list, tuple)) for v in value)
    ):
        lengths = {len(v) for v in value}
        if len(lengths) > 1:
            raise Mistake(
                f"`{name}` is a ragged list: its rows have different lengths.",
                id="ragged",
                expected="rows of one length (a rectangle)",
                found=describe(value),
                cause="tensors must be rectangular: pad the shorter sequences first",
            )


def integer_ids(value: Any, name: str = "input_ids") -> torch.Tensor:
    """A tensor of integer token ids (``torch.long``), or a Mistake naming the problem."""
    tensor = to_tensor(value, name)
    if tensor.is_floating_point():
        raise Mistake(
            f"`{name}` holds floats.",
            id="floats",
            expected="integer token ids (dtype torch.int64)",
            found=describe(tensor),
            cause="ids are indices into the embedding table; the model cannot look up 101.0",
            hint="build the tensor from the list of ints, or call `.long()`",
        )
    if tensor.dtype == torch.bool:
        raise Mistake(
            f"`{name}` holds True/False values.",
            id="booleans",
            expected="integer token ids",
            found=describe(tensor),
        )
    return tensor.long()


def largest_difference(
    found: torch.Tensor, expected: torch.Tensor
) -> tuple[float, tuple[int, ...]]:
    diff = (found.double() - expected.double()).abs()
    flat = int(torch.nan_to_num(diff, nan=float("inf")).argmax())
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), diff.shape))
    return float(diff.reshape(-1)[flat]), index


def close(found: torch.Tensor, expected: torch.Tensor, tol: Tolerance) -> bool:
    return found.shape == expected.shape and torch.allclose(
        found.double(), expected.double(), rtol=tol.rtol, atol=tol.atol
    )


def logits(value: Any, name: str = "logits") -> torch.Tensor:
    """A float tensor of logits, refusing NaN and infinities."""
    tensor = to_tensor(value, name)
    if not tensor.is_floating_point():
        raise Mistake(
            f"`{name}` holds integers.",
            id="integers",
            expected="float logits, one row per sequence",
            found=describe(tensor),
            cause="that looks like ids or predicted labels, not logits",
        )
    if not torch.isfinite(tensor).all():
        raise Mistake(
            f"`{name}` contains NaN or infinite values.",
            id="not_finite",
            found=describe(tensor),
            expected="finite logits",
            cause="a division by zero, or an uninitialised tensor",
        )
    return tensor.float()


def as_bool(value: Any, name: str) -> bool:
    """A function's True/False answer (a bool, a one-element tensor or a NumPy bool), else a Mistake."""
    if value is None:
        raise gates.returned_none(name, "True or False")
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise Mistake(
                f"`{name}` returned a tensor of shape {tuple(value.shape)}.",
                id="many_booleans",
                expected="one True or False for the whole comparison",
                found=describe(value),
                cause="`==` and `torch.isclose` compare entry by entry",
                hint="reduce to one answer: `torch.allclose(...)`, or `.all()` on the entries",
            )
        value = value.item()
    if type(value).__name__ == "bool_":  # a NumPy True/False
        value = bool(value)
    if not isinstance(value, bool):
        raise Mistake(
            f"`{name}` did not return True or False.",
            id="not_a_bool",
            expected="True or False",
            found=describe(value),
        )
    return value


def _not_a_tensor(value: Any, name: str, what: str) -> Mistake | None:
    """The gate's mistake for an answer that the task wants as a torch tensor (None: it is one); a ragged list
    is named as such first."""
    if isinstance(value, (list, tuple)):
        _refuse_ragged(value, name)
    return gates.not_a_tensor(value, name, what, kinds=("model", "tokenizer", "numpy", "list"))


def id_tensor(value: Any, name: str) -> torch.Tensor:
    """Token ids where the task asks for a torch.int64 tensor: that tensor, or a Mistake saying what it is instead."""
    mistake = _not_a_tensor(value, name, "a torch tensor of ids, dtype torch.int64") or _other(
        value, name, "ids"
    )
    if mistake is not None:
        raise mistake
    tensor = integer_ids(value, name)  # refuses floats and booleans with their own messages
    if value.dtype != torch.int64:
        raise Mistake(
            f"`{name}` has dtype {value.dtype}.",
            id="ids_dtype",
            expected="dtype torch.int64, what `torch.tensor` makes of Python ints",
            found=describe(value),
            cause=f"`dtype={value.dtype}` (or `.int()`, `.short()`): the task asks for torch.int64 ids",
            hint="leave out `dtype`, or use `dtype=torch.long`",
        )
    return tensor


def logits_tensor(value: Any, name: str) -> torch.Tensor:
    """Logits where the task asks for the model's logits tensor: that tensor (floats), or a Mistake."""
    mistake = _not_a_tensor(value, name, "the logits tensor, `model(...).logits`") or _other(
        value, name, "logits"
    )
    if mistake is not None:
        raise mistake
    return logits(value, name)


def token_strings(value: Any, most: int = 3) -> list[str]:
    """The first few strings inside a (nested) list or tuple: token strings where ids were wanted."""
    found: list[str] = []
    stack = [value]
    while stack and len(found) < most:
        item = stack.pop(0)
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            stack[:0] = list(item)[:1000]
    return found


def refuse_token_strings(value: Any, name: str) -> None:
    """A Mistake when a list of ids holds token strings (such as '[PAD]'): they need their ids."""
    tokens = token_strings(value) if isinstance(value, (list, tuple)) else []
    if tokens:
        shown = ", ".join(repr(t[:20]) for t in tokens)
        raise Mistake(
            f"`{name}` holds token strings ({shown}), not token ids.",
            id="token_strings",
            expected="integer ids",
            found=describe(value),
            cause="the model looks tokens up by their ids, not by their text",
            hint="convert them with `tokenizer.convert_tokens_to_ids(...)` (the pad id is "
            "`tokenizer.pad_token_id`)",
        )


def mask_tensor(value: Any, name: str) -> torch.Tensor:
    """An attention mask where the task asks for a torch.int64 tensor of 0s and 1s: that tensor, or a Mistake."""
    mistake = _not_a_tensor(
        value, name, "a torch tensor of 0s and 1s, dtype torch.int64 (as the tokenizer returns)"
    ) or _other(value, name, "a mask")
    if mistake is not None:
        raise mistake
    if value.dtype != torch.int64:
        kind = (
            "True/False values"
            if value.dtype == torch.bool
            else "floats"
            if value.is_floating_point()
            else f"{value.dtype} integers"
        )
        raise Mistake(
            f"`{name}` has dtype {value.dtype} ({kind}).",
            id="mask_dtype",
            found=describe(value),
            expected="integers 0 and 1 of dtype torch.int64, like the tokenizer's masks",
            hint="build it from Python ints with `torch.tensor(...)`, or add `.long()`",
        )
    return to_tensor(value, name)


def _other(value: Any, name: str, what: str) -> Mistake | None:
    """The mistake of a value that is no tensor and none of the kinds :func:`_not_a_tensor` names (a number, an
    object): :func:`to_tensor` names None and text itself; None when ``value`` is a tensor."""
    if isinstance(value, torch.Tensor):
        return None
    if value is None or isinstance(value, (str, bytes)):
        to_tensor(value, name)  # raises its own Mistake for None and for text
    return gates.not_a_tensor(value, name, f"a torch tensor of {what}", kinds=("other",))

"""Answers as JSON: what a grading kernel reports, and what the grader reads back.

:func:`encode` turns a learner's value into JSON-ready data that keeps what the checks look at:
tensors and NumPy arrays (dtype, shape, values), lists apart from tuples, mappings such as the
tokenizer's ``BatchEncoding`` and model outputs, and a description of anything else. :func:`decode`
rebuilds an equivalent value. ``decode`` reads data that a learner's kernel produced, so it executes
nothing, imports only a fixed list of classes, and raises :class:`Unreadable` on anything else.
"""

from __future__ import annotations

import math
from typing import Any

MAX_ELEMENTS = 2_000_000  # numbers in one report; a larger tensor is reported by its shape only
MAX_TEXT = 10_000
MAX_DEPTH = 24


class Unreadable(ValueError):
    """The data is not something :func:`encode` wrote."""


class Opaque:
    """Stands for a value that cannot travel as data (a function, a module, an object of a class of its own)."""

    def __init__(self, type_name: str, module: str, text: str, is_callable: bool):
        self.type_name, self.module, self.text, self.is_callable = (
            type_name,
            module,
            text,
            is_callable,
        )

    def describe(self) -> str:
        return f"a value of type {self.type_name} ({self.text[:40]})"

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text[:40]}>"


def _number(x: float) -> Any:
    return x if math.isfinite(x) else repr(float(x))  # 'nan', 'inf', '-inf'


def _denumber(x: Any) -> float | int | bool:
    if isinstance(x, str):
        if x not in ("nan", "inf", "-inf"):
            raise Unreadable("a number that is not one")
        return float(x)
    if not isinstance(x, (int, float)):
        raise Unreadable("a number that is not one")
    return x


def encode(value: Any, _depth: int = 0) -> Any:
    if _depth > MAX_DEPTH:
        return {"$opaque": ["deep", "", "a structure nested too deeply", False]}
    if value is None or isinstance(value, (bool, str)):
        return value if not isinstance(value, str) else value[:MAX_TEXT]
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"$bigint": str(value)[:400]}
    if isinstance(value, float) and not type(value).__module__.startswith("numpy"):
        # NumPy's float64 is a float too: it travels as the NumPy scalar it is (the check names it so)
        return {"$float": _number(value)} if not math.isfinite(value) else value
    if isinstance(value, list):
        return [encode(v, _depth + 1) for v in value[: MAX_ELEMENTS // 100]]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, _depth + 1) for v in value[: MAX_ELEMENTS // 100]]}
    module = type(value).__module__ or ""
    if module.startswith("torch") and hasattr(value, "dtype") and hasattr(value, "shape"):
        return {"$tensor": _encode_tensor(value)}
    if module.startswith("numpy"):
        return _encode_numpy(value, _depth)
    if hasattr(value, "keys") and callable(value.keys) and hasattr(value, "__getitem__"):
        try:
            items = [
                [encode(k, _depth + 1), encode(value[k], _depth + 1)]
                for k in list(value.keys())[:1000]
            ]
            return {"$mapping": [type(value).__name__, module, items]}
        except Exception:  # a mapping whose items cannot be read
            pass
    return {"$opaque": [type(value).__name__, module, _safe_str(value), callable(value)]}


def _safe_str(value: Any) -> str:
    try:
        return str(value)[:200]
    except Exception:
        return "?"


def _encode_tensor(t) -> dict:
    shape = [int(n) for n in t.shape]
    info = {
        "dtype": str(t.dtype),
        "shape": shape,
        "device": str(t.device),
        "grad": bool(getattr(t, "requires_grad", False)),
        "data": None,
    }
    if t.device.type == "meta" or t.numel() > MAX_ELEMENTS:
        return info
    flat = t.detach().cpu().reshape(-1)
    if flat.is_complex():
        info["data"] = [_number(x) for x in flat.real.double().tolist()] + [
            _number(x) for x in flat.imag.double().tolist()
        ]
    elif flat.is_floating_point():
        info["data"] = [_number(x) for x in flat.double().tolist()]
    else:
        info["data"] = flat.tolist()
    return info


def _encode_numpy(value, depth: int) -> Any:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype == object or value.size > MAX_ELEMENTS:
            return {
                "$opaque": [
                    "ndarray",
                    "numpy",
                    f"an array of shape {value.shape} and dtype {value.dtype}",
                    False,
                ]
            }
        flat = value.reshape(-1)
        if flat.dtype.kind == "f":
            data = [_number(float(x)) for x in flat]
        elif flat.dtype.kind in "biu":
            data = flat.tolist()
        else:
            return {"$opaque": ["ndarray", "numpy", f"an array of dtype {value.dtype}", False]}
        return {"$ndarray": [str(value.dtype), list(value.shape), data]}
    if isinstance(value, np.generic):
        item = value.item()
        return {"$npscalar": [str(value.dtype), _number(item) if isinstance(item, float) else item]}
    return {"$opaque": [type(value).__name__, "numpy", _safe_str(value), callable(value)]}


def decode(data: Any, _depth: int = 0) -> Any:
    if _depth > MAX_DEPTH + 2:
        raise Unreadable("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, _depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) != 1:
        raise Unreadable("not an encoded value")
    ((tag, body),) = data.items()
    if tag == "$tuple":
        return tuple(decode(v, _depth + 1) for v in _list(body))
    if tag == "$float":
        return float(_denumber(body))
    if tag == "$bigint":
        return int(str(body)[:400])
    if tag == "$tensor":
        return _decode_tensor(body)
    if tag == "$ndarray":
        return _decode_ndarray(body)
    if tag == "$npscalar":
        import numpy as np

        dtype, item = _list(body, 2)
        return np.dtype(_numpy_dtype(dtype)).type(
            _denumber(item) if isinstance(item, str) else item
        )
    if tag == "$mapping":
        name, module, items = _list(body, 3)
        return _mapping(
            str(name),
            str(module),
            {
                _key(decode(k, _depth + 1)): decode(v, _depth + 1)
                for k, v in (_list(i, 2) for i in _list(items))
            },
        )
    if tag == "$opaque":
        name, module, text, is_callable = _list(body, 4)
        return Opaque(str(name), str(module), str(text), bool(is_callable))
    raise Unreadable(f"unknown tag {str(tag)[:20]}")


def _list(value: Any, length: int | None = None) -> list:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise Unreadable("a list was expected")
    return value


def _key(key: Any) -> Any:
    if not isinstance(key, (str, int, float, bool, tuple)) and key is not None:
        raise Unreadable("an unhashable key")
    return key


_TORCH_DTYPES = {
    "torch.float32",
    "torch.float64",
    "torch.float16",
    "torch.bfloat16",
    "torch.int64",
    "torch.int32",
    "torch.int16",
    "torch.int8",
    "torch.uint8",
    "torch.bool",
    "torch.complex64",
    "torch.complex128",
}


def _decode_tensor(info: Any):
    import torch

    if not isinstance(info, dict) or info.get("dtype") not in _TORCH_DTYPES:
        raise Unreadable("a tensor of an unknown dtype")
    dtype = getattr(torch, info["dtype"].split(".", 1)[1])
    shape = [int(n) for n in _list(info.get("shape"))]
    if any(n < 0 for n in shape) or len(shape) > 12:
        raise Unreadable("a tensor of an impossible shape")
    numel = math.prod(shape)
    data = info.get("data")
    if str(info.get("device")) == "meta":
        return torch.empty(shape, dtype=dtype, device="meta")
    if data is None:  # too large to travel: a stand-in of the same shape that takes no memory
        return torch.zeros(1, dtype=dtype).expand(*shape) if shape else torch.zeros((), dtype=dtype)
    values = [_denumber(x) for x in _list(data)]
    if dtype.is_complex:
        if len(values) != 2 * numel:
            raise Unreadable("a tensor whose values do not fit its shape")
        tensor = torch.complex(
            torch.tensor(values[:numel], dtype=torch.float64),
            torch.tensor(values[numel:], dtype=torch.float64),
        ).to(dtype)
    else:
        if len(values) != numel:
            raise Unreadable("a tensor whose values do not fit its shape")
        tensor = (
            torch.tensor(values, dtype=torch.float64 if dtype.is_floating_point else None).to(dtype)
            if values
            else torch.empty(0, dtype=dtype)
        )
    tensor = tensor.reshape(shape)
    if info.get("grad") and tensor.is_floating_point():
        tensor.requires_grad_(True)
    return tensor


def _numpy_dtype(name: Any) -> str:
    allowed = {
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
    }
    if name not in allowed:
        raise Unreadable("an array of an unknown dtype")
    return name


def _decode_ndarray(body: Any):
    import numpy as np

    dtype, shape, data = _list(body, 3)
    shape = [int(n) for n in _list(shape)]
    values = [_denumber(x) for x in _list(data)]
    if math.prod(shape) != len(values) or any(n < 0 for n in shape):
        raise Unreadable("an array whose values do not fit its shape")
    return np.array(values, dtype=_numpy_dtype(dtype)).reshape(shape)


def _mapping(name: str, module: str, items: dict) -> Any:
    """The tokenizer's and the model's own mapping classes come back as themselves; other mappings as dicts."""
    if module.startswith("transformers"):
        import transformers
        from transformers import modeling_outputs

        if name == "BatchEncoding":
            return transformers.BatchEncoding(items)
        cls = getattr(modeling_outputs, name, None)
        if (
            isinstance(cls, type)
            and issubclass(cls, transformers.utils.ModelOutput)
            # "in", not endswith: GPT-2's LM head returns a CausalLMOutputWithCrossAttentions
            and "Output" in name
        ):
            try:
                return cls(**{k: v for k, v in items.items() if isinstance(k, str)})
            except TypeError:
                pass
    return dict(items)

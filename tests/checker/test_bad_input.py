"""Property: whatever a learner passes to any check, only the checker's own feedback comes back.

Hypothesis generates bad answers (None, text, bytes, nested junk, NaN and infinities, tensors of
every dtype and odd shapes, tensors needing grad or on the 'meta' device, views of 100 million
elements, NumPy object arrays, functions that raise, exit, loop or return junk) and feeds them to
every exercise's check: 1,000 each under the default hypothesis profile (``ci``), 50 under ``fast``
(``HYPOTHESIS_PROFILE=fast``, or pytest's ``--hypothesis-profile=fast``; tests/conftest.py).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from checker import harness
from checker.exercises import catalog
from checker.outcome import Outcome, Result

EXERCISES = catalog()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.just(Ellipsis),
    st.just(float("nan")),
)
nested = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=2),
    ),
    max_leaves=10,
)
DTYPES = [
    torch.float32,
    torch.float16,
    torch.bfloat16,
    torch.float64,
    torch.int64,
    torch.int32,
    torch.uint8,
    torch.bool,
    torch.complex64,
]


@st.composite
def tensors(draw):
    shape = draw(st.lists(st.integers(0, 5), max_size=4))
    dtype = draw(st.sampled_from(DTYPES))
    fill = draw(st.sampled_from(["zeros", "ones", "nan", "inf", "big", "negative", "rand"]))
    t = torch.zeros(shape, dtype=torch.float64)
    if fill == "ones":
        t += 1
    elif fill == "nan":
        t += float("nan")
    elif fill == "inf":
        t -= float("inf")
    elif fill == "big":
        t += 1e30
    elif fill == "negative":
        t -= 7
    elif fill == "rand":
        t = (
            torch.rand(
                shape,
                dtype=torch.float64,
                generator=torch.Generator().manual_seed(draw(st.integers(0, 9))),
            )
            * 3000
        )
    with np.errstate(all="ignore"):
        t = (
            t.nan_to_num(nan=0.0, posinf=0.0, neginf=0.0).to(dtype)
            if not dtype.is_floating_point
            else t.to(dtype)
        )
    if draw(st.booleans()) and t.is_floating_point():
        t.requires_grad_(True)
    if draw(st.integers(0, 9)) == 0:
        t = torch.empty(shape, dtype=dtype, device="meta")
    return t


def _raises(*args):
    raise ValueError("learner bug")


def _exits(*args):
    sys.exit(3)


def _loops(*args):
    while True:
        pass


FUNCTIONS = [
    _raises,
    _exits,
    _loops,
    lambda *a: None,
    lambda *a: "text",
    lambda *a: [[1, 2], [3]],
    lambda *a: torch.full((2, 2), float("nan")),
    lambda *a: (None, None),
    lambda *a: {"input_ids": 1},
    lambda *a: torch.zeros(1).expand(10**8),
    lambda *a: a,
    lambda *a: [None],
    lambda *a: object(),
]

answers = st.one_of(
    nested,
    tensors(),
    st.sampled_from(FUNCTIONS),
    st.just(torch.zeros(1).expand(10**8)),  # 100 million elements, no memory
    st.just(np.array(["a", None], dtype=object)),
    st.just(np.zeros((2, 0))),
    st.just(object()),
    st.just(print),
    st.just(torch),
)


@pytest.fixture(autouse=True)
def quick_time_limit(monkeypatch):
    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.05)
    for exercise in EXERCISES.values():
        if getattr(exercise, "seconds", None):
            monkeypatch.setattr(exercise, "seconds", 0.05)


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_no_bad_input_escapes_as_anything_but_feedback(key, course):
    exercise = EXERCISES[key]
    arity = max(1, len(exercise.variables))

    @given(st.lists(answers, min_size=arity, max_size=arity))
    def feed(values):
        result = exercise.check(*values)
        assert isinstance(result, Result)
        assert result.outcome in (Outcome.INCORRECT, Outcome.NOT_ATTEMPTED, Outcome.CORRECT)
        text = str(result) + result._repr_html_()
        assert "Traceback" not in text
        assert "bug in the checker" not in text, (
            f"unexpected internal error for {values!r}: {result}"
        )
        named = result.mistake.startswith(f"{exercise.name}.")
        assert named == (result.outcome is Outcome.INCORRECT), (result.mistake, str(result))

    feed()

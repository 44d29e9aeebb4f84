"""Section 3, notebook ``03_batching_multiple_sequences.ipynb``: a batch of two identical sequences, one call, and
the course's one exercise on comparing floats within a tolerance (``rows_agree``)."""

from __future__ import annotations

import torch

from .. import compare, model_calls
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from . import _shared

ATOL = RTOL = 1e-4  # the tolerance the task of rows_agree states


def _holds_text(value) -> bool:
    """A list (of lists) with strings in it: tokens where ids were meant."""
    if isinstance(value, str):
        return True
    return isinstance(value, (list, tuple)) and any(_holds_text(v) for v in value)


@value_exercise(
    "A batch of two identical sequences",
    hints=(
        "A batch is a list of sequences. Here both sequences are `ids`.",
        "`torch.tensor([ids, ids])` has shape (2, number of ids).",
    ),
)
def batched_ids(batched_ids) -> None:
    """`batched_ids` is a (2, n) torch.int64 tensor holding the manual `ids` twice."""
    ids = _shared.seed_manual_ids()
    expected = torch.tensor([ids, ids])
    if isinstance(batched_ids, (list, tuple)) and _holds_text(batched_ids):
        raise Mistake(
            "`batched_ids` holds token strings, not ids.",
            id="token_strings_listed",
            expected="a tensor of token ids (ints)",
            found=compare.describe(batched_ids),
            cause="`tokenizer.tokenize(...)` gives the tokens as text",
            hint="convert them with `tokenizer.convert_tokens_to_ids(...)`, or use `ids`",
        )
    found = compare.id_tensor(batched_ids, "batched_ids")
    if found.dim() == 2 and found.shape == (1, len(ids)):
        raise Mistake(
            "`batched_ids` holds the sequence once.",
            id="sequence_once",
            expected=f"shape {tuple(expected.shape)}: two copies",
            found=f"shape {tuple(found.shape)}",
            cause="that is the batch of one from section 2",
            hint="put `ids` twice in the list: `[ids, ids]`",
        )
    if found.dim() == 1 and found.numel() == 2 * len(ids):
        raise Mistake(
            "`batched_ids` is one long sequence, the ids twice in a row.",
            id="one_long_sequence",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(found.shape)}",
            cause="`ids + ids` joins the lists, and `.repeat(2)` of a 1-D tensor repeats along its one dimension: "
            "either puts the ids twice in one row; a batch is a list *of* lists: `[ids, ids]`",
        )
    if found.dim() == 3 and found.shape[1:] == (1, len(ids)):
        raise Mistake(
            "`batched_ids` has 3 dimensions.",
            id="three_dimensions",
            expected=f"shape {tuple(expected.shape)} (batch, tokens)",
            found=f"shape {tuple(found.shape)}",
            cause="each copy already had its own batch dimension (`[input_ids, input_ids]` or `[[ids], [ids]]`)",
            hint="start from the list `ids`, not from the (1, n) tensor: `torch.tensor([ids, ids])`",
        )
    if found.shape == expected.shape[::-1] and torch.equal(found.T, expected):
        raise Mistake(
            "`batched_ids` is transposed.",
            id="batch_transposed",
            expected=f"shape {tuple(expected.shape)}: (batch, tokens)",
            found=f"shape {tuple(found.shape)}",
            cause="one row per sequence: the batch dimension comes first",
        )
    _shared.token_ids(found, expected, "batched_ids")


@value_exercise(
    "Logits for the batch of two",
    hints=(
        "Call the model once, on `batched_ids`, and take the `.logits` of its output.",
        "`model(batched_ids).logits`",
    ),
    observe=True,
)
def batched_logits(batched_logits, *, call) -> None:
    """`batched_logits` is the logits tensor that ONE call of the model on `batched_ids` returned."""
    width = len(_shared.seed_manual_ids())
    how = "`model(batched_ids).logits`"
    if (
        isinstance(batched_logits, torch.Tensor)
        and batched_logits.is_floating_point()
        and tuple(batched_logits.shape) in ((1, 2), (2,))
    ):
        _one_row(batched_logits, call)
    _shared.logits_from_one_call(
        batched_logits,
        call,
        "batched_logits",
        "seed_logits_twice",
        batch=2,
        width=width,
        how=how,
        point="The exercise is what one call on the whole batch gives.",
    )


def _one_row(value: torch.Tensor, call) -> None:
    """One row of logits where the batch of two has two: say where it came from when the calls show it."""
    cause = ""
    if value.dim() == 2 and call is not None and call.batch == 1:
        cause = (
            "these are the logits of a batch of one (`torch.tensor([ids])`), not of `batched_ids`"
        )
    elif value.dim() == 1:
        (source,) = model_calls.row_sources(value[None]) or [None]
        if source is not None and source.batch > 1:
            cause = (
                "one row of a batched call's logits was taken (`logits[0]`); keep the whole tensor"
            )
    raise Mistake(
        "`batched_logits` has only one row.",
        id="one_row",
        expected="shape (2, 2), one row per sequence",
        found=f"shape {tuple(value.shape)}",
        cause=cause,
    )


# --- rows_agree: the tolerance -------------------------------------------------------------------------


def _rows(*rows: list[float]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


_BASE = [-2.5, 2.5]
_EDGES = [
    0.15,
    0.125,
    0.1125,
    0.11125,
    0.111125,
]  # halfway points when rounding to 1, 2, 3, 4, 5 decimals
_TOO_TIGHT = (
    "a tolerance tighter than the task's atol=1e-4, rtol=1e-4 (`torch.allclose` without them uses "
    "rtol=1e-5, atol=1e-8)"
)
_PER_ENTRY = "the tolerance applies to every entry on its own"

RIGHT = "`torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)` for every row"

_HINTS: dict[str, str] = {}  # a public case's description -> the hint its failure gets
EVERY_ROW = "Loop over every row (`for row in logits`) and compare all of its entries with the first row, `logits[0]`."
ONE_ROW = "With one row there is no `logits[1]`: loop over the rows instead of indexing them."
TOLERANCE = "Compare within the tolerance, `torch.allclose(a, b, atol=1e-4, rtol=1e-4)`, not with `==` (rounded or not)."
BOTH = (
    "`torch.allclose(a, b, atol=1e-4, rtol=1e-4)` allows |a - b| <= 1e-4 + 1e-4 × |b| in every entry: pass both "
    "values, atol and rtol."
)
PER_ENTRY = "Compare entry by entry (as `torch.allclose` does), not a sum, a norm or a mean of the differences."
FIRST_WITHIN = "Compare every row with the first row itself: `torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)`."
FIRST = "Compare every row with the first row, `logits[0]`, not with the row before it."


def _case(hint: str, description: str, args: tuple, expected: bool, why: str) -> Case:
    _HINTS[description] = hint
    return Case(description, args, expected, why=why)


CASES = [
    _case(
        EVERY_ROW, "two identical rows", (_rows(_BASE, _BASE),), True, why="identical rows agree"
    ),
    _case(
        ONE_ROW,
        "a single row",
        (_rows(_BASE),),
        True,
        why="one row agrees with itself: the function must work for any number of rows, one included",
    ),
    _case(
        EVERY_ROW,
        "three rows, the last one different",
        (_rows(_BASE, _BASE, [1.0, -0.5]),),
        False,
        why="the last row was not compared: compare every row with the first, not only the first two",
    ),
    _case(
        EVERY_ROW,
        "three rows, the middle one different",
        (_rows(_BASE, [1.0, -0.5], _BASE),),
        False,
        why="the middle row was not compared: compare every row with the first, the middle ones too",
    ),
    _case(
        EVERY_ROW,
        "two rows that differ in their second column only",
        (_rows(_BASE, [-2.5, 2.0]),),
        False,
        why="the second column was not compared: compare every column",
    ),
    _case(
        TOLERANCE,
        "two rows that differ by 3e-6 (float rounding, as a batch of one and a batch of two can)",
        (_rows(_BASE, [-2.5 + 3e-6, 2.5 - 3e-6]),),
        True,
        why="a difference of 3e-6 is float rounding, far inside atol=1e-4: an exact comparison (`==`, "
        "`torch.equal`), or a tolerance far below the task's, calls it a difference",
    ),
    _case(
        TOLERANCE,
        "two rows 4e-7 apart on both sides of a rounding boundary ([0.15, 0.125, 0.1125, ...] minus and plus 2e-7)",
        (_rows([e - 2e-7 for e in _EDGES], [e + 2e-7 for e in _EDGES]),),
        True,
        why="the rows differ by only 4e-7 but round to different numbers: rounding and then comparing with `==` "
        "is not a tolerance",
    ),
    _case(
        BOTH,
        "two rows that differ by 5e-5 in one entry, near 1 (inside atol=1e-4, rtol=1e-4)",
        (_rows([1.0, -1.0], [1.0 + 5e-5, -1.0]),),
        True,
        why=_TOO_TIGHT,
    ),
    _case(
        BOTH,
        "near-zero rows that differ by 5e-5 ([0, 0] and [5e-5, 0]: inside atol=1e-4)",
        (_rows([0.0, 0.0], [5e-5, 0.0]),),
        True,
        why="near 0 a relative tolerance allows almost nothing: the absolute part, atol=1e-4, is missing",
    ),
    _case(
        BOTH,
        "two rows that differ by 0.05 in both columns",
        (_rows(_BASE, [-2.45, 2.55]),),
        False,
        why="a difference of 0.05 passed: the comparison's tolerance is far looser than atol=1e-4, rtol=1e-4",
    ),
    _case(
        BOTH,
        "near-zero rows that differ by 5e-4 ([0.01, -0.01] and [0.0105, -0.01])",
        (_rows([0.01, -0.01], [0.0105, -0.01]),),
        False,
        why="near 0 the task allows 1e-4 (+ 1e-4 × 0.01); a difference of 5e-4 passed: the tolerance is too loose",
    ),
    _case(
        BOTH,
        "large rows that differ by 5e-3 ([20, -20] and [20.005, -20]: outside 1e-4 + 1e-4 × 20)",
        (_rows([20.0, -20.0], [20.005, -20.0]),),
        False,
        why="near 20 the task allows 1e-4 + 1e-4 × 20 = 2.1e-3; a difference of 5e-3 passed: the tolerance "
        "(its relative part, rtol) is too loose",
    ),
    _case(
        PER_ENTRY,
        "two rows whose differences cancel ([1, 2] and [1.5, 1.5])",
        (_rows([1.0, 2.0], [1.5, 1.5]),),
        False,
        why=f"+0.5 and -0.5 cancel in a sum (or a mean) of the differences: {_PER_ENTRY}",
    ),
    _case(
        PER_ENTRY,
        "two rows of eight entries, each 6e-5 apart (every entry inside the tolerance)",
        (_rows([0.5] * 8, [0.5 + 6e-5] * 8),),
        True,
        why=f"each entry is within the tolerance but their sum (or norm) is not: {_PER_ENTRY}",
    ),
    _case(
        PER_ENTRY,
        "sixteen rows, one entry of one row off by 2e-3",
        (
            torch.cat(
                [
                    _rows([0.3, -0.3]).repeat(9, 1),
                    _rows([0.3, -0.3 + 2e-3]),
                    _rows([0.3, -0.3]).repeat(6, 1),
                ]
            ),
        ),
        False,
        why=f"one entry is 2e-3 away, but the average difference is small: {_PER_ENTRY}, not to an average",
    ),
    _case(
        FIRST_WITHIN,
        "near-zero rows 1.5e-4 apart ([0, 0] and [1.5e-4, 0]: outside atol=1e-4)",
        (_rows([0.0, 0.0], [1.5e-4, 0.0]),),
        False,
        why="near 0 the task allows 1e-4 between a row and the first row; these rows are 1.5e-4 apart and the "
        "comparison let that through",
    ),
    _case(
        BOTH,
        "large rows that differ by 1e-3 ([20, -20] and [20.001, -20]: inside 1e-4 + 1e-4 × 20 = 2.1e-3)",
        (_rows([20.0, -20.0], [20.001, -20.0]),),
        True,
        why="near 20 the task allows 1e-4 + 1e-4 × 20 = 2.1e-3, and 1e-3 was refused: the relative part "
        "(rtol=1e-4, times the first row's entry) is missing or smaller",
    ),
    _case(
        FIRST,
        "four rows drifting by 9e-5 a step (each near the previous one, the last 2.7e-4 from the first)",
        (_rows([0.0, 0.0], [9e-5, 0.0], [1.8e-4, 0.0], [2.7e-4, 0.0]),),
        False,
        why="comparing each row with the previous one lets small steps add up: compare every row with the first",
    ),
]


def _across(cases, runs) -> None:
    """Name a function that gives the same answer whatever the rows (`return True`, a row compared with itself)."""
    runs = runs[
        : len(cases)
    ]  # the grader's runs go on with the hidden cases: only the public ones are named here
    results = [r.result for r in runs if r.error is None and not r.timed_out and not r.mutated]
    if (
        len(results) == len(cases)
        and len({type(r) for r in results}) == 1
        and isinstance(results[0], bool)
        and len(set(results)) == 1
    ):
        value = results[0]
        raise Mistake(
            f"`rows_agree` returned {value} on every case.",
            id="constant_answer",
            expected="True for the rows that agree within the tolerance, False for the others",
            found=f"{value} whatever the rows",
            cause="nothing is really compared (a row compared with itself, or a fixed `return`)"
            if value
            else "no row counts as agreeing, not even identical ones",
            hint="compare each row with the first row, `logits[0]`"
            if value
            else "identical rows, and a single row, agree: start from a case that must give True",
        )


@function_exercise(
    "Do all rows agree?",
    cases=CASES,
    hints=(
        "Floats computed in different batches can differ in the last digits: compare with a tolerance, not `==`.",
        "Compare each row with the FIRST row, entry by entry: `torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)`.",
        "`all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)` is a Python bool.",
    ),
    across=_across,
)
def rows_agree(result, case: Case) -> None:
    """`rows_agree(logits)` is the bool: every entry of every row within atol + rtol * |first row's entry| of the
    first row's entry, atol = rtol = 1e-4 (what `torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)` tests)."""
    found = _python_bool(result, "rows_agree")
    if found is not case.expected:
        raise Mistake(
            f"`rows_agree` returned {found}.",
            id="wrong_answer",
            expected=str(case.expected),
            found=str(found),
            cause=case.why,
            hint=_HINTS.get(case.description, ""),
        )


def _python_bool(value, name: str) -> bool:
    """The task asks for True or False: a Python bool, not a one-element tensor or a NumPy bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype == torch.bool:
        raise Mistake(
            f"`{name}` returned a one-element tensor, not True or False.",
            id="one_element_tensor",
            expected="a Python bool (`True` or `False`), as the task says",
            found=compare.describe(value),
            cause="comparisons of tensors (`<`, `.all()`) give tensors; `torch.allclose` gives a bool",
            hint="turn it into a bool: `bool(...)` or `.item()`",
        )
    if (
        type(value).__module__ == "numpy"
        and getattr(getattr(value, "dtype", None), "kind", "") == "b"
        and getattr(value, "size", 0) == 1
    ):
        raise Mistake(
            f"`{name}` returned a NumPy bool, not True or False.",
            id="numpy_bool",
            expected="a Python bool (`True` or `False`), as the task says",
            found=f"a NumPy {type(value).__name__} ({value})",
            cause="NumPy comparisons (`.all()` on an array) give NumPy bools; `np.allclose` gives a bool",
            hint="turn it into a bool: `bool(...)`",
        )
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, bool) for v in value):
        raise Mistake(
            f"`{name}` returned a {type(value).__name__} of {len(value)} True/False values.",
            id="list_of_booleans",
            expected="one True or False for all the rows",
            found=compare.describe(value),
            hint="reduce them to one answer: `all(...)`",
        )
    compare.as_bool(value, name)  # names None, tensors of many entries and other values
    raise Mistake(
        f"`{name}` did not return True or False.",
        id="not_a_python_bool",
        expected="a Python bool",
        found=compare.describe(value),
    )

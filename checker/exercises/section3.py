"""Section 3, notebook ``03_batching_multiple_sequences.ipynb``: a batch of two identical sequences."""
from __future__ import annotations

import torch

from .. import compare, diagnose, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from . import _shared


@value_exercise(
    "A batch of two identical sequences",
    hints=("A batch is a list of sequences. Here both sequences are `ids`.",
           "`torch.tensor([ids, ids])` has shape (2, number of ids)."),
)
def batched_ids(batched_ids) -> None:
    """`batched_ids` is a (2, n) int64 tensor holding the manual `ids` twice."""
    ids = _shared.seed_manual_ids()
    expected = torch.tensor([ids, ids])
    found = compare.integer_ids(batched_ids, "batched_ids")
    if found.dim() == 2 and found.shape == (1, len(ids)):
        raise Mistake("`batched_ids` holds the sequence once.", expected=f"shape {tuple(expected.shape)}: two copies",
                      found=f"shape {tuple(found.shape)}", cause="that is the batch of one from section 2",
                      hint="put `ids` twice in the list: `[ids, ids]`")
    if found.dim() == 1 and found.numel() == 2 * len(ids):
        raise Mistake("`batched_ids` is one long sequence, the ids twice in a row.", expected=f"shape {tuple(expected.shape)}",
                      found=f"shape {tuple(found.shape)}",
                      cause="`ids + ids` joins the lists; a batch is a list *of* lists: `[ids, ids]`")
    if found.dim() == 3 and found.shape[1:] == (1, len(ids)):
        raise Mistake("`batched_ids` has 3 dimensions.", expected=f"shape {tuple(expected.shape)} (batch, tokens)",
                      found=f"shape {tuple(found.shape)}",
                      cause="each copy already had its own batch dimension (`[input_ids, input_ids]` or `[[ids], [ids]]`)",
                      hint="start from the list `ids`, not from the (1, n) tensor: `torch.tensor([ids, ids])`")
    diagnose.token_ids(found, expected, _shared.tokenizer(), name="batched_ids")


@value_exercise(
    "Logits for the batch of two",
    hints=("Call the model on `batched_ids` and take the `.logits` of its output.",),
)
def batched_logits(batched_logits) -> None:
    """`batched_logits` are the model's logits for `batched_ids`: shape (2, 2), within the fp32 tolerance."""
    expected = references.get("seed_logits_twice")
    if hasattr(batched_logits, "logits") and not isinstance(batched_logits, torch.Tensor):
        raise Mistake("`batched_logits` is the model's whole output.", expected="the logits tensor, shape (2, 2)",
                      found=compare.describe(batched_logits), hint="take its `.logits`: `model(batched_ids).logits`")
    values = compare.logits(batched_logits, "batched_logits")
    single = references.get("seed_logits")
    if values.shape == single.shape and compare.close(values, single, compare.tolerance()):
        raise Mistake("`batched_logits` has only one row.", expected=f"shape {tuple(expected.shape)}, one row per sequence",
                      found=f"shape {tuple(values.shape)}",
                      cause="these are the logits of the batch of one (`input_ids`), not of `batched_ids`")
    if values.dim() == 1 and values.shape == expected.shape[1:]:
        raise Mistake("`batched_logits` has only one row.", expected=f"shape {tuple(expected.shape)}, one row per sequence",
                      found=f"shape {tuple(values.shape)}", cause="you kept one row (`logits[0]`); keep the whole tensor")
    _shared.reference_logits(values, "batched_logits", "seed_logits_twice")


def _rows(*rows: list[float]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


_BASE = [-2.5, 2.5]


@function_exercise(
    "Do all rows agree?",
    cases=[
        Case("two identical rows", (_rows(_BASE, _BASE),), True, why="identical rows agree"),
        Case("rows that differ by 5e-7 (a batch of one and a batch of two)", (_rows(_BASE, [-2.5 + 5e-7, 2.5 - 5e-7]),),
             True, why="an exact comparison (`==`, `torch.equal`) fails on float rounding; compare within the tolerance"),
        Case("rows that differ by 0.05", (_rows(_BASE, [-2.45, 2.5]),), False,
             why="0.05 is far outside atol=1e-4: the tolerance is too loose, or only some entries are compared"),
        Case("three rows, the last one different", (_rows(_BASE, _BASE, [1.0, -1.0]),), False,
             why="every row must be compared with the first, not only the first two"),
        Case("three rows, the middle one different in its second column", (_rows(_BASE, [-2.5, 2.0], _BASE),), False,
             why="compare every column, not only the first"),
        Case("a single row", (_rows(_BASE),), True, why="one row agrees with itself"),
    ],
    hints=("Floats computed in different batches can differ in the last digits: compare with a tolerance, not `==`.",
           "Compare each row with the first: `torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)`.",
           "`torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)` compares all rows at once."),
)
def rows_agree(result, case: Case) -> None:
    """`rows_agree(logits)` is True exactly when every row equals the first within atol=1e-4, rtol=1e-4."""
    found = compare.as_bool(result, "rows_agree")
    if found is not case.expected:
        raise Mistake(f"`rows_agree` returned {found}.", expected=str(case.expected), found=str(found), cause=case.why)

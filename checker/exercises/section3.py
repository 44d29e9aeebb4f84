"""Section 3, notebook ``03_batching_multiple_sequences.ipynb``: a batch of two identical sequences."""
from __future__ import annotations

from typing import Any

import torch

from .. import calls, compare, diagnose, references
from ..exercise import Exercise, Mistake
from . import _shared



def _verify_batched_ids(batched_ids) -> None:
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


def _verify_batched_logits(batched_logits) -> None:
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
    diagnose.logits(values, expected, name="batched_logits",
                    alternatives=references.other_checkpoints("seed_logits_twice"))


def _agrees(expected: bool, why_not: str):
    def verify(result: Any) -> None:
        if result is None:
            raise Mistake("`rows_agree` returned None.", expected="True or False",
                          cause="a function without `return` returns None (printing is not returning)")
        if isinstance(result, torch.Tensor):
            if result.numel() != 1:
                raise Mistake("`rows_agree` returned a tensor of many values.", expected="one True or False",
                              found=compare.describe(result),
                              cause="`torch.isclose` and `==` compare entry by entry",
                              hint="reduce to one answer: `torch.allclose(...)`, or `.all()` on the entries")
            result = result.item()
        if not isinstance(result, bool) and type(result).__name__ != "bool_":
            raise Mistake("`rows_agree` did not return a boolean.", expected="True or False",
                          found=compare.describe(result))
        if bool(result) is not expected:
            raise Mistake(f"`rows_agree` returned {bool(result)}.", expected=str(expected), found=str(bool(result)),
                          cause=why_not)
    return verify


def _rows(*rows: list[float]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def _verify_rows_agree(rows_agree) -> None:
    base = [-2.5, 2.5]
    cases = [
        ("two identical rows", (_rows(base, base),),
         _agrees(True, "identical rows agree")),
        ("rows that differ by 5e-7 (a batch of one and a batch of two)", (_rows(base, [-2.5 + 5e-7, 2.5 - 5e-7]),),
         _agrees(True, "an exact comparison (`==`, `torch.equal`) fails on float rounding; compare within the tolerance")),
        ("rows that differ by 0.05", (_rows(base, [-2.45, 2.5]),),
         _agrees(False, "0.05 is far outside atol=1e-4: the tolerance is too loose, or only some entries are compared")),
        ("three rows, the last one different", (_rows(base, base, [1.0, -1.0]),),
         _agrees(False, "every row must be compared with the first, not only the first two")),
        ("three rows, the middle one different in its second column", (_rows(base, [-2.5, 2.0], base),),
         _agrees(False, "compare every column, not only the first")),
        ("a single row", (_rows(base),),
         _agrees(True, "one row agrees with itself")),
    ]
    calls.check_each(cases, rows_agree, "rows_agree")


batched_ids = Exercise(
    name="batched_ids",
    title="A batch of two identical sequences",
    checks="`batched_ids` is a (2, n) int64 tensor holding the manual `ids` twice",
    verify=_verify_batched_ids,
    variables=("batched_ids",),
    hints=("A batch is a list of sequences. Here both sequences are `ids`.",
           "`torch.tensor([ids, ids])` has shape (2, number of ids)."),
    solution_code="batched_ids = torch.tensor([ids, ids])",
)

batched_logits = Exercise(
    name="batched_logits",
    title="Logits for the batch of two",
    checks="`batched_logits` are the model's logits for `batched_ids`: shape (2, 2), within the fp32 tolerance",
    verify=_verify_batched_logits,
    variables=("batched_logits",),
    hints=("Call the model on `batched_ids` and take the `.logits` of its output.",),
    solution_code="batched_logits = model(batched_ids).logits",
)

rows_agree = Exercise(
    name="rows_agree",
    title="Do all rows agree?",
    checks="`rows_agree(logits)` is True exactly when every row equals the first within atol=1e-4, rtol=1e-4",
    verify=_verify_rows_agree,
    variables=("rows_agree",),
    hints=("Floats computed in different batches can differ in the last digits: compare with a tolerance, not `==`.",
           "Compare each row with the first: `torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4)`.",
           "`torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)` compares all rows at once."),
    solution_code=("def rows_agree(logits):\n"
                   "    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)"),
)

"""Section 4, notebook ``04_padding.ipynb``: padding a ragged batch with the pad id."""
from __future__ import annotations

from typing import Any

import torch

from .. import compare, diagnose, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from ..padding import right_pad
from . import _shared


@value_exercise(
    "Pad the batch",
    hints=("Make both rows as long as the longest by adding the pad id at the end of the short one, then build a tensor.",
           "The pad id is `tokenizer.pad_token_id`; the short row becomes `[200, 200, tokenizer.pad_token_id]`."),
)
def padded_ids(padded_ids) -> None:
    """`padded_ids` is the (2, 3) int64 tensor of `batched_ids`, the short row padded on the right with the pad id."""
    tokenizer = _shared.tokenizer()
    expected = torch.tensor(right_pad(references.SHORT_IDS, tokenizer.pad_token_id)[0])
    found = compare.integer_ids(padded_ids, "padded_ids")
    if found.dim() == 1 and found.numel() == expected.numel():
        raise Mistake("`padded_ids` is one long sequence.", expected=f"shape {tuple(expected.shape)}: one row per sequence",
                      found=f"shape {tuple(found.shape)}", cause="keep the list of two lists; do not join them")
    diagnose.token_ids(padded_ids, expected, tokenizer, name="padded_ids")


# --- pad_batch(sequences, pad_id): right-pad to the longest sequence --------------------------------

def _as_result_tensor(result: Any) -> torch.Tensor:
    if result is None:
        raise Mistake("`pad_batch` returned None.", expected="a tensor of shape (batch, longest length)",
                      cause="a function without `return` returns None (printing is not returning)")
    if isinstance(result, (list, tuple)):
        raise Mistake(f"`pad_batch` returned a {type(result).__name__}, not a tensor.",
                      expected="a torch tensor of dtype torch.int64", found=compare.describe(result),
                      cause="models take tensors, not lists", hint="return `torch.tensor(padded)`")
    if not isinstance(result, torch.Tensor):
        raise Mistake("`pad_batch` did not return a torch tensor.", expected="a torch tensor of dtype torch.int64",
                      found=compare.describe(result), hint="return `torch.tensor(padded)`")
    if result.dtype != torch.int64:
        cause = ("ids are indices, not measurements" if result.is_floating_point() or result.dtype == torch.bool
                 else "the model's embedding lookup expects torch.int64 (`torch.long`)")
        raise Mistake(f"`pad_batch` returned a tensor of dtype {result.dtype}.", expected="dtype torch.int64 (token ids)",
                      found=compare.describe(result), cause=cause,
                      hint="build it from lists of ints with `torch.tensor(...)`, or call `.long()`"
                      + (" (`torch.tensor([])` of an empty list is float)" if result.is_floating_point() else ""))
    return compare.to_tensor(result, "pad_batch's result")


#: The public cases (the notebook shows only the first). An empty batch is deliberately not a case: it has
#: no longest sequence, and the notebook tells the learner they may assume at least one sequence. An
#: empty *sequence* in a batch is a case.
PAD_CASES = [
    Case("the notebook's batch [[200, 200, 200], [200, 200]] with pad id 0",
         ([[200, 200, 200], [200, 200]], 0), [[200, 200, 200], [200, 200, 0]]),
    Case("three sequences, the longest in the middle", ([[7, 8], [1, 2, 3, 4], [5]], 0),
         [[7, 8, 0, 0], [1, 2, 3, 4], [5, 0, 0, 0]]),
    Case("a pad id other than 0 (RoBERTa pads with 1)", ([[0, 31414, 2], [0, 2]], 1), [[0, 31414, 2], [0, 2, 1]]),
    Case("sequences of length 1", ([[42], [43]], 0), [[42], [43]]),
    Case("a batch of one sequence", ([[5, 6, 7]], 0), [[5, 6, 7]]),
    Case("sequences that already have the same length", ([[1, 2], [3, 4]], 0), [[1, 2], [3, 4]]),
    Case("a batch with an empty sequence", ([[9, 8, 7], []], 0), [[9, 8, 7], [0, 0, 0]]),
]


@function_exercise(
    "Write pad_batch",
    cases=PAD_CASES,
    hints=("Find the longest length with `max(len(s) for s in sequences)`; then give every sequence that length.",
           "A new list per sequence: `s + [pad_id] * (width - len(s))` (no `.extend`, which changes the caller's list).",
           "Return `torch.tensor(padded_lists)`: ints give dtype torch.int64."),
    mutation=("`seq.extend(...)` or `seq += ...` modify the caller's list in place",
              "build new lists: `seq + [pad_id] * (width - len(seq))`"),
)
def pad_batch(result, case: Case) -> None:
    """`pad_batch(sequences, pad_id)` returns the right-padded (batch, longest) int64 tensor."""
    sequences, pad_id = case.args
    expected = torch.tensor(case.expected, dtype=torch.long).reshape(len(case.expected), -1)
    found = _as_result_tensor(result)
    if found.shape != expected.shape:
        if found.dim() == 2 and found.shape[0] == expected.shape[0] and found.shape[1] > expected.shape[1]:
            cause = "pad to the longest sequence of *this* batch, not to a fixed length"
        elif found.dim() == 2 and found.shape[0] == expected.shape[0]:
            cause = "pad to the longest sequence, not to the first or the shortest"
        elif found.dim() == 2 and found.shape == expected.shape[::-1]:
            cause = "the result is transposed: one row per sequence"
        else:
            cause = "one row per sequence, as many columns as the longest sequence has ids"
        raise Mistake("the result has the wrong shape.", expected=f"shape {tuple(expected.shape)}",
                      found=f"shape {tuple(found.shape)}", cause=cause)
    if torch.equal(found, expected):
        return
    diagnose.padded_batch(found, expected, sequences, pad_id, "the result")
    real = torch.tensor(right_pad(sequences, 0)[1], dtype=torch.bool).reshape(expected.shape)
    row, col = (found != expected).nonzero()[0].tolist()
    raise Mistake(f"the result differs at row {row}, position {col}.",
                  expected=f"{'the pad id' if not real[row, col] else 'the id of that sequence'} there",
                  found=f"{int(found[row, col])}", cause="keep each sequence's ids in order, then pad it on the right")

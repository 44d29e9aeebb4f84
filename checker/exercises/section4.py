"""Section 4, notebook ``04_padding.ipynb``: padding a ragged batch with the pad id."""
from __future__ import annotations

import copy
from typing import Any

import torch

from .. import calls, compare, diagnose, references
from ..exercise import Exercise, Mistake
from . import _shared


def _verify_padded_ids(padded_ids) -> None:
    tokenizer = _shared.tokenizer()
    pad = tokenizer.pad_token_id
    width = max(len(s) for s in references.SHORT_IDS)
    expected = torch.tensor([s + [pad] * (width - len(s)) for s in references.SHORT_IDS])
    found = compare.integer_ids(padded_ids, "padded_ids")
    if found.dim() == 1 and found.numel() == expected.numel():
        raise Mistake("`padded_ids` is one long sequence.", expected=f"shape {tuple(expected.shape)}: one row per sequence",
                      found=f"shape {tuple(found.shape)}", cause="keep the list of two lists; do not join them")
    diagnose.token_ids(padded_ids, expected, tokenizer, name="padded_ids")


# --- pad_batch(sequences, pad_id): right-pad to the longest sequence --------------------------------

def _padded(sequences: list[list[int]], pad_id: int) -> torch.Tensor:
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long).reshape(len(sequences), width)


def _left_padded(sequences: list[list[int]], pad_id: int) -> torch.Tensor:
    width = max(len(s) for s in sequences)
    return torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long).reshape(len(sequences), width)


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


def _expect_padding(sequences: list[list[int]], pad_id: int):
    expected = _padded(sequences, pad_id)
    before = copy.deepcopy(sequences)

    def verify(result: Any) -> None:
        found = _as_result_tensor(result)
        if sequences != before:
            raise Mistake("`pad_batch` changed the lists it was given.", expected="the input lists left as they were",
                          found="padding appended to the caller's lists",
                          cause="`seq.extend(...)` or `seq += ...` modify the list in place",
                          hint="build new lists: `seq + [pad_id] * (width - len(seq))`")
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
        real = torch.tensor([[j < len(s) for j in range(expected.shape[1])] for s in sequences],
                            dtype=torch.bool).reshape(expected.shape)
        if torch.equal(found, _left_padded(sequences, pad_id)):
            raise Mistake("the result is padded on the left.", expected="the pad ids after each sequence's ids",
                          found="the pad ids before them",
                          cause="this course's models use right padding: left padding shifts every token's position")
        if torch.equal(found[real], expected[real]) and (~real).any():
            used = sorted(set(found[~real].tolist()))
            if used == [0] and pad_id != 0:
                raise Mistake("the result pads with 0, not with `pad_id`.", expected=f"the pad id given, {pad_id}",
                              found="0", cause="pad ids differ between models: use the `pad_id` argument")
            shown = ", ".join(str(u) for u in used[:3])
            raise Mistake(f"the result pads with {shown}, not with `pad_id`.", expected=f"the pad id given, {pad_id}",
                          found=shown, cause="pad with the `pad_id` argument, whatever number it is")
        row, col = (found != expected).nonzero()[0].tolist()
        raise Mistake(f"the result differs at row {row}, position {col}.",
                      expected=f"{'the pad id' if not real[row, col] else 'the id of that sequence'} there",
                      found=f"{int(found[row, col])}", cause="keep each sequence's ids in order, then pad it on the right")

    return verify


#: The checked cases: (description, sequences, pad id). The notebook shows only the first.
#: An empty batch is deliberately not a case: it has no longest sequence, and the notebook tells
#: the learner they may assume at least one sequence. An empty *sequence* in a batch is a case.
PAD_CASES: list[tuple[str, list[list[int]], int]] = [
    ("the notebook's batch [[200, 200, 200], [200, 200]] with pad id 0", [[200, 200, 200], [200, 200]], 0),
    ("three sequences, the longest in the middle", [[7, 8], [1, 2, 3, 4], [5]], 0),
    ("a pad id other than 0 (RoBERTa pads with 1)", [[0, 31414, 2], [0, 2]], 1),
    ("sequences of length 1", [[42], [43]], 0),
    ("a batch of one sequence", [[5, 6, 7]], 0),
    ("sequences that already have the same length", [[1, 2], [3, 4]], 0),
    ("a batch with an empty sequence", [[9, 8, 7], []], 0),
]


def _verify_pad_batch(pad_batch) -> None:
    cases = []
    for description, sequences, pad_id in PAD_CASES:
        given = copy.deepcopy(sequences)  # the verify keeps these very lists, to notice in-place changes
        cases.append((description, (given, pad_id), _expect_padding(given, pad_id)))
    calls.check_each(cases, pad_batch, "pad_batch")


padded_ids = Exercise(
    name="padded_ids",
    title="Pad the batch",
    checks="`padded_ids` is the (2, 3) int64 tensor of `batched_ids`, the short row padded on the right with the pad id",
    verify=_verify_padded_ids,
    variables=("padded_ids",),
    hints=("Make both rows as long as the longest by adding the pad id at the end of the short one, then build a tensor.",
           "The pad id is `tokenizer.pad_token_id`; the short row becomes `[200, 200, tokenizer.pad_token_id]`."),
    solution_code="padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]])",
)

pad_batch = Exercise(
    name="pad_batch",
    title="Write pad_batch",
    checks=("`pad_batch(sequences, pad_id)` returns the right-padded (batch, longest) int64 tensor, "
            f"on {len(PAD_CASES)} cases (other pad ids, length-1 and empty sequences, a batch of one)"),
    verify=_verify_pad_batch,
    variables=("pad_batch",),
    hints=("Find the longest length with `max(len(s) for s in sequences)`; then give every sequence that length.",
           "A new list per sequence: `s + [pad_id] * (width - len(s))` (no `.extend`, which changes the caller's list).",
           "Return `torch.tensor(padded_lists)`: ints give dtype torch.int64."),
    solution_code=("def pad_batch(sequences, pad_id):\n"
                   "    width = max(len(s) for s in sequences)\n"
                   "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"),
)

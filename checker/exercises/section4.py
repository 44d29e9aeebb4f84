"""Section 4, notebook ``04_padding.ipynb``: padding a ragged batch with the pad id."""

from __future__ import annotations

from typing import Any

import torch

from .. import compare, diagnose, gates, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from ..padding import right_pad
from . import _shared


@value_exercise(
    "Pad the batch",
    hints=(
        "Make both rows as long as the longest by adding the pad id at the end of the short one, then build a tensor.",
        "The pad id is `tokenizer.pad_token_id`; the short row becomes `[200, 200, tokenizer.pad_token_id]`.",
    ),
)
def padded_ids(padded_ids) -> None:
    """`padded_ids` is the (2, 3) torch.int64 tensor of `batched_ids`, the short row padded on the right with the
    pad id."""
    tokenizer = _shared.tokenizer()
    expected = torch.tensor(right_pad(references.SHORT_IDS, tokenizer.pad_token_id)[0])
    compare.refuse_token_strings(padded_ids, "padded_ids")
    found = compare.id_tensor(padded_ids, "padded_ids")
    if found.dim() == 1 and found.numel() == expected.numel():
        raise Mistake(
            "`padded_ids` is one long sequence.",
            id="one_long_sequence",
            expected=f"shape {tuple(expected.shape)}: one row per sequence",
            found=f"shape {tuple(found.shape)}",
            cause="keep the list of two lists; do not join them",
        )
    _shared.token_ids(found, expected, "padded_ids", tokenizer)


# --- pad_batch(sequences, pad_id): right-pad to the longest sequence --------------------------------


def _as_result_tensor(result: Any, case: Case) -> torch.Tensor:
    """The result as a torch.int64 tensor, or a Mistake saying what it is instead (and why, where that shows)."""
    if result is None:
        raise gates.returned_none("pad_batch", "a tensor of shape (batch, longest length)")
    mistake = gates.not_a_tensor(
        result,
        "pad_batch",
        "a torch tensor of dtype torch.int64",
        returned=True,
        cause={
            "list": "the padded lists are only the raw material of the batch: the model takes a tensor"
        },
        hint={"numpy": "`torch.from_numpy(...)`, or build it with `torch.tensor(padded)`"},
    )
    if mistake is not None:
        raise mistake
    if result.dtype != torch.int64:
        empty = any(len(s) == 0 for s in case.args[0])
        if result.is_floating_point() and all(len(s) == 0 for s in case.args[0]):
            cause = (
                "every sequence is empty: `torch.tensor([[], []])` has no int to take its dtype from and is "
                "float32, so a batch of empty sequences needs the dtype said"
            )
            hint = "`torch.tensor(padded, dtype=torch.long)`"
        elif result.is_floating_point() and empty:
            cause = (
                "the empty sequence became a float tensor (`torch.tensor([])` is float32), and the padded batch "
                "took its dtype"
            )
            hint = "give the dtype, `torch.tensor(seq, dtype=torch.long)`, or pad the lists first and make one tensor"
        elif result.is_floating_point() or result.dtype == torch.bool:
            cause, hint = (
                "",
                (
                    "ids must be integers: `torch.Tensor(...)` (capital T), `torch.zeros(...)` and "
                    "`dtype=torch.float` make floats; build it from lists of ints with `torch.tensor(...)`"
                ),
            )
        else:
            cause = f"`dtype={result.dtype}` (or `.int()`, `.short()`): the task asks for torch.int64 ids"
            hint = "leave out `dtype` (Python ints give torch.int64), or use `dtype=torch.long`"
        raise Mistake(
            f"`pad_batch` returned a tensor of dtype {result.dtype}.",
            id="result_dtype",
            expected="dtype torch.int64: ids are indices into the embedding table",
            found=compare.describe(result),
            cause=cause,
            hint=hint,
        )
    return compare.to_tensor(result, "pad_batch's result")


#: The public cases (the notebook shows only the first). An empty batch is deliberately not a case: it has
#: no longest sequence, and the notebook tells the learner they may assume at least one sequence. An
#: empty *sequence* in a batch is a case, and so is a batch of empty sequences (its longest has 0 ids:
#: `torch.tensor([[], []])` is float32, so only a dtype said makes it torch.int64).
PAD_CASES = [
    Case(
        "the notebook's batch [[200, 200, 200], [200, 200]] with pad id 0",
        ([[200, 200, 200], [200, 200]], 0),
        [[200, 200, 200], [200, 200, 0]],
    ),
    Case(
        "three sequences, the longest in the middle",
        ([[7, 8], [1, 2, 3, 4], [5]], 0),
        [[7, 8, 0, 0], [1, 2, 3, 4], [5, 0, 0, 0]],
    ),
    Case(
        "a pad id other than 0 (RoBERTa pads with 1)",
        ([[0, 31414, 2], [0, 2]], 1),
        [[0, 31414, 2], [0, 2, 1]],
    ),
    Case("sequences of length 1", ([[42], [43]], 0), [[42], [43]]),
    Case("a batch of one sequence", ([[5, 6, 7]], 0), [[5, 6, 7]]),
    Case("sequences that already have the same length", ([[1, 2], [3, 4]], 0), [[1, 2], [3, 4]]),
    Case("a batch with an empty sequence", ([[9, 8, 7], []], 0), [[9, 8, 7], [0, 0, 0]]),
    Case("a batch whose first sequence is empty", ([[], [4, 5]], 0), [[0, 0], [4, 5]]),
    Case("a batch of empty sequences [[], []]: shape (2, 0)", ([[], []], 0), [[], []]),
]


@function_exercise(
    "Write pad_batch",
    cases=PAD_CASES,
    seconds=0.5,  # padding a few short lists takes microseconds; an endless loop costs half a second per check
    hints=(
        "Find the longest length with `max(len(s) for s in sequences)`; then give every sequence that length.",
        "A new list per sequence: `s + [pad_id] * (width - len(s))` (no `.extend`, which changes the caller's list).",
        "Return `torch.tensor(padded_lists, dtype=torch.long)`: a batch of empty sequences has no int to give it that "
        "dtype.",
    ),
    mutation=_shared.PADDING_MUTATION,
)
def pad_batch(result, case: Case) -> None:
    """`pad_batch(sequences, pad_id)` returns the right-padded (batch, longest) int64 tensor."""
    sequences, pad_id = case.args
    expected = torch.tensor(case.expected, dtype=torch.long).reshape(len(case.expected), -1)
    found = _as_result_tensor(result, case)
    if found.shape != expected.shape:
        raise Mistake(
            "the result has the wrong shape.",
            id="result_shape",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(found.shape)}",
            cause=_shape_cause(found, expected, sequences),
        )
    if torch.equal(found, expected):
        return
    rows, want = [tuple(r) for r in found.tolist()], [tuple(r) for r in expected.tolist()]
    if sorted(rows) == sorted(want):
        raise Mistake(
            "the result has the sequences in another order than given.",
            id="reordered",
            expected="row i: sequence i, in the order of `sequences`",
            found="the same rows, reordered",
            cause="the sequences were sorted (by length?) or reversed before padding",
            hint="keep the order: the caller matches row i with its sequence i",
        )
    diagnose.padded_batch(found, expected, sequences, pad_id, "the result")
    real = torch.tensor(right_pad(sequences, 0)[1], dtype=torch.bool).reshape(expected.shape)
    row, col = (found != expected).nonzero()[0].tolist()
    raise Mistake(
        f"the result differs at row {row}, position {col}.",
        id="wrong_id",
        expected=f"{'the pad id' if not real[row, col] else 'the id of that sequence'} there",
        found=f"{int(found[row, col])}",
        cause="keep each sequence's ids in order, then pad it on the right",
    )


def _shape_cause(found: torch.Tensor, expected: torch.Tensor, sequences) -> str:
    """What the shape shows: transposed, or which width was used instead of the longest sequence's length."""
    if (
        found.dim() == 2
        and tuple(found.shape) == tuple(expected.shape)[::-1]
        and found.shape != expected.shape
    ):
        return (
            "the result is transposed, (longest, batch) instead of (batch, longest); `pad_sequence` gives that "
            "shape unless it is called with `batch_first=True`"
        )
    if found.dim() == 2 and found.shape[0] != expected.shape[0]:
        rows, empty = found.shape[0], sum(1 for s in sequences if not s)
        text = f"{rows} row{'' if rows == 1 else 's'} for {len(sequences)} sequences: one row per sequence"
        if empty and rows == len(sequences) - empty:
            text += "; the empty sequence was left out, and it needs a row of pad ids too"
        return text
    if found.dim() != 2:
        return "one row per sequence, as many columns as the longest sequence has ids"
    width, longest = found.shape[1], expected.shape[1]
    lengths = [len(s) for s in sequences]
    if width == longest + 1:
        return (
            f"one column more than the longest sequence ({longest} ids): an off-by-one in the width"
        )
    if width > longest:
        return f"padded to {width} columns, but the longest sequence of this batch has {longest} ids: pad to it, no further"
    if width == lengths[0] and lengths[0] != min(lengths):
        return "the width is the first sequence's length: pad to the longest, wherever it is in the batch"
    if width == min(lengths):
        return "the width is the shortest sequence's length: the longer ones were cut; pad to the longest instead"
    return f"pad to the longest sequence of the batch ({longest} ids)"

"""Section 5, notebook ``05_padding_in_practice.ipynb``: padding without a mask changes the logits of exactly the
rows that get padded, and why."""

from __future__ import annotations

import torch

from .. import compare, gates, model_calls, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..model import load_model
from ..outcome import Mistake
from ..serial import Opaque
from . import _shared

PADDED_SHAPE = (2, 3)  # the notebook's `padded`: [[200, 200, 200], [200, 200, pad]]


def _other_paddings() -> dict[str, tuple[torch.Tensor, str]]:
    """The logits of the same two sequences padded another way (no mask): with [UNK], as the original course did,
    or on the left. Computed here (two calls on 2 x 3 ids), not recorded as the learner's calls."""
    loaded = load_model()
    tok = loaded.tokenizer
    rows, pad, unk = references.SHORT_IDS, tok.pad_token_id, tok.unk_token_id
    width = max(len(r) for r in rows)
    found = {
        "the logits of the batch padded on the left": (
            [[pad] * (width - len(r)) + r for r in rows],
            "the pad is in front of the short row; `padded` has it at the end of the row",
        ),
    }
    if unk is not None and unk != pad:
        found["the logits of the batch padded with [UNK]"] = (
            [r + [unk] * (width - len(r)) for r in rows],
            f"the short row is padded with {unk} ([UNK]), not with the pad id {pad} "
            "(`tokenizer.pad_token_id`) that `padded` uses",
        )
    with model_calls.unrecorded():
        return {
            label: (references.logits_of(loaded.model, ids), cause)
            for label, (ids, cause) in found.items()
        }


@value_exercise(
    "Logits of the padded batch (no mask)",
    hints=(
        "Call the model once, on the tensor `padded`, and nothing else: no `attention_mask=`.",
        "`model(padded).logits`",
    ),
    observe=True,
)
def padded_logits(padded_logits, *, call) -> None:
    """`padded_logits` is the logits tensor that ONE call of the model on `padded`, without a mask, returned."""
    _shared.logits_from_one_call(
        padded_logits,
        call,
        "padded_logits",
        "short_padded_no_mask",
        batch=PADDED_SHAPE[0],
        width=PADDED_SHAPE[1],
        masked=False,
        how="`model(padded).logits`",
        point="Run alone, no sequence meets padding: the exercise is what one call on the padded batch gives.",
        known=(
            (
                "the logits of the padded batch WITH an attention mask",
                "short_padded_masked",
                "those are the numbers a mask gives (section 6), and also those of each sequence run alone: with a "
                "mask, or without padding, no row attends to a [PAD]; this exercise calls the model once on "
                "`padded`, without a mask",
            ),
        ),
        computed=_other_paddings(),
    )


# --- changed_rows: which rows padding changes, and why -------------------------------------------------


def _expected(sequences: list[list[int]]) -> list[int]:
    """The rows that get at least one pad token: the shorter than the longest (the rows the model sees changed)."""
    width = max(len(s) for s in sequences)
    return [i for i, s in enumerate(sequences) if len(s) < width]


def _case(description: str, sequences: list[list[int]]) -> Case:
    return Case(description, (sequences,), _expected(sequences))


CASES = [
    _case("the notebook's batch [[200, 200, 200], [200, 200]]", [[200, 200, 200], [200, 200]]),
    _case(
        "three sequences [[7, 8], [9, 10, 11, 12], [13]] (the first and the last are shorter)",
        [[7, 8], [9, 10, 11, 12], [13]],
    ),
    _case("[[5, 6, 7], [8, 9, 10]] (equal lengths: nothing to pad)", [[5, 6, 7], [8, 9, 10]]),
    _case("a single sequence [[42, 43]]", [[42, 43]]),
    _case(
        "[[1, 2, 3], [4], [5, 6, 7]] (two sequences tied for the longest)",
        [[1, 2, 3], [4], [5, 6, 7]],
    ),
    _case(
        "[[0, 5, 0], [7, 8]] (the longest sequence has id 0, the [PAD] id, as a real token)",
        [[0, 5, 0], [7, 8]],
    ),
    _case(
        "four sequences [[3], [4, 5, 6, 7], [8, 9, 10], [11, 12, 13, 14]]",
        [[3], [4, 5, 6, 7], [8, 9, 10], [11, 12, 13, 14]],
    ),
    # one [PAD] changes the first row's logits by only about 0.01: a loose tolerance (atol=0.1) misses it
    _case(
        "'An absolute joy from start to finish.' and '... to the finish.' (one [PAD] apart)",
        [
            [2019, 7619, 6569, 2013, 2707, 2000, 3926, 1012],
            [2019, 7619, 6569, 2013, 2707, 2000, 1996, 3926, 1012],
        ],
    ),
]


def _across(cases, runs) -> None:
    """Name what only all the cases together show: the same list whatever the batch (an answer copied from the
    notebook), or one number per row (lengths, pad counts) where that also reads as row indices in some cases."""
    runs = runs[
        : len(cases)
    ]  # the grader's runs go on with the hidden cases: only the public ones are named here
    results = [r.result for r in runs if r.error is None and not r.timed_out and not r.mutated]
    if len(results) != len(cases) or not all(isinstance(r, list) for r in results):
        return
    if all(r == results[0] for r in results):
        raise Mistake(
            f"`changed_rows` returned {results[0]} for every batch.",
            id="constant_answer",
            expected="the rows of each batch that get padding",
            found=f"{results[0]} whatever the sequences",
            cause="the result does not depend on `sequences`: a list written in, or a variable of the "
            "notebook (such as `padded`) used instead of the argument",
            hint="compare each sequence's length with the longest one",
        )
    for case, result in zip(cases, results):
        if len(case.args[0]) > 1 and result not in _per_row(case.args[0]).values():
            return
    (sequences,) = cases[0].args
    kind = next(k for k, v in _per_row(sequences).items() if v == results[0])
    raise Mistake(
        f"`changed_rows` returned {kind} on every batch, not which rows change.",
        id="constant_kind",
        expected="the indices of the rows that get padding",
        found=f"one number per row ({kind})",
        hint="keep the index `i` of each row whose sequence is shorter than the longest",
    )


def _per_row(sequences: list[list[int]]) -> dict[str, list[int]]:
    width = max(len(s) for s in sequences)
    return {
        "the number of pad tokens of each row": [width - len(s) for s in sequences],
        "the length of each sequence": [len(s) for s in sequences],
    }


@function_exercise(
    "Which rows does padding change?",
    cases=CASES,
    hints=(
        "Which rows get a `[PAD]` token when the batch is padded to its longest sequence?",
        "A row changes exactly when its sequence is shorter than the longest: without a mask, its tokens attend "
        "to the pad tokens added to it.",
        "`width = max(len(s) for s in sequences)`, then the indices `i` with `len(sequences[i]) < width`.",
    ),
    mutation=(
        "`seq.append(...)` or `seq += [...]` pads the caller's list in place",
        "you need no padding to answer; if you pad, build new lists: `seq + [pad_id] * n`",
    ),
    across=_across,
)
def changed_rows(result, case: Case) -> None:
    """`changed_rows(sequences)` is a new list of the indices (ints, increasing) of the rows that get padding."""
    (sequences,) = case.args
    expected = case.expected
    rows = _index_list(result, len(sequences))
    if rows == expected:
        return
    width = max(len(s) for s in sequences)
    if rows == [i + 1 for i in expected]:
        raise Mistake(
            "`changed_rows` counts the rows from 1.",
            id="counts_from_one",
            expected=f"{expected} (row indices start at 0)",
            found=str(rows),
            hint="`enumerate(sequences)` gives 0, 1, 2, ...",
        )
    if rows != sorted(set(rows)) or not all(
        0 <= v < len(sequences) for v in rows
    ):  # not a list of row indices
        _per_row_numbers(rows, sequences, width)
    outside = [v for v in rows if not 0 <= v < len(sequences)]
    if outside:
        raise Mistake(
            f"`changed_rows` holds {outside[0]}, which is not a row index (the batch has {len(sequences)} "
            f"row{'s' if len(sequences) > 1 else ''}).",
            id="not_a_row_index",
            expected=f"indices from 0 to {len(sequences) - 1}",
            found=str(rows)[:80],
        )
    padded, longest = set(expected), {i for i, s in enumerate(sequences) if len(s) == width}
    if sorted(set(rows)) == expected:
        raise Mistake(
            "`changed_rows` has the right rows, not in increasing order (or with repeats).",
            id="unordered",
            expected=str(expected),
            found=str(rows),
            hint="`sorted(...)`, or collect them in order",
        )
    if longest and set(rows) == longest and padded:
        raise Mistake(
            "`changed_rows` returned the rows that are NOT padded.",
            id="unpadded_rows",
            expected=str(expected),
            found=str(rows),
            cause="the longest sequences get no [PAD] token, so they read exactly what they read alone; "
            "the shorter ones are padded, and without a mask they attend to the pad tokens",
        )
    extra, missing = sorted(set(rows) - padded), sorted(padded - set(rows))
    # The causes below name no values: a hidden case's failure shows its description and the cause only.
    if extra and set(extra) <= longest:
        cause = (
            "a longest row gets no [PAD] token: it reads what its sequence reads alone, so its logits do not "
            "change (up to float rounding: compare within atol=1e-4, rtol=1e-4, as in section 3)"
        )
        if any(0 in sequences[i] for i in extra):
            cause = (
                "a longest row gets no [PAD] token, so its logits do not change; an id 0 in it is a real token "
                "that only looks like padding: look at the lengths, not for the pad id"
            )
        raise Mistake(
            f"`changed_rows` includes row{'s' if len(extra) > 1 else ''} {_names(extra)}, which "
            f"{'get' if len(extra) > 1 else 'gets'} no padding.",
            id="extra_rows",
            expected=str(expected),
            found=str(rows),
            cause=cause,
        )
    if missing:
        i = missing[0]
        added = width - len(sequences[i])
        raise Mistake(
            f"`changed_rows` leaves out row{'s' if len(missing) > 1 else ''} {_names(missing)}, which "
            f"{'are' if len(missing) > 1 else 'is'} padded.",
            id="missing_rows",
            expected=str(expected),
            found=f"{rows}; row {i} has {len(sequences[i])} id{'s' if len(sequences[i]) != 1 else ''}, the "
            f"longest {width}: {added} [PAD] token{'s' if added != 1 else ''} added to it",
            cause="a row shorter than the longest gets [PAD] tokens, and without a mask every token of the "
            "row attends to them, so its logits change, if only a little: one [PAD] can move them by about "
            "0.01, which a comparison of logits with a loose tolerance (atol=0.1) misses",
        )
    raise Mistake(
        "`changed_rows` returned other rows than the padded ones.",
        id="other_rows",
        expected=str(expected),
        found=str(rows),
    )


def _per_row_numbers(rows: list[int], sequences: list[list[int]], width: int) -> None:
    """One number per row that the evidence names: how many pad tokens each row gets, or the sequences' lengths."""
    if len(sequences) < 2:
        return
    for kind, numbers in _per_row(sequences).items():
        if rows == numbers:
            raise Mistake(
                f"`changed_rows` returned {kind}, not which rows change.",
                id="not_row_indices",
                expected="the row indices",
                found=str(rows),
                hint="keep the index `i` of each row whose sequence is shorter than the longest",
            )


def _names(indices: list[int]) -> str:
    return (
        ", ".join(str(i) for i in indices[:-1])
        + (" and " if len(indices) > 1 else "")
        + str(indices[-1])
    )


def _index_list(value, rows: int) -> list[int]:
    """The result as a list of row indices, or a Mistake saying why it is not one (the task asks for a list of ints)."""
    if value is None:
        raise gates.returned_none("changed_rows", "a list of row indices, such as `[1]`")
    if isinstance(value, torch.Tensor) or type(value).__module__ == "numpy":
        raise Mistake(
            "`changed_rows` returned a tensor or an array, not a list.",
            id="tensor_not_list",
            expected="a Python list of ints",
            found=compare.describe(value),
            hint="turn it into a list of ints with `.tolist()`",
        )
    if not isinstance(value, list):
        kind = (
            value.type_name if isinstance(value, Opaque) else type(value).__name__
        )  # Opaque: as the grader reads it
        raise Mistake(
            f"`changed_rows` returned {'an' if kind[0] in 'aeiou' else 'a'} {kind}, not a list.",
            id="not_a_list",
            expected="a Python list of ints, such as `[1]`",
            found=compare.describe(value),
            hint="build a list: `[i for i, s in enumerate(sequences) if ...]`"
            if kind in ("tuple", "set", "range", "generator", "map", "filter")
            else "",
        )
    if value and all(isinstance(v, bool) for v in value):
        raise Mistake(
            "`changed_rows` returned True/False for each row, not the row indices.",
            id="booleans_per_row",
            expected="the indices of the changed rows, such as `[1]`",
            found=str(value)[:80],
            hint="keep the index `i` of each row that changes: `[i for i, s in enumerate(sequences) if ...]`",
        )
    odd = [v for v in value if isinstance(v, bool) or not isinstance(v, int)]  # None among them too
    if odd:
        bad = odd[0]
        scalar = hasattr(bad, "item") and getattr(bad, "ndim", 1) == 0
        raise Mistake(
            "`changed_rows` holds something other than Python ints.",
            id="not_ints",
            expected="row indices (ints)",
            found=f"a {type(bad).__module__.split('.')[0]} {type(bad).__name__}"
            if scalar
            else compare.describe(bad),
            hint="`int(...)` on each, or `.tolist()` on the tensor or array" if scalar else "",
        )
    return value

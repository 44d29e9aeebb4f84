"""Naming the mistake behind a mismatch: ids, attention masks and logits.

Each function returns quietly when the answer is right and raises :class:`Mistake` otherwise,
with the most likely cause a learner would recognise. Expected values are described in words
(shape, dtype, pad id) and never printed in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from . import compare, gates
from .outcome import Mistake
from .padding import left_pad, right_pad


def _shape(t: torch.Tensor) -> str:
    return str(tuple(t.shape))


def _token(tokenizer, token_id: Any) -> str:
    """``200 ('the')``; without a tokenizer (ids that are no real tokenizer's), ``200``."""
    return gates.token_text(tokenizer, [token_id], show_ids=True)


def token_ids(
    found: Any,
    expected: torch.Tensor,
    *,
    pad_id: int,
    tokenizer: Any = None,
    name: str = "input_ids",
) -> torch.Tensor:
    """Check a batch of token ids against ``expected`` (2-D), naming batch, pad and special-token mistakes.

    ``pad_id`` is the id the padding of ``expected`` uses. ``tokenizer``, where the ids are a real tokenizer's,
    names [CLS], [SEP] and [UNK] mistakes and shows ids as its tokens; without it ids are shown as numbers.
    """
    ids = compare.integer_ids(found, name)
    if ids.dim() == 1 and expected.dim() == 2:
        raise Mistake(
            f"`{name}` has no batch dimension.",
            id="no_batch_dimension",
            expected=f"shape {_shape(expected)}",
            found=f"shape {_shape(ids)}",
            cause="models expect a batch of sequences, even for one sentence",
            hint="wrap the list of ids in another list: `torch.tensor([ids])`",
        )
    if ids.dim() == expected.dim() + 1 and ids.shape[0] == 1 and ids.shape[1:] == expected.shape:
        raise Mistake(
            f"`{name}` has one dimension too many.",
            id="extra_dimension",
            expected=f"shape {_shape(expected)}",
            found=f"shape {_shape(ids)}",
            cause="the ids already had a batch dimension, and you added another",
        )
    if ids.dim() != expected.dim():
        raise Mistake(
            f"`{name}` has {ids.dim()} dimensions.",
            id="dimensions",
            expected=f"shape {_shape(expected)} (batch, tokens)",
            found=f"shape {_shape(ids)}",
        )
    if ids.shape == expected.shape and torch.equal(ids, expected):
        return ids
    _special_tokens(ids, expected, tokenizer, pad_id, name)
    if ids.shape != expected.shape:
        if ids.dim() == 2 and ids.shape == expected.shape[::-1] and torch.equal(ids.T, expected):
            raise Mistake(
                f"`{name}` is transposed.",
                id="transposed",
                expected=f"shape {_shape(expected)}: one row per sequence",
                found=f"shape {_shape(ids)}",
                cause="the rows are the positions and the columns the sequences",
            )
        if ids.shape[0] != expected.shape[0]:
            raise Mistake(
                f"`{name}` has {ids.shape[0]} sequence{'' if ids.shape[0] == 1 else 's'}.",
                id="sequence_count",
                expected=f"{expected.shape[0]} (shape {_shape(expected)})",
                found=f"shape {_shape(ids)}",
                cause=_rows_cause(ids, expected, tokenizer),
            )
        raise Mistake(
            f"`{name}` has the wrong length.",
            id="wrong_length",
            expected=f"shape {_shape(expected)}",
            found=f"shape {_shape(ids)}",
            cause=length_cause(ids, expected, tokenizer, pad_id),
        )
    _padding(ids, expected, tokenizer, pad_id, name)
    row, col = (ids != expected).nonzero()[0].tolist()
    raise Mistake(
        f"`{name}` differs from the tokenizer's ids at row {row}, position {col}.",
        id="wrong_token",
        expected=f"token {_token(tokenizer, expected[row, col])}",
        found=f"token {_token(tokenizer, ids[row, col])}",
        cause="check which text each row comes from and how it was tokenized",
    )


def _special_tokens(
    ids: torch.Tensor, expected: torch.Tensor, tokenizer, pad_id: int, name: str
) -> None:
    """Ids made with tokenize() + convert_tokens_to_ids() lack [CLS] and [SEP]; ids from tokenizer(...) have them."""
    cls_id, sep_id = (
        getattr(tokenizer, "cls_token_id", None),
        getattr(tokenizer, "sep_token_id", None),
    )
    if cls_id is None or ids.shape[0] != expected.shape[0]:
        return
    if not any(t in (cls_id, sep_id) for t in expected.reshape(-1).tolist()):
        pad = pad_id
        stripped = [[t for t in row if t not in (cls_id, sep_id, pad)] for row in ids.tolist()]
        framed = all(row[:1] == [cls_id] and sep_id in row for row in ids.tolist())
        if framed and stripped == [[t for t in row if t != pad] for row in expected.tolist()]:
            raise Mistake(
                f"`{name}` has [CLS] and [SEP] added.",
                id="special_tokens_added",
                expected=f"the manual ids only, shape {_shape(expected)}",
                found=f"shape {_shape(ids)}, each row framed by {_token(tokenizer, cls_id)} ... "
                f"{_token(tokenizer, sep_id)}",
                cause="`tokenizer(...)` and `tokenizer.encode(...)` add the special tokens; this exercise "
                "uses the manual ids (`tokenize` + `convert_tokens_to_ids`)",
            )
        return  # the expected ids have no special tokens either (manual ids): nothing more to name here
    stripped = [[t for t in row.tolist() if t not in (cls_id, sep_id, pad_id)] for row in expected]
    found = [[t for t in row.tolist() if t != pad_id] for row in ids]
    has_specials = any(cls_id in row or sep_id in row for row in found)
    if stripped == found and not has_specials:
        raise Mistake(
            f"`{name}` has no [CLS] and [SEP] tokens.",
            id="special_tokens_missing",
            expected=f"each sequence to start with {_token(tokenizer, cls_id)} and end with {_token(tokenizer, sep_id)}",
            found=f"first token {_token(tokenizer, found[0][0]) if found[0] else 'none'}",
            cause="`tokenizer.tokenize()` + `convert_tokens_to_ids()`, like `add_special_tokens=False`, leave "
            "out the special tokens that `tokenizer(...)` adds",
            hint="call the tokenizer itself: `tokenizer(texts, padding=True)['input_ids']`",
        )


def _padding(ids: torch.Tensor, expected: torch.Tensor, tokenizer, pad_id: int, name: str) -> None:
    pads = expected == pad_id
    if pads.any():
        used = ids[pads].unique()
        real_same = torch.equal(ids[~pads], expected[~pads])
        if real_same and used.numel() == 1 and int(used) != pad_id:
            wrong = int(used)
            note = (
                " (the [UNK] token: a real token the model attends to)"
                if wrong == getattr(tokenizer, "unk_token_id", -1)
                else " (a real token of the vocabulary)"
                if wrong > pad_id
                else ""
            )
            raise Mistake(
                f"`{name}` is padded with id {wrong}{note}.",
                id="wrong_pad_id",
                expected=f"the pad id `tokenizer.pad_token_id` = {pad_id}",
                found=f"padding with {_token(tokenizer, wrong)}",
                cause="models are trained with one pad id; any other id is a word to them",
                hint="use `tokenizer.pad_token_id` rather than a number you chose",
            )
    if _is_left_padded_version(ids, expected, pad_id):
        raise Mistake(
            f"`{name}` is padded on the left.",
            id="left_padding",
            expected="padding on the right (this model's padding side)",
            found="the pad ids before the tokens",
            cause="BERT-style models use absolute positions: left padding shifts every token's position",
            hint="keep `tokenizer.padding_side = 'right'` for this model",
        )


def _is_left_padded_version(ids: torch.Tensor, expected: torch.Tensor, pad_id: int) -> bool:
    if ids.shape != expected.shape:
        return False
    for row_ids, row_expected in zip(ids.tolist(), expected.tolist()):
        real = [t for t in row_expected if t != pad_id]
        if row_ids != [pad_id] * (len(row_expected) - len(real)) + real:
            return False
    return not torch.equal(ids, expected)


def attention_mask(
    found: Any, expected: torch.Tensor, name: str = "attention_mask"
) -> torch.Tensor:
    """Check a 0/1 attention mask: dtype, shape, values, inversion and alignment with the padding."""
    mask = compare.to_tensor(found, name)
    if mask.is_floating_point() or mask.dtype == torch.bool:
        raise Mistake(
            f"`{name}` has dtype {mask.dtype}.",
            id="mask_not_integers",
            expected="integers 0 and 1 (dtype torch.int64), as the tokenizer returns",
            found=compare.describe(mask),
            hint="build it from ints, or call `.long()`",
        )
    if mask.dim() == 1 and expected.dim() == 2:
        raise Mistake(
            f"`{name}` has no batch dimension.",
            id="mask_no_batch_dimension",
            expected=f"shape {_shape(expected)}, one row per sequence",
            found=f"shape {_shape(mask)}",
        )
    if mask.shape != expected.shape:
        cause = (
            "the mask is transposed"
            if mask.shape == expected.shape[::-1] and mask.dim() == 2
            else "the mask needs one entry per token id, row by row"
        )
        raise Mistake(
            f"`{name}` has the wrong shape.",
            id="mask_shape",
            expected=f"shape {_shape(expected)}, the shape of input_ids",
            found=f"shape {_shape(mask)}",
            cause=cause,
        )
    values = set(mask.unique().tolist())
    if not values <= {0, 1}:
        raise Mistake(
            f"`{name}` holds values other than 0 and 1.",
            id="mask_values",
            expected="1 for real tokens, 0 for padding",
            found=f"values {sorted(values)[:6]}",
            cause="a mask marks positions; it does not carry token ids",
        )
    if torch.equal(mask, 1 - expected):
        raise Mistake(
            f"`{name}` is inverted.",
            id="mask_inverted",
            expected="1 where the model should attend (real tokens), 0 on padding",
            found="0 on real tokens and 1 on padding",
            cause="the convention is 1 = attend, 0 = ignore",
        )
    if not torch.equal(mask, expected):
        row, col = (mask != expected).nonzero()[0].tolist()
        raise Mistake(
            f"`{name}` does not line up with the padding.",
            id="mask_misaligned",
            expected=f"{int(expected[row, col])} at row {row}, position {col}",
            found=f"{int(mask[row, col])}",
            cause=_misaligned_cause(mask[row], expected[row]),
        )
    return mask.long()


def _misaligned_cause(found: torch.Tensor, expected: torch.Tensor) -> str:
    """Why a mask row differs from its sequence's: a wrong count of 1s, or the right count in the wrong place."""
    ones, real = int(found.sum()), int(expected.sum())
    if ones != real:
        return f"this row has {ones} 1s for {real} real tokens: one 1 per real token, one 0 per pad"
    zeros = (expected == 0).nonzero().flatten().tolist()
    if zeros and zeros[-1] == len(expected) - 1:
        where = "the padding is on the right, so a row's 1s come first and its 0s last, where the pad ids are"
    elif zeros and zeros[0] == 0:
        where = "the padding is on the left, so a row's 0s come first, where the pad ids are, and its 1s last"
    else:
        where = "each 0 goes where a pad id is"
    return f"this row has the right number of 1s ({real}) in the wrong places: {where}"


def logits(
    found: Any,
    expected: torch.Tensor,
    tol: compare.Tolerance | None = None,
    name: str = "logits",
    alternatives: Mapping[str, tuple[torch.Tensor, str]] | None = None,
) -> torch.Tensor:
    """Compare logits under a tolerance; if they match a known wrong computation, name it."""
    tol = tol or compare.tolerance_for(found)
    values = compare.logits(found, name)
    if values.dim() == 1 and expected.dim() == 2 and values.shape == expected.shape[1:]:
        raise Mistake(
            f"`{name}` has no batch dimension.",
            id="logits_no_batch_dimension",
            expected=f"shape {_shape(expected)}",
            found=f"shape {_shape(values)}",
            cause="you took one row (`logits[0]`), or the input had no batch dimension",
        )
    if values.shape != expected.shape:
        cause = (
            "these look like hidden states, not the classifier's logits"
            if values.dim() == 3
            else "one row per sequence, one column per label (NEGATIVE, POSITIVE)"
        )
        raise Mistake(
            f"`{name}` has the wrong shape.",
            id="logits_shape",
            expected=f"shape {_shape(expected)}",
            found=f"shape {_shape(values)}",
            cause=cause,
        )
    if compare.close(values, expected, tol):
        return values
    if compare.close(values, torch.softmax(expected, dim=-1), tol):
        raise Mistake(
            f"`{name}` holds probabilities.",
            id="probabilities",
            expected="raw logits (before softmax)",
            found="rows that sum to 1",
            cause="the task asks for `outputs.logits`, not their softmax",
        )
    for label, (alternative, cause) in (alternatives or {}).items():
        if alternative.shape == values.shape and compare.close(values, alternative, tol):
            raise Mistake(
                f"`{name}` matches {label}.",
                id="known_wrong_logits",
                expected="the logits this task asks for",
                found=label,
                cause=cause,
            )
    worst, where = compare.largest_difference(values, expected)
    raise Mistake(
        f"`{name}` differs from the reference by up to {worst:.3g} (at index {list(where)}).",
        id="logits_differ",
        expected=f"logits of shape {_shape(expected)} within {tol}",
        found=f"a difference of {worst:.3g}",
        cause="check the inputs you passed to the model (ids, mask) and that it is the course's model in eval mode",
    )


def padded_batch(
    found: torch.Tensor, expected: torch.Tensor, sequences, pad_id: int, what: str
) -> None:
    """For a function that pads ``sequences`` with ``pad_id``: name left padding and a wrong pad value.

    ``found`` has the expected shape and differs from ``expected``; returns when neither mistake explains it.
    ``what`` names the padded ids in the message ("the result", "`input_ids`").
    """
    real = torch.tensor(right_pad(sequences, 0)[1], dtype=torch.bool).reshape(expected.shape)
    if torch.equal(
        found,
        torch.tensor(left_pad(sequences, pad_id)[0], dtype=found.dtype).reshape(expected.shape),
    ):
        raise Mistake(
            f"{what} is padded on the left.",
            id="pads_on_the_left",
            expected="the pad ids after each sequence's ids",
            found="the pad ids before them",
            cause="this course's models use right padding: left padding shifts every token's position",
        )
    if (~real).any() and torch.equal(found[real], expected[real]):
        used = sorted(set(found[~real].tolist()))
        if used == [0] and pad_id != 0:
            raise Mistake(
                f"{what} pads with 0, not with `pad_id` ({pad_id}).",
                id="pads_with_zero",
                expected=f"the pad id given, {pad_id}",
                found="0 in the padded positions",
                cause="the padding ignores the `pad_id` argument (a fixed 0, or the tokenizer's own pad "
                "id); pad ids differ between models (RoBERTa pads with 1): use the `pad_id` argument",
            )
        shown = ", ".join(str(u) for u in used[:3])
        raise Mistake(
            f"{what} pads with {shown}, not with `pad_id`.",
            id="pads_with_other_id",
            expected=f"the pad id given, {pad_id}",
            found=shown,
            cause="pad with the `pad_id` argument, whatever number it is",
        )


def _unpadded(rows: list[list[int]], pad_id: int) -> list[list[int]]:
    """Each row without its trailing pad ids (right padding)."""
    out = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == pad_id:
            end -= 1
        out.append(row[:end])
    return out


def length_cause(ids: torch.Tensor, expected: torch.Tensor, tokenizer, pad_id: int) -> str:
    """Why a batch of ids (as many rows as expected) has another length, when the ids themselves show it:
    [CLS]/[SEP] added or missing, rows cut short, padding beyond the longest row; "" when they do not."""
    if ids.dim() != 2 or expected.dim() != 2 or ids.shape[0] != expected.shape[0]:
        return ""
    found, want = _unpadded(ids.tolist(), pad_id), _unpadded(expected.tolist(), pad_id)
    width, longest = ids.shape[1], expected.shape[1]
    specials = {
        t
        for t in (
            getattr(tokenizer, "cls_token_id", None),
            getattr(tokenizer, "sep_token_id", None),
        )
        if t is not None
    }
    strip = [[t for t in row if t not in specials] for row in found]
    real = [[t for t in row if t not in specials] for row in want]
    if specials and found != want and strip == real:
        more = sum(len(r) for r in found) > sum(len(r) for r in want)
        return (
            "each row has [CLS] and [SEP] that these ids do not have (2 ids more per sequence): "
            "`tokenizer(...)` and `tokenizer.encode(...)` add them"
            if more
            else "the rows lack the [CLS] and [SEP] that `tokenizer(...)` adds (2 ids fewer per sequence)"
        )
    if found == want:
        return (
            f"the rows are padded to {width} ids, but the longest sequence has {longest}: pad to the longest "
            "sequence of the batch, no further"
            if width > longest
            else ""
        )
    if width < longest and strip != real and all(w[: len(f)] == f for f, w in zip(strip, real)):
        shortest = min(len(w) for w in want)
        sep = getattr(tokenizer, "sep_token_id", None)
        cut = [f for f, w in zip(found, want) if len(w) > width]
        if (
            len(want) == 1
        ):  # one sequence: nothing to pad, so nothing to cut to a common length either
            if sep is not None and found[0][-1:] == [sep]:
                return (
                    f"the tokenizer truncated the sequence to {width} ids (`truncation=True` with "
                    f"`max_length={width}` keeps [SEP] at the end): nothing is to be cut here"
                )
            missing = want[0][len(found[0]) :]
            if len(missing) == 1:
                return f"the row stops one id short: its last id, {_token(tokenizer, missing[0])}, is missing"
            return f"the row stops after {width} of the sequence's {longest} ids: its last {len(missing)} are missing"
        if sep is not None and cut and all(row[-1:] == [sep] for row in cut):
            return (
                f"the tokenizer truncated the longer rows to {width} ids (`truncation=True` with "
                f"`max_length={width}` keeps [SEP] at the end): nothing is to be cut here; pad to the longest "
                f"sequence ({longest} ids)"
            )
        return (
            f"every row is cut to {width} id{'' if width == 1 else 's'}, the shortest sequence's length: pad the shorter sequences up to "
            f"the longest ({longest} ids) instead of cutting the longer ones"
            if width == shortest
            else f"the longer rows are cut to {width} ids (truncated): nothing is to be cut here; pad to the longest "
            f"sequence ({longest} ids)"
        )
    return ""


def _rows_cause(ids: torch.Tensor, expected: torch.Tensor, tokenizer) -> str | None:
    """Why there are too few rows, where the ids show it: two texts encoded as one pair (one row holding both,
    [SEP] between them); else none is guessed."""
    sep = getattr(tokenizer, "sep_token_id", None)
    if (
        ids.dim() == 2
        and ids.shape[0] == 1
        and expected.shape[0] == 2
        and sep is not None
        and int((ids[0] == sep).sum()) == 2
    ):
        return (
            "the two texts went in as one pair (`tokenizer(first, second)`, or `tokenizer(*texts)`), which joins "
            "them into one sequence with [SEP] between; pass the list itself, `tokenizer(texts, ...)`"
        )
    return None

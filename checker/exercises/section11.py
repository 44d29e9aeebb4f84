"""Section 11, notebook ``11_batches_for_generation.ipynb``: batches for a decoder's generation.

Every truth here is computed for the active decoder (``COURSE_DECODER``) with a tokenizer and model of the
checker's own (:func:`checker.model.load_fresh_decoder`): the notebook's tokenizer is the learner's to change
(``pad_token``, ``padding_side``, even a new token), and no verdict may depend on what a cell did to it. "Alone"
means what ``generate`` gives one prompt in a batch of one, greedily: the continuation a batch must reproduce.
"""

from __future__ import annotations

import functools
import itertools
from contextlib import contextmanager
from typing import Any

import torch

from .. import compare, config, diagnose, gates, generation_calls, model_calls
from ..exercise import function_exercise, traced_value_exercise, value_exercise
from ..harness import Case
from ..model import load_fresh_decoder, resolve_device
from ..outcome import Mistake
from ..padding import left_pad as pad_left
from ..threads import one_thread

#: The notebook's prompts (``prompts``), of 2 to 5 tokens for the course decoder, and its number of new tokens.
PROMPTS = ["This film", "The hotel room was", "Our waiter", "Best thriller I've seen"]
NEW_TOKENS = 8
#: Prompts the notebook never shows, for the learner's functions.
UNSEEN = [
    "The soup",
    "Customer service replaced my faulty unit",
    "Delivery took",
    "My phone",
    "Our waiter made the evening special.",
    "The battery",
]
OTHER_PAD_ID = 50256  # GPT-2's eos id: a pad id that is not the course decoder's

LEFT_PAD_MUTATION = (
    "`.insert`, `+=` or slice assignment on a row change the caller's list",
    "build new rows: `[pad_id] * (width - len(seq)) + list(seq)`; leave `sequences` as it is",
)


# --- the checker's own decoder and the truths ---------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _own(checkpoint: str, device: str):
    tokenizer, model, _ = load_fresh_decoder(checkpoint, device)
    tokenizer.pad_token = (
        tokenizer.eos_token
    )  # the lesson's setting, whatever the checkpoint ships with
    return tokenizer, model


def decoder():
    """The checker's own (tokenizer, model) of the active decoder: the tokenizer pads with eos."""
    return _own(config.decoder(), resolve_device(config.device_setting()))


@contextmanager
def _checker_calls():
    """The checker's own model calls: not recorded, no gradients, one thread (:mod:`checker.threads`)."""
    with torch.inference_mode(), model_calls.unrecorded(), one_thread():
        yield


@functools.lru_cache(maxsize=128)
def _alone(checkpoint: str, device: str, prompt: str, steps: int) -> tuple[int, ...]:
    tokenizer, model = _own(checkpoint, device)
    with _checker_calls():
        inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
        output = model.generate(
            **inputs, max_new_tokens=steps, do_sample=False, pad_token_id=tokenizer.eos_token_id
        )
    return tuple(int(t) for t in output[0, inputs["input_ids"].shape[1] :].tolist())


def alone(prompt: str, steps: int) -> tuple[int, ...]:
    """The new ids greedy ``generate`` gives ``prompt`` by itself (it stops after an eos)."""
    return _alone(config.decoder(), resolve_device(config.device_setting()), prompt, steps)


def left_batch(prompts) -> tuple[torch.Tensor, torch.Tensor]:
    """``(input_ids, attention_mask)`` of ``prompts`` left-padded with eos, on the CPU."""
    tokenizer, _ = decoder()
    batch = tokenizer(list(prompts), padding=True, padding_side="left", return_tensors="pt")
    return batch["input_ids"], batch["attention_mask"]


def right_ids(prompts) -> torch.Tensor:
    tokenizer, _ = decoder()
    return tokenizer(list(prompts), padding=True, padding_side="right", return_tensors="pt")[
        "input_ids"
    ]


def positions(mask: torch.Tensor) -> torch.Tensor:
    """0, 1, 2, ... over each row's real tokens and 0 on the pads: what ``generate`` builds from the mask."""
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


def expected_output(prompts, steps: int) -> torch.Tensor:
    """What one ``generate`` call on the left-padded prompts must return: each row its prompt, then its new ids
    alone, then eos (the pad) after a row that finished first."""
    tokenizer, _ = decoder()
    ids, _ = left_batch(prompts)
    new = [alone(p, steps) for p in prompts]
    longest = max(len(n) for n in new)
    rows = [
        list(row) + list(n) + [tokenizer.eos_token_id] * (longest - len(n))
        for row, n in zip(ids.tolist(), new)
    ]
    return torch.tensor(rows)


def _token(token_id: int) -> str:
    return gates.token_text(decoder()[0], [token_id], show_ids=True)


def _grid(tensor: torch.Tensor) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(x) for x in row) for row in tensor.tolist())


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _vocabulary() -> int:
    _, model = decoder()
    return int(model.config.vocab_size)


# --- left_pad(sequences, pad_id): ids, mask and position ids by hand -------------------------------------------


def _left_pad_cases() -> list[Case]:
    tokenizer, _ = decoder()
    eos = tokenizer.eos_token_id
    other = OTHER_PAD_ID if eos != OTHER_PAD_ID else 1
    ids = [tokenizer(p)["input_ids"] for p in UNSEEN]
    three = [ids[0], ids[1], ids[2]]
    joined = tokenizer("Great food." + tokenizer.eos_token + "Slow service")["input_ids"]
    short = ids[3][:2] if len(ids[3]) >= 2 else ids[3] + ids[3]
    return [
        Case("three unseen prompts of different lengths, padded with the eos id", (three, eos)),
        Case("the same three prompts with another pad id", (three, other)),
        Case(
            "two texts joined by <|endoftext|> beside a short prompt (that eos is a real token, not padding)",
            ([joined, ids[5]], eos),
        ),
        Case(
            "two sequences of the same length (nothing to pad)",
            ([short, list(reversed(short))], eos),
        ),
        Case("a batch of one prompt", ([ids[1]], eos)),
        Case("a batch whose sequences are all empty", ([[], []], eos)),
    ]


@functools.lru_cache(maxsize=2)
def _left_pad_cases_for(checkpoint: str) -> tuple[Case, ...]:
    return tuple(_left_pad_cases())


def _three(result: Any, name: str) -> tuple:
    if result is None:
        raise gates.returned_none(
            name, "three tensors: `return input_ids, attention_mask, position_ids`"
        )
    if hasattr(result, "keys") and callable(getattr(result, "keys", None)):
        raise Mistake(
            f"`{name}` returned a {type(result).__name__} with keys {list(result.keys())[:4]}.",
            id="returned_mapping",
            expected="a tuple of three tensors, in the order input_ids, attention_mask, position_ids",
            hint="`return input_ids, attention_mask, position_ids`",
        )
    if isinstance(result, torch.Tensor) or not isinstance(result, (tuple, list)):
        raise Mistake(
            f"`{name}` returned {compare.describe(result)}.",
            id="returned_not_a_tuple",
            expected="three tensors: `return input_ids, attention_mask, position_ids`",
        )
    if len(result) != 3:
        raise Mistake(
            f"`{name}` returned {len(result)} values.",
            id="value_count",
            expected="three: input_ids, attention_mask, position_ids",
            found=compare.describe(result),
            cause="the position ids are the third" if len(result) == 2 else "",
        )
    return tuple(result)


def _expected_left(sequences, pad_id: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    ids, mask = pad_left(sequences, pad_id)
    ids, mask = torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long)
    return ids, mask, positions(mask)


def _as_ids(value: Any, name: str, what: str) -> torch.Tensor:
    """``value`` as an int64 CPU tensor where the task asks for one, or a Mistake saying what it is instead."""
    if (
        isinstance(value, list)
        and (not value or not isinstance(value[0], (list, tuple)))
        and all(isinstance(v, int) for v in value)
    ):
        raise gates.not_a_tensor(
            value,
            name,
            what,
            cause="`.tolist()` turns a tensor into a list",
            hint="keep the tensor",
        )
    return compare.id_tensor(value, name)


def _mask_tensor(value: Any, name: str, what: str) -> torch.Tensor:
    """A mask where the task asks for an int64 tensor (float and bool masks are named by the mask's own check)."""
    if not isinstance(value, torch.Tensor):
        return _as_ids(value, name, what)
    if not value.is_floating_point() and value.dtype not in (torch.bool, torch.int64):
        raise Mistake(
            f"`{name}` has dtype {value.dtype}.",
            id="wrong_dtype",
            expected="dtype torch.int64, as the tokenizer's mask",
            found=compare.describe(value),
            hint="leave out `dtype`, or use `dtype=torch.long`",
        )
    return compare.to_tensor(value, name)


def _shape_mistake(found: torch.Tensor, expected: torch.Tensor, name: str, longest: int) -> Mistake:
    if found.dim() == 2 and found.shape[0] == expected.shape[0] and found.shape[1] > longest:
        return Mistake(
            f"`{name}` is {found.shape[1]} columns wide; the longest sequence has {longest}.",
            id="too_wide",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(found.shape)}",
            cause="pad every row to the longest sequence of the batch, no further",
        )
    if found.dim() == 2 and found.shape == expected.shape[::-1]:
        return Mistake(
            f"`{name}` is transposed.",
            id="left_pad_transposed",
            expected=f"shape {tuple(expected.shape)}: one row per sequence",
            found=f"shape {tuple(found.shape)}",
        )
    return Mistake(
        f"`{name}` has shape {tuple(found.shape)}.",
        id="wrong_shape",
        expected=f"shape {tuple(expected.shape)}: one row per sequence, as wide as the longest",
        found=f"shape {tuple(found.shape)}",
    )


def _pad_problem(found: torch.Tensor, sequences, pad_id: int, name: str) -> Mistake | None:
    """Right padding, or the right layout with another pad value; None when neither explains ``found``."""
    width = max(len(s) for s in sequences)
    rows = found.tolist()
    right_rows = [list(s) + [None] * (width - len(s)) for s in sequences]
    if all(
        all(r is None or r == f for r, f in zip(rr, fr)) for rr, fr in zip(right_rows, rows)
    ) and any(len(s) < width for s in sequences):
        return Mistake(
            f"`{name}` is padded on the right.",
            id="right_padding",
            expected="the pad ids before each sequence's ids",
            found="the pad ids after them",
            cause="a decoder continues from the last column: with right padding that column is a pad "
            "for every shorter sequence",
        )
    real = torch.tensor(pad_left([[1] * len(s) for s in sequences], 0)[0], dtype=torch.bool)
    if (
        real.shape == found.shape
        and torch.equal(found[real], _expected_left(sequences, pad_id)[0][real])
        and (~real).any()
    ):
        used = sorted(set(found[~real].tolist()))
        shown = ", ".join(str(u) for u in used[:3])
        own = decoder()[0].pad_token_id or decoder()[0].eos_token_id
        cause = (
            f"the pads are the tokenizer's own pad id ({own}, eos), not the `pad_id` argument: padding with "
            "the tokenizer (`tokenizer.pad`), or its id written in, ignores the id you are given"
            if used == [own]
            else f"the pads hold {shown} whatever `pad_id` is: an id written in as a number; use the `pad_id` "
            "argument"
            if len(used) == 1
            else "every pad position holds `pad_id`"
        )
        return Mistake(
            f"`{name}` pads with {shown}, not with `pad_id` ({pad_id}).",
            id="left_pad_wrong_pad_id",
            expected=f"the pad id given, {pad_id}",
            found=f"{shown} in the padded positions",
            cause=cause,
        )
    return None


def _mask_problem(
    mask: torch.Tensor, expected: torch.Tensor, ids: torch.Tensor, pad_id: int, name: str
) -> None:
    if mask.shape == expected.shape and not torch.equal(mask, expected):
        flipped = torch.flip(expected, dims=[1])
        if torch.equal(mask, flipped):
            raise Mistake(
                f"`{name}` has its 0s on the right.",
                id="mask_zeros_right",
                expected="0 on the pads, which come first with left "
                "padding, then 1 on each real token",
                found="the mask of right padding",
                cause="the mask must line up with the ids: pads first, then the real tokens",
            )
        if torch.equal(mask, (ids != pad_id).long()) and ((ids == pad_id) & (expected == 1)).any():
            raise Mistake(
                f"`{name}` marks a real token as padding.",
                id="mask_real_token",
                expected="1 on every real token, even one whose id is the pad id",
                found="0 wherever the id equals `pad_id`",
                cause="with pad = eos, an <|endoftext|> inside a text has the pad's id: only the lengths "
                "tell pads from real tokens",
                hint="build the mask from each sequence's length",
            )
    diagnose.attention_mask(mask, expected, name=name)


def _positions_problem(
    found: torch.Tensor, expected: torch.Tensor, mask: torch.Tensor, name: str
) -> None:
    if found.shape != expected.shape:
        raise _shape_mistake(found, expected, name, expected.shape[1])
    if torch.equal(found, expected):
        return
    real = mask.bool()
    columns = torch.arange(expected.shape[1]).expand_as(expected)
    counted = mask.cumsum(-1) - 1
    if torch.equal(found, columns) and not torch.equal(columns, expected):
        raise Mistake(
            f"`{name}` counts the pads.",
            id="positions_count_pads",
            expected="0, 1, 2, ... over each row's real tokens",
            found="0, 1, 2, ... over the whole row, pads included",
            cause="a real token's position is the number of real tokens before it, as if its sequence "
            "were alone",
            hint="`attention_mask.cumsum(-1) - 1`, then 0 on the pads",
        )
    if torch.equal(found, columns * mask) and not torch.equal(columns * mask, expected):
        raise Mistake(
            f"`{name}` holds the column numbers on the real tokens.",
            id="positions_columns",
            expected="0, 1, 2, ... over each row's real tokens",
            found="each real token's column (`torch.arange(width) * mask`), so a padded row starts after 0",
            cause="multiplying by the mask zeroes the pads but keeps the columns: the first real token of a "
            "row with pads in front sits at the column after them, not at 0",
            hint="`attention_mask.cumsum(-1) - 1`, then 0 on the pads",
        )
    if torch.equal(found, counted):
        raise Mistake(
            f"`{name}` holds -1 on the pads.",
            id="positions_minus_one",
            expected="0 on the pads",
            found="-1 before each sequence's first token",
            cause="`cumsum(-1) - 1` is -1 before the first real token, and an embedding "
            "table has no row -1",
            hint="`.clamp(min=0)` (or `masked_fill(attention_mask == 0, 0)`)",
        )
    if torch.equal(found[real], expected[real] + 1):
        raise Mistake(
            f"`{name}` starts each sequence at position 1.",
            id="positions_from_one",
            expected="0 for each sequence's first token",
            found="1",
            cause="`cumsum` alone counts from 1: subtract 1",
        )
    if torch.equal(found[real], expected[real]):
        used = sorted(set(found[~real].tolist()))
        raise Mistake(
            f"`{name}` holds {', '.join(map(str, used[:3]))} on the pads.",
            id="positions_pad_values",
            expected="0 on the pads (what `generate` builds)",
            found=f"{', '.join(map(str, used[:3]))}",
            cause="the real tokens' positions are right; the task fixes the pads' value too: 0 "
            "(the mask hides them, so their value never reaches a real token)",
        )
    row, col = (found != expected).nonzero()[0].tolist()
    raise Mistake(
        f"`{name}` is wrong at row {row}, column {col}.",
        id="wrong_entry",
        expected="0, 1, 2, ... over each row's real tokens, 0 on the pads",
        found=f"{int(found[row, col])} there",
    )


def _wrong_order(parts: tuple, expected: tuple) -> None:
    names = ("input_ids", "attention_mask", "position_ids")
    tensors = [
        compare.to_tensor(p, n) if isinstance(p, torch.Tensor) else None
        for p, n in zip(parts, names)
    ]
    if any(t is None or t.is_floating_point() for t in tensors):
        return
    if all(t.shape == e.shape and torch.equal(t.long(), e) for t, e in zip(tensors, expected)):
        return  # the order given is right (empty tensors are equal whatever their order)
    for order in itertools.permutations(range(3)):
        if order != (0, 1, 2) and all(
            tensors[i].shape == expected[j].shape and torch.equal(tensors[i].long(), expected[j])
            for i, j in enumerate(order)
        ):
            raise Mistake(
                "`left_pad` returns the right tensors in the wrong order.",
                id="wrong_order",
                expected="(input_ids, attention_mask, position_ids)",
                found="(" + ", ".join(names[j] for j in order) + ")",
                hint="`return input_ids, attention_mask, position_ids`",
            )


@function_exercise(
    "Left padding by hand: ids, mask and position ids",
    cases=lambda: _left_pad_cases_for(config.decoder()),
    mutation=LEFT_PAD_MUTATION,
    hints=(
        "Pad each sequence at the front: `[pad_id] * (width - len(seq)) + seq`, with `width` the longest "
        "sequence's length. Its mask: `[0] * (width - len(seq)) + [1] * len(seq)`.",
        "Position ids from the mask tensor: `(attention_mask.cumsum(-1) - 1).clamp(min=0)`.",
        "Return three `torch.tensor(...)`s: `return input_ids, attention_mask, position_ids`.",
    ),
)
def left_pad(result, case: Case) -> None:
    """`left_pad(sequences, pad_id)` returns `(input_ids, attention_mask, position_ids)`: int64 tensors of shape
    (number of sequences, longest length), the pads first, 0 on the pads' mask and positions."""
    sequences, pad_id = case.args
    expected = _expected_left(sequences, pad_id)
    parts = _three(result, "left_pad")
    _wrong_order(parts, expected)
    what = "a torch tensor of dtype torch.int64"
    for name, part in zip(("input_ids", "attention_mask", "position_ids"), parts):
        if isinstance(part, torch.Tensor) and part.numel() == 0 and part.is_floating_point():
            raise Mistake(
                f"`{name}` has dtype {part.dtype}.",
                id="empty_batch_dtype",
                expected=f"an empty tensor of dtype torch.int64, shape {tuple(expected[0].shape)}",
                found=compare.describe(part),
                cause="`torch.tensor` of lists with no numbers in them cannot see that they are ints: it "
                "makes floats (its default dtype)",
                hint="`torch.tensor(rows, dtype=torch.long)`",
            )
    if expected[0].numel() == 0 and all(
        isinstance(part, torch.Tensor) and part.shape == e.shape and part.dtype == e.dtype
        for part, e in zip(parts, expected)
    ):
        return  # nothing in them to compare: the mask checks below would see any empty mask as inverted
    ids = _as_ids(parts[0], "input_ids", what)
    if ids.shape != expected[0].shape:
        raise _shape_mistake(ids, expected[0], "input_ids", expected[0].shape[1])
    if not torch.equal(ids, expected[0]):
        problem = _pad_problem(ids, sequences, pad_id, "input_ids")
        if problem:
            raise problem
        row, col = (ids != expected[0]).nonzero()[0].tolist()
        raise Mistake(
            f"`input_ids` differs at row {row}, column {col}.",
            id="ids_differ",
            expected="each sequence's ids, after its pads",
            found=f"{int(ids[row, col])} there",
            cause="each row holds its own sequence, in order",
        )
    _mask_problem(
        _mask_tensor(parts[1], "attention_mask", what), expected[1], ids, pad_id, "attention_mask"
    )
    pos = _as_ids(parts[2], "position_ids", what)
    _positions_problem(pos, expected[2], expected[1], "position_ids")


# --- batch: the tokenizer's left-padded batch for generate --------------------------------------------------------


def _batch_tensor(batch: Any, key: str) -> torch.Tensor:
    value = batch[key]
    name = f"batch['{key}']"
    mistake = gates.not_a_tensor(
        value, name, "torch tensors", cause=gates.TOKENIZER_FIELDS, hint=gates.RETURN_TENSORS
    )
    if mistake is not None:
        raise mistake
    return compare.to_tensor(value, name)


@value_exercise(
    "The batch for generate, from the tokenizer",
    hints=(
        'The tokenizer pads on the side you name: `padding_side="left"` in the call (or set '
        "`tokenizer.padding_side`). It pads with `tokenizer.pad_token`, which you set to eos above.",
        '`tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")`',
    ),
)
def batch(batch: Any) -> None:
    """`batch` is the tokenizer's output for `prompts`: input_ids and attention_mask, int64 tensors, padded on the
    left with eos (the pad token) to the longest prompt."""
    tokenizer, model = decoder()
    ids_e, mask_e = left_batch(PROMPTS)
    if isinstance(batch, torch.Tensor):
        raise Mistake(
            "`batch` is one tensor, not the tokenizer's output.",
            id="one_tensor",
            expected="the whole output of "
            "`tokenizer(prompts, ...)`: input_ids and attention_mask together",
            found=compare.describe(batch),
            cause="generate needs the mask too: keep everything the tokenizer returns and pass it with "
            "`model.generate(**batch, ...)`",
        )
    if isinstance(batch, (list, tuple)) and batch and all(hasattr(b, "keys") for b in batch):
        raise Mistake(
            "`batch` is a list of separate encodings.",
            id="separate_encodings",
            expected="one call of the tokenizer on the whole list `prompts`",
            found=compare.describe(batch),
            cause="each prompt was tokenized alone, so nothing was padded into one batch",
        )
    if _is_text(batch):
        raise Mistake(
            "`batch` is text.",
            id="batch_text",
            expected="the tokenizer's output for `prompts`",
            found=compare.describe(batch),
            cause="pass the prompts through the tokenizer",
        )
    if (
        not hasattr(batch, "keys")
        or not callable(getattr(batch, "keys", None))
        or not hasattr(batch, "__getitem__")
    ):
        raise Mistake(
            "`batch` is not the tokenizer's output.",
            id="not_tokenizer_output",
            expected="what `tokenizer(prompts, ...)` returns",
            found=compare.describe(batch),
        )
    keys = list(batch.keys())
    missing = [k for k in ("input_ids", "attention_mask") if k not in keys]
    if missing:
        raise Mistake(
            f"`batch` has no {' and no '.join(missing)}.",
            id="missing_fields",
            expected="keys input_ids and attention_mask",
            found=f"keys {keys[:5]}",
            cause=(
                "generate needs the mask even with left padding: the pad is eos, a real token too, so only the "
                "mask tells generate which columns are pads"
                if missing == ["attention_mask"]
                else ""
            ),
            hint='`tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")` returns both',
        )
    extra = [k for k in keys if k not in ("input_ids", "attention_mask")]
    if extra:
        raise Mistake(
            f"`batch` has more than the tokenizer's two keys: {extra[:3]}.",
            id="extra_fields",
            expected="input_ids and attention_mask only",
            found=f"keys {keys[:5]}",
            cause="the task asks for the tokenizer's output as it is",
        )
    ids = _batch_tensor(batch, "input_ids")
    compare.id_tensor(ids, "batch['input_ids']")
    name = "batch['input_ids']"
    if ids.dim() != 2 or ids.shape[0] != ids_e.shape[0]:
        raise Mistake(
            f"`{name}` has shape {tuple(ids.shape)}.",
            id="ids_shape",
            expected=f"shape {tuple(ids_e.shape)}: one row per prompt",
            found=f"shape {tuple(ids.shape)}",
            cause="one call on the whole list `prompts`",
        )
    sequences = [tokenizer(p)["input_ids"] for p in PROMPTS]
    longest = ids_e.shape[1]
    if ids.shape[1] != longest:
        if ids.shape[1] < longest:
            raise Mistake(
                f"`{name}` is {ids.shape[1]} columns wide; the longest prompt has {longest} tokens.",
                id="prompts_too_wide",
                expected=f"shape {tuple(ids_e.shape)}: every prompt whole",
                found=f"shape {tuple(ids.shape)}",
                cause="the longest prompts were cut (`truncation` with a `max_length`): generate would "
                "continue from a shortened prompt",
                hint="leave out `truncation` and `max_length`",
            )
        if ids.shape[1] == tokenizer.model_max_length:
            raise Mistake(
                f"`{name}` is padded to the model's maximum length.",
                id="padded_to_max_length",
                expected=f"shape {tuple(ids_e.shape)}: padded to the longest prompt",
                found=f"shape {tuple(ids.shape)}",
                cause=f'`padding="max_length"` pads every row to {tokenizer.model_max_length} tokens: '
                "nearly all padding, and slow",
                hint='`padding=True` (= "longest")',
            )
        raise _shape_mistake(ids, ids_e, name, longest)
    if not torch.equal(ids, ids_e):
        if ids.max() >= _vocabulary():
            raise Mistake(
                f"`{name}` pads with id {int(ids.max())}, a token the model has no embedding for.",
                id="pad_id_out_of_vocabulary",
                expected=f"the eos id, {tokenizer.eos_token_id}, as the pad",
                found=f"id {int(ids.max())}; the model's embedding table has {_vocabulary()} rows",
                cause="`add_special_tokens({'pad_token': ...})` adds a new token to the tokenizer, not "
                "to the model: generate fails with an IndexError",
                hint="`tokenizer.pad_token = tokenizer.eos_token` (the added token stays in the vocabulary, "
                "unused)",
            )
        problem = _pad_problem(ids, sequences, tokenizer.eos_token_id, name)
        if problem:
            if "right" in problem.problem:
                problem.cause = (
                    "the tokenizer pads on the right unless told otherwise; generate continues from the "
                    "last column, a pad for every shorter prompt"
                )
                problem.hint = '`padding_side="left"` in the call'
            else:
                problem.expected = (
                    f"the eos id, {tokenizer.eos_token_id}: the pad token of this lesson"
                )
                problem.cause = "set `tokenizer.pad_token = tokenizer.eos_token` before padding"
            raise problem
        row = int((ids != ids_e).any(dim=1).nonzero()[0])
        raise Mistake(
            f"`{name}` row {row} is not the prompt `prompts[{row}]` ({PROMPTS[row]!r}).",
            id="wrong_prompt_row",
            expected="the prompts of `prompts`, in order, left-padded",
            found=f"other ids in row {row}",
            cause="tokenize the list `prompts` itself",
        )
    diagnose.attention_mask(
        _batch_tensor(batch, "attention_mask"), mask_e, name="batch['attention_mask']"
    )


# --- next_ids: the next token of every prompt, from one forward call ---------------------------------------------


def _next_ids_tensor(value: Any, n: int, width: int) -> torch.Tensor:
    name = "next_ids"
    what = f"a tensor of {n} ids (dtype torch.int64), one per prompt"
    if _is_text(value):
        raise Mistake(
            "`next_ids` is text.",
            id="next_text",
            expected=what,
            found=compare.describe(value),
            cause="you decoded the predicted ids",
            hint="store the ids; `tokenizer.decode` is only for showing them",
        )
    if hasattr(value, "logits") and not isinstance(value, torch.Tensor):
        raise Mistake(
            "`next_ids` is the model's whole output.",
            id="next_model_output",
            expected=what,
            found=compare.describe(value),
            hint="`model(...).logits[:, -1].argmax(dim=-1)`",
        )
    pair = (
        (value.values, value.indices)
        if hasattr(value, "indices") and hasattr(value, "values") and isinstance(value, tuple)
        else tuple(value)
        if isinstance(value, (list, tuple)) and len(value) == 2
        else ()
    )
    if (
        len(pair) == 2
        and all(isinstance(v, torch.Tensor) for v in pair)
        and pair[0].is_floating_point()
        and not pair[1].is_floating_point()
        and pair[0].shape == pair[1].shape
    ):  # in the grader the pair arrives as a plain tuple of its two tensors
        raise Mistake(
            "`next_ids` is what `.max(dim=-1)` returns: the largest values and their indices, together.",
            id="max_values_indices",
            expected=what,
            found=f"a pair of tensors of shape {tuple(pair[0].shape)}: floats, then ids",
            cause="`.max(dim=...)` returns (values, indices); the ids are its `.indices`",
            hint="`.argmax(dim=-1)` gives the ids alone",
        )
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, torch.Tensor) for v in value)
    ):
        raise Mistake(
            f"`next_ids` is a Python {type(value).__name__} of tensors.",
            id="list_of_tensors",
            expected=what,
            found=compare.describe(value),
            cause="one tensor from one call on the whole batch, not a tensor per prompt",
        )
    tensor = (
        _as_ids(value, name, what)
        if not (isinstance(value, torch.Tensor) and value.is_floating_point())
        else None
    )
    if tensor is None:
        logits = compare.to_tensor(value, name)
        if logits.dim() == 2 and logits.shape[0] == n:
            raise Mistake(
                "`next_ids` holds the last position's logits, not ids.",
                id="last_logits",
                expected=what,
                found=compare.describe(logits),
                cause="the predicted token is the one with the largest logit",
                hint="take `.argmax(dim=-1)` over the vocabulary",
            )
        if logits.dim() == 3:
            raise Mistake(
                "`next_ids` holds the whole logits.",
                id="whole_logits",
                expected=what,
                found=compare.describe(logits),
                hint="the last position's row is `logits[:, -1]`; its largest entry is `.argmax(dim=-1)`",
            )
        raise Mistake(
            "`next_ids` holds floats.",
            id="next_floats",
            expected=what,
            found=compare.describe(logits),
            cause="token ids are integers: `argmax` returns them",
        )
    if tensor.dim() == 0:
        raise Mistake(
            "`next_ids` is one id.",
            id="one_id",
            expected=what,
            found=compare.describe(value),
            cause="an index such as `logits[0, -1]` keeps one prompt only",
        )
    if tensor.dim() == 2 and tensor.shape == (n, 1):
        raise Mistake(
            "`next_ids` has one dimension too many.",
            id="next_extra_dimension",
            expected=f"shape ({n},)",
            found=f"shape {tuple(tensor.shape)}",
            cause="`keepdim=True`, or the slice `[:, -1:]`",
            hint="`logits[:, -1].argmax(dim=-1)`",
        )
    if tensor.dim() == 2 and tensor.shape == (n, width):
        raise Mistake(
            "`next_ids` holds a prediction for every position.",
            id="every_position",
            expected=f"shape ({n},): the last position's",
            found=f"shape {tuple(tensor.shape)}",
            cause="each position predicts the token after it; the "
            "next token of a prompt is the last position's",
            hint="take the last column: `[:, -1]`",
        )
    if tensor.dim() == 1 and tensor.shape[0] == width and width != n:
        raise Mistake(
            f"`next_ids` has {width} ids: one per position of one row.",
            id="one_row_positions",
            expected=f"shape ({n},)",
            found=f"shape {tuple(tensor.shape)}",
            cause="`logits[-1]` is the last prompt's row; the last position is the second axis",
            hint="`logits[:, -1]`",
        )
    if tensor.dim() == 1 and tensor.shape[0] == _vocabulary():
        raise Mistake(
            "`next_ids` has one id per word of the vocabulary.",
            id="vocabulary_wide",
            expected=f"shape ({n},)",
            found=f"shape {tuple(tensor.shape)}",
            cause="`argmax` ran over the batch axis (`dim=0`)",
            hint="`argmax(dim=-1)`: over the vocabulary",
        )
    if tensor.dim() != 1 or tensor.shape[0] != n:
        raise Mistake(
            f"`next_ids` has shape {tuple(tensor.shape)}.",
            id="next_shape",
            expected=f"shape ({n},): one id per prompt",
            found=f"shape {tuple(tensor.shape)}",
        )
    return tensor


def _real_positions_right(call_positions, expected: torch.Tensor, mask: torch.Tensor) -> bool:
    found = torch.tensor(call_positions)
    return found.shape == expected.shape and torch.equal(found[mask.bool()], expected[mask.bool()])


def _call_problem(
    where: str,
    call: generation_calls.ForwardCall,
    ids: torch.Tensor,
    mask: torch.Tensor,
    right: bool,
) -> Mistake | None:
    """What keeps this forward call from being the one the task asks for (None: it is that call)."""
    values = "These are the right ids, but not" if right else "Not"
    if call.in_generate:
        return Mistake(
            "`next_ids` comes from `model.generate`.",
            id="from_generate",
            expected="one forward call, `model(...)`, on "
            "`left` with its mask and your position ids",
            found="the first step of a generate call",
            cause=f"{values} from the call this exercise is about: generate builds the position ids for "
            "you; here you build them",
        )
    if where == "first":
        return Mistake(
            "`next_ids` holds each row's prediction at the first position.",
            id="first_position",
            expected="the last position's (`[:, -1]`)",
            found="the predictions at position 0 (`[:, 0]`)",
            cause="position i predicts token i + 1: the next token of a prompt comes from its last position",
        )
    if call.input_ids != _grid(ids):
        if call.input_ids == _grid(right_ids(PROMPTS)):
            if where == "last real":
                return Mistake(
                    "`next_ids` comes from the right-padded batch, read at each row's last real token.",
                    id="right_padded_last_real",
                    expected="one call on the left-padded `left`, read at the last column",
                    found="a call on the right-padded batch",
                    cause=f"{values} what this exercise asks: one call on the left-padded batch, where "
                    "every prompt's last token is in the last column, as generate needs it",
                )
            return Mistake(
                "`next_ids` comes from a call on the right-padded batch.",
                id="right_padded_call",
                expected="a call on `left`",
                found="a call on the right-padded ids",
                cause="the last column of a shorter prompt is a pad: its row predicts what follows padding",
            )
        if (call.batch, call.width) != tuple(ids.shape):
            return Mistake(
                f"`next_ids` comes from a call on a batch of shape ({call.batch}, {call.width}).",
                id="next_call_shape",
                expected=f"a call on `left`, shape {tuple(ids.shape)}",
                found=f"shape ({call.batch}, {call.width})",
            )
        return Mistake(
            "`next_ids` comes from a call on other ids than `left`'s.",
            id="other_ids",
            expected="a call on `left`",
            found="other ids of the same shape",
            cause="call the model on `left` (the prompts of `prompts`)",
        )
    if call.attention_mask is None:
        return Mistake(
            "`next_ids` comes from a call without the attention mask.",
            id="no_mask",
            expected="`attention_mask` passed (`model(**left, position_ids=...)`)",
            found="input_ids only",
            cause="without the mask the real tokens attend to the pads in front of them",
        )
    if call.attention_mask != _grid(mask):
        return Mistake(
            "`next_ids` comes from a call with another attention mask than `left`'s.",
            id="other_mask",
            expected="`left['attention_mask']`",
            found="another mask",
        )
    expected = positions(mask)
    if call.position_ids is None:
        return Mistake(
            "`next_ids` comes from a call without position ids.",
            id="no_position_ids",
            expected="`position_ids` that count only the real tokens",
            found="no position ids: the model numbered the columns 0, 1, 2, ..., pads included",
            cause="the shorter prompts' tokens sat at later positions than alone; GPT-2 learned "
            "what each absolute position looks like",
            hint="`position_ids = (left['attention_mask'].cumsum(-1) - 1).clamp(min=0)`",
        )
    if not call.position_ids or not _real_positions_right(call.position_ids, expected, mask):
        found = torch.tensor(call.position_ids) if call.position_ids else None
        columns = torch.arange(ids.shape[1]).expand_as(ids)
        if (
            found is not None
            and found.shape == expected.shape
            and torch.equal(found[mask.bool()], columns[mask.bool()])
        ):
            return Mistake(
                "`next_ids` comes from a call whose position ids count the pads.",
                id="positions_count_pads_call",
                expected="0, 1, 2, ... over each row's real tokens",
                found="the column numbers",
                cause="the shorter prompts' tokens sat at later positions than alone",
            )
        if (
            found is not None
            and found.shape == expected.shape
            and torch.equal(found[mask.bool()], expected[mask.bool()] + 1)
        ):
            return Mistake(
                "`next_ids` comes from a call whose position ids start at 1.",
                id="positions_from_one_call",
                expected="0 for each prompt's first token",
                found="1",
                cause="`cumsum` counts from 1: subtract 1",
            )
        return Mistake(
            "`next_ids` comes from a call whose position ids are not 0, 1, 2, ... over the real tokens.",
            id="wrong_positions_call",
            expected="`(left['attention_mask'].cumsum(-1) - 1).clamp(min=0)`",
            found="other position ids"
            if found is not None
            else "position ids not of shape (batch, width)",
        )
    if where != "last":
        return Mistake(
            "`next_ids` was not read at the last position.",
            id="not_last_position",
            expected="`logits[:, -1]`",
            found=f"the {where} token's predictions",
        )
    return None


@traced_value_exercise(
    "The next token of every prompt, from one forward call",
    trace=generation_calls.FORWARD,
    hints=(
        'Position ids from the mask: `(left["attention_mask"].cumsum(-1) - 1).clamp(min=0)`; pass them with '
        "`model(**left, position_ids=position_ids)`.",
        "The logits have shape (batch, positions, vocabulary). The last position is `logits[:, -1]`; the predicted "
        "id is its `.argmax(dim=-1)`.",
    ),
)
def next_ids(next_ids: Any, *, call=None) -> None:
    """`next_ids` holds, for each prompt, the id its last position predicts, from one forward call on the
    left-padded `left` with its mask and position ids over the real tokens; each equals the prompt's own."""
    ids, mask = left_batch(PROMPTS)
    truth = torch.tensor([alone(p, 1)[0] for p in PROMPTS])
    found = _next_ids_tensor(next_ids, len(PROMPTS), ids.shape[1])
    right = torch.equal(found, truth)
    matches = call.matches if call is not None else ()
    problems = [_call_problem(where, c, ids, mask, right) for where, c in matches]
    if right and any(p is None for p in problems):
        return
    named = [p for p in problems if p is not None]
    if named:
        raise named[0]
    if right:
        one_at_a_time = bool(call and call.one_at_a_time)
        raise Mistake(
            "`next_ids` has the right ids, but no forward call of the decoder predicted them all at once.",
            id="no_forward_call",
            expected="the last position of one call on `left`",
            found="ids that no single call predicted",
            cause="each of these ids is what a separate call on one prompt predicted (as `each_alone` "
            "above does): the exercise is one call on the whole batch"
            if one_at_a_time
            else "ids typed in, joined from several calls, or from a call this notebook no longer "
            "remembers: run the call again",
        )
    row = int((found != truth).nonzero()[0])
    raise Mistake(
        f"`next_ids` is wrong for row {row} ({PROMPTS[row]!r}).",
        id="wrong_next_id",
        expected="the id that prompt's last position predicts when the prompt runs alone",
        found=f"{_token(int(found[row]))}, and no forward "
        "call of the decoder predicted these ids at one position",
    )


# --- generated: one generate call on the whole batch --------------------------------------------------------------


def _generated_tensor(value: Any, expected: torch.Tensor) -> torch.Tensor:
    what = (
        "the ids `model.generate` returns: a tensor of shape (prompts, prompt width + new tokens)"
    )
    if _is_text(value):
        raise Mistake(
            "`generated` is text.",
            id="generated_text",
            expected=what,
            found=compare.describe(value),
            cause="you decoded generate's output",
            hint="store the ids; the next exercise decodes them",
        )
    # the object itself in the kernel; in the grader, the dict of its fields the report carries
    if (hasattr(value, "sequences") and not isinstance(value, torch.Tensor)) or (
        isinstance(value, dict) and "sequences" in value
    ):
        raise Mistake(
            "`generated` is generate's output object.",
            id="generate_output_object",
            expected=what,
            found=compare.describe(value),
            cause="`return_dict_in_generate=True` wraps the ids",
            hint="take `.sequences`, or leave that out",
        )
    if hasattr(value, "keys") and "input_ids" in getattr(value, "keys", lambda: [])():
        raise Mistake(
            "`generated` is a batch of inputs, not generate's output.",
            id="inputs_not_output",
            expected=what,
            found=compare.describe(value),
            hint="`generated = model.generate(**left, ...)`",
        )
    tensor = _as_ids(value, "generated", what)
    if tensor.dim() != 2:
        raise Mistake(
            f"`generated` has {tensor.dim()} dimension{'s' if tensor.dim() != 1 else ''}.",
            id="generated_dimensions",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(tensor.shape)}",
            cause="an index such as `[0]` keeps one row" if tensor.dim() == 1 else "",
        )
    if tensor.shape[0] != expected.shape[0]:
        raise Mistake(
            f"`generated` has {tensor.shape[0]} rows for {expected.shape[0]} prompts.",
            id="generated_rows",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(tensor.shape)}",
            cause="one row per prompt of `prompts`",
        )
    return tensor


def _generate_problem(
    call: generation_calls.GenerateCall,
    ids: torch.Tensor,
    mask: torch.Tensor,
    expected: torch.Tensor,
) -> Mistake | None:
    tokenizer, _ = decoder()
    if call.input_ids != _grid(ids):
        if call.input_ids == _grid(right_ids(PROMPTS)):
            return Mistake(
                "`generated` comes from the right-padded batch.",
                id="generated_right_padded",
                expected="generate on `left`",
                found="generate on the right-padded ids",
                cause="generate appends after the last column: for the shorter prompts that is after their "
                "pads, so they continue from padding",
            )
        if len(call.input_ids) != ids.shape[0] or len(call.input_ids[0]) != ids.shape[1]:
            return Mistake(
                f"`generated` comes from a generate call on a batch of shape "
                f"({len(call.input_ids)}, {len(call.input_ids[0])}).",
                id="generate_call_shape",
                expected=f"a call on `left`, shape {tuple(ids.shape)}",
                found=f"shape ({len(call.input_ids)}, {len(call.input_ids[0])})",
            )
        return Mistake(
            "`generated` comes from a generate call on other ids than `left`'s.",
            id="generate_other_ids",
            expected="generate on `left` (the prompts of `prompts`, left-padded with eos)",
            found="other ids",
        )
    if call.attention_mask is None:
        return Mistake(
            "`generated` comes from a generate call without the attention mask.",
            id="generate_no_mask",
            expected="`model.generate(**left, ...)`: ids and mask",
            found="input_ids only",
            cause="the pad is eos, so generate cannot tell the pads from real tokens: the shorter prompts "
            "attended to their pads, and their positions counted them",
        )
    if call.attention_mask != _grid(mask):
        return Mistake(
            "`generated` comes from a generate call with another mask than `left`'s.",
            id="generate_other_mask",
            expected="`left['attention_mask']`",
            found="another mask",
        )
    if call.position_ids is not None and (
        not call.position_ids or not _real_positions_right(call.position_ids, positions(mask), mask)
    ):
        return Mistake(
            "`generated` comes from a generate call given position ids that are not 0, 1, 2, ... over the "
            "real tokens.",
            id="generate_wrong_positions",
            expected="no `position_ids` (generate builds them from the mask) or those",
            found="other position ids",
            cause="generate used the position ids you passed",
        )
    if call.sampled:
        return Mistake(
            "`generated` was sampled (`do_sample=True`).",
            id="sampled",
            expected="greedy decoding, `do_sample=False`",
            found="random draws, different at each run",
            cause="sampling picks any likely token; the "
            "comparison with each prompt alone needs the most likely one",
        )
    if call.beams > 1:
        return Mistake(
            f"`generated` comes from beam search (`num_beams={call.beams}`).",
            id="beam_search",
            expected="greedy decoding, one beam",
            found=f"{call.beams} beams",
        )
    # judged by what generate returned, not by how it was asked: `max_length` = width + 8 gives the same ids
    if call.max_new_tokens != NEW_TOKENS and call.output != _grid(expected):
        return _length_problem(call, ids.shape[1])
    return None


def _length_problem(call: generation_calls.GenerateCall, width: int) -> Mistake:
    """The output of a call without `max_new_tokens=8` has another number of new tokens: how many, and why."""
    new = len(call.output[0]) - len(call.input_ids[0]) if call.output else 0
    if call.max_new_tokens is not None:
        return Mistake(
            f"`generated` comes from a call with `max_new_tokens={call.max_new_tokens}`.",
            id="generate_options",
            expected=f"`max_new_tokens={NEW_TOKENS}`",
            found=f"`max_new_tokens={call.max_new_tokens}`",
        )
    short = NEW_TOKENS - new
    if short == 1:
        cause = (
            f"off by one: `max_length` counts the prompt's {width} columns, so {width} + {NEW_TOKENS} = "
            f"{width + NEW_TOKENS} gives {NEW_TOKENS} new tokens, and {width + new} gives {new}"
        )
    else:
        cause = (
            f"without `max_new_tokens`, generate stops at `max_length` (yours or the model's default), "
            f"which counts the prompt's {width} columns too"
        )
    return Mistake(
        f"`generated` holds {new} new tokens per row, not {NEW_TOKENS}: the call has no `max_new_tokens`.",
        id="generate_length",
        expected=f"{NEW_TOKENS} new tokens: `max_new_tokens={NEW_TOKENS}`",
        found=f"{width + new} columns: the prompts' {width}, then {new} new tokens",
        cause=cause,
        hint=f"`max_new_tokens={NEW_TOKENS}` counts only the new tokens",
    )


@traced_value_exercise(
    "Generate for every prompt in one call",
    trace=generation_calls.GENERATE,
    hints=(
        "Unpack the batch into generate: `model.generate(**left, ...)` passes the ids and the mask.",
        f"`model.generate(**left, max_new_tokens={NEW_TOKENS}, do_sample=False)`",
    ),
)
def generated(generated: Any, *, call=None) -> None:
    """`generated` is what one greedy `model.generate` call on `left` (ids and mask) returns with
    `max_new_tokens=8`: each row is its prompt, then exactly the ids that prompt gets alone."""
    tokenizer, _ = decoder()
    ids, mask = left_batch(PROMPTS)
    expected = expected_output(PROMPTS, NEW_TOKENS)
    found = _generated_tensor(generated, expected)
    width = ids.shape[1]
    if call is None:
        if found.shape == (expected.shape[0], expected.shape[1] - width) and torch.equal(
            found, expected[:, width:]
        ):
            raise Mistake(
                "`generated` holds only the new tokens.",
                id="only_new_tokens",
                expected="generate's whole output: each prompt, then its new tokens",
                found=f"shape {tuple(found.shape)}",
                cause="the prompts were cut off: the next exercise does that",
                hint="store what generate returns as it is",
            )
        if generation_calls.generated_one_at_a_time(found.tolist(), tokenizer.eos_token_id):
            raise Mistake(
                "`generated` was made one prompt at a time.",
                id="one_prompt_at_a_time",
                expected="one generate call on the whole batch `left`",
                found="rows of separate generate calls on one prompt each, joined",
                cause="the exercise is the batched call: one call for all the prompts",
            )
        raise Mistake(
            "No generate call in this notebook returned exactly `generated`.",
            id="no_generate_call",
            expected="the output of one `model.generate(**left, ...)` call",
            found="ids that no single generate call returned",
            cause="rows generated one at a time and joined, ids typed in, an "
            "output changed afterwards, or a call this notebook no longer remembers: run it again",
        )
    problem = _generate_problem(call, ids, mask, expected)
    if problem:
        raise problem
    if call.copied:
        raise Mistake(
            "`generated` has generate's ids, but it is not the tensor generate returned.",
            id="not_generate_tensor",
            expected="generate's output itself: `generated = model.generate(...)`",
            found="another tensor with the same ids",
            cause="a copy (`.clone()`, `torch.tensor(...)` of its "
            "values) or ids typed in from a print: the exercise is the call",
        )
    if found.shape == expected.shape and torch.equal(found, expected):
        return
    if found.shape != expected.shape:
        raise Mistake(
            f"`generated` has shape {tuple(found.shape)}.",
            id="generated_shape",
            expected=f"shape {tuple(expected.shape)}: the prompts' width plus the new tokens",
            found=f"shape {tuple(found.shape)}",
        )
    row, col = (found != expected).nonzero()[0].tolist()
    went_on = int(expected[row, col]) == tokenizer.eos_token_id  # alone, this prompt has ended here
    raise Mistake(
        f"`generated` row {row} ({PROMPTS[row]!r}) differs from what that prompt gets alone.",
        id="row_differs",
        expected="the prompt, its own greedy continuation, then eos once it has ended",
        found=f"{_token(int(found[row, col]))} at column {col}",
        cause=(
            f"alone, this prompt ends at column {col} (eos); your row goes on: something in the call kept "
            "generate from stopping, such as `min_new_tokens`"
            if went_on
            else ""
        ),
    )


# --- continuations(output, batch): cut the prompts off, decode the new tokens -------------------------------------


def generated_case(prompts: list[str], steps: int) -> tuple:
    tokenizer, model = decoder()
    with _checker_calls():
        batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")
        output = model.generate(
            **batch.to(model.device),
            max_new_tokens=steps,
            do_sample=False,
            pad_token_id=tokenizer.eos_token_id,
        ).cpu()
    return output, batch.to("cpu")


@functools.lru_cache(maxsize=2)
def _continuation_cases_for(checkpoint: str) -> tuple[Case, ...]:
    return (
        Case(
            "four unseen prompts of different lengths, 6 new tokens",
            generated_case([UNSEEN[1], UNSEEN[0], UNSEEN[2], "Our waiter"], 6),
        ),
        Case(
            "a finished sentence beside a short prompt", generated_case([UNSEEN[4], UNSEEN[5]], 5)
        ),
        Case("two unseen prompts, 10 new tokens", generated_case([UNSEEN[3], UNSEEN[0]], 10)),
        Case("a batch of one prompt", generated_case([UNSEEN[2]], 4)),
        Case(
            "a prompt whose word comes back in its continuation",
            generated_case(["and", UNSEEN[2]], 8),
        ),
    )


def _texts(result: Any, n: int) -> list[str]:
    name = "continuations"
    if result is None:
        raise gates.returned_none(name, f"a list of {n} strings")
    if isinstance(result, str):
        raise Mistake(
            f"`{name}` returned one string.",
            id="one_string",
            expected=f"a list of {n} strings, one per row",
            found=compare.describe(result),
            cause="decode each row: `tokenizer.batch_decode(...)` or a list comprehension",
        )
    if isinstance(result, tuple) and all(isinstance(r, str) for r in result):
        raise Mistake(
            f"`{name}` returned a tuple.",
            id="texts_tuple",
            expected=f"a list of {n} strings",
            found=compare.describe(result),
            hint="`list(...)` or a list comprehension",
        )
    if isinstance(result, torch.Tensor) or (
        isinstance(result, list)
        and result
        and all(isinstance(r, (list, torch.Tensor)) for r in result)
    ):
        raise Mistake(
            f"`{name}` returned token ids, not text.",
            id="ids_not_text",
            expected=f"a list of {n} strings",
            found=compare.describe(result),
            hint="decode them: `tokenizer.batch_decode(..., skip_special_tokens=True)`",
        )
    if not isinstance(result, list) or not all(isinstance(r, str) for r in result):
        raise Mistake(
            f"`{name}` did not return a list of strings.",
            id="not_strings",
            expected=f"a list of {n} strings",
            found=compare.describe(result),
        )
    if len(result) != n:
        raise Mistake(
            f"`{name}` returned {len(result)} strings for {n} rows.",
            id="text_count",
            expected=f"{n}: one per row of `output`",
            found=f"{len(result)}",
        )
    return result


def _text_cuts(rows: list, batch, tokenizer, right: list[str]) -> list[tuple[list[str], Mistake]]:
    """The prompt's text taken off the decoded row by a text operation: right only while the prompt's words never
    come back in its continuation."""
    prompts = [
        tokenizer.decode(ids, skip_special_tokens=True) for ids in batch["input_ids"].tolist()
    ]
    full = [tokenizer.decode(row, skip_special_tokens=True) for row in rows]
    again = next((i for i, (p, cont) in enumerate(zip(prompts, right)) if p and p in cont), None)
    stripped = [f.lstrip(p) for f, p in zip(full, prompts)]
    changed = next((i for i, (a, b) in enumerate(zip(stripped, right)) if a != b), 0)
    cuts = [
        (
            stripped,
            Mistake(
                "`.lstrip(prompt)` took more than the prompt off a decoded row.",
                id="prompt_chars_stripped",
                expected="the new tokens decoded: cut the ids at the prompts' width, then decode",
                found=f"row {changed}: {stripped[changed][:60]!r}",
                cause="`.lstrip` takes off any of the prompt's characters, in any order, also from the "
                "continuation's start",
                hint="`output[:, batch['input_ids'].shape[1]:]`, then `batch_decode(..., skip_special_tokens=True)`",
            ),
        )
    ]
    if len(rows) == len(PROMPTS):
        cut = [f[len(p) :] for f, p in zip(full, PROMPTS)]
        cuts.append(
            (
                cut,
                Mistake(
                    "Each decoded row was cut at the length of the notebook's prompts.",
                    id="cut_notebook_prompts",
                    expected="the new tokens of this batch's rows",
                    found=f"row 0: {cut[0][:60]!r}",
                    cause="`len(p)` of the notebook's `prompts`, not of this batch's prompts: the function "
                    "reads the notebook instead of its arguments",
                    hint="use the arguments: cut the ids at `batch['input_ids'].shape[1]`",
                ),
            )
        )
    if again is None:
        return cuts
    operations = {
        "`.replace(prompt, '')`": [f.replace(p, "") for f, p in zip(full, prompts)],
        "`.split(prompt)[-1]`": [f.split(p)[-1] if p else f for f, p in zip(full, prompts)],
    }
    return cuts + [
        (
            texts,
            Mistake(
                "The prompts' text was taken off the decoded rows with a text operation, and part of a "
                "continuation went with it.",
                id="prompt_text_removed",
                expected="the new tokens decoded: cut the ids at the prompts' width, then decode",
                found=f"{operation} on each decoded row; row {again}: {texts[again][:60]!r}",
                cause=f"row {again}'s prompt, {prompts[again]!r}, comes back in its continuation, and "
                f"{operation} takes it off there too",
                hint="`output[:, batch['input_ids'].shape[1]:]`, then `batch_decode(..., skip_special_tokens=True)`",
            ),
        )
        for operation, texts in operations.items()
    ]


def _continuation_mistakes(
    output: torch.Tensor, batch, tokenizer
) -> list[tuple[list[str], Mistake]]:
    width, n = batch["input_ids"].shape[1], output.shape[0]
    rows = output.tolist()

    def decoded(cut, skip=True):
        return [
            tokenizer.decode(row[cut(i) :], skip_special_tokens=skip) for i, row in enumerate(rows)
        ]

    right = decoded(lambda i: width)
    real = [int(x) for x in batch["attention_mask"].sum(dim=1).tolist()]
    notebook_width = left_batch(PROMPTS)[0].shape[1]
    specials = Mistake(
        "The texts still hold <|endoftext|>.",
        id="endoftext_kept",
        expected="the new tokens' text without special tokens",
        found="<|endoftext|> in the text of a row that finished early",
        cause="a finished row is filled with the pad, eos here",
        hint="`skip_special_tokens=True`",
    )
    return [
        (
            decoded(lambda i: 0),
            Mistake(
                "The texts still start with the prompts.",
                id="prompts_kept",
                expected="only the new tokens' text",
                found="prompt + continuation",
                cause="generate returns each prompt followed by its new tokens",
                hint="cut at the prompts' width: `output[:, batch['input_ids'].shape[1]:]`",
            ),
        ),
        (
            decoded(lambda i: 0, False),
            Mistake(
                "The texts still start with the prompts and hold <|endoftext|>.",
                id="prompts_and_endoftext_kept",
                expected="only the new tokens' text, without special tokens",
                found="the whole rows decoded, pads included",
                hint="cut at `batch['input_ids'].shape[1]`, decode with `skip_special_tokens=True`",
            ),
        ),
        (decoded(lambda i: width, False), specials),
        (
            [t.strip() for t in right],
            Mistake(
                "The texts were stripped.",
                id="stripped",
                expected="each text as `decode` gives it, its leading space included",
                found="no leading space",
                cause="`.strip()`: the space belongs to the first new token",
            ),
        ),
        (
            decoded(lambda i: real[i]),
            Mistake(
                "Each row was cut after its own number of real tokens.",
                id="cut_per_row",
                expected="one cut for every row, at the prompts' width",
                found="cuts at the mask's sums",
                cause="with left padding every prompt ends in the same column, the last "
                "one: the new tokens start at `batch['input_ids'].shape[1]`",
            ),
        ),
        (
            decoded(lambda i: n),
            Mistake(
                "The rows were cut at the batch size.",
                id="cut_at_batch_size",
                expected="a cut at the prompts' width, `shape[1]`",
                found="a cut at `shape[0]`, the number of prompts",
                cause="`shape[0]` counts rows, `shape[1]` columns",
            ),
        ),
        *(
            []
            if notebook_width in (width, width - 1, width + 1, n)
            else [
                (
                    decoded(lambda i: notebook_width),
                    Mistake(
                        f"The rows were cut at column {notebook_width}, the width of the notebook's `left`.",
                        id="cut_at_notebook_width",
                        expected=f"a cut at this batch's width, `batch['input_ids'].shape[1]` ({width} here)",
                        found=f"a cut at {notebook_width}",
                        cause="the cut is the notebook's width: the function reads the notebook's `left`, or "
                        f"has {notebook_width} written in, instead of its `batch` argument",
                        hint="use the arguments: `output` and `batch`",
                    ),
                )
            ]
        ),
        *_text_cuts(rows, batch, tokenizer, right),
        (
            decoded(lambda i: width - 1),
            Mistake(
                "The cut is one column early.",
                id="cut_early",
                expected="the new tokens only",
                found="each text starts with the prompt's last token",
                cause="the new tokens start at index `shape[1]`, not `shape[1] - 1`",
            ),
        ),
        (
            decoded(lambda i: width + 1),
            Mistake(
                "The cut is one column late.",
                id="cut_late",
                expected="every new token",
                found="each text lacks its first new token",
                cause="the new tokens start at index `shape[1]`",
            ),
        ),
    ]


@function_exercise(
    "Cut off the prompts and decode the new tokens",
    cases=lambda: _continuation_cases_for(config.decoder()),
    hints=(
        "generate returns each row as its prompt (padded to the batch's width) followed by the new tokens, so "
        "the new tokens start in the same column for every row.",
        '`tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)`',
    ),
)
def continuations(result, case: Case) -> None:
    """`continuations(output, batch)` returns a new list with one string per row of `output`: the text of the
    tokens generate added after the prompts of `batch`, decoded with `skip_special_tokens=True`."""
    output, batch_ = case.args
    tokenizer, _ = decoder()
    found = _texts(result, output.shape[0])
    expected = [
        tokenizer.decode(row[batch_["input_ids"].shape[1] :], skip_special_tokens=True)
        for row in output.tolist()
    ]
    if found == expected:
        return
    for texts, mistake in _continuation_mistakes(output, batch_, tokenizer):
        if texts == found and texts != expected:
            raise mistake
    row = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
    raise Mistake(
        f"Row {row}'s text is not its new tokens decoded.",
        id="wrong_text",
        expected="the text of the tokens after the prompt (`skip_special_tokens=True`)",
        found=repr(found[row][:80]),
    )


# --- causal_labels(input_ids, attention_mask): labels for a causal LM batch, from the mask ------------------------

EOS = "<eos>"  # in a case's rows: the decoder's eos id, which is also its pad id here


def labels_case(description: str, rows: list[list], mask: list[list[int]]) -> Case:
    """A case of ``causal_labels``: ``rows`` of ids where ``EOS`` stands for the active decoder's eos id (the pad
    id too, with pad = eos), and the batch's mask; the expected labels are the ids with -100 where the mask is 0."""
    eos = decoder()[0].eos_token_id
    ids = torch.tensor([[eos if t == EOS else t for t in row] for row in rows])
    attention = torch.tensor(mask)
    return Case(description, (ids, attention), ids.masked_fill(attention == 0, -100))


def _causal_label_cases() -> list[Case]:
    return [
        labels_case(
            "a right-padded batch whose first row ends with a real <|endoftext|> (the pad id too)",
            [[464, 3797, 373, 1049, EOS], [1135, 13488, EOS, EOS, EOS]],
            [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]],
        ),
        labels_case(
            "a left-padded batch with a real <|endoftext|> between two texts",
            [[EOS, EOS, 2061, EOS, 318], [464, 1621, 318, 523, 922]],
            [[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]],
        ),
        labels_case(
            "a batch with nothing padded", [[5, 6, EOS], [7, 8, EOS]], [[1, 1, 1], [1, 1, 1]]
        ),
    ]


@functools.lru_cache(maxsize=2)
def _causal_label_cases_for(checkpoint: str) -> tuple[Case, ...]:
    return tuple(_causal_label_cases())


@function_exercise(
    "Labels for a causal LM batch, from the mask",
    cases=lambda: _causal_label_cases_for(config.decoder()),
    mutation=(
        "an assignment into `input_ids` (`input_ids[...] = -100`) changes the batch the model also reads",
        "`labels = input_ids.clone()` first, or `input_ids.masked_fill(...)`, which returns a new tensor",
    ),
    hints=(
        "The mask is 0 exactly on the pads, whatever their id: put -100 there, the ids everywhere else.",
        "`input_ids.masked_fill(attention_mask == 0, -100)`",
    ),
)
def causal_labels(result, case: Case) -> None:
    """`causal_labels(input_ids, attention_mask)` returns a new int64 tensor of the ids' shape: the ids, with -100
    where the mask is 0 (a real eos that shares the pad id keeps its label)."""
    ids, mask = case.args
    expected = case.expected
    what = f"an int64 tensor of shape {tuple(expected.shape)}: the ids, -100 on the pads"
    if result is None:
        raise gates.returned_none("causal_labels", what)
    if not isinstance(result, torch.Tensor):
        raise Mistake(
            f"`causal_labels` returned a {type(result).__name__}, not a tensor.",
            id="labels_not_a_tensor",
            expected=what,
            found=compare.describe(result),
            cause="the model's `labels=` takes a tensor of the ids' shape",
            hint="keep the tensor `masked_fill` returns (no `.tolist()`)",
        )
    if tuple(result.shape) == (ids.shape[0], ids.shape[1] - 1):
        raise Mistake(
            f"`causal_labels` returned shape {tuple(result.shape)}: one column short.",
            id="labels_shifted",
            expected=what,
            found=compare.describe(result),
            cause="the labels were shifted by hand; a causal LM shifts the labels itself (position i is scored "
            "on label i + 1), so labels have the ids' shape",
            hint="no slicing: the same columns as `input_ids`",
        )
    if result.shape != expected.shape:
        raise Mistake(
            f"`causal_labels` returned shape {tuple(result.shape)}.",
            id="labels_shape",
            expected=what,
            found=compare.describe(result),
        )
    if result.dtype != torch.int64:
        raise Mistake(
            f"`causal_labels` returned dtype {result.dtype}.",
            id="labels_dtype",
            expected=what,
            found=compare.describe(result),
            cause="the loss reads labels as class indices: int64",
        )
    if torch.equal(result, expected):
        return
    eos = decoder()[0].eos_token_id
    real_eos = (ids == eos) & (mask == 1)
    if torch.equal(result, ids.masked_fill(ids == eos, -100)) and real_eos.any():
        row, col = real_eos.nonzero()[0].tolist()
        raise Mistake(
            f"The real <|endoftext|> at row {row}, column {col} has label -100.",
            id="pad_id_rule",
            expected=f"its id, {eos}: the mask is 1 there, it is a real token",
            found="-100 wherever the id is the pad id",
            cause="with pad = eos the pad id is also a real token's id: a rule on the ids (the collator's) "
            "hides every real end of text, so the model never learns to stop; the mask tells pads apart",
            hint="`input_ids.masked_fill(attention_mask == 0, -100)`",
        )
    if torch.equal(result, ids.masked_fill(mask == 1, -100)):
        raise Mistake(
            "`causal_labels` puts -100 on the real tokens and keeps the pads' ids.",
            id="labels_mask_inverted",
            expected="-100 where the mask is 0",
            found="-100 where the mask is 1",
            cause="the mask is 1 on the real tokens, 0 on the pads",
        )
    if torch.equal(result, ids):
        raise Mistake(
            "`causal_labels` returned the ids with no -100.",
            id="nothing_ignored",
            expected="-100 on the pads",
            found="the ids, pads included",
            cause="the loss would train the model to predict pads after every shorter text",
        )
    if torch.equal(result, mask):
        raise Mistake(
            "`causal_labels` returned the attention mask.",
            id="labels_are_mask",
            expected=what,
            found="the mask's 0s and 1s",
        )
    pads = mask == 0
    if pads.any() and torch.equal(result[~pads], ids[~pads]):
        values = sorted(set(result[pads].tolist()))
        if len(values) == 1:
            raise Mistake(
                f"The pads' labels hold {values[0]}, not -100.",
                id="labels_fill_value",
                expected="-100 on the pads: the index the loss ignores",
                found=f"{values[0]} on every pad",
                cause="only -100 is left out of the loss (`ignore_index=-100`); any other value is a class the "
                "model is trained to predict",
            )
    at_the_end = ids.clone()
    for row_, length in enumerate(mask.sum(dim=1).tolist()):
        at_the_end[row_, int(length) :] = -100
    if torch.equal(result, at_the_end):
        raise Mistake(
            "`causal_labels` put -100 after each row's count of real tokens, as if every row's pads were at its "
            "end.",
            id="labels_pads_assumed_at_end",
            expected="-100 where the mask is 0, wherever the pads are (this batch has pads at the start of a row)",
            found="-100 on each row's last columns, real tokens there included; the pads at the start keep their "
            "ids",
            cause="the number of real tokens does not say where the pads are: with left padding they come first; "
            "the mask marks each one",
            hint="`input_ids.masked_fill(attention_mask == 0, -100)` works on either side",
        )
    row, col = (result != expected).nonzero()[0].tolist()
    raise Mistake(
        f"The label at row {row}, column {col} is {int(result[row, col])}.",
        id="labels_differ",
        expected=f"{int(expected[row, col])}: the id where the mask is 1, -100 where it is 0",
        found=str(int(result[row, col])),
    )

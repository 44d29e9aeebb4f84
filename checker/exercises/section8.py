"""Section 8, notebook ``08_putting_it_together.ipynb``: the tokenizer does it all; many texts, fast."""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from typing import Any

import torch

from .. import compare, config, diagnose, gates, model_calls, references
from ..exercise import function_exercise, run_exercise, value_exercise
from ..harness import Case, Run
from ..model import load_model
from ..outcome import Mistake
from ..padding import pad_rows
from . import _shared

UNSEEN_TEXTS, LONG_TEXT = references.UNSEEN_TEXTS, references.LONG_TEXT


# --- batch: the tokenizer's padded, truncated tensors --------------------------------------------


@value_exercise(
    "Tokenize, pad, truncate and return tensors in one call",
    hints=(
        "Call `tokenizer` on the list `sequences` with three arguments: padding, truncation and the tensor type.",
        '`tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")`',
    ),
)
def batch(batch: Any) -> None:
    """`batch` is the tokenizer's output for the two sentences: padded input_ids and their attention_mask, as tensors."""
    tok = load_model().tokenizer
    expected = tok(references.TWO_TEXTS, padding=True, truncation=True, return_tensors="pt")
    if isinstance(batch, torch.Tensor):
        raise Mistake(
            "`batch` is one tensor, not the tokenizer's output.",
            id="one_tensor",
            expected="the whole output of `tokenizer(...)`: input_ids and attention_mask together",
            found=compare.describe(batch),
            cause="keep everything the tokenizer returns; the model takes it with `model(**batch)`",
        )
    if not hasattr(batch, "keys") or not callable(getattr(batch, "keys", None)):
        raise Mistake(
            "`batch` is not the tokenizer's output.",
            id="not_tokenizer_output",
            expected="what `tokenizer(sequences, ...)` returns",
            found=compare.describe(batch),
        )
    missing = [k for k in ("input_ids", "attention_mask") if k not in batch.keys()]
    if missing:
        raise Mistake(
            f"`batch` has no {' and no '.join(missing)}.",
            id="missing_fields",
            expected="keys input_ids and attention_mask",
            found=f"keys {list(batch.keys())[:5]}",
            cause="call the tokenizer itself on the two sentences",
        )
    ids = batch["input_ids"]
    mistake = gates.not_a_tensor(
        ids,
        "batch['input_ids']",
        "torch tensors",
        cause=gates.TOKENIZER_FIELDS,
        hint='add `return_tensors="pt"` (and `padding=True`, so that the rows have one length)',
    )
    if mistake is not None:
        raise mistake
    if (
        ids.dim() == 2
        and ids.shape[1] == tok.model_max_length
        and expected["input_ids"].shape[1] < ids.shape[1]
    ):
        raise Mistake(
            "`batch` is padded to the model's maximum length.",
            id="padded_to_max_length",
            expected=f"shape {tuple(expected['input_ids'].shape)}: padded to the longest sentence",
            found=f"shape {tuple(ids.shape)}",
            cause="`padding='max_length'` pads every row to "
            f"{tok.model_max_length} tokens: mostly padding, and slow",
            hint="use `padding=True` (= 'longest')",
        )
    _shared.token_ids(ids, expected["input_ids"], "batch['input_ids']", tok)
    diagnose.attention_mask(
        batch["attention_mask"], expected["attention_mask"], name="batch['attention_mask']"
    )


# --- logits for the two sentences --------------------------------------------------------------------


def _left_padded() -> dict[str, tuple[torch.Tensor, str]]:
    """The two sentences padded on the left, with their mask (computed here, unrecorded): other logits, because
    this model numbers positions from the row's first column, pads included."""
    tok = load_model().tokenizer
    batch = tok(references.TWO_TEXTS, padding=True, padding_side="left")
    with model_calls.unrecorded():
        logits = references.logits_of(
            load_model().model, batch["input_ids"], batch["attention_mask"]
        )
    return {
        "the logits of the batch padded on the left": (
            logits,
            "the pads are in front of the short sentence, so its tokens sit at later positions than in "
            "`batch`, padded on the right; the mask hides the pads, not the shift of positions",
        )
    }


@value_exercise(
    "Logits for the two sentences",
    hints=(
        "Unpack the whole tokenizer output into the model with `**`, then take `.logits`.",
        "`logits = model(**batch).logits`",
    ),
    observe=True,
)
def logits(logits: Any, *, call) -> None:
    """`logits` is the logits tensor of one call of the model on the padded batch with its attention mask."""
    value = compare.logits_tensor(logits, "logits")
    if call is not None and call.masked and call.lengths and not any(call.lengths):
        raise Mistake(
            "`logits` comes from a call whose attention mask is all zeros.",
            id="mask_all_zeros",
            expected="the batch's own mask: 1 on every real token (`model(**batch)`)",
            found=f"a mask of {call.batch} x {call.width} zeros",
            cause="a mask of zeros hides every token; the model's second positional argument is "
            "`attention_mask`, so `model(ids, batch['token_type_ids'])` passes the token types (all zeros "
            "here) as the mask",
            hint="pass the inputs by name, all at once: `model(**batch)`",
        )
    _shared.reference_logits(
        value,
        "logits",
        "two_texts_logits",
        known=(
            (
                "the logits of the padded ids without the attention mask",
                "two_texts_no_mask",
                "the model got only `input_ids`: pass the whole batch with `model(**batch)`",
            ),
        ),
        tol=compare.tolerance(device=load_model().model.device),
        computed=_left_padded(),
    )
    width = int(
        load_model()
        .tokenizer(references.TWO_TEXTS, padding=True, return_tensors="pt")["input_ids"]
        .shape[1]
    )
    if call is None and model_calls.row_calls(value):
        raise Mistake(
            "`logits` is made of rows computed one sentence at a time and joined.",
            id="rows_joined",
            expected="the `.logits` of one call of the model on `batch`, both sentences together",
            found="rows that each come from a call on one sentence",
            cause="each sentence went through the model alone (then `torch.cat` or `torch.stack`): "
            "this exercise is about one call on the padded batch",
            hint="`logits = model(**batch).logits`",
        )
    if call is None:
        raise Mistake(
            "`logits` has the right numbers, but no call of the model in this notebook returned this "
            "tensor.",
            id="no_batched_call",
            expected="the `.logits` of one call of the model on `batch`",
            found="numbers that no call of `model` returned (typed in from a print, or rounded, or "
            "from another model object)",
            hint="compute it: `logits = model(**batch).logits`",
        )
    if call.width == load_model().tokenizer.model_max_length and width < call.width:
        raise Mistake(
            "`logits` comes from a batch padded to the model's maximum length.",
            id="logits_of_max_length",
            expected=f"a call on `batch`, shape (2, {width})",
            found=f"a call on shape ({call.batch}, {call.width})",
            cause="`padding='max_length'` pads both sentences to 512 tokens: the same logits, 16 times the work",
            hint="call the model on `batch` itself: `model(**batch)`",
        )
    _shared.computed_in_one_call(
        call, "logits", batch=2, width=width, masked=True, how="`model(**batch).logits`"
    )


# --- padding_efficiency(attention_mask) ---------------------------------------------------------


def _mask_case(description: str, rows: list[list[int]], share: float) -> Case:
    return Case(description, (torch.tensor(rows),), share)


EFFICIENCY_CASES = [
    _mask_case("a (2, 4) mask with two padded positions", [[1, 1, 1, 1], [1, 1, 0, 0]], 0.75),
    _mask_case("a (3, 5) mask", [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], 9 / 15),
    _mask_case("a mask without padding", [[1, 1, 1], [1, 1, 1]], 1.0),
    _mask_case("a batch of one sequence", [[1, 1, 1, 1, 1, 1, 1]], 1.0),
    _mask_case(
        "a (3, 7) mask whose share has many decimals",
        [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0]],
        13 / 21,
    ),
]


def _as_float(value: Any, name: str) -> float:
    """The learner's result where the task asks for a Python float (a NumPy float64 is one)."""
    if isinstance(value, torch.Tensor) or (
        hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, float)
    ):
        kind = "tensor" if isinstance(value, torch.Tensor) else f"NumPy {type(value).__name__}"
        one = getattr(value, "numel", lambda: getattr(value, "size", 2))() == 1
        raise Mistake(
            f"`{name}` returned a {kind}, not a float.",
            id="not_a_float",
            expected="a Python float between 0 and 1",
            found=compare.describe(value),
            cause=(
                "`mask.sum() / mask.numel()` and `.mean()` give a tensor of one number"
                if one
                else "one number per row: reduce over the whole mask"
            ),
            hint="turn one number into a float with `.item()`: `mask.sum().item() / mask.numel()`",
        )
    if value is None:
        raise gates.returned_none(name, "a float between 0 and 1")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Mistake(
            f"`{name}` did not return a number.",
            id="not_a_number",
            expected="a float between 0 and 1",
            found=compare.describe(value),
            cause="return one number for the whole batch",
        )
    if math.isnan(value):
        raise Mistake(
            f"`{name}` returned NaN.",
            id="nan",
            expected="a float between 0 and 1",
            cause="a division 0 / 0?",
        )
    return float(value)


@function_exercise(
    "How much of a batch is real?",
    cases=EFFICIENCY_CASES,
    hints=(
        "The mask has a 1 for every real token and a 0 for every pad: its sum counts the real tokens.",
        "`attention_mask.sum().item() / attention_mask.numel()`",
    ),
)
def padding_efficiency(result, case: Case) -> None:
    """`padding_efficiency(attention_mask)` returns real tokens / all positions as a Python float."""
    value, right = _as_float(result, "padding_efficiency"), case.expected
    if math.isclose(value, right, abs_tol=1e-6) and not isinstance(result, int):
        return
    mask = case.args[0]
    real, rows, width = int(mask.sum()), int(mask.shape[0]), int(mask.shape[1])
    expected = "real tokens / all positions (batch size × padded length)"

    def found(what: str) -> str:
        return f"{value:.4g}: {what}"

    named = [
        (
            1 - right,
            Mistake(
                "You returned the share of padding.",
                id="share_of_padding",
                expected=expected,
                found=found("1 minus the share of real tokens"),
                cause="count the 1s of the mask (real tokens), not the 0s",
            ),
        ),
        (
            real,
            Mistake(
                "You returned the number of real tokens, not a share.",
                id="count_not_share",
                expected=expected,
                found=found(f"{real}, the sum of the mask"),
                cause="divide it by all positions of the batch, `mask.numel()`",
            ),
        ),
        (
            real / width,
            Mistake(
                "You divided by the padded length only.",
                id="divided_by_length",
                expected=expected,
                found=found("real tokens / padded length"),
                cause="all positions are batch size × padded length (`mask.numel()`), not one row's",
            ),
        ),
        (
            real / rows,
            Mistake(
                "You divided by the batch size only.",
                id="divided_by_batch_size",
                expected=expected,
                found=found("real tokens / batch size"),
                cause="all positions are batch size × padded length (`mask.numel()`)",
            ),
        ),
        (
            float(mask[0].float().mean()),
            Mistake(
                "You returned the first row's share only.",
                id="first_row_only",
                expected=expected,
                found=found("the share of row 0"),
                cause="count over the whole mask, every row",
            ),
        ),
    ]
    named += [
        (
            round(right, digits),
            Mistake(
                f"You rounded the share to {digits} decimal{'s' if digits > 1 else ''}.",
                id="rounded",
                expected=f"{right!r}: real tokens / all positions, as it is",
                found=found(f"round(..., {digits})"),
                cause="rounding changes the number; round only where you print it (`f'{x:.2f}'`)",
            ),
        )
        for digits in (1, 2, 3, 4)
    ]
    for number, mistake in named:
        if math.isclose(value, number, abs_tol=1e-6) and not math.isclose(
            number, right, abs_tol=1e-6
        ):
            raise mistake
    if isinstance(result, int):
        raise Mistake(
            f"`padding_efficiency` returned an int ({result}), not a float.",
            id="int_not_float",
            expected="a float between 0 and 1: real tokens / all positions",
            found=f"the int {result}",
            cause="`//` divides without a remainder; `/` gives a float" if result in (0, 1) else "",
        )
    raise Mistake(
        "The efficiency is off.",
        id="efficiency_off",
        expected="a float between 0 and 1: real tokens / all positions",
        found=f"{value:.4g}",
    )


# --- classify_texts(texts, batch_size): sort by tokens, batch_size at a time, pad per batch, restore the order ---


@functools.lru_cache(maxsize=16)
def _alone(checkpoint: str, texts: tuple[str, ...]) -> torch.Tensor:
    """Each text run by itself: the logits every way of batching must match (the public cases' texts from the
    stored references, so that the first check costs no more than the next; others computed once per case)."""
    known = references.case_texts()
    if checkpoint == config.COURSE_MODEL and set(texts) <= set(known):
        rows = references.get("case_texts_alone", checkpoint)
        if rows.shape[0] == len(
            known
        ):  # else the texts changed since the store was made: compute them
            return torch.stack([rows[known.index(text)] for text in texts])
    tok, model, _ = load_model(checkpoint)
    return references.each_alone(tok, model, texts)


@functools.lru_cache(maxsize=16)
def _token_counts(checkpoint: str, texts: tuple[str, ...]) -> tuple[int, ...]:
    """Each text's number of tokens, [CLS] and [SEP] included, truncated at the model's limit."""
    tok = load_model(checkpoint).tokenizer
    return tuple(len(ids) for ids in tok(list(texts), truncation=True)["input_ids"])


@functools.lru_cache(maxsize=4)
def _padded_without_mask(checkpoint: str, texts: tuple[str, ...]) -> list[list[torch.Tensor]]:
    """For each text, its logits when padded (right, pad id, no mask) to every longer text's length."""
    tok, model, _ = load_model(checkpoint)
    ids = tok(list(texts), truncation=True)["input_ids"]
    widths = sorted({len(row) for row in ids})
    found: list[list[torch.Tensor]] = [[] for _ in texts]
    with torch.inference_mode(), model_calls.unrecorded():
        for width in widths:
            shorter = [i for i, row in enumerate(ids) if len(row) < width]
            if not shorter:
                continue
            padded = torch.tensor(pad_rows([ids[i] for i in shorter], tok.pad_token_id, width))
            logits = model(padded.to(model.device)).logits.float().cpu()
            for row, i in enumerate(shorter):
                found[i].append(logits[row])
    return found


@contextmanager
def _watch_batches():
    """The model calls of one run; a call padded beyond its own longest text stops the run before the model runs it."""
    with model_calls.watching(padding_slack=0) as calls:
        try:
            yield calls
        except model_calls.OverPadded:
            pass  # the run ends there, without a result; its last call says why


def _as_logits(value: Any, count: int) -> torch.Tensor:
    """The learner's result where the task asks for one tensor of logits, or a Mistake naming what it is instead."""
    if value is None:
        raise gates.returned_none("classify_texts", "one tensor of logits, one row per text")
    if isinstance(value, dict):
        raise Mistake(
            "`classify_texts` returned a dict, not a tensor.",
            id="dict_of_results",
            expected=f"one tensor of shape ({count}, number of labels), row i for texts[i]",
            found=compare.describe(value),
            hint="collect each text's row of logits at its index and `return torch.stack(results)`",
        )
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        raise Mistake(
            "`classify_texts` returned labels (strings).",
            id="labels_not_logits",
            expected="the logits, one row per text",
            found=compare.describe(value),
            cause="return the model's `.logits`, not names of labels",
            hint="keep `model(**inputs).logits` rows; the labels are only their argmax",
        )
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, torch.Tensor) for v in value)
    ):
        shapes = {tuple(v.shape) for v in value}
        join = "torch.cat(results)" if all(v.dim() == 2 for v in value) else "torch.stack(results)"
        raise Mistake(
            f"`classify_texts` returned a Python {type(value).__name__} of {len(value)} tensors, not one "
            "tensor.",
            id="list_of_tensors",
            expected=f"one tensor of shape ({count}, number of labels)",
            found=f"a {type(value).__name__} of {len(value)} tensors of shape "
            f"{', '.join(str(s) for s in sorted(shapes))}",
            cause="the rows were collected in a list and the list was returned",
            hint=f"join them into one tensor before returning: `return {join}`",
        )
    rows = (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, (list, tuple)) for v in value)
    )
    mistake = gates.not_a_tensor(
        value,
        "classify_texts",
        f"one torch tensor of shape ({count}, number of labels)",
        returned=True,
        kinds=("list", "numpy", "other"),
        cause={
            "list": "`.tolist()` (or building lists of numbers) leaves the tensor behind"
            if rows
            else "",
            "numpy": "`.numpy()` turns the logits into a NumPy array",
        },
        hint={
            "list": "keep the logits as tensors and return `torch.stack(results)`",
            "numpy": "return the tensor itself",
            "other": "collect each text's row of logits in a list and `return torch.stack(results)`",
        },
    )
    if mistake is not None:
        raise mistake
    return compare.logits_tensor(value, "classify_texts(...)")


def _close(a: torch.Tensor, b: torch.Tensor, tol: compare.Tolerance) -> bool:
    return bool(torch.allclose(a.double(), b.double(), rtol=tol.rtol, atol=tol.atol))


def _check_values(found: torch.Tensor, texts: list[str], size: int) -> None:
    """One row per text, in the texts' order, each equal to that text run alone."""
    checkpoint = config.checkpoint()
    expected = _alone(checkpoint, tuple(texts))
    tol = compare.tolerance(device=load_model(checkpoint).model.device)
    if found.dim() == 3 and found.shape[1] == 1:
        raise Mistake(
            "`classify_texts` returns one dimension too many.",
            id="logits_extra_dimension",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(found.shape)}",
            cause="each row kept its batch dimension",
            hint="`torch.cat` the (1, labels) rows, or `torch.stack` 1-D rows",
        )
    if found.dim() == 2 and found.shape[0] != len(texts):
        rest = len(texts) % size
        lost_last = rest and found.shape[0] == len(texts) - rest
        raise Mistake(
            f"`classify_texts` returned {found.shape[0]} rows for {len(texts)} texts.",
            id="row_count",
            expected=f"one row per text: shape {tuple(expected.shape)}",
            found=f"shape {tuple(found.shape)}",
            cause=(
                f"the last, shorter batch ({rest} text{'s' if rest > 1 else ''}) is missing: the loop "
                "stops before it"
                if lost_last
                else ""
            ),
            hint="`for start in range(0, len(texts), batch_size): chunk = order[start:start + batch_size]` "
            "also takes the last, shorter batch",
        )
    if found.shape == expected.shape and _close(found, expected, tol):
        return
    if found.shape == expected.shape:
        _wrong_order(found, expected, texts, tol)
        _without_mask(found, expected, _padded_without_mask(checkpoint, tuple(texts)), tol)
    diagnose.logits(found, expected, tol, name="classify_texts(...)")


def _wrong_order(found: torch.Tensor, expected: torch.Tensor, texts: list[str], tol) -> None:
    """Every row is some text's right logits, but not in the texts' order."""
    unused = list(range(len(expected)))
    for row in found:
        match = next((j for j in unused if _close(row, expected[j], tol)), None)
        if match is None:
            return
        unused.remove(match)
    counts = _token_counts(config.checkpoint(), tuple(texts))
    orders = [sorted(range(len(texts)), key=lambda i: counts[i], reverse=r) for r in (False, True)]
    sorted_order = any(_close(found, expected[order], tol) for order in orders)
    raise Mistake(
        "The rows are in the wrong order.",
        id="rows_reordered",
        expected="row i holds the logits of texts[i]",
        found="the right logits, but in "
        + ("the sorted order" if sorted_order else "another order"),
        cause=(
            "the rows were returned in the order the sorted batches produced them"
            if sorted_order
            else "some rows were written back at the wrong index"
        ),
        hint="keep `order` (the sorted indices) and write row k of a batch at `results[chunk[k]]`",
    )


def _without_mask(
    found: torch.Tensor, expected: torch.Tensor, candidates: list[list[torch.Tensor]], tol
) -> None:
    """Every wrong row equals its text padded without an attention mask."""
    wrong = [i for i in range(len(found)) if not _close(found[i], expected[i], tol)]
    if wrong and all(any(_close(found[i], c, tol) for c in candidates[i]) for i in wrong):
        raise Mistake(
            "The padded texts were classified without the attention mask.",
            id="mask_not_passed",
            expected="each text's logits, as if it ran alone",
            found=f"different logits for {len(wrong)} padded text(s): they attended to the padding",
            cause="the model got `input_ids` only",
            hint="call the model with the whole batch: `model(**inputs)`",
        )


def _batches(counts: tuple[int, ...], order: list[int], size: int) -> list[tuple[int, ...]]:
    """The token counts of each batch when the texts are taken ``size`` at a time in ``order`` (batches in any order)."""
    return sorted(
        tuple(sorted(counts[i] for i in order[start : start + size]))
        for start in range(0, len(order), size)
    )


def _batchings(texts: list[str], size: int) -> tuple[list, list[tuple[list, Mistake]]]:
    """The right batches (sorted by tokens, either way), and wrong orders to name: (batches, mistake)."""
    counts = _token_counts(config.checkpoint(), tuple(texts))
    every = range(len(texts))

    def by(key) -> list[list[tuple[int, ...]]]:
        return [_batches(counts, sorted(every, key=key, reverse=r), size) for r in (False, True)]

    right = by(lambda i: counts[i])
    expected = (
        "batches of texts sorted by their number of tokens (shortest or longest first), "
        "`batch_size` at a time"
    )
    hint = (
        "count tokens: `lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]`, "
        "then `order = sorted(range(len(texts)), key=lambda i: lengths[i])`"
    )
    wrong = [
        (
            [_batches(counts, list(every), size)],
            Mistake(
                "`classify_texts` did not sort the texts: its batches take them in the order they come.",
                id="unsorted",
                expected=expected,
                cause="unsorted batches put short and long texts together, and each short one is "
                "padded to its batch's longest",
                hint=hint,
            ),
        ),
        (
            by(lambda i: len(texts[i])),
            Mistake(
                "`classify_texts` sorted the texts by characters (`len(text)`), not by tokens.",
                id="sorted_by_characters",
                expected=expected,
                cause="a text's number of characters does not follow its number of tokens (punctuation "
                "and rare words make many tokens), and padding is counted in tokens",
                hint=hint,
            ),
        ),
        (
            by(lambda i: len(texts[i].split())),
            Mistake(
                "`classify_texts` sorted the texts by words (`len(text.split())`), not by tokens.",
                id="sorted_by_words",
                expected=expected,
                cause="a text's number of words does not follow its number of tokens (punctuation and "
                "rare words make several tokens each), and padding is counted in tokens",
                hint=hint,
            ),
        ),
    ]
    return right, wrong


def _call_dicts(run: Run) -> list[dict]:
    return [
        c for c in run.calls if isinstance(c, dict) and isinstance(c.get("lengths"), (list, tuple))
    ]


def _explain_run(run: Run, case: Case) -> None:
    """What the model calls show about a run that was stopped or that raised."""
    texts, size = case.args
    calls = _call_dicts(run)
    stopped = next((c for c in calls if int(c["width"]) > max(c["lengths"], default=0)), None)
    tok = load_model().tokenizer
    if stopped is not None and run.error is None and not run.timed_out:
        width, longest = int(stopped["width"]), max(stopped["lengths"])
        everyone = max(_token_counts(config.checkpoint(), tuple(texts)))
        cause = (
            "`padding='max_length'` pads every batch to the model's limit, whatever its texts"
            if width == tok.model_max_length
            else "the texts were tokenized and padded all together, then split into batches: every batch is as "
            "wide as the longest text of all"
            if width == everyone
            else "a fixed `max_length` with `padding='max_length'`, or `pad_to_multiple_of`, pads past the batch's "
            "longest text"
        )
        raise Mistake(
            f"a batch of {stopped['batch']} text(s) was padded to {width} tokens; its longest text has "
            f"{longest}. The check stopped `classify_texts` at that call, before the model ran it.",
            id="overpadded_batch",
            expected="each batch padded to its own longest text (`padding=True` on that batch's texts)",
            found=f"{width - longest} extra padding position(s) in every row of that batch",
            cause=cause,
            hint="tokenize each batch on its own: `tokenizer(batch_texts, padding=True, truncation=True, "
            "return_tensors='pt')`",
        )
    limit = int(
        getattr(load_model().model.config, "max_position_embeddings", tok.model_max_length) or 0
    )
    too_long = next((c for c in calls if limit and int(c["width"]) > limit), None)
    if run.error is not None and too_long is not None:
        raise Mistake(
            f"`classify_texts` raised {run.error.name}: the model got a batch {too_long['width']} tokens "
            f"wide, past its {limit} positions.",
            id="too_long_for_model",
            expected=f"every batch at most {limit} tokens wide",
            found=f"your {run.error.line}"
            if run.error.line
            else f"a batch of width {too_long['width']}",
            cause="the batch was tokenized without `truncation=True`, so a text longer than the model's "
            "limit kept all its tokens",
            hint="`tokenizer(batch_texts, padding=True, truncation=True, return_tensors='pt')`",
        )
    if run.error is not None and "NoneType" in run.error.message:
        expected_calls = -(-len(texts) // size)
        early_return = len(calls) == 1 < expected_calls and "return" in run.error.line
        stopped_short = 1 < len(calls) < expected_calls
        duplicates = len(set(texts)) < len(texts) and len(calls) == expected_calls
        if stopped_short:
            raise Mistake(
                f"`classify_texts` raised {run.error.sentence()}",
                id="stopped_early",
                expected=f"{expected_calls} batches, so that every text gets its row of logits",
                found=f"{len(calls)} of {expected_calls} batches run: the rows of the last texts stayed None",
                cause="the loop stopped before the last batch (a shorter last batch still counts)",
                hint="`for start in range(0, len(order), batch_size):` covers every text",
            )
        found = (
            f"your {run.error.line}, after {len(calls)} of {expected_calls} batches"
            if run.error.line
            else f"{len(calls)} of {expected_calls} batches run"
        )
        expected = "a row of logits for every text before the rows are joined"
        if early_return:
            raise Mistake(
                f"`classify_texts` raised {run.error.sentence()}",
                id="return_in_loop",
                expected=expected,
                found=found,
                cause="the `return` is inside the `for` loop: it runs after the first batch, when the "
                "other rows are still None",
                hint="un-indent the `return` so that it runs after the loop",
            )
        if duplicates:
            raise Mistake(
                f"`classify_texts` raised {run.error.sentence()}",
                id="index_of_duplicates",
                expected=expected,
                found=found,
                cause="two of the texts are equal, and `texts.index(text)` finds the first of them both "
                "times: the other one's row stays None",
                hint="sort and keep indices, not texts: `order = sorted(range(len(texts)), key=...)`",
            )


def _check_batches(run: Run, texts: list[str], size: int) -> None:
    """One call per batch: the token-sorted texts, ``size`` at a time (the last batch takes the rest)."""
    calls = _call_dicts(run)
    if not calls:
        raise Mistake(
            "`classify_texts` returned the right logits, but made no call of the notebook's `model` while "
            "it ran.",
            id="no_model_calls",
            expected="one call of `model` per batch, inside `classify_texts`",
            found="no call of `model` during the run",
            hint="call `model(**inputs)` on each batch inside the function: the check watches those calls",
        )
    count, sizes = len(texts), sorted((int(c["batch"]) for c in calls), reverse=True)
    want = [min(size, count - start) for start in range(0, count, size)]
    shown = ", ".join(str(n) for n in sizes[:12]) + (", …" if len(sizes) > 12 else "")
    expected = (
        f"{len(want)} call(s) of the model with {', '.join(str(n) for n in want)} text(s): the sorted texts, "
        f"`batch_size` = {size} at a time"
    )
    if sum(sizes) != count:
        raise Mistake(
            f"The model ran {sum(sizes)} rows for {count} texts.",
            id="rows_run_twice",
            expected=expected,
            found=f"{len(sizes)} call(s) with {shown} text(s)",
            cause="some texts went through the model more than once: each text belongs to one batch, and "
            "each batch to one call",
        )
    if sizes[0] > size:
        everything = sizes[0] == count
        raise Mistake(
            f"A call of the model got {sizes[0]} texts; `batch_size` is {size}.",
            id="batch_too_large",
            expected=expected,
            found=f"{len(sizes)} call(s) with {shown} text(s)",
            cause=(
                "all the texts went into one call: `batch_size` was not used"
                if everything
                else "the batches are larger than `batch_size`"
            ),
            hint="`for start in range(0, len(order), batch_size): chunk = order[start:start + batch_size]`",
        )
    if size > 1 and count > 1 and sizes[0] == 1:
        raise Mistake(
            f"`classify_texts` ran the texts one at a time: {count} calls of one text.",
            id="texts_one_at_a_time",
            expected=expected,
            found=f"{count} calls with 1 text each",
            cause="`batch_size` was not used: each call should get `batch_size` texts",
            hint="take `batch_size` indices of the sorted order at a time and tokenize them together",
        )
    if sizes != want:
        raise Mistake(
            "The batches do not have `batch_size` texts each.",
            id="uneven_batches",
            expected=expected,
            found=f"{len(sizes)} call(s) with {shown} text(s)",
            hint="`for start in range(0, len(order), batch_size): chunk = order[start:start + batch_size]`",
        )
    found = sorted(tuple(sorted(int(n) for n in c["lengths"])) for c in calls)
    right, wrong = _batchings(texts, size)
    if found in right:
        return
    described = "; ".join(str(list(b)) for b in found)
    named = [mistake for batches, mistake in wrong if found in batches]
    if len(named) == 1:  # one wrong order explains these batches, and only one
        named[0].found = f"batches of these token counts: {described}"
        raise named[0]
    raise Mistake(
        "The batches are not the texts sorted by their number of tokens, `batch_size` at a time.",
        id="not_sorted_by_tokens",
        expected="batches of texts sorted by their number of tokens (shortest or longest first), "
        "`batch_size` at a time",
        found=f"batches of these token counts: {described}",
        hint="sort the indices by token count once, then take `order[start:start + batch_size]`",
    )


_WITH_A_TWIN = [
    UNSEEN_TEXTS[1],
    "Loved it!",
    UNSEEN_TEXTS[0],
    UNSEEN_TEXTS[2],
    "Loved it!",
    UNSEEN_TEXTS[4],
]
_MIXED = [UNSEEN_TEXTS[3], LONG_TEXT, UNSEEN_TEXTS[0], UNSEEN_TEXTS[4]]
CLASSIFY_CASES = [
    Case(
        "five texts whose order by characters is not their order by tokens, with batch_size=2",
        (list(references.CHARS_VS_TOKENS), 2),
    ),
    Case(
        "six texts, two of them identical, with batch_size=4 (the last batch is shorter)",
        (list(_WITH_A_TWIN), 4),
    ),
    Case("one text with batch_size=4", ([UNSEEN_TEXTS[2]], 4)),
    Case("four texts, one longer than the model's limit, with batch_size=3", (list(_MIXED), 3)),
    Case(
        "three texts, one of them empty, with batch_size=2",
        ([UNSEEN_TEXTS[1], "", UNSEEN_TEXTS[3]], 2),
    ),
]


@run_exercise(
    "Classify many texts: sort by tokens, batch, pad per batch, restore the order",
    cases=CLASSIFY_CASES,
    seconds=10.0,  # it runs the model: a loaded machine must not make a right answer time out
    watch=_watch_batches,
    explain=_explain_run,
    hints=(
        "Count tokens: `lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]`, then "
        "`order = sorted(range(len(texts)), key=lambda i: lengths[i])`. Take `batch_size` indices at a time from "
        "`order`.",
        'Tokenize each batch with `padding=True, truncation=True, return_tensors="pt"` and call `model(**inputs)`.',
        "Put row k of a batch's logits at `results[chunk[k]]`; at the end `torch.stack(results)`.",
    ),
)
def classify_texts(result, case: Case, run: Run) -> None:
    """`classify_texts(texts, batch_size)` returns one tensor of shape (len(texts), labels), row i equal to texts[i]
    run alone; one model call per batch, the texts sorted by token count and taken batch_size at a time, each
    batch padded to its own longest text (on texts it has not seen)."""
    texts, size = case.args
    found = _as_logits(result, len(texts))
    _texts_not_run(found, run, texts, size)
    _check_values(found, texts, size)
    _check_batches(run, texts, size)


def _texts_not_run(found: torch.Tensor, run: Run, texts: list[str], size: int) -> None:
    """The model calls cover fewer texts than there are: which ones, from the calls (not from the values)."""
    calls = _call_dicts(run)
    ran = sum(int(c["batch"]) for c in calls)
    if not calls or ran >= len(texts) or found.dim() != 2:
        return
    empty = sum(1 for t in texts if not t.strip())
    expected_calls = -(-len(texts) // size)
    if empty and ran == len(texts) - empty:
        raise Mistake(
            f"The model ran {ran} of {len(texts)} texts: the empty one{'s' if empty > 1 else ''} never ran.",
            id="empty_texts_dropped",
            expected=f"one row per text, shape ({len(texts)}, labels): an empty text too",
            found=f"{found.shape[0]} rows; {ran} texts through the model",
            cause="the empty text was left out (`if t.strip()`): it is still a text, `[CLS] [SEP]` to the "
            "tokenizer, and its row belongs at its index",
            hint="classify every text you are given, in their order",
        )
    if found.shape[0] == len(texts):
        raise Mistake(
            f"The model ran {ran} of {len(texts)} texts, in {len(calls)} of {expected_calls} batches.",
            id="batches_skipped",
            expected=f"{expected_calls} batches, so that every text gets its row of logits",
            found=f"{len(calls)} batches run; the rows of the other texts are what the result started with",
            cause=(
                "the loop stopped before the last batch (`range(0, len(order) - batch_size, batch_size)` "
                "skips it; a shorter last batch still counts)"
                if len(calls) == expected_calls - 1
                else ""
            ),
            hint="`for start in range(0, len(order), batch_size):` covers every text",
        )

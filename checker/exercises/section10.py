"""Section 10, notebook ``10_batches_for_training.ipynb``: batches for training, padded per batch.

Five exercises: ``first_batch`` (the first batch of a DataLoader whose collator pads each batch),
``group_by_length`` (a function that groups indices into batches of similar lengths), ``padded_width``
(a function: the width ``pad_to_multiple_of`` gives a batch), ``token_loss`` (a function: the cross-entropy
of token labels, ignoring -100) and ``align_labels`` (a function: one label per word aligned to the tokens,
-100 on continuation pieces and special tokens). The function exercises run on cases the notebook does not show.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Sequence
from typing import Any

import torch

from .. import compare, diagnose, gates, serial
from ..data import read_examples
from ..exercise import function_exercise, value_exercise
from ..harness import Case, Run
from ..outcome import Mistake
from . import _shared

BATCH_SIZE = 8  # first_batch


def training_features(tok=None) -> list[dict]:
    """The notebook's features: every training sentence tokenized once (truncated, not padded), with its label."""
    tok = tok or _shared.tokenizer()
    examples = read_examples("train")
    encoded = tok([e.text for e in examples], truncation=True)
    return [
        {**{key: encoded[key][i] for key in encoded.keys()}, "label": e.label}
        for i, e in enumerate(examples)
    ]


# --- first_batch: DataCollatorWithPadding in a DataLoader --------------------------------------------------


@functools.lru_cache(maxsize=2)
def _features_of(name: str) -> tuple:
    return tuple(training_features())


def _expected_batch(tok) -> Any:
    from transformers import DataCollatorWithPadding

    return DataCollatorWithPadding(tok)(list(_features_of(tok.name_or_path)[:BATCH_SIZE]))


def _not_a_batch(value: Any) -> Mistake | None:
    name = value.type_name if isinstance(value, serial.Opaque) else type(value).__name__
    if name == "DataLoader" or (hasattr(value, "batch_size") and hasattr(value, "dataset")):
        return Mistake(
            "`first_batch` is the DataLoader itself, not a batch.",
            id="dataloader_not_batch",
            expected="the first batch it yields",
            found=compare.describe(value),
            cause="a DataLoader makes batches only when you iterate over it",
            hint="`first_batch = next(iter(loader))`",
        )
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, "keys") for v in value):
        return Mistake(
            f"`first_batch` is a {type(value).__name__} of {len(value)} batches.",
            id="several_batches",
            expected="one batch: the first one",
            found=compare.describe(value),
            cause="`list(loader)` collects every batch",
            hint="`next(iter(loader))` takes the first",
        )
    if isinstance(value, torch.Tensor) or hasattr(value, "shape"):
        return Mistake(
            "`first_batch` is one tensor, not the whole batch.",
            id="one_tensor",
            expected="the collator's output: input_ids, attention_mask and labels together",
            found=compare.describe(value),
            cause="keep the whole batch the DataLoader yields",
        )
    if not hasattr(value, "keys") or not callable(getattr(value, "keys", None)):
        return Mistake(
            "`first_batch` is not a batch.",
            id="not_a_batch",
            expected="what the DataLoader yields: a dict of tensors",
            found=compare.describe(value),
        )
    return None


def _batch_tensor(batch: Any, key: str) -> torch.Tensor:
    value = batch[key]
    mistake = gates.not_a_tensor(
        value,
        f"first_batch['{key}']",
        "PyTorch tensors",
        cause={
            "list": "the collator was asked for other tensors, or none",
            "numpy": "`return_tensors='np'` in the collator",
        },
        hint={
            "list": "`DataCollatorWithPadding(tokenizer)` returns PyTorch tensors by default",
            "numpy": "leave `return_tensors` out: the default is PyTorch",
        },
        kinds=("list", "numpy"),
    )
    if mistake is not None:
        raise mistake
    return compare.id_tensor(value, f"first_batch['{key}']")


@value_exercise(
    "The first batch, padded to its own longest",
    hints=(
        "`DataCollatorWithPadding(tokenizer)` is the `collate_fn`; the DataLoader gets `features`, `batch_size=8` "
        "and `shuffle=False`.",
        "`loader = DataLoader(features, batch_size=8, shuffle=False, collate_fn=DataCollatorWithPadding(tokenizer))`, "
        "then `first_batch = next(iter(loader))`.",
    ),
)
def first_batch(first_batch) -> None:
    """`first_batch` is the first batch of a DataLoader over `features` (batch_size 8, no shuffling) with
    `DataCollatorWithPadding(tokenizer)`: 8 rows padded to the longest of those 8, with their `labels`."""
    tok = _shared.tokenizer()
    mistake = _not_a_batch(first_batch)
    if mistake is not None:
        raise mistake
    expected = _expected_batch(tok)
    features = _features_of(tok.name_or_path)
    if "input_ids" not in first_batch.keys():
        raise Mistake(
            "`first_batch` has no `input_ids`.",
            id="no_input_ids",
            expected="the collator's output",
            found=f"keys {list(first_batch.keys())[:6]}",
        )
    ids = _batch_tensor(first_batch, "input_ids")
    want = expected["input_ids"]
    if ids.dim() != 2:
        raise Mistake(
            f"`first_batch['input_ids']` has {ids.dim()} dimension(s).",
            id="id_dimensions",
            expected="(batch, tokens)",
            found=compare.describe(ids),
        )
    if ids.shape[0] != BATCH_SIZE:
        raise Mistake(
            f"`first_batch` holds {ids.shape[0]} rows.",
            id="row_count",
            expected=f"batch_size = {BATCH_SIZE} rows",
            found=f"shape {tuple(ids.shape)}",
            cause="`batch_size=` of the DataLoader sets the rows of each batch",
        )
    longest = max(len(f["input_ids"]) for f in features)
    rows = [[t for t in row if t != tok.pad_token_id] for row in ids.tolist()]
    first = [f["input_ids"] for f in features[:BATCH_SIZE]]
    if rows != first:
        known = {tuple(f["input_ids"]) for f in features}
        if all(tuple(row) in known for row in rows):
            index = {tuple(f["input_ids"]): i for i, f in reversed(list(enumerate(features)))}
            found = [index[tuple(row)] for row in rows]
            consecutive = found == list(range(found[0], found[0] + len(found)))
            raise Mistake(
                "`first_batch` does not hold the first 8 features.",
                id="not_the_first_features",
                expected="features 0 to 7, in order",
                found=f"features {found[0]} to {found[-1]}, in order"
                if consecutive
                else f"features {', '.join(str(i) for i in found)}",
                cause="the slice starts at the wrong feature: Python counts from 0, `features[:8]`"
                if consecutive
                else "`shuffle=True` draws the batches in a random order: the task asks for `shuffle=False`",
            )
    if ids.shape[1] > want.shape[1]:
        if ids.shape[1] >= longest:
            raise Mistake(
                f"Every row is padded to {ids.shape[1]} tokens.",
                id="padded_to_max_length",
                expected=f"shape {tuple(want.shape)}: padded to the longest of these 8 features",
                found=f"shape {tuple(ids.shape)}",
                cause=f"{longest} is the longest feature of the whole data set (and the model's limit): the "
                "padding was done once for the data set (`tokenizer(texts, padding=True)`) or with "
                "`padding='max_length'`; the collator pads each batch to its own longest",
                hint="tokenize without padding, and let `DataCollatorWithPadding(tokenizer)` pad",
            )
        cause = (
            "`pad_to_multiple_of` rounds the width up; this exercise pads to the longest row"
            if ids.shape[1] % 8 == 0
            else "pad to the longest row of the batch, no further"
        )
        raise Mistake(
            f"`first_batch` is padded to {ids.shape[1]} tokens.",
            id="padded_too_far",
            expected=f"shape {tuple(want.shape)}: the longest of these 8 features",
            found=f"shape {tuple(ids.shape)}",
            cause=cause,
        )
    _shared.token_ids(ids, want, "first_batch['input_ids']", tok)
    if "labels" not in first_batch.keys():
        label = "label" in first_batch.keys()
        raise Mistake(
            "`first_batch` has no `labels`.",
            id="no_labels",
            expected="`labels`: one label per row, what the model's loss needs",
            found=f"keys {list(first_batch.keys())[:6]}",
            cause="the batch has `label`: `DataCollatorWithPadding` renames it `labels`, the name the model "
            "takes; collate with it"
            if label
            else "the labels are the targets the loss is computed against: a training batch carries them"
            if _features_have_labels(features)
            else "the features have no `label`: keep each example's label in its feature",
        )
    labels = _batch_tensor(first_batch, "labels")
    want_labels = expected["labels"]
    if labels.shape != want_labels.shape or not torch.equal(labels, want_labels):
        raise Mistake(
            "`first_batch['labels']` are not the labels of those 8 features.",
            id="wrong_labels",
            expected=f"shape {tuple(want_labels.shape)}: the first 8 labels",
            found=compare.describe(labels),
            cause="keep each feature's own label",
        )
    if "attention_mask" not in first_batch.keys():
        raise Mistake(
            "`first_batch` has no `attention_mask`.",
            id="no_attention_mask",
            expected="the mask of the padded batch",
            found=f"keys {list(first_batch.keys())[:6]}",
            cause="the features lost their attention_mask",
        )
    diagnose.attention_mask(
        first_batch["attention_mask"],
        expected["attention_mask"],
        name="first_batch['attention_mask']",
    )


# --- group_by_length(lengths, batch_size) ------------------------------------------------------------------


def _length_case(description: str, lengths: list[int], batch_size: int) -> Case:
    return Case(description, (list(lengths), batch_size))


GROUP_CASES = [
    _length_case(
        "ten lengths in batches of 3 (one batch of 1 left over)",
        [12, 5, 30, 7, 5, 22, 9, 18, 3, 40],
        3,
    ),
    _length_case("eight lengths in batches of 4", [64, 8, 9, 63, 10, 61, 62, 11], 4),
    _length_case("lengths already sorted, in batches of 2", [3, 4, 6, 9, 14, 20], 2),
    _length_case("six equal lengths in batches of 4", [7, 7, 7, 7, 7, 7], 4),
    _length_case("batch_size 1", [5, 2, 9], 1),
    _length_case("batch_size larger than the list", [15, 4, 8], 10),
]


def _returned_batches(result: Any, lengths: list[int]) -> list[list[int]]:
    if result is None:
        raise gates.returned_none("group_by_length", "a list of batches (lists of indices)")
    if isinstance(result, torch.Tensor) or type(result).__module__.startswith("numpy"):
        raise Mistake(
            f"`group_by_length` returned {compare.describe(result)}.",
            id="returned_not_list",
            expected="a list of lists of int indices",
            found=compare.describe(result),
            hint="call `.tolist()`, or build lists",
        )
    if not isinstance(result, list):
        raise Mistake(
            "`group_by_length` did not return a list.",
            id="not_a_list",
            expected="a list of batches (lists of indices)",
            found=compare.describe(result),
            cause="a generator or `map` object: wrap it in `list(...)`"
            if hasattr(result, "__next__")
            else "",
        )
    if result and all(isinstance(b, numbers.Integral) and not isinstance(b, bool) for b in result):
        raise Mistake(
            "`group_by_length` returned one flat list.",
            id="flat_list",
            expected="a list of batches, each a list of at most batch_size indices",
            found=f"a list of {len(result)} numbers",
            cause="sorting is half of it: cut the sorted indices into batches",
            hint="`[order[i:i + batch_size] for i in range(0, len(order), batch_size)]`",
        )
    for batch in result:
        if isinstance(batch, torch.Tensor) or type(batch).__module__.startswith("numpy"):
            raise Mistake(
                f"`group_by_length` returned batches that are {type(batch).__name__} objects, not lists.",
                id="batches_not_lists",
                expected="batches that are lists of int indices",
                found=compare.describe(batch),
                hint="`.tolist()` each batch",
            )
        if not isinstance(batch, list):
            raise Mistake(
                f"`group_by_length` returned a batch that is a {type(batch).__name__}.",
                id="batch_not_list",
                expected="batches that are lists of int indices",
                found=compare.describe(batch),
                cause="`zip(*[iter(order)] * batch_size)` makes tuples (and drops the last, shorter batch)"
                if isinstance(batch, tuple)
                else "",
            )
        odd = [i for i in batch if isinstance(i, bool) or not isinstance(i, numbers.Integral)]
        if odd:
            raise Mistake(
                f"a batch holds {type(odd[0]).__name__} values.",
                id="batch_not_ints",
                expected="int indices",
                found=compare.describe(batch),
            )
    return [[int(i) for i in batch] for batch in result]


@function_exercise(
    "Batches of similar lengths",
    cases=GROUP_CASES,
    hints=(
        "Sort the indices by their length: `sorted(range(len(lengths)), key=lambda i: lengths[i])`.",
        "Then cut that order into consecutive slices of `batch_size`; keep the last, shorter one.",
        "`[order[i:i + batch_size] for i in range(0, len(order), batch_size)]`",
    ),
    mutation=(
        "`lengths.sort()` (or `.reverse()`) sorts the caller's list in place: the lengths then no longer belong "
        "to their examples",
        "sort a list of indices instead: `sorted(range(len(lengths)), key=...)`",
    ),
)
def group_by_length(result, case: Case) -> None:
    """`group_by_length(lengths, batch_size)` returns a list of batches (lists of indices): every index exactly
    once, every batch of batch_size indices except at most one smaller, and no two batches whose length ranges
    overlap (each batch holds lengths that are neighbours in sorted order); the batches may come in any order."""
    lengths, batch_size = case.args
    batches = _returned_batches(result, lengths)
    flat = [i for batch in batches for i in batch]
    n = len(lengths)
    if sorted(flat) != list(range(n)):
        if sorted(flat) == sorted(lengths) and sorted(lengths) != list(range(n)):
            raise Mistake(
                "the batches hold the lengths, not the indices.",
                id="lengths_not_indices",
                expected=f"the indices 0 to {n - 1}",
                found=f"the lengths themselves ({sorted(flat)[:5]} …)",
                cause="`sorted(lengths)` sorts the values; sort the indices by their length",
                hint="`sorted(range(len(lengths)), key=lambda i: lengths[i])`",
            )
        missing = sorted(set(range(n)) - set(flat))
        repeated = sorted({i for i in flat if flat.count(i) > 1})
        if missing and not repeated and len(missing) < batch_size and len(flat) == n - len(missing):
            raise Mistake(
                f"index {missing[0]} is missing{' (and others)' if len(missing) > 1 else ''}.",
                id="index_missing",
                expected=f"all {n} indices, the last batch shorter when {n} is not a multiple of "
                f"{batch_size}",
                found=f"{len(flat)} indices",
                cause="the last, shorter batch was dropped: `range(0, len(order), batch_size)` keeps it",
            )
        raise Mistake(
            "the batches do not hold every index exactly once.",
            id="indices_repeated",
            expected=f"each of 0 to {n - 1} once",
            found=(f"missing {missing[:4]}" if missing else "")
            + (" and " if missing and repeated else "")
            + (f"repeated {repeated[:4]}" if repeated else "")
            or f"indices {sorted(set(flat))[:6]} …",
            cause="slices that overlap or skip: step through the sorted order by batch_size",
        )
    sizes = [len(b) for b in batches]
    if any(size == 0 for size in sizes):
        raise Mistake(
            "a batch is empty.",
            id="empty_batch",
            expected="batches of 1 to batch_size indices",
            found=f"sizes {sizes}",
        )
    if max(sizes) > batch_size:
        raise Mistake(
            f"a batch holds {max(sizes)} indices.",
            id="batch_too_large",
            expected=f"at most batch_size = {batch_size}",
            found=f"batch sizes {sizes}",
            cause="cut the order into slices of `batch_size`",
        )
    if sum(size < batch_size for size in sizes) > 1:
        raise Mistake(
            "several batches are smaller than batch_size.",
            id="small_batches",
            expected=f"batches of {batch_size}, at most one smaller (the rest of the list)",
            found=f"batch sizes {sizes}",
            cause="batches made by equal length, or by a step other than batch_size: cut the sorted order "
            "into consecutive slices of batch_size",
        )
    ranges = sorted((min(lengths[i] for i in b), max(lengths[i] for i in b)) for b in batches)
    for (low_a, high_a), (low_b, high_b) in zip(ranges, ranges[1:]):
        if high_a > low_b:
            raise Mistake(
                "the batches are not grouped by length.",
                id="not_grouped",
                expected="each batch holds lengths that are "
                "neighbours in sorted order, so no two batches' length ranges overlap",
                found=f"one batch with lengths {low_a} to {high_a}, another with {low_b} to {high_b}",
                cause="sort all the indices by length before cutting them into batches (shuffle the "
                "batches afterwards, not the indices)",
            )


# --- padded_width(lengths, multiple) -----------------------------------------------------------------


def reference_width(lengths: Sequence[int], multiple: int | None) -> int:
    longest = max(lengths)
    return longest if not multiple else -(-longest // multiple) * multiple


WIDTH_CASES = [
    Case("lengths 2, 30 and 12, multiple 8", ([2, 30, 12], 8), 32),
    Case("the longest already a multiple: lengths 8, 2, 7, multiple 8", ([8, 2, 7], 8), 8),
    Case("one length of 17, multiple 8", ([17], 8), 24),
    Case("lengths 33 and 12, multiple 16", ([33, 12], 16), 48),
    Case("multiple None (no rounding)", ([7, 12, 10], None), 12),
    Case("multiple 1", ([3, 3], 1), 3),
    Case("two rows of 64, multiple 64", ([64, 64], 64), 64),
]


def _width_variants(lengths: list[int], multiple: int | None) -> list[tuple[str, int, str, str]]:
    longest = max(lengths)
    if not multiple:
        return [
            (
                "sum_of_lengths",
                sum(lengths),
                "the sum of the lengths",
                "a batch is padded to its longest row, not to the total",
            ),
            (
                "shortest_length",
                min(lengths),
                "the shortest length",
                "every row is padded up to the longest one",
            ),
        ]
    return [
        (
            "one_multiple_too_many",
            (longest // multiple + 1) * multiple,
            "one multiple too many when the longest length is already a multiple",
            "`(longest // multiple + 1) * multiple` adds a whole multiple when `longest` divides evenly; round up only "
            "when needed: `math.ceil(longest / multiple) * multiple`",
        ),
        (
            "rounded_down",
            longest // multiple * multiple,
            "rounded down, below the longest length",
            "`longest // multiple * multiple` rounds down, and the longest row no longer fits: round up",
        ),
        (
            "sum_rounded_up",
            reference_width([sum(lengths)], multiple),
            "the sum of the lengths, rounded up",
            "a batch is padded to its longest row, not to the total of its rows",
        ),
        (
            "last_length",
            reference_width([lengths[-1]], multiple),
            "the last length rounded up, not the longest",
            "the longest row decides the width: `max(lengths)`",
        ),
        (
            "power_of_two",
            1 << max(longest - 1, 0).bit_length(),
            "the longest length rounded up to a power of two",
            f"the width is a multiple of `multiple` ({multiple}), not a power of two: "
            "`math.ceil(longest / multiple) * multiple`",
        ),
        (
            "first_length",
            reference_width([lengths[0]], multiple),
            "the first length rounded up, not the longest",
            "the longest row decides the width: `max(lengths)`",
        ),
    ] + (
        [
            (
                "plus_one_multiple",
                longest + multiple,
                "the longest length plus one multiple",
                "round up to the next multiple instead",
            )
        ]
        if longest % multiple
        else []
    )  # when it divides, that is the first variant again


def _none_multiple(cases: Sequence[Case], runs: Sequence[Run]) -> None:
    """Where the first case that fails is the one with multiple None, and it raised on None: name that. Where
    every result is the number of lengths rounded up (one case alone cannot tell it from the first length's),
    name that."""
    rounded = [  # the cases with a multiple (with None, a learner's own branch returns max(lengths))
        (run.result if run.error is None and not run.timed_out else None, case)
        for case, run in zip(cases, runs)
        if case.args[1] is not None
    ]
    # only ints are compared: `==` on a tensor (or an array) answer is not a truth value
    if all(
        type(r) is int and r == reference_width([len(c.args[0])], c.args[1]) for r, c in rounded
    ) and any(r != c.expected for r, c in rounded):
        description = next(c.description for r, c in rounded if r != c.expected)
        raise Mistake(
            f"On {description}: `padded_width` returned the number of lengths, rounded up.",
            id="count_rounded_up",
            expected="the longest length, rounded up to a multiple of `multiple`",
            found="`len(lengths)` rounded up, on every case",
            cause="`len(lengths)` counts the rows; the width is the longest row's length: `max(lengths)`",
        )
    for case, run in zip(cases, runs):
        if (
            run.error is None
            and not run.timed_out
            and type(run.result) is int
            and run.result == case.expected
        ):
            continue
        if case.args[1] is None and run.error is not None and "NoneType" in run.error.message:
            raise Mistake(
                f"On {case.description}: `padded_width` raised {run.error.sentence()}.",
                id="width_raised",
                expected="the longest length, when `multiple` is None",
                found=f"your {run.error.line}" if run.error.line else "",
                cause="`multiple` may be None (no `pad_to_multiple_of`): return `max(lengths)` then, as "
                "the collator does",
            )
        return  # the first failing case failed otherwise: its own verdict stands


@function_exercise(
    "The width of a batch with pad_to_multiple_of",
    cases=WIDTH_CASES,
    across=_none_multiple,
    hints=(
        "Start from the longest length: `max(lengths)`.",
        "Round it up to a multiple of `multiple` only when it is not one already: `math.ceil(longest / multiple) "
        "* multiple`; with `multiple=None`, no rounding.",
    ),
)
def padded_width(result, case: Case) -> None:
    """`padded_width(lengths, multiple)` returns the int width DataCollatorWithPadding(pad_to_multiple_of=multiple)
    pads a batch of those lengths to: the longest, rounded up to a multiple of `multiple` (None: not rounded)."""
    lengths, multiple = case.args
    if isinstance(result, (list, tuple)):
        raise Mistake(
            "`padded_width` returned a list.",
            id="width_list",
            expected="one int: the width of the whole batch",
            found=compare.describe(result),
            cause="every row of a batch is padded to the same width",
        )
    if isinstance(result, torch.Tensor) or type(result).__module__.startswith("numpy"):
        raise Mistake(
            f"`padded_width` returned {compare.describe(result)}.",
            id="width_not_a_number",
            expected="a Python int",
            found=compare.describe(result),
            cause="`np.ceil` and torch functions return arrays or floats",
            hint="`math.ceil(...)` returns an int; or `int(...)`",
        )
    if isinstance(result, float):
        raise Mistake(
            f"`padded_width` returned a float ({result:g}).",
            id="width_float",
            expected="a Python int: a width in tokens",
            found=f"{result!r}",
            cause="`/` divides into a float",
            hint="`math.ceil(longest / multiple) * multiple` is an int; so is `//`",
        )
    if result is None or isinstance(result, bool) or not isinstance(result, numbers.Integral):
        raise Mistake(
            "`padded_width` did not return an int.",
            id="width_not_int",
            expected="a Python int",
            found=compare.describe(result),
            cause="a function without `return` returns None" if result is None else "",
        )
    if result == case.expected:
        return
    matches = [
        (mistake_id, what, why)
        for mistake_id, value, what, why in _width_variants(lengths, multiple)
        if result == value
    ]
    if len(matches) == 1:  # where two explanations fit the number, name neither
        mistake_id, what, why = matches[0]
        raise Mistake(
            f"`padded_width` returned {result}: {what}.",
            id=mistake_id,
            expected=f"{case.expected}",
            found=f"{result}",
            cause=why,
        )
    raise Mistake(
        f"`padded_width` returned {result}.",
        id="wrong_width",
        expected=f"{case.expected}: the longest length rounded up to a multiple of `multiple`",
        found=f"{result}",
        cause="`math.ceil(max(lengths) / multiple) * multiple` (the longest itself when `multiple` is None)",
    )


# --- token_loss(logits, labels) ------------------------------------------------------------------


def loss_case(
    description: str,
    shape: tuple[int, int, int],
    ignored: list[tuple[int, int]],
    seed: int,
    scale: float = 2.0,
) -> Case:
    """A case of ``token_loss``: seeded random logits of ``shape`` (batch, length, classes) and labels, -100 at
    the ``ignored`` (row, column) positions (the hidden cases are made the same way)."""
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(*shape, generator=generator) * scale
    labels = torch.randint(0, shape[2], shape[:2], generator=generator)
    for row, col in ignored:
        labels[row, col] = -100
    # logits that require grad, as a model's do: the loss must keep its graph back to them
    return Case(description, (logits.requires_grad_(True), labels))


def _edges(rows: int, length: int) -> list[tuple[int, int]]:
    return [(r, c) for r in range(rows) for c in (0, length - 1)]


LOSS_CASES = [
    loss_case(
        "two rows, the second padded (-100 on its last three positions)",
        (2, 5, 3),
        [(1, 2), (1, 3), (1, 4)],
        1,
    ),
    loss_case(
        "-100 on the first and last position of every row ([CLS] and [SEP])",
        (3, 6, 2),
        _edges(3, 6),
        2,
    ),
    loss_case(
        "rows with different numbers of labels (a mean per row would differ)",
        (2, 6, 4),
        [(0, 5), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5)],
        3,
    ),
    loss_case("no -100 at all", (2, 3, 3), [], 4),
    loss_case(
        "large logits (exp overflows in float32)", (2, 4, 3), [(0, 3), (1, 0)], 5, scale=120.0
    ),
]


def reference_token_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.cross_entropy(
        logits.double().reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100
    )


def _loss_variants(
    logits: torch.Tensor, labels: torch.Tensor
) -> list[tuple[str, torch.Tensor, str, str]]:
    f = torch.nn.functional
    z, classes = logits.double(), logits.shape[-1]
    keep = labels != -100
    per_token = f.cross_entropy(
        z.reshape(-1, classes), labels.reshape(-1), ignore_index=-100, reduction="none"
    )
    per_token = per_token.reshape(labels.shape)
    clamped = f.cross_entropy(
        z.reshape(-1, classes), labels.clamp(min=0).reshape(-1), reduction="none"
    )
    probabilities = (
        torch.softmax(z, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    )
    rows = [per_token[r][keep[r]].mean() for r in range(labels.shape[0]) if keep[r].any()]
    over_positions = (
        -torch.log_softmax(z, dim=1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[keep]
    )
    return [
        (
            "ignored_positions_counted",
            clamped.mean(),
            "a mean that counts the -100 positions (as class 0)",
            "the positions labelled -100 (padding, special tokens) must not count: average only where `labels != -100`",
        ),
        (
            "divided_by_all_positions",
            per_token[keep].mean() * keep.sum() / labels.numel(),
            "the sum over the labelled positions divided by all positions",
            "divide by the number of labelled positions (`(labels != -100).sum()`), not by every position",
        ),
        (
            "sum_not_mean",
            per_token[keep].sum(),
            "the sum, not the mean",
            "average over the labelled positions: `.mean()`",
        ),
        (
            "mean_per_row",
            torch.stack(rows).mean(),
            "a mean per row, then over the rows",
            "rows with fewer labels then weigh more; average over all labelled positions at once",
        ),
        (
            "negated",
            -per_token[keep].mean(),
            "the negative of the loss",
            "the loss is minus the mean log-probability of the right class: keep the minus sign",
        ),
        (
            "no_log",
            -probabilities[keep].mean(),
            "minus the mean probability, without the log",
            "the cross-entropy takes the log of the probability: `log_softmax`",
        ),
        (
            "softmax_over_positions",
            over_positions.mean(),
            "a loss with the softmax over the positions instead of the classes",
            "`log_softmax(logits, dim=1)` normalises along the sequence; the classes are the last dimension, `dim=-1`",
        ),
    ]


def _loss_errors(cases: Sequence[Case], runs: Sequence[Run]) -> None:
    """Where the first case that fails raised `F.cross_entropy`'s error about 3-D logits: name it."""
    for case, run in zip(cases, runs):
        if run.error is None:
            return  # the first run to judge returned: its own verdict stands (a later error is not the first mistake)
        message = run.error.message
        if "Expected target size" in message or "only batches of spatial targets" in message:
            raise Mistake(
                f"On {case.description}: `token_loss` raised {run.error.sentence()}.",
                id="loss_raised",
                expected="`F.cross_entropy` on (positions, classes) logits and (positions,) labels",
                found=f"your {run.error.line}" if run.error.line else "",
                cause="`F.cross_entropy` wants the classes in dimension 1; these logits have them last",
                hint="flatten both: `F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1))`",
            )


@function_exercise(
    "A loss that ignores -100",
    cases=LOSS_CASES,
    across=_loss_errors,
    hints=(
        "Flatten: logits to (positions, classes), labels to (positions,). `F.cross_entropy` then does the rest: "
        "it ignores the label -100 by default.",
        "By hand: `-torch.log_softmax(logits, dim=-1)`, pick each position's right class with `gather`, keep the "
        "positions where `labels != -100`, and take the mean.",
    ),
)
def token_loss(result, case: Case) -> None:
    """`token_loss(logits, labels)` returns a 0-d tensor: the mean cross-entropy over the positions whose label is
    not -100 (logits (batch, length, classes), labels (batch, length))."""
    logits, labels = case.args
    expected = reference_token_loss(logits, labels)
    if isinstance(result, float) or (
        isinstance(result, numbers.Number) and not isinstance(result, bool)
    ):
        raise Mistake(
            "`token_loss` returned a Python number.",
            id="python_number",
            expected="a 0-d tensor, as `F.cross_entropy` returns",
            found=f"{result!r}",
            cause="`.item()` turns the loss into a number, and a number has no "
            "`.backward()`: training needs the tensor",
            hint="return the tensor itself",
        )
    if not isinstance(result, torch.Tensor):
        raise Mistake(
            "`token_loss` did not return a tensor.",
            id="loss_not_a_tensor",
            expected="a 0-d tensor",
            found=compare.describe(result),
            cause="a function without `return` returns None" if result is None else "",
        )
    if not result.is_floating_point():
        raise Mistake(
            "`token_loss` returned integers.",
            id="loss_integers",
            expected="a float loss",
            found=compare.describe(result),
        )
    if result.dim() != 0:
        if tuple(result.shape) in (
            tuple(labels.shape),
            (labels.numel(),),
            (int((labels != -100).sum()),),
        ):
            raise Mistake(
                "`token_loss` returned one loss per position.",
                id="loss_per_position",
                expected="one number: their mean over the labelled positions",
                found=compare.describe(result),
                cause="`reduction='none'` keeps every position's loss",
                hint="take the mean of the positions "
                "where `labels != -100` (or leave `reduction` at its default)",
            )
        raise Mistake(
            f"`token_loss` returned a tensor of shape {tuple(result.shape)}.",
            id="loss_shape",
            expected="a 0-d tensor (shape ())",
            found=compare.describe(result),
            cause="`keepdim=True`, or a loss per row",
            hint="`.mean()` over all labelled positions gives a 0-d tensor",
        )
    value = result.detach().double().cpu()
    if not torch.isfinite(value):
        raise Mistake(
            "`token_loss` returned NaN or infinity.",
            id="loss_not_finite",
            expected="a finite loss",
            found=f"{float(value)}",
            cause="`torch.exp` of large logits overflows in float32: use `log_softmax` (or "
            "`F.cross_entropy`), which is computed stably",
        )
    if torch.allclose(value, expected, rtol=1e-5, atol=1e-5):
        if logits.requires_grad and not result.requires_grad:
            raise Mistake(
                "`token_loss` returned the right value, cut from the logits: it does not require grad.",
                id="loss_detached",
                expected="a loss that `.backward()` follows back to the logits (`requires_grad=True`)",
                found=f"{float(value):.5g}, with `requires_grad=False`",
                cause="`.detach()`, `torch.no_grad()` or a tensor made anew from the value leaves the loss "
                "without a graph: training calls `loss.backward()` on it",
                hint="return the loss as `F.cross_entropy` (or your computation) gives it",
            )
        return
    for mistake_id, variant, what, why in _loss_variants(logits, labels):
        if torch.allclose(value, variant, rtol=1e-5, atol=1e-5):
            raise Mistake(
                f"`token_loss` returned {what}.",
                id=mistake_id,
                expected=f"the mean cross-entropy over the "
                f"{int((labels != -100).sum())} labelled positions",
                found=f"{float(value):.5g}",
                cause=why,
            )
    raise Mistake(
        f"`token_loss` returned {float(value):.5g}.",
        id="wrong_loss",
        expected=f"the mean cross-entropy over the "
        f"{int((labels != -100).sum())} labelled positions",
        found=f"{float(value):.5g}",
        cause="`-log_softmax` over the classes (`dim=-1`), the right class of each position, the mean "
        "over the positions whose label is not -100",
    )


# --- align_labels(word_ids, word_labels) ----------------------------------------------------------------

IGNORED = (
    -100
)  # the label the loss skips (F.cross_entropy's ignore_index, the collator's label_pad_token_id)


def reference_labels(word_ids: Sequence[int | None], word_labels: Sequence[int]) -> list[int]:
    """The word's label on its first token, -100 on its other tokens and on the special tokens (word id None)."""
    labels, previous = [], None
    for word in word_ids:
        labels.append(IGNORED if word is None or word == previous else word_labels[word])
        previous = word
    return labels


def align_case(description: str, word_ids: list[int | None], word_labels: list[int]) -> Case:
    """A case of ``align_labels``: one text's ``word_ids()`` and one label per word (the hidden cases too)."""
    return Case(
        description, (list(word_ids), list(word_labels)), reference_labels(word_ids, word_labels)
    )


ALIGN_CASES = [
    align_case(  # "The soundtrack was unforgettable." tokenized with is_split_into_words=True
        "a word of four pieces between [CLS] and [SEP]",
        [None, 0, 1, 2, 3, 3, 3, 3, 4, None],
        [0, 2, 0, 1, 0],
    ),
    align_case("the first word in two pieces", [None, 0, 0, 1, None], [2, 5]),
    align_case(
        "a truncated text: the last two words cut off, their labels unused",
        [None, 0, 1, 1, None],
        [1, 2, 3, 4],
    ),
    align_case(
        "no special tokens (add_special_tokens=False), the first word in pieces",
        [0, 0, 0, 0, 1],
        [4, 1],
    ),
    align_case("an empty text: only [CLS] and [SEP]", [None, None], []),
    align_case("one word in three pieces, no special tokens", [0, 0, 0], [6]),
]


def _first_pieces(word_ids: Sequence[int | None]) -> list[int]:
    """The positions of each word's first token."""
    return [
        i
        for i, word in enumerate(word_ids)
        if word is not None and (i == 0 or word != word_ids[i - 1])
    ]


def _align_variants(word_ids: list, word_labels: list) -> list[tuple[str, list, str, str]]:
    """The wrong alignments learners make: (id, the labels it gives, what it is, why)."""
    n, right = len(word_ids), reference_labels(word_ids, word_labels)
    starts = set(_first_pieces(word_ids))

    def where(first: Any, rest: Any, special: Any) -> list:
        return [
            special if w is None else first(i, w) if i in starts else rest(i, w)
            for i, w in enumerate(word_ids)
        ]

    last = {
        i for i, w in enumerate(word_ids) if w is not None and (i == n - 1 or word_ids[i + 1] != w)
    }
    first_word = next(iter(sorted(starts)), None)
    return [
        (
            "every_piece",
            [IGNORED if w is None else word_labels[w] for w in word_ids],
            "the word's label on every one of its pieces",
            "only a word's first piece carries its label; its other pieces get -100, so that the loss counts "
            "each word once (labelling every piece is another convention; this task asks for the first)",
        ),
        (
            "last_piece",
            [word_labels[w] if i in last else IGNORED for i, w in enumerate(word_ids)],
            "the label on each word's last piece instead of its first",
            "a word's first piece is the token whose word id differs from the token *before* it; the label "
            "goes there, -100 on the pieces after it",
        ),
        (
            "zero_on_continuations",
            where(lambda i, w: word_labels[w], lambda i, w: 0, IGNORED),
            "0 on the continuation pieces instead of -100",
            "0 is a class the loss learns; -100 is the value it skips (`ignore_index=-100`): put -100 "
            "on a word's other pieces",
        ),
        (
            "zero_on_special_tokens",
            where(lambda i, w: word_labels[w], lambda i, w: IGNORED, 0),
            "0 on the special tokens instead of -100",
            "0 is a class the loss learns; -100 is the value it skips: [CLS] and [SEP] belong to no word",
        ),
        (
            "zero_not_ignored",
            where(lambda i, w: word_labels[w], lambda i, w: 0, 0),
            "0 wherever there is no label, instead of -100",
            "0 is a class the loss learns; -100 is the value it skips: special tokens and continuation "
            "pieces get -100",
        ),
        (
            "word_start_labels",
            where(lambda i, w: 1, lambda i, w: 0, IGNORED),
            "the word-start labels (1 on first pieces, 0 on the others), not the words' labels",
            "`word_start_labels` marks where words start; here each word's first piece gets "
            "`word_labels[word_id]`, and the other pieces -100",
        ),
        (
            "previous_word_label",
            where(lambda i, w: word_labels[w - 1], lambda i, w: IGNORED, IGNORED)
            if word_labels
            else right,
            "the label of the word before on each word's first piece",
            "`word_ids()` counts words from 0 and gives [CLS] no word id: `word_labels[word_id]` is the "
            "word's own label, with no shift",
        ),
        (
            "ends_assumed_special",
            [IGNORED, *reference_labels(word_ids[1:-1], word_labels), IGNORED] if n >= 2 else right,
            "-100 on the first and last positions, taken for [CLS] and [SEP]",
            "the special tokens are the positions whose word id is None: without special tokens "
            "(`add_special_tokens=False`) the first and last positions are words",
        ),
        (
            "first_word_ignored",
            [IGNORED if w == 0 else label for w, label in zip(word_ids, right)]
            if first_word is not None
            else right,
            "-100 on the first word (word id 0)",
            "`if word_id:` is false for 0 as for None: test `word_id is None`",
        ),
        (
            "previous_wraps_around",
            [
                IGNORED if i == 0 and n and word_ids[-1] == w else label
                for i, (w, label) in enumerate(zip(word_ids, right))
            ],
            "-100 on the first token, though it starts a word",
            "`word_ids[i - 1]` at i = 0 is the *last* token (Python counts negative indices from the end): "
            "start with `previous = None`",
        ),
        (
            "no_label_at_all",
            [IGNORED] * n,
            "-100 on every token",
            "no first piece was recognised: compare each word id with the one before, then remember it "
            "(`previous = word_id` after the comparison, not before)",
        ),
    ]


def _returned_labels(result: Any, word_ids: list) -> list:
    n = len(word_ids)
    if result is None:
        raise gates.returned_none("align_labels", f"a list of {n} labels, one per token")
    if isinstance(result, torch.Tensor) or type(result).__module__.startswith("numpy"):
        raise Mistake(
            f"`align_labels` returned {compare.describe(result)}.",
            id="labels_tensor",
            expected=f"a Python list of {n} ints, one per token",
            found=compare.describe(result),
            cause="the task asks for a list, as the tokenizer's features hold lists: the collator makes the "
            "tensors when it pads the batch",
            hint="build a list, or call `.tolist()`",
        )
    if not isinstance(result, list):
        raise Mistake(
            f"`align_labels` returned a {type(result).__name__}, not a list.",
            id="labels_not_a_list",
            expected=f"a list of {n} ints, one per token",
            found=compare.describe(result),
            cause="a generator or `map` object: wrap it in `list(...)`"
            if hasattr(result, "__next__")
            else "`list(...)` makes one"
            if isinstance(result, tuple)
            else "",
        )
    if any(v is None for v in result):
        raise Mistake(
            "`align_labels` returned None among the labels.",
            id="none_label",
            expected="ints: -100 where there is no label",
            found=compare.describe(result),
            cause="a special token's word id is None, and so was its label: the loss needs a number there, -100, "
            "which it skips",
        )
    odd = [v for v in result if isinstance(v, bool) or not isinstance(v, numbers.Integral)]
    if odd:
        raise Mistake(
            f"`align_labels` returned labels that are {type(odd[0]).__name__} values.",
            id="labels_not_ints",
            expected="int labels (class ids, and -100)",
            found=compare.describe(result),
            cause="`-100.0` is a float: write the int -100"
            if isinstance(odd[0], float)
            else "the labels are the words' own labels (ints) and -100",
        )
    return [int(v) for v in result]


def _wrong_length(result: list, word_ids: list, word_labels: list) -> None:
    n, found = len(word_ids), len(result)
    if found == n:
        return
    problem = f"`align_labels` returned {found} label{'' if found == 1 else 's'} for {n} tokens."
    expected = f"{n} labels: one per token, as many as `word_ids` has"
    if not word_labels and not result:
        cause = "an empty text still has its special tokens ([CLS] and [SEP], word id None): each gets -100"
        mistake_id = "empty_text_no_tokens"
    elif found == len(word_labels):
        cause = "one label per word, as `word_labels` has; the model needs one per token (a word's pieces "
        cause += "each have a position): walk through `word_ids`, not `word_labels`"
        mistake_id = "one_label_per_word"
    elif found == sum(w is not None for w in word_ids):
        cause = (
            "the special tokens (word id None) were left out: they keep their positions, with -100"
        )
        mistake_id = "special_tokens_dropped"
    elif found == len(_first_pieces(word_ids)):
        cause = "only the first pieces were kept: every token keeps its position, -100 on the other pieces"
        mistake_id = "only_first_pieces"
    else:
        cause = "append exactly one label for every entry of `word_ids`"
        mistake_id = "labels_wrong_length"
    raise Mistake(problem, id=mistake_id, expected=expected, found=f"{found} labels", cause=cause)


def _first_wrong_position(result: list, word_ids: list, word_labels: list) -> Mistake:
    """Where no known mistake fits: the first wrong position, by its kind (not the answer itself)."""
    right = reference_labels(word_ids, word_labels)
    i = next(i for i, (a, b) in enumerate(zip(result, right)) if a != b)
    word = word_ids[i]
    if word is None:
        return Mistake(
            f"`align_labels` put {result[i]} on token {i}, a special token (word id None).",
            id="special_token_labelled",
            expected="-100 on every special token",
            found=f"{result[i]}",
            cause="[CLS], [SEP] and the other special tokens belong to no word: the loss must skip them",
        )
    if i in _first_pieces(word_ids):
        return Mistake(
            f"`align_labels` put {result[i]} on token {i}, the first piece of word {word}.",
            id="first_piece_wrong",
            expected=f"the label of word {word}: `word_labels[{word}]`",
            found=f"{result[i]}",
            cause="a word's first piece carries that word's own label, indexed by its word id",
        )
    return Mistake(
        f"`align_labels` put {result[i]} on token {i}, a continuation piece of word {word}.",
        id="continuation_labelled",
        expected="-100 on every piece of a word after its first",
        found=f"{result[i]}",
        cause="only a word's first piece carries its label; the loss skips the pieces after it",
    )


def _align_errors(cases: Sequence[Case], runs: Sequence[Run]) -> None:
    """Where the first case that fails raised on a word id None, an index past the words or an empty text: name
    it (the harness's own message shows only the error)."""
    for case, run in zip(cases, runs):
        if run.error is None:
            if (
                not run.timed_out
                and not run.mutated
                and type(run.result) is list
                and run.result == case.expected
            ):
                continue
            return  # the first failing case returned: its own verdict stands
        word_ids, word_labels = case.args
        message, found = run.error.message, f"your {run.error.line}" if run.error.line else ""
        if "NoneType" in message:
            raise Mistake(
                f"On {case.description}: `align_labels` raised {run.error.sentence()}.",
                id="none_word_id",
                expected="-100 for every token whose word id is None",
                found=found,
                cause="the special tokens have the word id None, which is no index and no number: test "
                "`word_id is None` first",
            )
        if not word_labels and run.error.name in ("IndexError", "ValueError"):
            raise Mistake(
                f"On {case.description}: `align_labels` raised {run.error.sentence()}.",
                id="empty_text_raised",
                expected="-100 for each special token, and nothing else: the text has no word",
                found=found,
                cause="a text without words has no word id to take a maximum of"
                if "max(" in message or "min(" in message
                else "a text without words gives an empty `word_labels` (and `word_ids` holds only special "
                "tokens, or nothing): index neither without checking",
            )
        if run.error.name == "IndexError":
            raise Mistake(
                f"On {case.description}: `align_labels` raised {run.error.sentence()}.",
                id="index_past_words",
                expected="`word_labels[word_id]` for a word's first piece",
                found=found,
                cause="`word_labels` has one entry per word, fewer than the tokens: index it with the "
                "token's word id, not the token's position"
                if len(word_labels) < len(word_ids)
                else "index `word_labels` with the token's word id",
            )
        return


@function_exercise(
    "Labels aligned to words",
    cases=ALIGN_CASES,
    across=_align_errors,
    hints=(
        "Walk through `word_ids`, remembering the word id of the token before: a special token (None) gets "
        "-100; a token whose word id differs from the one before starts a word and gets "
        "`word_labels[word_id]`; any other token gets -100.",
        "`labels, previous = [], None`; for each `word_id`: append `-100 if word_id is None or word_id == "
        "previous else word_labels[word_id]`, then `previous = word_id`.",
    ),
    mutation=(
        "assigning into `word_ids` or `word_labels` (or `.pop`, `.insert`, `.append` on them) changes the "
        "caller's lists: the tokenizer's word ids and the data set's labels",
        "start a new list, `labels = []`, and append to it",
    ),
)
def align_labels(result, case: Case) -> None:
    """`align_labels(word_ids, word_labels)` returns a new list of ints, one per token: the word's label on the
    first token of each word, -100 on its other tokens and on the special tokens (word id None)."""
    word_ids, word_labels = case.args
    found = _returned_labels(result, word_ids)
    _wrong_length(found, word_ids, word_labels)
    if found == case.expected:
        return
    matches = [
        (mistake_id, what, why)
        for mistake_id, labels, what, why in _align_variants(word_ids, word_labels)
        if labels != case.expected and labels == found
    ]
    wraps = [m for m in matches if m[0] == "previous_wraps_around"]
    # a one-word text without special tokens, where three explanations fit: the cases run in order, and the other
    # two fail the first public case (its word 0 is labelled), so a run that reached this one wrapped around
    if len(matches) == 1 or wraps:
        mistake_id, what, why = (wraps or matches)[0]
        raise Mistake(
            f"`align_labels` put {what}.",
            id=mistake_id,
            expected="the word's label on its first piece, -100 on its other pieces and on special tokens",
            found=f"{found}" if len(found) <= 24 else f"{found[:24]} …",
            cause=why,
        )
    raise _first_wrong_position(found, word_ids, word_labels)


def _features_have_labels(features) -> bool:
    """Whether the features the batch was made from hold a label (then the batch dropped it)."""
    return bool(features) and all("label" in f or "labels" in f for f in features)

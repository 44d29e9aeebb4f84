"""Section 6, notebook ``06_attention_masks.ipynb``: 1 attends, 0 ignores; masked batches match single sequences."""

from __future__ import annotations

import torch

from .. import compare, diagnose, gates, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from ..padding import right_pad
from . import _shared


def expected_short_mask() -> torch.Tensor:
    """1 for each real token of the seed's short sequences, 0 for the padding, as the tokenizer builds it."""
    return torch.tensor(right_pad(references.SHORT_IDS, 0)[1])


@value_exercise(
    "Build the attention mask",
    hints=(
        "One row per sequence, one entry per id: 1 where the id is a real token, 0 where it is padding.",
        "`torch.tensor([[1, 1, 1], [1, 1, 0]])`",
    ),
)
def attention_mask(attention_mask) -> None:
    """`attention_mask` is a torch.int64 (2, 3) tensor: 1 on the real tokens of `batched_ids`, 0 on the padding."""
    check_mask(attention_mask, expected_short_mask(), "attention_mask")


def check_mask(value, expected: torch.Tensor, name: str) -> torch.Tensor:
    """A torch.int64 tensor of 0s and 1s equal to ``expected``, naming the mistakes the evidence shows."""
    if (
        isinstance(value, torch.Tensor)
        and value.device.type != "meta"  # no data to read: compare.mask_tensor names it
        and value.is_floating_point()
        and bool((value < 0).any())
    ):
        raise Mistake(
            f"`{name}` is an additive mask: 0 and negative numbers, not 1s and 0s.",
            id="additive_mask",
            expected="1 on each real token, 0 on each pad, dtype torch.int64, like the tokenizer's masks",
            found=f"values {sorted(set(_on_cpu(value).flatten().tolist()))[:4]}",
            cause="0 to attend and -inf (or a large negative number) to ignore is what the model builds inside "
            "from the 1/0 mask; the model's `attention_mask=` takes 1 = attend, 0 = ignore, and reads 0 as padding",
            hint="`torch.tensor([[1, 1, 1], [1, 1, 0]])`",
        )
    mask = compare.mask_tensor(value, name)
    if (
        mask.dim() == 1
        and expected.dim() == 2
        and expected.shape[1] > 1
        and mask.shape[0] == expected.shape[0]
        and torch.equal(mask, expected.sum(dim=1))
    ):
        raise Mistake(
            f"`{name}` holds each sequence's length, not a mask.",
            id="lengths_not_mask",
            expected=f"shape {tuple(expected.shape)}: a 0 or 1 for every position",
            found=f"the lengths {mask.tolist()}",
            hint="one row per sequence: `[1] * len(seq) + [0] * (width - len(seq))`",
        )
    if mask.shape == expected.shape and bool((expected == 0).any()) and bool((mask == 1).all()):
        raise Mistake(
            f"`{name}` is all 1s.",
            id="all_ones",
            expected="0 on each padded position",
            found="1 everywhere, the padding too",
            cause="a mask of 1s marks the padding as real tokens: the model attends to it as if there "
            "were no mask",
        )
    if mask.shape == expected.shape and torch.equal(mask, expected):
        return mask  # an empty mask (a batch of empty sequences) is also its own inverse: nothing to diagnose
    return diagnose.attention_mask(mask, expected, name=name)


# --- logits of a padded batch with its mask, from ONE call of the model ------------------------------


def masked_batch_logits(
    value,
    call,
    name: str,
    *,
    reference: str,
    lengths: tuple[int, ...],
    pad_id: int,
    how: str,
    known: tuple[tuple[str, str, str], ...] = (),
) -> None:
    """``value`` is the `.logits` of ONE call of the model on the right-padded batch of sequences of ``lengths``,
    padded with ``pad_id``, with its attention mask: the numbers (within tolerance) and the call that made them."""
    values = compare.logits_tensor(value, name)
    batch, width = len(lengths), max(lengths)
    if call is not None and (call.batch, call.width) == (batch, width):
        _check_masked_call(call, name, lengths, pad_id, how)
    expected, tol = references.get(reference), compare.tolerance_for(value)
    if (
        batch > 1
        and values.shape == expected.shape
        and compare.close(values, expected.flip(0), tol)
        and not compare.close(values, expected, tol)
    ):
        raise Mistake(
            f"`{name}` has its rows in the wrong order.",
            id="rows_reordered",
            expected="row i: the logits of sequence i",
            found="the rows in reverse order",
            cause="the sequences were batched in reverse order",
        )
    try:
        _shared.reference_logits(values, name, reference, known=known)
    except Mistake as mistake:
        if call is not None and mistake.problem.startswith(f"`{name}` differs from the reference"):
            _shared.computed_in_one_call(call, name, batch=batch, width=width, masked=True, how=how)
        raise
    if call is None:
        raise _shared.not_from_one_call(value, name, batch=batch, width=width, how=how)
    _shared.computed_in_one_call(call, name, batch=batch, width=width, masked=True, how=how)


def _check_masked_call(call, name: str, lengths: tuple[int, ...], pad_id: int, how: str) -> None:
    """A call with the batch's shape: it must have come with the mask (1 on each sequence's own tokens), and the
    padded positions must hold ``pad_id``."""
    if not call.masked:
        raise Mistake(
            f"`{name}` comes from a call without an attention mask.",
            id="unmasked_call",
            expected=f"a call with `attention_mask=`: {how}",
            found="a call on the padded ids alone",
            cause="without the mask the tokens attend to the padding, and the padded row's logits change",
            hint="pass the mask as a keyword argument, `attention_mask=...`",
        )
    if (
        call.lengths != lengths
        and sorted(call.lengths) == sorted(lengths)
        and lengths != (call.width,) * len(lengths)
    ):
        raise Mistake(
            f"`{name}` comes from a batch with the sequences in another order.",
            id="reordered_batch",
            expected=f"row i: sequence i (real lengths {_counts(lengths)})",
            found=f"rows of real lengths {_counts(call.lengths)}",
            cause="the sequences were batched in another order (reversed or sorted)",
            hint=f"keep the order of the sequences: {how}",
        )
    if call.lengths != lengths:
        if any(not 0 <= n <= call.width for n in call.lengths):
            raise Mistake(
                f"`{name}` comes from a call whose attention mask holds values other than 0 and 1.",
                id="additive_mask_of_call",
                expected=f"a mask of 1s and 0s, with {_counts(lengths)} 1s (one per real token)",
                found=f"rows that sum to {_counts(round(n) for n in call.lengths)}: an additive mask "
                "(0 to attend, a large negative number to ignore)",
                cause="the model builds the additive mask itself, from a mask of 1 = attend and 0 = ignore; "
                "given an additive one, it reads its 0s as padding: every real token is masked",
                hint=f"pass the 1/0 mask: {how}",
            )
        if all(n == call.width for n in call.lengths):
            what, cause = (
                "is all 1s",
                "a mask of 1s marks the padding as real tokens: the padding is attended to",
            )
        elif call.lengths == tuple(call.width - n for n in lengths):
            what, cause = (
                "is inverted",
                "the convention is 1 = attend (real tokens), 0 = ignore (padding)",
            )
        else:
            what, cause = "does not fit the sequences", ""
        raise Mistake(
            f"`{name}` comes from a call whose attention mask {what}.",
            id="mask_of_call",
            expected=f"a mask with {_counts(lengths)} 1s (one per real token)",
            found=f"a mask with {_counts(call.lengths)} 1s",
            cause=cause,
            hint=f"pass the mask that goes with the padded ids: {how}",
        )
    used = sorted(set(call.ignored_ids) - {pad_id})
    if used:
        shown = ", ".join(map(str, used))
        raise Mistake(
            f"`{name}` comes from a batch padded with id {shown}.",
            id="padded_with_other_id",
            expected=f"the pad id, `tokenizer.pad_token_id` = {pad_id}, in the padded positions",
            found=f"id {shown} in the positions the mask ignores",
            cause="with the mask the pad id no longer changes the logits, but the tokenizer, the model's "
            "config and every tool tell padding from text by the pad id",
            hint="pad with `tokenizer.pad_token_id`",
        )


def _counts(lengths) -> str:
    return " and ".join(map(str, lengths))


NO_MASK_CAUSE = (
    "these are the logits of the padded ids with every position attended to: the model did not get "
    "the mask"
)


@value_exercise(
    "Logits of the padded batch with its mask",
    hints=(
        "Call the model once, on the padded ids and the mask together (`attention_mask=`).",
        "`model(torch.tensor(batched_ids), attention_mask=attention_mask).logits`",
    ),
    observe=True,
)
def masked_logits(masked_logits, *, call) -> None:
    """`masked_logits` is the `.logits` of ONE call of the model on the padded `batched_ids` with `attention_mask`."""
    masked_batch_logits(
        masked_logits,
        call,
        "masked_logits",
        reference="short_padded_masked",
        lengths=tuple(len(s) for s in references.SHORT_IDS),
        pad_id=_shared.tokenizer().pad_token_id,
        how="`model(torch.tensor(batched_ids), attention_mask=attention_mask).logits`",
        known=(
            ("the padded logits computed without the mask", "short_padded_no_mask", NO_MASK_CAUSE),
        ),
    )


# --- pad_and_mask -----------------------------------------------------------------------------------


def _case(
    description: str,
    sequences: list[list[int]],
    pad_id: int,
    ids: list[list[int]],
    mask: list[list[int]],
) -> Case:
    return Case(description, (sequences, pad_id), (ids, mask))


PAD_AND_MASK_CASES = [
    _case(
        "the short batch [[200, 200, 200], [200, 200]] with pad_id=0",
        [[200, 200, 200], [200, 200]],
        0,
        [[200, 200, 200], [200, 200, 0]],
        [[1, 1, 1], [1, 1, 0]],
    ),
    _case(
        "[[5], [1, 2, 3, 4]] (the first sequence is the shorter) with pad_id=0",
        [[5], [1, 2, 3, 4]],
        0,
        [[5, 0, 0, 0], [1, 2, 3, 4]],
        [[1, 0, 0, 0], [1, 1, 1, 1]],
    ),
    _case(
        "three sequences [[7, 8], [9], [10, 11, 12]] with pad_id=1",
        [[7, 8], [9], [10, 11, 12]],
        1,
        [[7, 8, 1], [9, 1, 1], [10, 11, 12]],
        [[1, 1, 0], [1, 0, 0], [1, 1, 1]],
    ),
    _case(
        "[[3, 4], [5, 6]] (equal lengths: nothing to pad) with pad_id=0",
        [[3, 4], [5, 6]],
        0,
        [[3, 4], [5, 6]],
        [[1, 1], [1, 1]],
    ),
    _case(
        "a batch of one sequence [[42, 43, 44]] with pad_id=0",
        [[42, 43, 44]],
        0,
        [[42, 43, 44]],
        [[1, 1, 1]],
    ),
    _case(
        "[[0, 5], [7]] (a real token has the pad id's value) with pad_id=0",
        [[0, 5], [7]],
        0,
        [[0, 5], [7, 0]],
        [[1, 1], [1, 0]],
    ),
    _case(
        "[[], [6, 7]] (an empty sequence, first) with pad_id=2",
        [[], [6, 7]],
        2,
        [[2, 2], [6, 7]],
        [[0, 0], [1, 1]],
    ),
    _case(
        "[[], []] (every sequence empty: shape (2, 0)) with pad_id=0",
        [[], []],
        0,
        [[], []],
        [[], []],
    ),
]


def _pair(result) -> tuple:
    """The learner's `(input_ids, attention_mask)`: a tuple of two torch.int64 tensors, or a Mistake."""
    if isinstance(result, tuple) and len(result) == 2:
        return result
    if isinstance(result, list) and len(result) == 2:
        raise Mistake(
            "`pad_and_mask` returned a list of two things.",
            id="list_of_two",
            expected="a tuple `(input_ids, attention_mask)`",
            found=compare.describe(result),
            cause="square brackets make a list",
            hint="`return input_ids, attention_mask` returns a tuple",
        )
    hint = (
        "take the two tensors out of it: `return batch['input_ids'], batch['attention_mask']`"
        if hasattr(result, "keys")
        else "end with `return input_ids, attention_mask`"
    )
    raise Mistake(
        "`pad_and_mask` must return two things.",
        id="not_two_things",
        expected="a tuple `(input_ids, attention_mask)`",
        found=compare.describe(result),
        hint=hint,
    )


@function_exercise(
    "A function that pads and masks",
    cases=PAD_AND_MASK_CASES,
    seconds=0.5,  # padding a few short lists takes microseconds; an endless loop costs half a second per check
    hints=(
        "Find the longest sequence; add `pad_id` to each shorter one until it has that length.",
        "The mask row of a sequence: `[1] * len(seq) + [0] * (width - len(seq))`.",
        "Build new lists (do not append to the caller's) and return both as tensors with `dtype=torch.long` "
        "(a batch of empty sequences has no int to give them that dtype).",
    ),
    mutation=_shared.PADDING_MUTATION,
)
def pad_and_mask(result, case: Case) -> None:
    """`pad_and_mask(sequences, pad_id)` returns the tuple `(input_ids, attention_mask)` of torch.int64 tensors:
    the ids right-padded with `pad_id` to the longest sequence, the mask 1 on each sequence's own ids."""
    sequences, pad_id = case.args
    ids_expected, mask_expected = (
        torch.tensor(rows, dtype=torch.long).reshape(len(rows), -1) for rows in case.expected
    )
    ids, mask = _pair(result)
    if (
        isinstance(ids, torch.Tensor)
        and isinstance(mask, torch.Tensor)
        and ids.shape == mask_expected.shape
        and torch.equal(_on_cpu(ids).long(), mask_expected)
        and not torch.equal(_on_cpu(mask).long(), mask_expected)
    ):
        raise Mistake(
            "`pad_and_mask` returned (attention_mask, input_ids), in the wrong order.",
            id="pair_swapped",
            expected="`(input_ids, attention_mask)`",
            found="the mask first",
        )
    ids = _ids_tensor(ids, case)
    mask = compare.mask_tensor(mask, "attention_mask")
    if ids.shape == ids_expected.shape and not torch.equal(ids, ids_expected):
        _reordered(ids, ids_expected)
        diagnose.padded_batch(ids, ids_expected, sequences, pad_id, "`input_ids`")
    try:
        diagnose.token_ids(ids, ids_expected, pad_id=pad_id, name="input_ids")
    except Mistake as mistake:
        mistake.hint = mistake.hint.replace("`tokenizer.pad_token_id`", "the `pad_id` argument")
        raise
    from_ids = (ids_expected != pad_id).long()
    if (
        not torch.equal(from_ids, mask_expected)
        and mask.shape == from_ids.shape
        and torch.equal(mask, from_ids)
    ):
        raise Mistake(
            "`attention_mask` marks every id equal to `pad_id` as padding, also a real one.",
            id="mask_from_ids",
            expected="1 for each of a sequence's own tokens, whatever its id",
            found="0 on a real token",
            cause="the mask was computed from the ids (`ids != pad_id`), not from the lengths",
            hint="`[1] * len(seq) + [0] * (width - len(seq))`",
        )
    check_mask(mask, mask_expected, "attention_mask")


def _ids_tensor(value, case: Case) -> torch.Tensor:
    """The returned ids as a torch.int64 tensor; a float tensor on a batch with an empty sequence is named as such."""
    if (
        isinstance(value, torch.Tensor)
        and value.is_floating_point()
        and all(len(s) == 0 for s in case.args[0])
    ):
        raise Mistake(
            f"`input_ids` has dtype {value.dtype}.",
            id="empty_batch_floats",
            expected="dtype torch.int64 (token ids), shape (number of sequences, 0)",
            found=compare.describe(value),
            cause="every sequence is empty: `torch.tensor([[], []])` has no int to take its dtype from and is "
            "float32, so a batch of empty sequences needs the dtype said",
            hint="`torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long)`",
        )
    if (
        isinstance(value, torch.Tensor)
        and value.is_floating_point()
        and any(len(s) == 0 for s in case.args[0])
    ):
        raise Mistake(
            f"`input_ids` has dtype {value.dtype}.",
            id="empty_sequence_floats",
            expected="dtype torch.int64 (token ids)",
            found=compare.describe(value),
            cause="the empty sequence became a float tensor (`torch.tensor([])` is float32), and the "
            "padded batch took its dtype",
            hint="give it a dtype, `torch.tensor(seq, dtype=torch.long)`, or pad the lists first",
        )
    return compare.id_tensor(value, "input_ids")


def _reordered(ids: torch.Tensor, expected: torch.Tensor) -> None:
    rows, want = [tuple(r) for r in ids.tolist()], [tuple(r) for r in expected.tolist()]
    if rows != want and sorted(rows) == sorted(want):
        raise Mistake(
            "`input_ids` has the sequences in another order than given.",
            id="reordered",
            expected="row i: sequence i, in the order of `sequences`",
            found="the same rows, reordered",
            cause="the sequences were sorted (by length?) or reversed before padding",
            hint="keep the order: the caller matches row i with its sequence i",
        )


# --- the Try it! sentences --------------------------------------------------------------------------


def _manual_lengths() -> tuple[int, ...]:
    return tuple(len(_shared.manual_ids(text)) for text in references.TRY_IT_TEXTS)


@value_exercise(
    "Try it! Two sentences in one masked batch",
    hints=(
        "You have `manual_ids` (two lists of ids) and your `pad_and_mask`; pad with `tokenizer.pad_token_id`.",
        "Your `pad_and_mask` on `manual_ids` and `tokenizer.pad_token_id` gives the ids and their mask; then ONE "
        "call, `model(ids, attention_mask=mask).logits`.",
    ),
    observe=True,
)
def manual_logits(manual_logits, *, call) -> None:
    """`manual_logits` is the `.logits` of ONE call of the model on the two manually tokenized sentences, padded
    with `tokenizer.pad_token_id`, with their mask."""
    masked_batch_logits(
        manual_logits,
        call,
        "manual_logits",
        reference="try_it_manual_masked",
        lengths=_manual_lengths(),
        pad_id=_shared.tokenizer().pad_token_id,
        how="pad `manual_ids` with your `pad_and_mask` and `tokenizer.pad_token_id`, then "
        "`model(ids, attention_mask=mask).logits`",
        known=(
            ("the padded logits computed without the mask", "try_it_manual_no_mask", NO_MASK_CAUSE),
            (
                "the logits of `tokenizer(...)`'s batch, with [CLS] and [SEP]",
                "try_it_tokenizer",
                "this exercise uses the manual tokenization (`tokenize` + `convert_tokens_to_ids`), without special "
                "tokens",
            ),
            (
                "the short batch's masked logits (`masked_logits`)",
                "short_padded_masked",
                "these come from the earlier exercise's batch, not from `manual_ids`",
            ),
        ),
    )


@value_exercise(
    "Let the tokenizer pad and mask",
    hints=(
        "Call the tokenizer on the list of sentences itself, not `tokenize` + `convert_tokens_to_ids`.",
        "`tokenizer(sentences, padding=True, return_tensors='pt')`",
    ),
)
def tokenizer_batch(batch) -> None:
    """`batch` is the tokenizer's padded output for the two sentences, as PyTorch tensors: ids with [CLS]/[SEP]
    and their mask."""
    tokenizer = _shared.tokenizer()
    expected = tokenizer(references.TRY_IT_TEXTS, padding=True, return_tensors="pt")
    if isinstance(batch, torch.Tensor) or not hasattr(batch, "keys"):
        _shared.token_ids(batch, expected["input_ids"], "batch", tokenizer)
        raise Mistake(
            "`batch` is a single tensor.",
            id="single_tensor",
            expected="the tokenizer's whole output (input_ids and attention_mask)",
            found=compare.describe(batch),
            hint="`batch = tokenizer(sentences, padding=True, return_tensors='pt')`",
        )
    for key in ("input_ids", "attention_mask"):
        if key not in batch.keys():
            raise Mistake(
                f"`batch` has no `{key}`.",
                id="missing_field",
                expected="the tokenizer's output: input_ids and attention_mask",
                found=compare.describe(batch),
            )
    for key in ("input_ids", "attention_mask"):
        value = batch[key]
        if (
            isinstance(value, (list, tuple))
            and len({len(row) for row in value if isinstance(row, (list, tuple))}) > 1
        ):
            raise Mistake(
                f"`batch['{key}']` is a ragged Python list: not padded, and not a tensor.",
                id="ragged_fields",
                expected="PyTorch tensors, padded to the longest sentence",
                found=compare.describe(value),
                cause="without `padding=True` each row keeps its own length, and without `return_tensors` "
                "the tokenizer returns lists",
                hint='add `padding=True, return_tensors="pt"`',
            )
        mistake = gates.not_a_tensor(
            value,
            f"batch['{key}']",
            "PyTorch tensors, as the task asks",
            cause=gates.TOKENIZER_FIELDS,
            hint=gates.RETURN_TENSORS,
        )
        if mistake is not None:
            raise mistake
    ids = compare.to_tensor(
        batch["input_ids"], "batch['input_ids']"
    )  # on the CPU, as the references are
    pair = tokenizer(*references.TRY_IT_TEXTS, return_tensors="pt")["input_ids"]
    if ids.shape == pair.shape and torch.equal(ids, pair):
        raise Mistake(
            "`batch` holds one sequence: the two sentences encoded as a pair.",
            id="encoded_as_pair",
            expected=f"shape {tuple(expected['input_ids'].shape)}: one row per sentence",
            found=f"shape {tuple(ids.shape)}, [CLS] first ... [SEP] second [SEP]",
            cause="`tokenizer(first, second)` reads its second argument as the second sentence of a pair "
            "(for tasks that compare two texts; `token_type_ids` mark which is which)",
            hint="pass one list: `tokenizer(sentences, ...)`",
        )
    try:
        _shared.token_ids(ids, expected["input_ids"], "batch['input_ids']", tokenizer)
    except (
        Mistake
    ) as mistake:  # the shared hint names `['input_ids']`; this task wants the whole output
        mistake.hint = (
            "`batch = tokenizer(sentences, padding=True, return_tensors='pt')`, the whole output"
        )
        raise
    check_mask(batch["attention_mask"], expected["attention_mask"], "batch['attention_mask']")
    if "token_type_ids" in expected and "token_type_ids" not in batch.keys():
        raise Mistake(
            "`batch` has no `token_type_ids`.",
            id="missing_token_type_ids",
            expected="the tokenizer's whole output, as the task names it: input_ids, attention_mask, token_type_ids",
            found=f"the fields {sorted(batch.keys())}",
            cause="`return_token_type_ids=False` (or a dict built by hand) leaves out a field this tokenizer "
            "returns (`tokenizer.model_input_names`)",
            hint="`batch = tokenizer(sentences, padding=True, return_tensors='pt')`, the whole output",
        )


def _on_cpu(tensor: torch.Tensor) -> torch.Tensor:
    """A learner's tensor (on the GPU with COURSE_DEVICE=cuda) as a detached CPU copy, to compare with the references."""
    return tensor.detach().to("cpu")


# --- mean_pool: the mask in pooling -----------------------------------------------------------------


def reference_mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The mean of each row's hidden states over its real positions (0 for a row of padding only)."""
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)


def _hidden(rows: list[list[list[float]]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def _pool_case(description: str, hidden: list, mask: list[list[int]]) -> Case:
    hidden_t, mask_t = _hidden(hidden), torch.tensor(mask, dtype=torch.long)
    return Case(description, (hidden_t, mask_t), reference_mean_pool(hidden_t, mask_t))


def _seeded(batch: int, positions: int, width: int, seed: int) -> list:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch, positions, width, generator=generator).tolist()


MEAN_POOL_CASES = [
    _pool_case(
        "two rows of 4 positions and width 3, the second with 2 pads",
        [
            [[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [2.0, 2.0, 2.0], [0.0, 4.0, -2.0]],
            [[4.0, 0.0, 2.0], [2.0, 2.0, 6.0], [9.0, -9.0, 9.0], [7.0, 7.0, -7.0]],
        ],
        [[1, 1, 1, 1], [1, 1, 0, 0]],
    ),
    _pool_case(
        "three rows of 5 positions and width 2 (seeded random numbers), 0, 1 and 3 pads",
        _seeded(3, 5, 2, seed=6),
        [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0], [1, 1, 0, 0, 0]],
    ),
    _pool_case(
        "no padding at all (2 rows of 3 positions, width 4)",
        _seeded(2, 3, 4, seed=7),
        [[1, 1, 1], [1, 1, 1]],
    ),
    _pool_case(
        "a row of padding only (its mean must be 0s, not NaN), beside a row of 2 real tokens",
        [[[5.0, -1.0], [3.0, 3.0], [1.0, 1.0]], [[2.0, 4.0], [6.0, 0.0], [8.0, 8.0]]],
        [[0, 0, 0], [1, 1, 0]],
    ),
    _pool_case(
        "a batch of one row, 1 real token and 3 pads (width 5)",
        _seeded(1, 4, 5, seed=8),
        [[1, 0, 0, 0]],
    ),
]

#: Wrong ways to pool, each as what it computes, its mistake id, what it is, and why it is wrong.
WRONG_POOLS = {
    "unmasked_mean": (
        lambda h, m: h.mean(dim=1),
        "the mean over every position, pads included (`hidden.mean(dim=1)`)",
        "the mask keeps the pads out of attention only: their hidden states are not zero, and an unmasked "
        "mean averages them in",
    ),
    "divides_by_width": (
        lambda h, m: (h * m.unsqueeze(-1).to(h.dtype)).sum(dim=1) / h.shape[1],
        "the masked sum divided by the padded length, not by the number of real tokens",
        "the pads add 0 to the sum, but a row with pads has fewer real tokens than positions",
    ),
    "sums_the_padding": (
        lambda h, m: h.sum(dim=1) / m.sum(dim=1, keepdim=True).clamp(min=1),
        "the sum over every position, pads included, divided by the number of real tokens",
        "the count leaves the pads out, but the sum does not: their hidden states are not zero; weight each "
        "position by the mask before summing",
    ),
    "sum_not_mean": (
        lambda h, m: (h * m.unsqueeze(-1).to(h.dtype)).sum(dim=1),
        "the masked sum, not divided by the number of real tokens",
        "a mean is the sum divided by the count: `attention_mask.sum(dim=1, keepdim=True)`",
    ),
    "pools_the_padding": (
        lambda h, m: reference_mean_pool(h, 1 - m),
        "the mean over the pads, not over the real tokens",
        "the mask is 1 on the real tokens and 0 on the pads: weight by it, not by its inverse",
    ),
    "batch_count": (
        lambda h, m: (h * m.unsqueeze(-1).to(h.dtype)).sum(dim=1) / m.sum().clamp(min=1),
        "each row's masked sum divided by the real tokens of the whole batch, not of its own row",
        "`attention_mask.sum()` counts every row's real tokens together: count per row, "
        "`attention_mask.sum(dim=1, keepdim=True)`",
    ),
    "max_pooling": (
        lambda h, m: h.max(dim=1).values,
        "the maximum over the positions (max pooling)",
        "the task asks for the mean over the real tokens (and a max over the positions lets pads in too)",
    ),
    "masked_max_pooling": (
        lambda h, m: h.masked_fill(m.unsqueeze(-1) == 0, float("-inf")).max(dim=1).values,
        "the maximum over the real tokens (max pooling)",
        "the task asks for the mean over the real tokens, not the maximum",
    ),
}


def _as_float_pool(result, case: Case) -> torch.Tensor:
    """The learner's pooled tensor, gated: a tensor of floats of shape (batch, width)."""
    hidden, _ = case.args
    expected = f"a float tensor of shape {tuple(case.expected.shape)}: (batch, width)"
    if result is None:
        raise gates.returned_none("mean_pool", expected, hint="end with `return pooled`")
    mistake = gates.not_a_tensor(
        result,
        "mean_pool",
        expected,
        returned=True,
        cause={
            "numpy": "`.numpy()` (or NumPy's functions) turned the pooled tensor into an array",
            "list": "the pooled rows belong in one tensor, one row per sequence",
            "other": "",
        },
        hint={
            "numpy": "return the torch tensor itself, without `.numpy()`",
            "list": "return one tensor: `torch.stack(rows)` joins a list of rows",
            "other": "return the pooled tensor",
        },
    )
    if mistake is not None:
        raise mistake
    pooled = _on_cpu(result)
    if not pooled.is_floating_point():
        raise Mistake(
            f"`mean_pool` returned a tensor of dtype {pooled.dtype}.",
            id="pool_dtype",
            expected=expected,
            found=compare.describe(result),
            cause="a mean of hidden states is a float; integer division or a cast lost it",
        )
    if pooled.shape != case.expected.shape:
        batch, positions, width = hidden.shape
        cause = ""
        if tuple(pooled.shape) == (width,) or pooled.dim() == 1:
            cause = (
                "the mean was taken over the whole batch (or over the real tokens of all rows at once, "
                "`hidden[mask.bool()]`): keep one row per sequence"
            )
        elif tuple(pooled.shape) == (batch, positions):
            cause = "the mean was taken over the width (`dim=-1`), not over the positions (`dim=1`)"
        elif tuple(pooled.shape) == (positions, width) and batch != positions:
            cause = "the sum ran over the batch (`dim=0`), not over the positions (`dim=1`)"
        elif tuple(pooled.shape) == (batch, 1, width):
            cause = (
                "the positions were reduced with `keepdim=True`, which keeps their dimension as size 1: "
                "sum over `dim=1` without `keepdim` (or `.squeeze(1)`)"
            )
        elif pooled.dim() == 3:
            cause = "nothing was reduced over the positions: sum over `dim=1`"
        raise Mistake(
            f"`mean_pool` returned shape {tuple(pooled.shape)}.",
            id="pool_shape",
            expected=expected,
            found=compare.describe(result),
            cause=cause,
            hint="sum over the positions, `dim=1`, and divide by each row's count of real tokens",
        )
    return pooled


def _name_shape_error(cases: list[Case], runs) -> None:
    """A learner's RuntimeError from broadcasting a (batch, positions) mask against the hidden states."""
    for case, run in zip(cases, runs):
        error = run.error
        if error is None or "must match the size of tensor" not in error.message:
            continue
        batch, positions, width = case.args[0].shape
        if f"({width}) must match the size of tensor b ({positions})" in error.message:
            raise Mistake(
                f"`mean_pool` raised {error.sentence()} on {case.description}.",
                id="mask_not_unsqueezed",
                expected="the mask as weights of shape (batch, positions, 1), one per hidden state",
                found=f"your {error.line}" if error.line else "",
                cause="the mask is (batch, positions) and the hidden states (batch, positions, width): "
                "broadcasting lines up the last dimensions, positions against width",
                hint="`attention_mask.unsqueeze(-1)` gives each position's weight a width of 1",
            )
        if f"({width}) must match the size of tensor b ({batch})" in error.message:
            raise Mistake(
                f"`mean_pool` raised {error.sentence()} on {case.description}.",
                id="count_not_unsqueezed",
                expected="each row's count of real tokens, of shape (batch, 1)",
                found=f"your {error.line}" if error.line else "",
                cause="the sum over the positions is (batch, width), the counts (batch,): broadcasting lines "
                "up the counts against the width",
                hint="`attention_mask.sum(dim=1, keepdim=True)` keeps the counts as a column",
            )


@function_exercise(
    "Mean pooling with the mask",
    cases=MEAN_POOL_CASES,
    mutation=(
        "an in-place operation on an argument (`hidden *= ...`, `hidden.mul_(...)`, `masked_fill_`, or an "
        "assignment into it) changes the caller's tensor",
        "`hidden * weights` makes a new tensor: leave `hidden` and `attention_mask` as they are",
    ),
    seconds=0.5,  # a few small tensors: microseconds; an endless loop costs half a second per check
    across=_name_shape_error,
    hints=(
        "Weights of 1 on the real tokens, 0 on the pads: `attention_mask.unsqueeze(-1)` (to the hidden "
        "states' dtype), so that it multiplies every number of a position's hidden state.",
        "Sum `hidden * weights` over the positions (`dim=1`), and divide by each row's count of real tokens, "
        "`weights.sum(dim=1)`, clamped to at least 1 (`.clamp(min=1)`) for a row of padding only.",
    ),
)
def mean_pool(result, case: Case) -> None:
    """`mean_pool(hidden, attention_mask)` returns a (batch, width) float tensor: each row's hidden states averaged
    over its real positions (the mask's 1s), 0s for a row of padding only."""
    hidden, mask = case.args
    pooled = _as_float_pool(result, case)
    tol = compare.tolerance_for(result)
    if not bool(torch.isfinite(pooled).all()):
        empty = mask.sum(dim=1) == 0
        bad = ~torch.isfinite(pooled).all(dim=1)
        if (
            bool(empty.any())
            and bool((bad <= empty).all())
            and bool(torch.isnan(pooled[bad]).all())
        ):
            row = int(torch.nonzero(bad).flatten()[0])
            raise Mistake(
                "`mean_pool` returned NaN for a row of padding only.",
                id="nan_on_all_padding",
                expected="finite numbers: 0s for a row without real tokens",
                found=f"NaN in row {row}, which has no real token",
                cause="that row's count of real tokens is 0, and 0 / 0 is NaN",
                hint="clamp the count to at least 1: `weights.sum(dim=1).clamp(min=1)`",
            )
        raise Mistake(
            "`mean_pool` returned NaN or infinite values.",
            id="pool_not_finite",
            expected="finite numbers: 0s for a row without real tokens",
            found=compare.describe(result),
        )
    if compare.close(pooled, case.expected, tol):
        return
    for mistake_id, (pool, what, cause) in WRONG_POOLS.items():
        wrong = pool(hidden, mask)
        if bool(torch.isfinite(wrong).all()) and compare.close(pooled, wrong, tol):
            raise Mistake(
                f"`mean_pool` returned {what}.",
                id=mistake_id,
                expected="the mean over each row's real tokens",
                found=what,
                cause=cause,
            )
    size, where = compare.largest_difference(pooled, case.expected)
    raise Mistake(
        "`mean_pool` returned other numbers than the mean over the real tokens.",
        id="wrong_pool",
        expected="the mean over each row's real tokens",
        found=f"a difference of {size:.3g} at {where}",
        hint="weight each position by the mask, sum over the positions (`dim=1`), and divide by each row's "
        "count of real tokens",
    )

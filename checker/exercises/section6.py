"""Section 6, notebook ``06_attention_masks.ipynb``: 1 attends, 0 ignores; masked batches match single sequences."""
from __future__ import annotations

from types import SimpleNamespace

import torch

from .. import compare, diagnose, references
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
    hints=("One row per sequence, one entry per id: 1 where the id is a real token, 0 where it is padding.",
           "`torch.tensor([[1, 1, 1], [1, 1, 0]])`"),
)
def attention_mask(attention_mask) -> None:
    """`attention_mask` is an int64 (2, 3) tensor: 1 on the real tokens of `batched_ids`, 0 on the padding."""
    diagnose.attention_mask(attention_mask, expected_short_mask())


@value_exercise(
    "Logits of the padded batch with its mask",
    hints=("Pass both tensors to the model: the ids and `attention_mask=`.",
           "`model(torch.tensor(batched_ids), attention_mask=attention_mask).logits`"),
)
def masked_logits(masked_logits) -> None:
    """`masked_logits` are the model's logits for the padded batch called with `attention_mask`."""
    _shared.reference_logits(masked_logits, "masked_logits", "short_padded_masked", known=(
        ("the padded logits computed without the mask", "short_padded_no_mask",
         "the model was called on the padded ids only: pass `attention_mask=` as well"),))


# --- pad_and_mask -----------------------------------------------------------------------------------

def _case(description: str, sequences: list[list[int]], pad_id: int, ids: list[list[int]], mask: list[list[int]]) -> Case:
    return Case(description, (sequences, pad_id), (ids, mask))


PAD_AND_MASK_CASES = [
    _case("the short batch [[200, 200, 200], [200, 200]] with pad_id=0", [[200, 200, 200], [200, 200]], 0,
          [[200, 200, 200], [200, 200, 0]], [[1, 1, 1], [1, 1, 0]]),
    _case("[[5], [1, 2, 3, 4]] (the first sequence is the shorter) with pad_id=0", [[5], [1, 2, 3, 4]], 0,
          [[5, 0, 0, 0], [1, 2, 3, 4]], [[1, 0, 0, 0], [1, 1, 1, 1]]),
    _case("three sequences [[7, 8], [9], [10, 11, 12]] with pad_id=1", [[7, 8], [9], [10, 11, 12]], 1,
          [[7, 8, 1], [9, 1, 1], [10, 11, 12]], [[1, 1, 0], [1, 0, 0], [1, 1, 1]]),
    _case("[[3, 4], [5, 6]] (equal lengths: nothing to pad) with pad_id=0", [[3, 4], [5, 6]], 0,
          [[3, 4], [5, 6]], [[1, 1], [1, 1]]),
    _case("a batch of one sequence [[42, 43, 44]] with pad_id=0", [[42, 43, 44]], 0, [[42, 43, 44]], [[1, 1, 1]]),
    _case("[[0, 5], [7]] (a real token has the pad id's value) with pad_id=0", [[0, 5], [7]], 0,
          [[0, 5], [7, 0]], [[1, 1], [1, 0]]),
]


@function_exercise(
    "A function that pads and masks",
    cases=PAD_AND_MASK_CASES,
    hints=("Find the longest sequence; add `pad_id` to each shorter one until it has that length.",
           "The mask row of a sequence: `[1] * len(seq) + [0] * (width - len(seq))`.",
           "Build new lists (do not append to the caller's) and return `torch.tensor(ids), torch.tensor(mask)`."),
    mutation=("`seq += [...]` or `seq.append(...)` modifies the caller's list in place",
              "build new lists: `seq + [pad_id] * (width - len(seq))`"),
)
def pad_and_mask(result, case: Case) -> None:
    """`pad_and_mask(sequences, pad_id)` returns `(input_ids, attention_mask)` tensors for any lists of ids."""
    sequences, pad_id = case.args
    ids_expected, mask_expected = (torch.tensor(rows) for rows in case.expected)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mistake("`pad_and_mask` must return two things.", expected="a pair `(input_ids, attention_mask)`",
                      found=compare.describe(result), hint="end with `return input_ids, attention_mask`")
    ids, mask = result
    for what, value in (("input_ids", ids), ("attention_mask", mask)):
        if not isinstance(value, torch.Tensor):
            raise Mistake(f"`pad_and_mask` returned its {what} as {compare.describe(value)}.",
                          expected="a torch tensor (the model takes tensors)", hint="wrap it: `torch.tensor(...)`")
    if ids.shape == mask_expected.shape and torch.equal(ids, mask_expected) and not torch.equal(mask, mask_expected):
        raise Mistake("`pad_and_mask` returned (attention_mask, input_ids), in the wrong order.",
                      expected="`(input_ids, attention_mask)`", found="the mask first")
    if ids.shape == ids_expected.shape and not ids.is_floating_point() and not torch.equal(ids.long(), ids_expected):
        diagnose.padded_batch(ids.long(), ids_expected, sequences, pad_id, "`input_ids`")
    try:
        diagnose.token_ids(ids, ids_expected, SimpleNamespace(pad_token_id=pad_id), name="input_ids")
    except Mistake as mistake:
        mistake.hint = mistake.hint.replace("`tokenizer.pad_token_id`", "the `pad_id` argument")
        raise
    from_ids = (ids_expected != pad_id).long()
    if not torch.equal(from_ids, mask_expected) and mask.shape == from_ids.shape and torch.equal(mask.long(), from_ids):
        raise Mistake("`attention_mask` marks every id equal to `pad_id` as padding, also a real one.",
                      expected="1 for each of a sequence's own tokens, whatever its id", found="0 on a real token",
                      cause="the mask was computed from the ids (`ids != pad_id`), not from the lengths",
                      hint="`[1] * len(seq) + [0] * (width - len(seq))`")
    diagnose.attention_mask(mask, mask_expected)


# --- the Try it! sentences --------------------------------------------------------------------------

@value_exercise(
    "Try it! Two sentences in one masked batch",
    hints=("You have `manual_ids` (two lists of ids) and your `pad_and_mask`; pad with `tokenizer.pad_token_id`.",
           "`ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)`, then call the model with both."),
)
def manual_logits(manual_logits) -> None:
    """`manual_logits` are the logits of the two manually tokenized sentences, padded, with their mask."""
    _shared.reference_logits(manual_logits, "manual_logits", "try_it_manual_masked", known=(
        ("the padded logits computed without the mask", "try_it_manual_no_mask",
         "the model was called on the padded ids only: pass `attention_mask=` as well"),
        ("the logits of `tokenizer(...)`'s batch, with [CLS] and [SEP]", "try_it_tokenizer",
         "this exercise uses the manual tokenization (`tokenize` + `convert_tokens_to_ids`), without special tokens")))


@value_exercise(
    "Let the tokenizer pad and mask",
    hints=("Call the tokenizer on the list of sentences itself, not `tokenize` + `convert_tokens_to_ids`.",
           "`tokenizer(sentences, padding=True, return_tensors='pt')`"),
)
def tokenizer_batch(batch) -> None:
    """`batch` is the tokenizer's padded output for the two sentences: ids with [CLS]/[SEP] and their mask."""
    tokenizer = _shared.tokenizer()
    expected = tokenizer(references.TRY_IT_TEXTS, padding=True, return_tensors="pt")
    if isinstance(batch, torch.Tensor) or not hasattr(batch, "keys"):
        diagnose.token_ids(batch, expected["input_ids"], tokenizer, name="batch")
        raise Mistake("`batch` is a single tensor.", expected="the tokenizer's whole output (input_ids and attention_mask)",
                      found=compare.describe(batch), hint="`batch = tokenizer(sentences, padding=True, return_tensors='pt')`")
    for key in ("input_ids", "attention_mask"):
        if key not in batch.keys():
            raise Mistake(f"`batch` has no `{key}`.", expected="the tokenizer's output: input_ids and attention_mask",
                          found=compare.describe(batch))
    diagnose.token_ids(batch["input_ids"], expected["input_ids"], tokenizer, name="batch['input_ids']")
    diagnose.attention_mask(batch["attention_mask"], expected["attention_mask"], name="batch['attention_mask']")


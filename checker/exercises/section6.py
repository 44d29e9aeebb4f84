"""Section 6, notebook ``06_attention_masks.ipynb``: 1 attends, 0 ignores; masked batches match single sequences."""
from __future__ import annotations

import copy
from types import SimpleNamespace

import torch

from .. import calls, compare, diagnose, references
from ..exercise import Exercise, Mistake
from . import _shared


def expected_short_mask() -> torch.Tensor:
    """1 for each real token of the seed's short sequences, 0 for the padding, as the tokenizer builds it."""
    width = max(len(s) for s in references.SHORT_IDS)
    return torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in references.SHORT_IDS])


def _verify_attention_mask(attention_mask) -> None:
    diagnose.attention_mask(attention_mask, expected_short_mask())


def _verify_masked_logits(masked_logits) -> None:
    alternatives = {
        "the padded logits computed without the mask": (
            references.get("short_padded_no_mask"),
            "the model was called on the padded ids only: pass `attention_mask=` as well"),
        **references.other_checkpoints("short_padded_masked"),
    }
    diagnose.logits(masked_logits, references.get("short_padded_masked"), name="masked_logits",
                    alternatives=alternatives)


# --- pad_and_mask -----------------------------------------------------------------------------------

def _padded(sequences: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in sequences)
    return (torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences]),
            torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences]))


PAD_AND_MASK_CASES = [
    ("the short batch [[200, 200, 200], [200, 200]] with pad_id=0", [[200, 200, 200], [200, 200]], 0),
    ("[[5], [1, 2, 3, 4]] (the first sequence is the shorter) with pad_id=0", [[5], [1, 2, 3, 4]], 0),
    ("three sequences [[7, 8], [9], [10, 11, 12]] with pad_id=1", [[7, 8], [9], [10, 11, 12]], 1),
    ("[[3, 4], [5, 6]] (equal lengths: nothing to pad) with pad_id=0", [[3, 4], [5, 6]], 0),
    ("a batch of one sequence [[42, 43, 44]] with pad_id=0", [[42, 43, 44]], 0),
    ("[[0, 5], [7]] (a real token has the pad id's value) with pad_id=0", [[0, 5], [7]], 0),
]


def _pad_and_mask_verifier(sequences: list[list[int]], pad_id: int, given: list[list[int]]):
    """Check one result of ``pad_and_mask``; ``given`` is the list the function received (to spot changes)."""
    ids_expected, mask_expected = _padded(sequences, pad_id)

    def verify(result) -> None:
        if given != sequences:
            raise Mistake("`pad_and_mask` changed the lists it was given.", expected="the input sequences left as they were",
                          found="padding added to the caller's lists",
                          cause="`seq += [...]` or `seq.append(...)` modifies the caller's list in place",
                          hint="build new lists: `seq + [pad_id] * (width - len(seq))`")
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
        _refuse_hard_coded_pad(ids, ids_expected, pad_id)
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

    return verify


def _refuse_hard_coded_pad(ids: torch.Tensor, expected: torch.Tensor, pad_id: int) -> None:
    if pad_id == 0 or ids.shape != expected.shape or ids.is_floating_point():
        return
    pads = expected == pad_id
    if pads.any() and torch.equal(ids[~pads], expected[~pads]) and bool((ids[pads] == 0).all()):
        raise Mistake(f"`pad_and_mask` pads with 0, not with `pad_id` ({pad_id}).",
                      expected=f"the pad id the caller passed ({pad_id})", found="0 in the padded positions",
                      cause="the pad id is hard-coded; other models use other pad ids (RoBERTa uses 1)",
                      hint="use the `pad_id` argument")


def _verify_pad_and_mask(pad_and_mask) -> None:
    cases = []
    for description, sequences, pad_id in PAD_AND_MASK_CASES:
        given = copy.deepcopy(sequences)
        cases.append((description, (given, pad_id), _pad_and_mask_verifier(sequences, pad_id, given)))
    calls.check_each(cases, pad_and_mask, "pad_and_mask")


# --- the Try it! sentences --------------------------------------------------------------------------

def _verify_manual_logits(manual_logits) -> None:
    alternatives = {
        "the padded logits computed without the mask": (
            references.get("try_it_manual_no_mask"),
            "the model was called on the padded ids only: pass `attention_mask=` as well"),
        "the logits of `tokenizer(...)`'s batch, with [CLS] and [SEP]": (
            references.get("try_it_tokenizer"),
            "this exercise uses the manual tokenization (`tokenize` + `convert_tokens_to_ids`), without special tokens"),
        **references.other_checkpoints("try_it_manual_masked"),
    }
    diagnose.logits(manual_logits, references.get("try_it_manual_masked"), name="manual_logits",
                    alternatives=alternatives)


def _verify_tokenizer_batch(batch) -> None:
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


attention_mask = Exercise(
    name="attention_mask",
    title="Build the attention mask",
    checks="`attention_mask` is an int64 (2, 3) tensor: 1 on the real tokens of `batched_ids`, 0 on the padding",
    verify=_verify_attention_mask,
    variables=("attention_mask",),
    hints=("One row per sequence, one entry per id: 1 where the id is a real token, 0 where it is padding.",
           "`torch.tensor([[1, 1, 1], [1, 1, 0]])`"),
    solution_code="attention_mask = torch.tensor([\n    [1, 1, 1],\n    [1, 1, 0],\n])",
)

masked_logits = Exercise(
    name="masked_logits",
    title="Logits of the padded batch with its mask",
    checks="`masked_logits` are the model's logits for the padded batch called with `attention_mask`",
    verify=_verify_masked_logits,
    variables=("masked_logits",),
    hints=("Pass both tensors to the model: the ids and `attention_mask=`.",
           "`model(torch.tensor(batched_ids), attention_mask=attention_mask).logits`"),
    solution_code="masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits",
)

pad_and_mask = Exercise(
    name="pad_and_mask",
    title="A function that pads and masks",
    checks="`pad_and_mask(sequences, pad_id)` returns `(input_ids, attention_mask)` tensors for any lists of ids",
    verify=_verify_pad_and_mask,
    variables=("pad_and_mask",),
    hints=("Find the longest sequence; add `pad_id` to each shorter one until it has that length.",
           "The mask row of a sequence: `[1] * len(seq) + [0] * (width - len(seq))`.",
           "Build new lists (do not append to the caller's) and return `torch.tensor(ids), torch.tensor(mask)`."),
    solution_code=("def pad_and_mask(sequences, pad_id):\n"
                   "    width = max(len(seq) for seq in sequences)\n"
                   "    ids = [seq + [pad_id] * (width - len(seq)) for seq in sequences]\n"
                   "    mask = [[1] * len(seq) + [0] * (width - len(seq)) for seq in sequences]\n"
                   "    return torch.tensor(ids), torch.tensor(mask)"),
)

manual_logits = Exercise(
    name="manual_logits",
    title="Try it! Two sentences in one masked batch",
    checks="`manual_logits` are the logits of the two manually tokenized sentences, padded, with their mask",
    verify=_verify_manual_logits,
    variables=("manual_logits",),
    hints=("You have `manual_ids` (two lists of ids) and your `pad_and_mask`; pad with `tokenizer.pad_token_id`.",
           "`ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)`, then call the model with both."),
    solution_code=("ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
                   "manual_logits = model(ids, attention_mask=mask).logits"),
)

tokenizer_batch = Exercise(
    name="tokenizer_batch",
    title="Let the tokenizer pad and mask",
    checks="`batch` is the tokenizer's padded output for the two sentences: ids with [CLS]/[SEP] and their mask",
    verify=_verify_tokenizer_batch,
    variables=("batch",),
    hints=("Call the tokenizer on the list of sentences itself, not `tokenize` + `convert_tokens_to_ids`.",
           "`tokenizer(sentences, padding=True, return_tensors='pt')`"),
    solution_code="batch = tokenizer(sentences, padding=True, return_tensors='pt')",
)

"""Section 2, notebook ``02_models_expect_a_batch.ipynb``: a batch dimension, then logits."""
from __future__ import annotations

import torch

from .. import diagnose, references
from ..exercise import Exercise, Mistake
from . import _shared


def _verify_batch_dimension(input_ids) -> None:
    expected = torch.tensor([_shared.seed_manual_ids()])
    found = diagnose.compare.integer_ids(input_ids)
    with_specials = _shared.tokenizer_ids([references.SEED_TEXT])
    if found.shape == with_specials.shape and torch.equal(found, with_specials):
        raise Mistake("`input_ids` has [CLS] and [SEP] added.", expected=f"the {expected.shape[1]} ids of the manual steps, shape {tuple(expected.shape)}",
                      found=f"shape {tuple(found.shape)}, starting with [CLS]",
                      cause="this exercise continues the manual tokenization above (`tokenize` + `convert_tokens_to_ids`)")
    diagnose.token_ids(input_ids, expected, _shared.tokenizer())


def _verify_seed_logits(logits) -> None:
    diagnose.logits(logits, references.get("seed_logits"),
                    alternatives=references.other_checkpoints("seed_logits"))


batch_dimension = Exercise(
    name="batch_dimension",
    title="Add the batch dimension",
    checks="`input_ids` is a (1, n) tensor of int64 ids: the manual ids of the sentence, as a batch of one",
    verify=_verify_batch_dimension,
    variables=("input_ids",),
    hints=("The model wants a list of sequences. You have one sequence, `ids`: put it inside a list.",
           "`torch.tensor([ids])` has shape (1, number of ids)."),
    solution_code="input_ids = torch.tensor([ids])",
)

seed_logits = Exercise(
    name="seed_logits",
    title="Logits for a batch of one",
    checks="`logits` are the model's logits for `input_ids`, within the fp32 tolerance",
    verify=_verify_seed_logits,
    variables=("logits",),
    hints=("Call the model on the batched ids and take the `.logits` of its output.",),
    solution_code="output = model(input_ids)\nlogits = output.logits",
)

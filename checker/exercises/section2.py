"""Section 2, notebook ``02_models_expect_a_batch.ipynb``: a batch dimension, then logits."""
from __future__ import annotations

import torch

from .. import diagnose, references
from ..exercise import value_exercise
from ..outcome import Mistake
from . import _shared


@value_exercise(
    "Add the batch dimension",
    hints=("The model wants a list of sequences. You have one sequence, `ids`: put it inside a list.",
           "`torch.tensor([ids])` has shape (1, number of ids)."),
)
def batch_dimension(input_ids) -> None:
    """`input_ids` is a (1, n) tensor of int64 ids: the manual ids of the sentence, as a batch of one."""
    expected = torch.tensor([_shared.seed_manual_ids()])
    found = diagnose.compare.integer_ids(input_ids)
    with_specials = _shared.tokenizer_ids([references.SEED_TEXT])
    if found.shape == with_specials.shape and torch.equal(found, with_specials):
        raise Mistake("`input_ids` has [CLS] and [SEP] added.", expected=f"the {expected.shape[1]} ids of the manual steps, shape {tuple(expected.shape)}",
                      found=f"shape {tuple(found.shape)}, starting with [CLS]",
                      cause="this exercise continues the manual tokenization above (`tokenize` + `convert_tokens_to_ids`)")
    diagnose.token_ids(input_ids, expected, _shared.tokenizer())


@value_exercise(
    "Logits for a batch of one",
    hints=("Call the model on the batched ids and take the `.logits` of its output.",),
)
def seed_logits(logits) -> None:
    """`logits` are the model's logits for `input_ids`, within the fp32 tolerance."""
    _shared.reference_logits(logits, "logits", "seed_logits")


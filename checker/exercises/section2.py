"""Section 2, notebook ``02_models_expect_a_batch.ipynb``: a batch dimension, then logits."""

from __future__ import annotations

import torch

from .. import compare, gates, model_calls, references
from ..exercise import value_exercise
from ..model import load_model
from ..outcome import Mistake
from . import _shared


@value_exercise(
    "Add the batch dimension",
    hints=(
        "The model wants a list of sequences. You have one sequence, `ids`: put it inside a list.",
        "`torch.tensor([ids])` has shape (1, number of ids).",
    ),
)
def batch_dimension(input_ids) -> None:
    """`input_ids` is a (1, n) tensor of int64 ids: the manual ids of the sentence, as a batch of one."""
    expected = torch.tensor([_shared.seed_manual_ids()])
    found = compare.id_tensor(input_ids, "input_ids")
    if found.dim() == 2 and found.shape == expected.shape[::-1] and torch.equal(found.T, expected):
        raise Mistake(
            "`input_ids` has the batch dimension in the wrong place.",
            id="batch_dimension_misplaced",
            expected=f"shape {tuple(expected.shape)}: (batch, length)",
            found=f"shape {tuple(found.shape)}",
            cause="`unsqueeze(1)` (or `[:, None]`) adds a dimension after the ids: one id per row",
            hint="`unsqueeze(0)` or `torch.tensor([ids])`",
        )
    if (
        found.dim() == 2
        and found.shape[0] > 1
        and all(torch.equal(row, expected[0]) for row in found)
    ):
        raise Mistake(
            f"`input_ids` holds the sentence {found.shape[0]} times.",
            id="sentence_repeated",
            expected=f"shape {tuple(expected.shape)}: a batch of one",
            found=f"shape {tuple(found.shape)}",
            cause="one sentence makes a batch of one: `[ids]`, not `[ids, ids]`",
        )
    _shared.token_ids(found, expected, "input_ids")


def _seed_cut_short() -> dict[str, tuple[torch.Tensor, str]]:
    """The logits of the seed's ids without their last id (the full stop): computed here, unrecorded."""
    ids = _shared.seed_manual_ids()
    loaded = load_model()
    with model_calls.unrecorded():
        logits = references.logits_of(loaded.model, [ids[:-1]])
    last = gates.token_text(loaded.tokenizer, ids[-1:], show_ids=True)
    return {
        "the logits of the ids without their last one": (
            logits,
            f"the model got {len(ids) - 1} of the {len(ids)} ids: the last, {last}, is missing",
        )
    }


@value_exercise(
    "Logits for a batch of one",
    hints=("Call the model on the batched ids and take the `.logits` of its output.",),
    observe=True,
)
def seed_logits(logits, *, call) -> None:
    """`logits` are the model's logits for `input_ids` from a call of the model, within the fp32 tolerance."""
    value = compare.logits_tensor(logits, "logits")
    _shared.reference_logits(
        value,
        "logits",
        "seed_logits",
        known=(
            (
                "the logits of the tokenizer's ids, with [CLS] and [SEP]",
                "seed_logits_tokenizer",
                "`tokenizer(sequence, return_tensors='pt')` adds [CLS] and [SEP]; this exercise calls the model on "
                "`input_ids`, the manual ids with their batch dimension",
            ),
        ),
        computed=_seed_cut_short(),
    )
    _shared.computed_in_one_call(
        call,
        "logits",
        batch=1,
        width=len(_shared.seed_manual_ids()),
        how="`model(input_ids).logits`",
    )

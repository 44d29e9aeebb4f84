"""What the section modules share: the active tokenizer and model, the seed's ids, checking logits."""
from __future__ import annotations

import torch

from .. import diagnose, references
from ..compare import Tolerance
from ..model_calls import ModelCall
from ..outcome import Mistake
from ..model import load_model


def tokenizer():
    return load_model().tokenizer


def manual_ids(text: str) -> list[int]:
    """The seed's manual tokenization: tokenize() then convert_tokens_to_ids(), no special tokens."""
    tok = tokenizer()
    return tok.convert_tokens_to_ids(tok.tokenize(text))


def seed_manual_ids() -> list[int]:
    return manual_ids(references.SEED_TEXT)


def tokenizer_ids(texts, **kwargs) -> torch.Tensor:
    return tokenizer()(texts, return_tensors="pt", **kwargs)["input_ids"]


def reference_logits(value, name: str, reference: str, known: tuple[tuple[str, str, str], ...] = (),
                     tol: Tolerance | None = None) -> torch.Tensor:
    """Check logits against the stored reference ``reference``; each ``(label, reference name, cause)`` of
    ``known`` is a wrong computation to name when the answer matches it (other checkpoints are always named)."""
    alternatives = {label: (references.get(ref), cause) for label, ref, cause in known}
    alternatives.update(references.other_checkpoints(reference))
    return diagnose.logits(value, references.get(reference), tol, name=name, alternatives=alternatives)


def computed_in_one_call(call: ModelCall | None, name: str, *, batch: int, width: int, masked: bool | None = None,
                         how: str) -> None:
    """Right numbers must also come from one call of the model on the whole batch (``how`` says which call)."""
    if call is None:
        raise Mistake(f"`{name}` has the right numbers, but no call of the course model in this notebook gave exactly "
                      "this tensor.", expected=f"the `.logits` of one call on the whole batch: {how}",
                      found="numbers that no single model call returned",
                      cause="rows computed one at a time and joined (`torch.cat`), numbers typed in, or the logits "
                            "of another model object: the exercise is about what one batched call gives")
    if (call.batch, call.width) != (batch, width):
        raise Mistake(f"`{name}` comes from a model call on a batch of shape ({call.batch}, {call.width}).",
                      expected=f"a call on the batch of shape ({batch}, {width}): {how}",
                      found=f"a call on shape ({call.batch}, {call.width})")
    if masked is not None and call.masked != masked:
        raise Mistake(f"`{name}` comes from a call {'with' if call.masked else 'without'} an attention mask.",
                      expected=f"a call {'with' if masked else 'without'} one: {how}", found="the other kind of call")

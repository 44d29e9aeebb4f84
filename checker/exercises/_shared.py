"""What the section modules share: the active tokenizer and model, the seed's ids, checking logits."""
from __future__ import annotations

import torch

from .. import diagnose, references
from ..compare import Tolerance
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

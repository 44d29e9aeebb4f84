"""What the section modules share: the active tokenizer and model, and the seed's ids."""
from __future__ import annotations

import torch

from .. import references
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

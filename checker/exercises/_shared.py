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


def looks_typed(value: torch.Tensor, decimals: int = 4) -> bool:
    """Every number has at most ``decimals`` decimals, as a print shows them: typed in or copied, not computed."""
    scaled = value.detach().double().reshape(-1) * 10 ** decimals
    return scaled.numel() > 0 and bool(((scaled - scaled.round()).abs() < 0.02).all())


def not_from_one_call(value, name: str, *, batch: int, width: int, how: str) -> Mistake:
    """Why right numbers that no single model call returned are refused, as far as the evidence shows it:
    rows from separate calls on batches of one (seen in this kernel), numbers on a print's 4-decimal grid, or
    neither (then no cause is guessed)."""
    from ..model_calls import row_calls

    expected = f"the `.logits` of one call on the whole padded batch, shape ({batch}, {width}): {how}"
    rows = row_calls(value)
    if rows:
        shapes = ", ".join(f"({c.batch}, {c.width})" for c in rows)
        return Mistake(f"`{name}` was computed one sequence at a time: its rows are the logits of {len(rows)} separate "
                       "model calls on batches of one, joined together.", expected=expected,
                       found=f"{len(rows)} calls, on shapes {shapes}",
                       cause="`torch.cat` (or `torch.stack`) of sequences run alone gives the same numbers up to "
                             "rounding, but this exercise is about the one batched call that gives them",
                       hint=f"call the model once on the padded batch with its mask: {how}")
    if isinstance(value, torch.Tensor) and looks_typed(value):
        return Mistake(f"`{name}` holds numbers with at most 4 decimals, as a print shows them: they were typed in "
                       "or rounded, not returned by the model.", expected=expected,
                       found="numbers no model call returned, all on a 4-decimal grid",
                       cause="a printed tensor is rounded to 4 decimals; the answer is the tensor the model returns",
                       hint=f"assign the model's output itself: {how}")
    return Mistake(f"`{name}` has the right numbers, but no call of the course model in this notebook returned "
                   "exactly this tensor.", expected=expected, found="numbers that no single model call returned",
                   hint=f"assign the logits of the call itself: {how}")

"""Section 5, notebook ``05_padding_in_practice.ipynb``: a padded batch's logits change; compare with a tolerance."""
from __future__ import annotations

import torch

from .. import calls, compare, diagnose, references
from ..exercise import Exercise, Mistake


def _verify_padded_logits(padded_logits) -> None:
    alternatives = {
        "the logits of the padded batch WITH an attention mask": (
            references.get("short_padded_masked"),
            "an attention mask was passed (or each sequence was run alone, which gives the same numbers); "
            "this exercise is about what padding does on its own: call the model on the padded ids only"),
        **references.other_checkpoints("short_padded_no_mask"),
    }
    diagnose.logits(padded_logits, references.get("short_padded_no_mask"), name="padded_logits",
                    alternatives=alternatives)


def _as_answer(value, case: str) -> bool:
    """A True/False answer (a Python bool or a one-element bool tensor), else a Mistake."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise Mistake(f"`same_logits` returned a tensor of shape {tuple(value.shape)} on {case}.",
                          expected="one True or False for the whole pair of tensors",
                          found=compare.describe(value),
                          cause="`a == b` compares element by element; a comparison with a tolerance that "
                                "answers for the whole tensor is `torch.allclose(a, b, atol=..., rtol=...)`")
        value = value.item()
    if type(value).__name__ == "bool_":  # a NumPy True/False
        value = bool(value)
    if not isinstance(value, bool):
        raise Mistake(f"`same_logits` returned {compare.describe(value)} on {case}.", expected="True or False",
                      cause="return the result of the comparison" if value is None else "")
    return value


def _same_logits_cases() -> list[tuple[str, tuple, bool]]:
    base = references.get("short_padded_masked")
    return [
        ("two equal tensors", (base, base.clone()), True),
        ("tensors that differ by 1e-6", (base, base + 1e-6), True),
        ("tensors that differ by 1e-2", (base, base + 1e-2), False),
        ("the masked and the no-mask logits of the padded batch",
         (references.get("short_padded_masked"), references.get("short_padded_no_mask")), False),
        ("the last row of the masked batch and the second sequence alone",
         (references.get("short_padded_masked")[1:], references.get("short_second")), True),
    ]


def _verify_same_logits(same_logits) -> None:
    for case, args, truth in _same_logits_cases():
        found = _as_answer(calls.call(same_logits, *args, name="same_logits", case=case), case)
        if found == truth:
            continue
        if truth and "1e-6" in case:
            raise Mistake(f"`same_logits` says tensors that differ by 1e-6 are not the same: "
                          "you compared with == instead of a tolerance.",
                          expected="True: a difference of 1e-6 is float rounding, not a different result",
                          found="False", cause="floats from different computations are rarely bit-identical",
                          hint="`torch.allclose(a, b, atol=1e-4, rtol=1e-4)`")
        if truth:
            raise Mistake(f"`same_logits` returned False on {case}.", expected="True", found="False",
                          cause="check the comparison: equal values must count as the same")
        raise Mistake(f"`same_logits` returned True on {case}: the tolerance is too loose or nothing is compared.",
                      expected="False", found="True",
                      cause="a tolerance of about 1e-4 separates rounding noise from real differences",
                      hint="`torch.allclose(a, b, atol=1e-4, rtol=1e-4)`")


padded_logits = Exercise(
    name="padded_logits",
    title="Logits of the padded batch (no mask)",
    checks="`padded_logits` are the model's logits for the padded batch, called without an attention mask",
    verify=_verify_padded_logits,
    variables=("padded_logits",),
    hints=("Call the model on the tensor `padded`, nothing else.",
           "`model(padded).logits`"),
    solution_code="padded_logits = model(padded).logits",
)

same_logits = Exercise(
    name="same_logits",
    title="Compare logits with a tolerance",
    checks="`same_logits(a, b)` is True for tensors within about 1e-4 of each other and False otherwise",
    verify=_verify_same_logits,
    variables=("same_logits",),
    hints=("`a == b` asks for bit-identical floats. Ask instead whether they are close.",
           "`torch.allclose` takes `atol` (absolute) and `rtol` (relative) tolerances.",
           "`return torch.allclose(a, b, atol=1e-4, rtol=1e-4)`"),
    solution_code="def same_logits(a, b):\n    return torch.allclose(a, b, atol=1e-4, rtol=1e-4)",
)

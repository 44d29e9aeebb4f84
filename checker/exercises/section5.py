"""Section 5, notebook ``05_padding_in_practice.ipynb``: a padded batch's logits change; compare with a tolerance."""
from __future__ import annotations

from .. import compare, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from . import _shared


@value_exercise(
    "Logits of the padded batch (no mask)",
    hints=("Call the model on the tensor `padded`, nothing else.",
           "`model(padded).logits`"),
)
def padded_logits(padded_logits) -> None:
    """`padded_logits` are the model's logits for the padded batch, called without an attention mask."""
    _shared.reference_logits(padded_logits, "padded_logits", "short_padded_no_mask", known=(
        ("the logits of the padded batch WITH an attention mask", "short_padded_masked",
         "an attention mask was passed (or each sequence was run alone, which gives the same numbers); "
         "this exercise is about what padding does on its own: call the model on the padded ids only"),))


def _same_logits_cases() -> list[Case]:
    masked, no_mask = references.get("short_padded_masked"), references.get("short_padded_no_mask")
    return [
        Case("two equal tensors", (masked, masked.clone()), True),
        Case("tensors that differ by 1e-6", (masked, masked + 1e-6), True),
        Case("tensors that differ by 1e-2", (masked, masked + 1e-2), False),
        Case("the masked and the no-mask logits of the padded batch", (masked, no_mask), False),
        Case("the last row of the masked batch and the second sequence alone",
             (masked[1:], references.get("short_second")), True),
    ]


@function_exercise(
    "Compare logits with a tolerance",
    cases=_same_logits_cases,
    hints=("`a == b` asks for bit-identical floats. Ask instead whether they are close.",
           "`torch.allclose` takes `atol` (absolute) and `rtol` (relative) tolerances.",
           "`return torch.allclose(a, b, atol=1e-4, rtol=1e-4)`"),
)
def same_logits(result, case: Case) -> None:
    """`same_logits(a, b)` is True for tensors within about 1e-4 of each other and False otherwise."""
    found = compare.as_bool(result, "same_logits")
    if found is case.expected:
        return
    if case.expected and "1e-6" in case.description:
        raise Mistake("`same_logits` says tensors that differ by 1e-6 are not the same: "
                      "you compared with == instead of a tolerance.",
                      expected="True: a difference of 1e-6 is float rounding, not a different result",
                      found="False", cause="floats from different computations are rarely bit-identical",
                      hint="`torch.allclose(a, b, atol=1e-4, rtol=1e-4)`")
    if case.expected:
        raise Mistake("`same_logits` returned False.", expected="True", found="False",
                      cause="check the comparison: equal values must count as the same")
    raise Mistake("`same_logits` returned True: the tolerance is too loose or nothing is compared.",
                  expected="False", found="True",
                  cause="a tolerance of about 1e-4 separates rounding noise from real differences",
                  hint="`torch.allclose(a, b, atol=1e-4, rtol=1e-4)`")

"""Hidden cases of section 5 (``05_padding_in_practice.ipynb``)."""
import torch

from checker.harness import Case

_X = torch.tensor([[0.25, -3.5], [2.0, 0.125]])
_ONE_OFF = _X.clone()
_ONE_OFF[1, 0] += 5e-3

same_logits = [
    Case("a hidden case: tensors that differ by rounding noise (below 1e-6)", (_X, _X + 5e-7), True),
    Case("a hidden case: tensors that differ by rounding noise, the other way", (_X, _X - 2e-6), True),
    Case("a hidden case: tensors that differ by a real amount everywhere", (_X, _X + 5e-2), False),
    Case("a hidden case: tensors equal but for one element, off by 5e-3", (_X, _ONE_OFF), False),
]

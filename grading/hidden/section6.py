"""Hidden cases of section 6 (``06_attention_masks.ipynb``): other inputs, only properties the public cases test."""

import torch

from checker.exercises.section6 import reference_mean_pool
from checker.harness import Case

pad_and_mask = [
    Case(
        "a hidden case: three sequences of different lengths and a pad id other than 0",
        ([[1, 2], [3, 4, 5, 6], [7]], 9),
        ([[1, 2, 9, 9], [3, 4, 5, 6], [7, 9, 9, 9]], [[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]]),
    ),
    Case("a hidden case: sequences of one id each", ([[11], [12]], 0), ([[11], [12]], [[1], [1]])),
    Case(
        "a hidden case: a long and a short sequence, pad id 3",
        ([[5, 5, 5, 5, 5], [6, 6]], 3),
        ([[5, 5, 5, 5, 5], [6, 6, 3, 3, 3]], [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]]),
    ),
    Case(
        "a hidden case: an empty sequence, last",
        ([[4, 4], []], 1),
        ([[4, 4], [1, 1]], [[1, 1], [0, 0]]),
    ),
    Case(
        "a hidden case: a real token with the pad id's value",
        ([[3], [0, 3, 0]], 0),
        ([[3, 0, 0], [0, 3, 0]], [[1, 0, 0], [1, 1, 1]]),
    ),
]


def _pooled(description: str, seed: int, mask: list[list[int]], width: int) -> Case:
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.randn(len(mask), len(mask[0]), width, generator=generator)
    attention_mask = torch.tensor(mask, dtype=torch.long)
    return Case(description, (hidden, attention_mask), reference_mean_pool(hidden, attention_mask))


mean_pool = [
    _pooled(
        "a hidden case: four rows, each with its own number of pads",
        60,
        [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0], [1, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0]],
        7,
    ),
    _pooled(
        "a hidden case: two rows of padding only among real ones",
        61,
        [[0, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]],
        2,
    ),
    _pooled("a hidden case: one position per row", 62, [[1], [1]], 3),
    _pooled("a hidden case: a wide batch of one row, half pads", 63, [[1] * 5 + [0] * 5], 16),
]

"""Hidden cases of section 6 (``06_attention_masks.ipynb``): other inputs, only properties the public cases test."""

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

"""Hidden cases of section 4 (``04_padding.ipynb``): other inputs, only properties the public cases test."""

from checker.harness import Case

pad_batch = [
    Case(
        "a hidden case: three sequences of different lengths and a pad id other than 0",
        ([[11, 12, 13, 14], [15], [16, 17]], 3),
        [[11, 12, 13, 14], [15, 3, 3, 3], [16, 17, 3, 3]],
    ),
    Case("a hidden case: a batch whose first sequence is empty", ([[], [8]], 5), [[5], [8]]),
    Case("a hidden case: a single sequence", ([[2, 3, 4]], 0), [[2, 3, 4]]),
    Case(
        "a hidden case: four sequences, one of them empty, pad id 1",
        ([[7], [8, 9], [], [1, 2, 3]], 1),
        [[7, 1, 1], [8, 9, 1], [1, 1, 1], [1, 2, 3]],
    ),
]

"""Hidden cases of section 10 (``10_batches_for_training.ipynb``)."""

from checker.exercises.section10 import align_case, loss_case
from checker.harness import Case

group_by_length = [
    Case("a hidden case: many repeated lengths, batches of 3", ([4, 9, 4, 9, 4, 9, 4, 9, 2], 3)),
    Case(
        "a hidden case: lengths in descending order, batches of 4", ([50, 40, 30, 20, 10, 9, 8], 4)
    ),
    Case("a hidden case: a single length", ([12], 5)),
    Case(
        "a hidden case: a list that divides evenly into batches",
        ([3, 30, 6, 60, 9, 90, 12, 120], 2),
    ),
]

padded_width = [
    Case("a hidden case: one short row, multiple 8", ([1], 8), 8),
    Case("a hidden case: a longest length just past a multiple", ([100, 20], 32), 128),
    Case("a hidden case: a longest length exactly a multiple", ([16, 15], 16), 16),
    Case("a hidden case: multiple None", ([511, 3], None), 511),
    Case("a hidden case: a multiple that is not a power of two", ([25, 7], 12), 36),
]


token_loss = [
    loss_case("a hidden case: more classes than positions", (2, 3, 7), [(1, 2)], 101),
    loss_case(
        "a hidden case: a single labelled position", (1, 4, 3), [(0, 0), (0, 2), (0, 3)], 102
    ),
    loss_case(
        "a hidden case: rows with very different numbers of labels",
        (3, 5, 2),
        [(0, 1), (0, 2), (0, 3), (0, 4), (2, 4)],
        103,
    ),
    loss_case("a hidden case: large logits", (2, 3, 4), [(0, 2)], 104, scale=200.0),
]

align_labels = [
    align_case("a hidden case: one word in five pieces, no special tokens", [0, 0, 0, 0, 0], [2]),
    align_case("a hidden case: every word a single piece", [None, 0, 1, 2, 3, None], [1, 0, 1, 0]),
    align_case(
        "a hidden case: neighbouring words with the same label, each in pieces",
        [None, 0, 0, 1, 1, 1, 2, None],
        [3, 3, 8],
    ),
    align_case("a hidden case: no tokens at all", [], []),
    align_case(
        "a hidden case: a long text cut at its last piece",
        [None] + [w for w in range(200) for _ in range(1 + w % 3)][:300] + [None],
        [(3 * w) % 9 for w in range(200)],
    ),
]

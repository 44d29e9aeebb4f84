"""Hidden cases of section 8 (``08_putting_it_together.ipynb``)."""

import torch

from checker.harness import Case

#: Five texts whose orders by characters, by words and by tokens make different batches (of 2 and of 3).
_TEXTS = [
    "10/10, 5 stars!!! :) :) :)",
    "Incomprehensibly overpriced.",
    "Fine!",
    "Ok, ok... it's fine (mostly)!",
    "Good food, good prices, good staff :)",
]

padding_efficiency = [
    Case("a hidden case: a (2, 3) mask", (torch.tensor([[1, 1, 0], [1, 0, 0]]),), 0.5),
    Case(
        "a hidden case: a batch of one padded sequence",
        (torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0]]),),
        0.75,
    ),
    Case("a hidden case: a (4, 2) mask", (torch.tensor([[1, 1], [1, 1], [1, 0], [1, 0]]),), 0.75),
    Case(
        "a hidden case: a share that is not exact in a few decimals",
        (torch.tensor([[1, 1, 1], [1, 1, 0], [1, 0, 0]]),),
        6 / 9,
    ),
]

classify_texts = [
    Case(
        "a hidden case: unseen texts whose order by characters is not their order by tokens, in batches of 2",
        (list(_TEXTS), 2),
    ),
    Case(
        "a hidden case: the same texts in batches of 3 (the last batch is shorter)",
        (list(_TEXTS), 3),
    ),
    Case("a hidden case: batch_size=1 (one text per call is right here)", (list(_TEXTS), 1)),
    Case("a hidden case: batch_size larger than the list (one call)", (list(_TEXTS), 10)),
    Case("a hidden case: empty texts among the others", (["", *_TEXTS[:2], ""], 2)),
]

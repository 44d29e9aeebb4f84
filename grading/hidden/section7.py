"""Hidden cases of section 7 (``07_longer_sequences.ipynb``)."""

import torch

from checker.harness import Case

_IDS = [101, 7, 8, 9, 10, 102]
_LONG = [101] + list(range(1000, 1600)) + [102]

truncate_ids = [
    Case(
        "a hidden case: a sequence cut to a little less than its length",
        (_IDS, 4),
        [101, 7, 8, 102],
    ),
    Case(
        "a hidden case: the shortest length that keeps both special tokens", (_IDS, 2), [101, 102]
    ),
    Case("a hidden case: room for one token between the special tokens", (_IDS, 3), [101, 7, 102]),
    Case("a hidden case: a sequence that exactly fits", (_IDS, 6), _IDS),
    Case(
        "a hidden case: a sequence far shorter than the limit", ([101, 7, 102], 50), [101, 7, 102]
    ),
    Case("a hidden case: only the two special tokens", ([101, 102], 2), [101, 102]),
    Case(
        "a hidden case: a sequence longer than the model's limit, cut to 512",
        (_LONG, 512),
        [101] + list(range(1000, 1510)) + [102],
    ),
    Case(
        "a hidden case: ids of a tokenizer whose [SEP] is 3, cut to 3",
        ([1, 7, 8, 9, 3], 3),
        [1, 7, 3],
    ),
    Case("a hidden case: max_length of 1", ([101, 7, 8, 102], 1), raises=ValueError),
    Case("a hidden case: max_length of 0", ([101, 7, 8, 102], 0), raises=ValueError),
    Case("a hidden case: a negative max_length", ([101, 7, 8, 102], -3), raises=ValueError),
]

document_label = [
    Case(
        "a hidden case: one confident window against two mild ones",
        (torch.tensor([[2.0, -2.0], [-0.5, 0.5], [-0.5, 0.5]]),),
        0,
    ),
    Case(
        "a hidden case: a confident first window against three unsure ones",
        (torch.tensor([[-3.0, 3.0], [0.4, -0.4], [0.4, -0.4], [0.4, -0.4]]),),
        0,
    ),
    Case(
        "a hidden case: three labels where the largest logit misleads",
        (torch.tensor([[0.0, 1.0, 6.0], [0.0, 2.0, -1.0], [0.0, 2.0, -1.0]]),),
        1,
    ),
    Case("a hidden case: a single window", (torch.tensor([[-0.2, 0.2]]),), 1),
    Case(
        "a hidden case: logits so negative that exp() of them is 0 in float32",
        (torch.tensor([[-200.0, -201.0], [-300.0, -290.0]]),),
        1,
    ),
]

labels_by_document = [
    Case(
        "a hidden case: four documents with 2, 1, 3 and 1 windows",
        (
            torch.tensor(
                [
                    [1.0, -1.0],
                    [-3.0, 3.0],
                    [0.3, -0.3],
                    [-0.5, 0.5],
                    [-0.5, 0.5],
                    [2.5, -2.5],
                    [0.0, 0.1],
                ]
            ),
            torch.tensor([0, 0, 1, 2, 2, 2, 3]),
        ),
        [1, 0, 0, 1],
    ),
    Case(
        "a hidden case: three labels, two documents",
        (
            torch.tensor([[0.0, 1.0, 6.0], [0.0, 2.0, -1.0], [0.0, 2.0, -1.0], [1.0, 0.0, 0.0]]),
            torch.tensor([0, 0, 0, 1]),
        ),
        [1, 0],
    ),
]

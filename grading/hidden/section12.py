"""Hidden cases of section 12 (``12_packing_sequences.ipynb``).

``pack`` and ``unpack`` take plain lists and tensors, so their cases are written out. ``packed_logits`` takes the
collator's batch of texts tokenized by the active decoder (``COURSE_DECODER``): those cases are made the first
time they are asked for, from texts the notebook and the public cases never use. ``train_packed`` has none: its
arguments (a model and its optimizer) cannot travel into the grading kernel as data, so its public cases, run
there and judged here, are the grader's cases too.
"""

from __future__ import annotations

import functools

import torch

from checker.harness import Case

pack = [
    Case(
        "a hidden case: a text that holds the id 0 (the decoder's <|endoftext|>), beside two others",
        ([[11, 0, 12, 13], [14, 15], [16, 17, 18]],),
    ),
    Case(
        "a hidden case: the first and the last texts empty",
        ([[], [21, 22, 23], [24, 25], []],),
    ),
    Case(
        "a hidden case: six texts of one or two tokens",
        ([[31], [32, 33], [34], [35], [36, 37], [38]],),
    ),
    Case(
        "a hidden case: a text of 40 tokens beside a text of 2",
        ([list(range(100, 140)), [7, 8]],),
    ),
    Case("a hidden case: two texts of the same length", ([[41, 42, 43], [44, 45, 46]],)),
]


def _unpack_case(description: str, lengths: list[int], seed: int, vocab: int) -> Case:
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(1, sum(lengths), vocab, generator=generator)
    positions = torch.tensor([[p for n in lengths for p in range(n)]])
    return Case(description, (logits, positions))


unpack = [
    _unpack_case("a hidden case: six texts, some of one token", [1, 3, 1, 1, 4, 2], 101, 5),
    _unpack_case("a hidden case: two texts of the same length", [4, 4], 102, 7),
    _unpack_case("a hidden case: a long text beside a short one", [30, 2], 103, 3),
    _unpack_case("a hidden case: every text one token long", [1, 1, 1], 104, 4),
]

_TEXTS = [
    [
        "The concert was loud.",
        "I loved the plot twist.",
        "The app keeps crashing.",
        "Cold coffee.",
        "Superb!",
    ],
    [
        "The ending of the book was predictable, but the acting in the film was so good that I forgave it.",
        "Nope.",
    ],
    ["The coffee here is wonderful."],
]


class _Made:
    """Cases made when first iterated (they need the active decoder's tokenizer), then kept."""

    def __init__(self, make):
        self._make = functools.lru_cache(maxsize=None)(make)

    def __iter__(self):
        return iter(self._make())


def _packed_logits() -> tuple[Case, ...]:
    from checker.exercises.section12 import packed_case

    return (
        Case("a hidden case: five unseen texts", packed_case(_TEXTS[0])),
        Case("a hidden case: a long text beside a very short one", packed_case(_TEXTS[1])),
        Case("a hidden case: a batch of one text", packed_case(_TEXTS[2])),
    )


packed_logits = _Made(_packed_logits)
train_packed: list[Case] = []  # none: see above

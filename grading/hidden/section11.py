"""Hidden cases of section 11 (``11_batches_for_generation.ipynb``).

``left_pad`` takes plain lists of ids, so its cases are written out. ``continuations`` takes what ``generate``
returned, which depends on the active decoder (``COURSE_DECODER``): those cases are made the first time they are
asked for, from prompts the notebook and the public cases never use.
"""

from __future__ import annotations

import functools

from checker.harness import Case

left_pad = [
    Case(
        "a hidden case: a one-token sequence beside a long one",
        ([[5], [10, 11, 12, 13, 14, 15, 16]], 0),
    ),
    Case(
        "a hidden case: five sequences, the longest in the middle, with another pad id",
        ([[21, 22], [31, 32, 33], [41, 42, 43, 44, 45, 46], [51], [61, 62, 63, 64]], 1),
    ),
    Case(
        "a hidden case: a sequence that starts with the pad id (a real token, not padding)",
        ([[0, 7, 8], [9]], 0),
    ),
    Case("a hidden case: sequences of 40 and 2 tokens", ([list(range(100, 140)), [7, 8]], 3)),
    Case("a hidden case: three sequences of the same length", ([[1, 2], [3, 4], [5, 6]], 0)),
    Case("a hidden case: an empty sequence beside a short one", ([[], [7, 8]], 0)),
    Case("a hidden case: one empty sequence alone", ([[]], 0)),
]

_PROMPTS = [
    "The concert",
    "I loved the",
    "The app keeps",
    "The coffee here is",
    "Our waiter",
    "The plot is",
    "We waited",
    "The ending of the book",
]


class _Made:
    """Cases made when first iterated (they need the active decoder), then kept."""

    def __init__(self, make):
        self._make = functools.lru_cache(maxsize=None)(make)

    def __iter__(self):
        return iter(self._make())


def _continuations() -> tuple[Case, ...]:
    from checker.exercises.section11 import generated_case

    return (
        Case(
            "a hidden case: eight unseen prompts, 6 new tokens", generated_case(list(_PROMPTS), 6)
        ),
        Case(
            "a hidden case: a long prompt beside short ones",
            generated_case(
                [
                    "The ending of the book was predictable but the acting",
                    "The plot is",
                    "I loved the",
                ],
                7,
            ),
        ),
        Case(
            "a hidden case: a batch of one prompt, 3 new tokens",
            generated_case(["The coffee here is"], 3),
        ),
        Case(
            "a hidden case: a prompt whose text comes back inside a word of its continuation",
            generated_case(["to", "The battery"], 8),
        ),
    )


continuations = _Made(_continuations)


def _causal_labels() -> tuple[Case, ...]:
    from checker.exercises.section11 import EOS, labels_case

    return (
        labels_case(
            "a hidden case: one row, its real <|endoftext|> followed by pads",
            [[318, 257, EOS, EOS, EOS]],
            [[1, 1, 1, 0, 0]],
        ),
        labels_case(
            "a hidden case: three left-padded rows, two of them ending with a real <|endoftext|>",
            [[EOS, 11, 12, EOS], [EOS, EOS, 21, EOS], [31, 32, 33, 34]],
            [[0, 1, 1, 1], [0, 0, 1, 1], [1, 1, 1, 1]],
        ),
        labels_case(
            "a hidden case: a text that starts with <|endoftext|> in a right-padded batch",
            [[EOS, 41, 42], [51, EOS, EOS]],
            [[1, 1, 1], [1, 0, 0]],
        ),
    )


causal_labels = _Made(_causal_labels)

"""Hidden cases of section 9 (``09_pairs_of_sequences.ipynb``).

``token_types`` gets the ids of encoded pairs as literals (the course tokenizer's, `bert-base-uncased`
vocabulary); ``answer_text`` gets windows whose offsets are made here by splitting words and punctuation, as a
tokenizer's offsets would be; ``qa_inputs`` gets texts, and its check encodes them with the active tokenizer.
"""

import re

from checker.harness import Case

token_types = [
    Case(
        "a hidden case: a pair whose second text is one token",
        ([101, 2106, 2027, 2066, 2009, 1029, 102, 2748, 102],),
    ),
    Case(
        "a hidden case: a short pair padded by many [PAD]s",
        ([101, 4251, 1012, 102, 8403, 999, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],),
    ),
    Case(
        "a hidden case: a single text padded by many [PAD]s",
        ([101, 2033, 2232, 1012, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0],),
    ),
    Case(
        "a hidden case: a pair whose second text is longer than the first",
        (
            [
                101,
                2003,
                1996,
                4770,
                9685,
                1999,
                3467,
                1029,
                102,
                1996,
                4770,
                2003,
                9685,
                2013,
                2255,
                2000,
                2258,
                1010,
                1998,
                1996,
                7842,
                9521,
                7480,
                2012,
                2698,
                2296,
                3944,
                1012,
                102,
            ],
        ),
    ),
]

qa_inputs = [
    Case(
        "a hidden case: a question longer than half of max_length",
        (
            "Given how often the reviewer mentions the broken lift, the cold food and the rude manager, did they "
            "recommend the place?",
            "No. After a week of broken promises we left two days early and asked for a "
            "refund, which we are still waiting for.",
            36,
        ),
    ),
    Case(
        "a hidden case: room for exactly one token of context",
        ("Was it worth it?", "Absolutely, every single minute of the three-hour show.", 9),
    ),
    Case("a hidden case: a pair that fits exactly in max_length", ("Was it worth it?", "Yes.", 10)),
    Case(
        "a hidden case: the model's own limit with a context longer than it",
        (
            "What broke first?",
            "The handle broke on the first day, then the lid cracked. " * 60,
            512,
        ),
    ),
]


def _window(question: str, context: str, first: int, count: int) -> list[tuple[int, int]]:
    """Offsets of one window: (0, 0) for [CLS], the question's pieces, (0, 0) for [SEP], pieces first..first+count
    of the context, (0, 0) for the last [SEP]."""

    def pieces(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in re.finditer(r"\w+|[^\w\s]", text)]

    return [(0, 0), *pieces(question), (0, 0), *pieces(context)[first : first + count], (0, 0)]


_CONTEXT = (
    "In 1998 the Riverside Theatre reopened after a fire. Its new director, Ana Okafor, booked touring "
    "companies from Lagos, Lisbon and Leeds, and by 2001 the hall sold out most weekends."
)
_QUESTION = "Who directed the theatre?"
_W = _window(
    _QUESTION, _CONTEXT, 8, 14
)  # a later window: its context tokens start at the 9th piece
_Q = len(_W) - 14 - 1  # the index of the window's first context token

answer_text = [
    Case("a hidden case: a name inside a later window", (_CONTEXT, _W, _Q + 6, _Q + 7)),
    Case("a hidden case: a span with punctuation inside it", (_CONTEXT, _W, _Q + 4, _Q + 7)),
    Case("a hidden case: the first context token of a window, alone", (_CONTEXT, _W, _Q, _Q)),
    Case(
        "a hidden case: a span ending at the window's last context token",
        (_CONTEXT, _W, _Q + 9, _Q + 13),
    ),
]

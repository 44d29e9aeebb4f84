"""Which names a cell binds (checker.answers.bound_names): a cell that raised must not leave an old answer judged."""

from __future__ import annotations

import pytest

from checker.answers import bound_names


@pytest.mark.parametrize(
    "source, names",
    [
        ("x = 1\ny, (z, *w) = f()", {"x", "y", "z", "w"}),
        ("import torch.nn as nn, os\nfrom a import b as c", {"nn", "os", "c"}),
        ("def f():\n    inner = 1\nclass K:\n    attr = 2", {"f", "K"}),
        (
            "for i in r:\n    total += i\nwith open(p) as handle:\n    pass",
            {"i", "total", "handle"},
        ),
        ("[n for n in range(3)]\nlambda q: q", set()),
        ("del old", {"old"}),
    ],
)
def test_the_names_a_cell_binds_at_top_level(source, names):
    assert bound_names(source) == names


def test_an_except_clause_binds_its_name():
    """`except ValueError as error` binds `error`: the hand-written binder before symtable missed it."""
    assert bound_names("try:\n    ids = f()\nexcept ValueError as error:\n    ids = None") == {
        "ids",
        "error",
    }


def test_match_captures_are_bound():
    """`case [first, *rest]` and `case {"ids": ids}` bind names too (missed before symtable)."""
    source = (
        "match batch:\n"
        "    case [first, *rest]:\n        pass\n"
        "    case {'input_ids': ids, **others}:\n        pass\n"
        "    case Point(x=px) as point:\n        pass\n"
    )
    assert bound_names(source) == {"first", "rest", "ids", "others", "px", "point"}


def test_a_cell_that_does_not_parse_is_read_line_by_line():
    assert bound_names("padded = torch.tensor(ids\ndef pad(seqs):\n    return") == {"padded", "pad"}

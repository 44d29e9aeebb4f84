"""Section 1, notebook ``01_why_multiple_sequences.ipynb``: a batch is a rectangle of ids."""

from __future__ import annotations

import numbers

import torch

from .. import compare
from ..exercise import value_exercise
from ..outcome import Mistake
from . import _shared

#: The two sentences of the first Try it!: they tokenize to the same number of ids.
PAIR_TEXTS = ("This film was wonderful.", "This film was terrible.")
#: The four sentences whose batch shape the second Try it! asks for.
SHAPE_TEXTS = (
    "The food was cold and bland.",
    "We will never come back here.",
    "Best pizza in the whole city.",
    "The staff were kind and quick.",
)


@value_exercise(
    "A batch of two sentences",
    hints=(
        "A batch is a list of sequences: put the two lists of ids inside one list, then make a tensor of it.",
        "`torch.tensor([first_ids, second_ids])` has shape (2, number of ids).",
    ),
)
def batch_of_two(batch) -> None:
    """`batch` is a (2, n) int64 tensor: `first_ids` in row 0, `second_ids` in row 1."""
    first, second = (_shared.manual_ids(text) for text in PAIR_TEXTS)
    expected = torch.tensor([first, second])
    if isinstance(batch, torch.Tensor) and batch.is_floating_point():
        raise Mistake(
            "`batch` holds floats.",
            id="batch_floats",
            expected="integer ids, dtype torch.int64",
            found=compare.describe(batch),
            cause="`torch.Tensor(...)` (capital T) and `dtype=torch.float` make floats; ids are indices",
            hint="use `torch.tensor(...)` (lower-case t) on the lists of ints",
        )
    ids = compare.id_tensor(batch, "batch")
    if ids.dim() == 3 and ids.shape[0] == 1 and ids.shape[1:] == expected.shape:
        raise Mistake(
            "`batch` has an extra dimension.",
            id="batch_extra_dimension",
            expected=f"shape {tuple(expected.shape)}: (batch, length)",
            found=f"shape {tuple(ids.shape)}",
            cause="`[[first_ids, second_ids]]` wraps the batch in one more list: the list of the two "
            "lists already is the batch",
        )
    if ids.shape == expected.shape[::-1] and torch.equal(ids.T, expected):
        raise Mistake(
            "`batch` is transposed.",
            id="batch_transposed",
            expected=f"shape {tuple(expected.shape)}: (batch, length)",
            found=f"shape {tuple(ids.shape)}",
            cause="one row per sentence: the batch dimension comes first",
        )
    if ids.dim() == 1 and ids.numel() == expected.numel():
        raise Mistake(
            "`batch` is one long sequence.",
            id="one_long_sequence",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(ids.shape)}",
            cause="`first_ids + second_ids` joins the lists; the batch needs a list of the two lists",
            hint="`torch.tensor([first_ids, second_ids])`",
        )
    if ids.dim() == 2 and ids.shape[0] == 1 and ids.numel() == expected.numel():
        raise Mistake(
            "`batch` holds both sentences in one row.",
            id="one_row",
            expected=f"shape {tuple(expected.shape)}",
            found=f"shape {tuple(ids.shape)}",
            cause="each sentence gets its own row",
        )
    if ids.shape == expected.shape and torch.equal(ids, expected.flip(0)):
        raise Mistake(
            "`batch` has the sentences in the wrong order.",
            id="wrong_order",
            expected="the first row from `first_ids`, the second from `second_ids`",
            found="the second sentence first",
        )
    _shared.token_ids(ids, expected, "batch")


def _as_shape(value) -> tuple:
    if isinstance(value, str):
        raise Mistake(
            "`batch_shape` is text.",
            id="shape_text",
            expected="a tuple of ints, such as `(5, 8)`",
            found=compare.describe(value),
            cause="write the tuple itself, without quotes",
        )
    if isinstance(value, list):
        raise Mistake(
            "`batch_shape` is a list.",
            id="shape_list",
            expected="a tuple of two ints, such as `(5, 8)`, as the task says",
            found=compare.describe(value),
            cause="square brackets make a list; a tuple uses parentheses",
            hint="`batch_shape = (..., ...)`",
        )
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, tuple, torch.Size)):
        raise Mistake(
            "`batch_shape` is not a shape.",
            id="not_a_shape",
            expected="a tuple of ints, such as `(5, 8)`",
            found=compare.describe(value),
            cause="a tensor's shape is `tensor.shape` (a tuple of ints), not the tensor"
            if isinstance(value, torch.Tensor)
            else "",
        )
    items = (value,) if isinstance(value, numbers.Integral) else tuple(value)
    if not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in items):
        raise Mistake(
            "`batch_shape` holds something other than whole numbers.",
            id="not_whole_numbers",
            expected="a tuple of ints, such as `(5, 8)`",
            found=repr(value)[:60],
        )
    return items


@value_exercise(
    "The shape of a batch",
    hints=(
        "A batch has the shape (batch size, sequence length): how many sentences, and how many ids each.",
        "`len(shape_texts)` sentences; `len(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(text)))` ids each.",
    ),
)
def batch_shape(batch_shape) -> None:
    """`batch_shape` is (number of sentences, ids per sentence) for the four sentences, manual ids."""
    lengths = [len(_shared.manual_ids(text)) for text in SHAPE_TEXTS]
    expected = (len(SHAPE_TEXTS), lengths[0])
    found = _as_shape(batch_shape)
    if found == expected:
        return
    if found == expected[::-1]:
        raise Mistake(
            "`batch_shape` has its two numbers swapped.",
            id="swapped",
            expected="(number of sentences, ids per sentence)",
            found=str(found),
            cause="the batch dimension comes first, then the sequence length",
        )
    if len(found) == 1 and found[0] == expected[0] * expected[1]:
        raise Mistake(
            "`batch_shape` counts every id in one dimension.",
            id="one_dimension",
            expected="two numbers: (batch, length)",
            found=str(found),
            cause="the batch keeps the sentences in separate rows",
        )
    if len(found) == 3 and found[0] == 1 and found[1:] == expected:
        raise Mistake(
            "`batch_shape` has an extra dimension.",
            id="shape_extra_dimension",
            expected="two numbers: (batch, length)",
            found=str(found),
            cause="the list of sentences already is the batch: no extra list around it",
        )
    if len(found) == 2 and found[0] == expected[0] and found[1] == expected[1] + 2:
        raise Mistake(
            "`batch_shape` counts two ids too many per sentence.",
            id="special_tokens_counted",
            expected="(batch, length) of the manual ids",
            found=str(found),
            cause="`tokenizer(...)` adds [CLS] and [SEP]; `tokenize()` + `convert_tokens_to_ids()` do not",
        )
    total = sum(lengths)
    if len(found) == 2 and found[0] == expected[0] and found[1] == total:
        # 28 is also the length of the first sentence in characters: say both where both are true
        counted = [t for t in SHAPE_TEXTS if len(t) == total]
        raise Mistake(
            f"`batch_shape`'s second number, {total}, is not the number of ids of one sentence.",
            id="all_ids_counted",
            expected="(number of sentences, ids per sentence)",
            found=str(found),
            cause=f"{total} is the number of ids of all {len(SHAPE_TEXTS)} sentences together"
            + (f", and also the number of characters of {counted[0]!r}" if counted else "")
            + ": a row holds the ids of one sentence",
            hint="`len(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(text)))` for one `text`",
        )
    if len(found) == 2 and found[0] == expected[0] and found[1] in {len(t) for t in SHAPE_TEXTS}:
        raise Mistake(
            "`batch_shape` counts characters, not ids.",
            id="characters_counted",
            expected="(number of sentences, ids per sentence)",
            found=str(found),
            cause="`len(text)` of a string counts its characters; count the ids the "
            "tokenizer makes of it",
            hint="`len(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(text)))`",
        )
    if len(found) == 2 and found[0] == expected[0] and found[1] == len(SHAPE_TEXTS[0].split()):
        raise Mistake(
            "`batch_shape` counts words, not ids.",
            id="words_counted",
            expected="(number of sentences, ids per sentence)",
            found=str(found),
            cause="the tokenizer makes ids of words and of punctuation (and splits "
            "rare words): count its ids",
        )
    if len(found) != 2:
        raise Mistake(
            f"`batch_shape` has {len(found)} numbers.",
            id="number_count",
            expected="two numbers: (batch, length)",
            found=str(found),
        )
    raise Mistake(
        "`batch_shape` is not the shape of that batch.",
        id="wrong_shape",
        expected="(number of sentences, ids per sentence)",
        found=str(found),
        cause="count the sentences, then the ids of one sentence (`len(...)`)",
    )

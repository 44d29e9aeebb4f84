"""Section 4 (padding): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

import pytest
import torch

from checker.exercise import Outcome
from checker.exercises import section4 as ex
from tests.helpers.assertions import incorrect

PADDED = [[200, 200, 200], [200, 200, 0]]


@pytest.mark.parametrize("exercise", [ex.padded_ids, ex.pad_batch])
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_stub_function_is_not_attempted():
    def pad_batch(sequences, pad_id):
        raise NotImplementedError()

    assert ex.pad_batch.check(pad_batch).outcome is Outcome.NOT_ATTEMPTED


# --- padded_ids --------------------------------------------------------------------------------------


def test_padded_ids_pass(course):
    assert course.tokenizer.pad_token_id == 0
    assert ex.padded_ids.check(torch.tensor(PADDED))
    assert ex.padded_ids.check(torch.tensor(PADDED, dtype=torch.long))


@pytest.mark.parametrize(
    "answer, words",
    [
        (
            torch.tensor([[200, 200, 200], [200, 200, 100]]),
            ("padded with id 100", "[UNK]", "pad_token_id"),
        ),
        (torch.tensor([[200, 200, 200], [200, 200, 200]]), ("padded with id 200", "real token")),
        (torch.tensor([[200, 200, 200], [0, 200, 200]]), ("padded on the left",)),
        ([[200, 200, 200], [200, 200]], ("ragged", "pad")),
        (
            torch.tensor([[200, 200, 200, 0], [200, 200, 0, 0]]),
            ("wrong length", "(2, 3)", "padded to 4 ids", "no further"),
        ),
        (torch.tensor([[200, 200], [200, 200]]), ("wrong length", "cut to 2 ids", "shortest")),
        (
            torch.tensor([[101, 200, 200, 200, 102], [101, 200, 200, 102, 0]]),
            ("[CLS] and [SEP] added",),
        ),
        (torch.tensor([200, 200, 200, 200, 200, 0]), ("one long sequence",)),
        (torch.tensor([[[200, 200, 200], [200, 200, 0]]]), ("one dimension too many",)),
        (torch.tensor(PADDED).T, ("transposed",)),
        (torch.tensor(PADDED).float(), ("floats",)),
        (torch.tensor(PADDED, dtype=torch.int32), ("dtype torch.int32", "torch.int64")),
        (PADDED, ("a Python list, not a tensor", "torch.tensor")),
        (torch.tensor(PADDED).numpy(), ("NumPy array",)),
        (
            [[200, 200, 200], [200, 200, "[PAD]"]],
            ("token strings", "'[PAD]'", "convert_tokens_to_ids"),
        ),
        ("[[200, 200, 200], [200, 200, 0]]", ("text",)),
    ],
)
def test_padded_ids_mistakes_are_named(course, answer, words):
    incorrect(ex.padded_ids.check(answer), *words)


# --- pad_batch ---------------------------------------------------------------------------------------


def solution(sequences, pad_id):
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])


def pad_sequence(sequences, pad_id):
    return torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(s, dtype=torch.long) for s in sequences],
        batch_first=True,
        padding_value=pad_id,
    )


@pytest.mark.parametrize("function", [solution, pad_sequence])
def test_pad_batch_solutions_pass(function):
    assert ex.pad_batch.check(function)


def test_cases_go_beyond_the_notebook():
    descriptions = " ".join(case.description for case in ex.PAD_CASES)
    assert all(
        words in descriptions
        for words in ("other than 0", "length 1", "one sequence", "empty sequence")
    )
    assert any(case.args[1] != 0 for case in ex.PAD_CASES)


def as_list(sequences, pad_id):
    return solution(sequences, pad_id).tolist()


def left(sequences, pad_id):
    width = max(len(s) for s in sequences)
    return torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences])


def always_zero(sequences, pad_id):
    return solution(sequences, 0)


def unk(sequences, pad_id):
    return solution(sequences, 100)


def in_place(sequences, pad_id):
    width = max(len(s) for s in sequences)
    for s in sequences:
        s.extend([pad_id] * (width - len(s)))
    return torch.tensor(sequences)


def to_512(sequences, pad_id):
    return torch.tensor([s + [pad_id] * (8 - len(s)) for s in sequences])


def to_first(sequences, pad_id):
    width = len(sequences[0])
    return torch.tensor([(s + [pad_id] * width)[:width] for s in sequences])


def one_more(sequences, pad_id):
    width = max(len(s) for s in sequences) + 1
    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])


def sorted_by_length(sequences, pad_id):
    return solution(sorted(sequences, key=len, reverse=True), pad_id)


def as_tuple(sequences, pad_id):
    return tuple(solution(sequences, pad_id).tolist())


def pad_sequence_of_lists(sequences, pad_id):
    return torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id
    )


def not_batch_first(sequences, pad_id):
    return torch.nn.utils.rnn.pad_sequence(
        [torch.tensor(s, dtype=torch.long) for s in sequences], padding_value=pad_id
    )


def floats(sequences, pad_id):
    return solution(sequences, pad_id).float()


def int32(sequences, pad_id):
    return solution(sequences, pad_id).int()


def ragged(sequences, pad_id):
    return torch.tensor(sequences)


def no_return(sequences, pad_id):
    print(solution(sequences, pad_id))


def numpy_array(sequences, pad_id):
    return solution(sequences, pad_id).numpy()


@pytest.mark.parametrize(
    "function, words",
    [
        (as_list, ("returned a list", "torch.tensor")),
        (left, ("padded on the left",)),
        (always_zero, ("pad id other than 0", "pads with 0, not with `pad_id`")),
        (unk, ("pads with 100",)),
        (in_place, ("changed the lists", "extend")),
        (to_512, ("wrong shape", "(2, 3)", "padded to 8 columns", "no further")),
        (one_more, ("wrong shape", "one column more", "off-by-one")),
        (sorted_by_length, ("another order", "sorted")),
        (as_tuple, ("returned a tuple", "torch.tensor")),
        (
            pad_sequence_of_lists,
            ("first sequence is empty", "dtype torch.float32", "torch.tensor([])"),
        ),
        (not_batch_first, ("transposed", "batch_first=True")),
        (to_first, ("longest in the middle", "wrong shape", "longest")),
        (floats, ("dtype torch.float32",)),
        (int32, ("dtype torch.int32", "int64")),
        (ragged, ("raised ValueError", "the notebook's batch")),
        (no_return, ("returned None", "return")),
        (numpy_array, ("returned a NumPy array",)),
        ("pad_batch", ("not a function",)),
    ],
)
def test_pad_batch_mistakes_name_the_failing_case(function, words, capsys):
    incorrect(ex.pad_batch.check(function), *words)


def test_pad_batch_with_an_empty_sequence_names_that_case():
    def skips_empty(sequences, pad_id):
        return solution([s for s in sequences if s], pad_id)

    incorrect(ex.pad_batch.check(skips_empty), "empty sequence", "wrong shape")


def test_pad_batch_that_loops_gets_a_clear_message(monkeypatch):
    from checker import harness

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.5)

    def pad_batch(sequences, pad_id):
        padded = []
        for s in sequences:
            row = list(s)
            while len(row) < max(map(len, sequences)):
                pass  # forgot row.append(pad_id)
            padded.append(row)
        return torch.tensor(padded)

    incorrect(
        ex.pad_batch.check(pad_batch), "did not return within", "the notebook's batch", "loop"
    )

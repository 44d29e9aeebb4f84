"""Section 1 (why multiple sequences): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

import pytest
import torch

from checker.exercise import Outcome
from checker.exercises import section1 as ex
from tests.helpers.assertions import incorrect


@pytest.fixture(scope="module")
def pair(course):
    return [
        course.tokenizer.convert_tokens_to_ids(course.tokenizer.tokenize(t)) for t in ex.PAIR_TEXTS
    ]


@pytest.mark.parametrize("exercise", [ex.batch_of_two, ex.batch_shape])
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_batch_of_two_is_a_tensor_not_a_list(pair):
    assert ex.batch_of_two.check(torch.tensor(pair))
    incorrect(ex.batch_of_two.check(pair), "a Python list, not a tensor")


def test_ragged_list_is_named(pair):
    incorrect(ex.batch_of_two.check([pair[0], pair[1][:-1]]), "ragged", "pad")


def test_float_ids_name_capital_tensor(pair):
    incorrect(ex.batch_of_two.check(torch.Tensor(pair)), "floats", "torch.Tensor")


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: torch.tensor(p).T, ("transposed", "(2, 5)")),
        (lambda p: torch.tensor(p[0] + p[1]), ("one long sequence",)),
        (lambda p: torch.tensor([p[0] + p[1]]), ("one row",)),
        (lambda p: torch.tensor([p]), ("extra dimension",)),
        (lambda p: torch.tensor([p[1], p[0]]), ("wrong order",)),
        (lambda p: torch.tensor([p[0], p[0]]), ("row 1",)),
    ],
)
def test_wrong_shapes_and_rows_are_named(pair, make, words):
    incorrect(ex.batch_of_two.check(make(pair)), *words)


def test_batch_of_two_meets_bad_input_with_feedback():
    for answer in ("batch", 3.5, {"input_ids": [1, 2]}, torch.tensor([[1.0, float("nan")]])):
        assert ex.batch_of_two.check(answer).outcome is Outcome.INCORRECT


@pytest.mark.parametrize("answer", [(4, 7), torch.Size([4, 7])])
def test_batch_shape_accepts_a_tuple_or_a_size(course, answer):
    assert ex.batch_shape.check(answer)


def test_batch_shape_as_a_list_is_not_the_tuple_the_task_asks_for(course):
    incorrect(ex.batch_shape.check([4, 7]), "is a list", "tuple")


@pytest.mark.parametrize(
    "answer, words",
    [
        ((7, 4), "swapped"),
        (28, "every id in one dimension"),
        ((28,), "every id in one dimension"),
        ((1, 4, 7), "extra dimension"),
        ((4, 9), "[CLS] and [SEP]"),
        ("(4, 7)", "text"),
        ((4.0, 7), "whole numbers"),
        ((3, 7), "not the shape"),
        ((4, 7, 2), "3 numbers"),
    ],
)
def test_batch_shape_mistakes_are_named(course, answer, words):
    incorrect(ex.batch_shape.check(answer), words)

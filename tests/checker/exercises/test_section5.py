"""Section 5 (padding in practice): right answers pass, starters are not attempted, each mistake is named."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from checker.exercise import Outcome
from checker.exercises import section5 as ex

PADDED = [[200, 200, 200], [200, 200, 0]]


def text(result) -> str:
    return str(result)


@pytest.fixture(scope="module")
def logits(course):
    with torch.no_grad():
        ids = torch.tensor(PADDED)
        return {"no_mask": course.model(ids).logits,
                "masked": course.model(ids, attention_mask=torch.tensor([[1, 1, 1], [1, 1, 0]])).logits,
                "first": course.model(torch.tensor([PADDED[0]])).logits,
                "second": course.model(torch.tensor([PADDED[1][:2]])).logits}


@pytest.mark.parametrize("exercise", [ex.padded_logits, ex.same_logits])
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_padded_logits_pass_without_a_mask(logits):
    assert ex.padded_logits.check(logits["no_mask"])
    assert ex.padded_logits.check(logits["no_mask"].numpy())


def test_padded_logits_with_a_mask_are_named(logits):
    result = ex.padded_logits.check(logits["masked"])
    assert not result and "WITH an attention mask" in text(result)


def test_padded_logits_from_single_sequences_are_named(logits):
    result = ex.padded_logits.check(torch.cat([logits["first"], logits["second"]]))
    assert not result and "each sequence was run alone" in text(result)


def test_padded_logits_probabilities_are_named(logits):
    result = ex.padded_logits.check(logits["no_mask"].softmax(-1))
    assert not result and "probabilities" in text(result)


def test_padded_logits_distilbert_numbers_are_named():
    result = ex.padded_logits.check(torch.tensor([[1.5694, -1.3895], [1.3373, -1.2163]]))
    assert not result and "DistilBERT" in text(result)


@pytest.mark.parametrize("answer, words", [
    (torch.tensor([[1.0, float("nan")], [0.0, 0.0]]), "NaN"),
    (torch.tensor([1, 0]), "integers"),
    (torch.zeros(2, 3, 384), "hidden states"),
])
def test_padded_logits_bad_input_is_named(answer, words):
    result = ex.padded_logits.check(answer)
    assert result.outcome is Outcome.INCORRECT and words in text(result)


def test_same_logits_with_a_tolerance_passes():
    assert ex.same_logits.check(lambda a, b: torch.allclose(a, b, atol=1e-4, rtol=1e-4))
    assert ex.same_logits.check(lambda a, b: (a - b).abs().max() < 1e-4)  # a one-element tensor
    assert ex.same_logits.check(lambda a, b: np.allclose(a.numpy(), b.numpy(), atol=1e-4))  # a NumPy bool


@pytest.mark.parametrize("function", [
    lambda a, b: torch.equal(a, b),
    lambda a, b: bool((a == b).all()),
    lambda a, b: a.tolist() == b.tolist(),
])
def test_exact_comparison_is_named(function):
    result = ex.same_logits.check(function)
    assert not result and "compared with == instead of a tolerance" in text(result)


def test_elementwise_answer_is_named():
    result = ex.same_logits.check(lambda a, b: a == b)
    assert not result and "entry by entry" in text(result) and "torch.allclose" in text(result)


def test_too_loose_tolerance_is_named():
    result = ex.same_logits.check(lambda a, b: torch.allclose(a, b, atol=0.1))
    assert not result and "too loose" in text(result) and "1e-2" in text(result)


def test_function_that_prints_instead_of_returning_is_named():
    result = ex.same_logits.check(lambda a, b: print(torch.allclose(a, b)))
    assert not result and "printing is not returning" in text(result)


def test_function_that_raises_is_named_with_the_case():
    def broken(a, b):
        raise ValueError("boom")

    result = ex.same_logits.check(broken)
    assert not result and "raised ValueError" in text(result) and "boom" in text(result)


def test_stub_that_raises_not_implemented_is_not_attempted():
    def stub(a, b):
        raise NotImplementedError()

    assert ex.same_logits.check(stub).outcome is Outcome.NOT_ATTEMPTED


def test_a_value_instead_of_a_function_is_named():
    result = ex.same_logits.check(True)
    assert not result and "not a function" in text(result)

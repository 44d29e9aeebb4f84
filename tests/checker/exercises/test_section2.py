"""Section 2: the batch dimension and the logits of a batch of one, on the course model."""

from __future__ import annotations

import torch

from checker import references
from checker.exercise import Outcome
from checker.exercises import section2 as ex


def manual_ids(course) -> list[int]:
    return course.tokenizer.convert_tokens_to_ids(course.tokenizer.tokenize(references.SEED_TEXT))


def test_batch_of_one_passes(course):
    assert ex.batch_dimension.check(torch.tensor([manual_ids(course)]))


def test_one_dimensional_ids_are_the_seeds_missing_batch_dimension(course):
    result = ex.batch_dimension.check(torch.tensor(manual_ids(course)))
    assert result.outcome is Outcome.INCORRECT and "no batch dimension" in result.problem
    assert "(1, 14)" in result.expected and "torch.tensor([ids])" in result.hint


def test_tokenizer_ids_with_special_tokens_are_named(course):
    result = ex.batch_dimension.check(
        course.tokenizer(references.SEED_TEXT, return_tensors="pt")["input_ids"]
    )
    assert "[CLS] and [SEP] added" in result.problem


def test_float_ids_are_named(course):
    assert (
        "floats"
        in ex.batch_dimension.check(torch.tensor([manual_ids(course)], dtype=torch.float32)).problem
    )


def test_not_attempted_when_none():
    assert ex.batch_dimension.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_model_logits_pass_and_probabilities_are_named(course):
    with torch.inference_mode():
        logits = course.model(torch.tensor([manual_ids(course)])).logits
    assert ex.seed_logits.check(logits)
    assert "probabilities" in ex.seed_logits.check(torch.softmax(logits, -1)).problem


def test_distilberts_published_logits_are_named_as_another_checkpoint(course):
    result = ex.seed_logits.check(torch.tensor(references.DISTILBERT_PUBLISHED["seed_logits"]))
    assert "DistilBERT" in result.problem and "different model" in result.cause


def test_logits_of_one_row_without_batch_dimension_are_named(course):
    with torch.inference_mode():
        logits = course.model(torch.tensor([manual_ids(course)])).logits
    assert "no batch dimension" in ex.seed_logits.check(logits[0]).problem

"""Section 3 (batching): right answers pass, starters are not attempted, each mistake is named."""
from __future__ import annotations

import pytest
import torch

from checker import references
from checker.exercise import Outcome
from checker.exercises import section3 as ex

from tests.helpers.assertions import incorrect


@pytest.fixture(scope="module")
def ids(course):
    return course.tokenizer.convert_tokens_to_ids(course.tokenizer.tokenize(references.SEED_TEXT))


@pytest.fixture(scope="module")
def logits(course, ids):
    with torch.no_grad():
        return {"two": course.model(torch.tensor([ids, ids])).logits, "one": course.model(torch.tensor([ids])).logits}


@pytest.mark.parametrize("exercise", [ex.batched_ids, ex.batched_logits, ex.rows_agree])
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_stub_function_is_not_attempted():
    def rows_agree(logits):
        raise NotImplementedError()

    assert ex.rows_agree.check(rows_agree).outcome is Outcome.NOT_ATTEMPTED


# --- batched_ids -------------------------------------------------------------------------------------

def test_batched_ids_pass(ids):
    assert ex.batched_ids.check(torch.tensor([ids, ids]))
    assert ex.batched_ids.check([ids, ids])


@pytest.mark.parametrize("make, words", [
    (lambda i: torch.tensor(i), ("no batch dimension",)),
    (lambda i: torch.tensor([[i], [i]]), ("3 dimensions", "(2, 14)")),
    (lambda i: torch.tensor([i]), ("once", "two copies")),
    (lambda i: torch.tensor(i + i), ("one long sequence",)),
    (lambda i: torch.tensor([i, i], dtype=torch.float32), ("floats", "int64")),
    (lambda i: "[ids, ids]", ("text",)),
])
def test_batched_ids_mistakes_are_named(ids, make, words):
    incorrect(ex.batched_ids.check(make(ids)), *words)


# --- batched_logits ----------------------------------------------------------------------------------

def test_batched_logits_pass_with_or_without_grad(course, ids, logits):
    assert ex.batched_logits.check(logits["two"])
    assert ex.batched_logits.check(course.model(torch.tensor([ids, ids])).logits)


def test_only_one_row_is_named(logits):
    incorrect(ex.batched_logits.check(logits["one"]), "only one row", "batch of one")
    incorrect(ex.batched_logits.check(logits["two"][0]), "only one row", "logits[0]")


def test_probabilities_are_named(logits):
    incorrect(ex.batched_logits.check(logits["two"].softmax(dim=-1)), "probabilities")


def test_whole_model_output_is_named(course, ids):
    with torch.no_grad():
        output = course.model(torch.tensor([ids, ids]))
    incorrect(ex.batched_logits.check(output), "whole output", ".logits")


def test_logits_of_another_checkpoint_are_named(monkeypatch, logits):
    """Logits made by the course model while the notebook is set to another checkpoint."""
    monkeypatch.setattr(references, "get", lambda name, checkpoint=None: logits["two"] + 1.0)
    monkeypatch.setattr(references, "other_checkpoints",
                        lambda name, checkpoint=None: {"the course model's logits": (logits["two"], "a different model")})
    incorrect(ex.batched_logits.check(logits["two"]), "matches the course model's logits")


def test_distilbert_published_logits_are_named_on_the_course_model():
    incorrect(ex.batched_logits.check(torch.tensor(references.DISTILBERT_PUBLISHED["seed_logits_twice"])),
              "DistilBERT's published logits")


@pytest.mark.parametrize("answer", [torch.tensor([[1, 2], [3, 4]]), torch.full((2, 2), float("nan")), "logits"])
def test_batched_logits_meet_bad_input_with_feedback(answer):
    assert ex.batched_logits.check(answer).outcome is Outcome.INCORRECT


# --- rows_agree --------------------------------------------------------------------------------------

def solution(logits):
    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)


def test_rows_agree_solution_and_variants_pass():
    assert ex.rows_agree.check(solution)
    assert ex.rows_agree.check(lambda l: torch.allclose(l, l[0].expand_as(l), atol=1e-4, rtol=1e-4))
    assert ex.rows_agree.check(lambda l: (l - l[0]).abs().max() < 1e-4)  # a one-element bool tensor


@pytest.mark.parametrize("function, words", [
    (lambda l: all(torch.equal(r, l[0]) for r in l), ("differ by 5e-7", "exact comparison")),
    (lambda l: torch.allclose(l[0], l[1], atol=1e-4), ("three rows, the last one different", "not only the first two")),
    (lambda l: all(abs(float(r[0] - l[0][0])) < 1e-4 for r in l), ("second column", "every column")),
    (lambda l: torch.allclose(l, l[0].expand_as(l), atol=0.1), ("differ by 0.05", "too loose")),
    (lambda l: torch.isclose(l, l[0]), ("returned a tensor of shape", "allclose")),
    (lambda l: None, ("returned None", "return")),
    (lambda l: "yes", ("did not return True or False",)),
    (lambda l: all(torch.allclose(l[i], l[i + 1], atol=1e-4) for i in range(len(l) - 1)) and len(l[1]) > 0,
     ("single row", "IndexError")),
    (42, ("not a function",)),
])
def test_rows_agree_mistakes_are_named(function, words):
    incorrect(ex.rows_agree.check(function), *words)


def test_rows_agree_that_loops_gets_a_clear_message(monkeypatch):
    from checker import harness

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.5)

    def rows_agree(logits):
        while True:
            pass

    incorrect(ex.rows_agree.check(rows_agree), "did not return within", "loop")

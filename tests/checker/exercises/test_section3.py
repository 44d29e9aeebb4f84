"""Section 3 (batching): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

import time

import numpy as np
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
        return {
            "two": course.model(torch.tensor([ids, ids])).logits,
            "one": course.model(torch.tensor([ids])).logits,
        }


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
    assert ex.batched_ids.check(torch.tensor([ids]).repeat(2, 1))


def test_batched_ids_as_a_list_is_named_the_task_asks_for_a_tensor(ids):
    incorrect(ex.batched_ids.check([ids, ids]), "a Python list, not a tensor", "torch.tensor")


def test_batched_ids_of_token_strings_are_named(course):
    tokens = course.tokenizer.tokenize(references.SEED_TEXT)
    incorrect(ex.batched_ids.check([tokens, tokens]), "token strings", "convert_tokens_to_ids")


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda i: torch.tensor(i), ("no batch dimension",)),
        (lambda i: torch.tensor([[i], [i]]), ("3 dimensions", "(2, 14)")),
        (lambda i: torch.tensor([i]), ("once", "two copies")),
        (lambda i: torch.tensor(i + i), ("one long sequence",)),
        (lambda i: torch.tensor([i, i], dtype=torch.float32), ("floats", "int64")),
        (lambda i: "[ids, ids]", ("text",)),
        (lambda i: torch.tensor([i, i], dtype=torch.int32), ("dtype torch.int32", "torch.int64")),
        (lambda i: torch.tensor([i, i]).T, ("transposed",)),
    ],
)
def test_batched_ids_mistakes_are_named(ids, make, words):
    incorrect(ex.batched_ids.check(make(ids)), *words)


# --- batched_logits ----------------------------------------------------------------------------------


def test_batched_logits_pass_with_or_without_grad(course, ids, logits):
    assert ex.batched_logits.check(logits["two"])
    assert ex.batched_logits.check(course.model(torch.tensor([ids, ids])).logits)


def test_only_one_row_is_named(logits):
    incorrect(ex.batched_logits.check(logits["one"]), "only one row", "batch of one")
    incorrect(ex.batched_logits.check(logits["two"][0]), "only one row", "logits[0]")


def test_probabilities_are_named(course, ids):
    incorrect(
        ex.batched_logits.check(course.model(torch.tensor([ids, ids])).logits.softmax(dim=-1)),
        "probabilities",
    )


def test_whole_model_output_is_named(course, ids):
    with torch.no_grad():
        output = course.model(torch.tensor([ids, ids]))
    incorrect(ex.batched_logits.check(output), "whole output", ".logits")


def test_rows_computed_one_at_a_time_and_joined_are_named(course, ids):
    """Both rows are the same sequence: each is the row of the latest batch of one, whichever call made it."""
    with torch.no_grad():
        rows = [course.model(torch.tensor([ids])).logits for _ in range(2)]
    incorrect(
        ex.batched_logits.check(torch.cat(rows)),
        "row of a model call on a batch of one",
        "torch.cat",
    )


def test_a_slice_of_a_larger_batch_is_named_as_a_slice_even_after_a_batch_of_one(course, ids):
    """A batch of one can give a row bit-equal to a batch's (on one thread it may): a slice of one call is a slice."""
    from checker import model_calls

    shorter = ids[:-1]  # a sequence no earlier test ran as a batch of two
    with torch.no_grad():
        three = course.model(torch.tensor([shorter, shorter, shorter])).logits
    alone = model_calls.ModelCall(1, len(shorter), False, (len(shorter),))
    model_calls._recent.appendleft((alone, three[:1].clone()))  # an earlier batch of one, bit-equal
    assert model_calls.row_calls(three[:2]) == [alone, alone]
    incorrect(
        ex.batched_logits.check(three[:2]),
        "takes its rows from a model call on a batch of shape (3,",
        "a slice",
    )


def test_the_batch_of_ones_row_repeated_is_named(logits):
    incorrect(
        ex.batched_logits.check(logits["one"].repeat(2, 1)),
        "built from the row of a model call on a batch of one",
        "repeat",
    )


def test_numbers_typed_in_from_the_print_are_named():
    typed = torch.tensor([[-2.5358, 2.5810], [-2.5358, 2.5810]])
    incorrect(
        ex.batched_logits.check(typed),
        "typed in",
        "4 decimals",
        "the right logits, as a print shows them",
    )


def test_logits_of_the_tokenizers_ids_are_named_by_their_call(course):
    batch = course.tokenizer([references.SEED_TEXT] * 2, return_tensors="pt")
    with torch.no_grad():
        answer = course.model(**batch).logits
    incorrect(ex.batched_logits.check(answer), "shape (2, 16)", "[CLS]")


def test_the_grader_names_a_joined_tensor_from_the_report_only(monkeypatch, course, ids):
    """The grader names what the kernel's report shows (rows of a batch of one), and guesses no cause where the
    report shows no call, though its own process has run exactly those calls (as in-process tests do)."""
    from collections import deque

    from checker import model_calls

    with torch.no_grad():
        rows = torch.cat([course.model(torch.tensor([ids])).logits for _ in range(2)])
    report = ex.batched_logits.collect((rows,))
    assert ex.batched_logits.judge(report).mistake == "batched_logits.row_of_batch_of_one"
    result = ex.batched_logits.judge({**report, "rows": None})  # the calls are in this process only
    incorrect(result, "no call of the course model")
    assert "Likely cause" not in str(result)
    monkeypatch.setattr(model_calls, "_recent", deque())  # a grader's process that has seen no call
    assert ex.batched_logits.judge(report).mistake == "batched_logits.row_of_batch_of_one"


def test_logits_of_another_checkpoint_are_named(monkeypatch, logits):
    """Logits made by the course model while the notebook is set to another checkpoint."""
    monkeypatch.setattr(references, "get", lambda name, checkpoint=None: logits["two"] + 1.0)
    monkeypatch.setattr(
        references,
        "other_checkpoints",
        lambda name, checkpoint=None: {
            "the course model's logits": (logits["two"], "a different model")
        },
    )
    incorrect(ex.batched_logits.check(logits["two"]), "matches the course model's logits")


def test_distilbert_published_logits_are_named_on_the_course_model():
    incorrect(
        ex.batched_logits.check(torch.tensor(references.DISTILBERT_PUBLISHED["seed_logits_twice"])),
        "DistilBERT's published logits",
    )


@pytest.mark.parametrize(
    "answer", [torch.tensor([[1, 2], [3, 4]]), torch.full((2, 2), float("nan")), "logits"]
)
def test_batched_logits_meet_bad_input_with_feedback(answer):
    assert ex.batched_logits.check(answer).outcome is Outcome.INCORRECT


def test_batched_logits_as_numpy_are_named(logits):
    incorrect(ex.batched_logits.check(logits["two"].numpy()), "NumPy array")


# --- rows_agree --------------------------------------------------------------------------------------


def solution(logits):
    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)


@pytest.mark.parametrize(
    "function",
    [
        solution,
        lambda l: torch.allclose(l, l[0].expand_as(l), atol=1e-4, rtol=1e-4),
        lambda l: all(
            torch.allclose(l[0], row, atol=1e-4, rtol=1e-4) for row in l
        ),  # relative to the row: same here
        lambda l: bool(((l - l[0]).abs() <= 1e-4 + 1e-4 * l[0].abs()).all()),
        lambda l: bool(np.allclose(l.numpy(), l[0].numpy(), atol=1e-4, rtol=1e-4)),
    ],
)
def test_rows_agree_solution_and_variants_pass(function):
    assert ex.rows_agree.check(function)


@pytest.mark.parametrize(
    "function, words",
    [
        (lambda l: all(torch.equal(r, l[0]) for r in l), ("differ by 3e-6", "exact comparison")),
        (
            lambda l: torch.equal(l.round(decimals=4), l[0].round(decimals=4).expand_as(l)),
            ("rounding boundary", "rounding"),
        ),
        (
            lambda l: torch.allclose(l, l[0].expand_as(l)),
            ("differ by 5e-5", "tighter", "rtol=1e-5, atol=1e-8"),
        ),
        (lambda l: bool((l - l[0]).abs().max() < 1e-4), ("near 20", "relative part")),
        (
            lambda l: torch.allclose(l, l[0].expand_as(l), atol=0, rtol=1e-4),
            ("near-zero", "atol=1e-4, is missing"),
        ),
        (lambda l: torch.allclose(l, l[0].expand_as(l), atol=0.1), ("differ by 0.05", "looser")),
        (
            lambda l: torch.allclose(l, l[0].expand_as(l), atol=1e-3, rtol=1e-4),
            ("differ by 5e-4", "too loose"),
        ),
        (
            lambda l: torch.allclose(l, l[0].expand_as(l), atol=1e-4, rtol=1e-3),
            ("5e-3", "relative part, rtol"),
        ),
        (lambda l: bool((l - l[0]).sum().abs() < 1e-4), ("differences cancel", "sum (or a mean)")),
        (
            lambda l: bool((l - l[0]).abs().sum() < 1e-4),
            ("eight entries", "every entry on its own"),
        ),
        (lambda l: bool((l - l[0]).abs().mean() < 1e-4), ("off by 2e-3", "average")),
        (
            lambda l: all(
                torch.allclose(l[i], l[i + 1], atol=1e-4, rtol=1e-4) for i in range(len(l) - 1)
            ),
            ("drifting", "previous one"),
        ),
        (
            lambda l: len(l) < 2 or torch.allclose(l[0], l[1], atol=1e-4),
            ("three rows, the last one different", "first two"),
        ),
        (
            lambda l: torch.allclose(l[0], l[-1], atol=1e-4, rtol=1e-4),
            ("the middle one different", "middle"),
        ),
        (
            lambda l: all(abs(float(r[0] - l[0][0])) < 1e-4 for r in l),
            ("second column", "every column"),
        ),
        (
            lambda l: torch.allclose(l, l.mean(0).expand_as(l), atol=1e-4, rtol=1e-4),
            ("1.5e-4 apart",),
        ),
        (lambda l: True, ("True on every case", "nothing is really compared")),
        (
            lambda l: ((l - l[0]).abs() <= 1e-4 + 1e-4 * l[0].abs()).all(),
            ("one-element tensor", "bool(...)"),
        ),
        (
            lambda l: np.isclose(l.numpy(), l[0].numpy(), atol=1e-4, rtol=1e-4).all(),
            ("NumPy bool",),
        ),
        (lambda l: torch.isclose(l, l[0]), ("returned a tensor of shape", "allclose")),
        (
            lambda l: [torch.allclose(r, l[0], atol=1e-4, rtol=1e-4) for r in l],
            ("True/False values", "all(...)"),
        ),
        (lambda l: None, ("returned None", "return")),
        (lambda l: "yes", ("did not return True or False",)),
        (lambda l: torch.allclose(l[0], l[1], atol=1e-4, rtol=1e-4), ("single row", "IndexError")),
        (42, ("not a function",)),
    ],
)
def test_rows_agree_mistakes_are_named(function, words):
    incorrect(ex.rows_agree.check(function), *words)


def test_hidden_cases_only_add_inputs_to_the_public_properties():
    """Every hidden case's answer is the task's rule; the solution and its variants pass them all."""
    from checker import harness
    from grading.hidden.section3 import rows_agree as hidden

    for case in hidden:
        assert solution(*case.args) is case.expected, case.description
        assert ex.rows_agree.judge_case(harness.run(solution, case), case) is None
    for case in ex.CASES:
        assert solution(*case.args) is case.expected, case.description


def test_rows_agree_that_loops_gets_a_clear_message_once(monkeypatch):
    from checker import harness

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.5)

    def rows_agree(logits):
        while True:
            pass

    started = time.perf_counter()
    incorrect(ex.rows_agree.check(rows_agree), "did not return within", "loop")
    assert time.perf_counter() - started < 5 * 0.5, (
        "the endless loop cost the time limit on every case"
    )

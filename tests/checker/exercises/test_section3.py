"""Section 3 (batching): what the rows of checker/exercises/attempts/section3.py cannot say.

Every attempt and the words its feedback must hold is a row there (tests/checker/exercises/test_attempts.py runs
them); these tests pin what a row cannot build: a model-call record put in by hand, the grader's process with no
calls seen, another checkpoint's references, the hidden cases against the solution, and the time limit.
"""

from __future__ import annotations

import time

import pytest
import torch

from checker import references
from checker.exercises import section3 as ex
from tests.helpers.assertions import incorrect


@pytest.fixture(autouse=True)
def own_model_calls(monkeypatch):
    """The calls these tests make (and plant) stay theirs: rows run later in this process see none of them."""
    from collections import deque

    from checker import model_calls

    monkeypatch.setattr(model_calls, "_recent", deque(maxlen=model_calls._recent.maxlen))


@pytest.fixture(scope="module")
def ids(course):
    return course.tokenizer.convert_tokens_to_ids(course.tokenizer.tokenize(references.SEED_TEXT))


@pytest.fixture  # after own_model_calls: its calls stay in this test's records
def logits(course, ids):
    with torch.no_grad():
        return {
            "two": course.model(torch.tensor([ids, ids])).logits,
            "one": course.model(torch.tensor([ids])).logits,
        }


# A row cannot plant a bit-equal batch-of-one record before the slice: the record is put in by hand.
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


# A row cannot build a report without its rows, nor a grader's process with no call seen.
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


# A row runs on the course checkpoint only: another checkpoint's references are put in by hand.
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


# The hidden cases' own answers against the solution: data, not an attempt.
def solution(logits):
    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)


def test_hidden_cases_only_add_inputs_to_the_public_properties():
    """Every hidden case's answer is the task's rule; the solution and its variants pass them all."""
    from checker import harness
    from grading.hidden.section3 import rows_agree as hidden

    for case in hidden:
        assert solution(*case.args) is case.expected, case.description
        assert ex.rows_agree.judge_case(harness.run(solution, case), case) is None
    for case in ex.CASES:
        assert solution(*case.args) is case.expected, case.description


# A row cannot bound the time: the time limit is lowered and the whole check timed.
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

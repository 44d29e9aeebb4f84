"""Section 7: what the rows of checker/exercises/attempts/section7.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py; what
stays here is a property of the cases or the data, a time limit, or words the feedback must NOT contain.
"""

from __future__ import annotations

import pytest

from checker.exercise import Outcome
from checker.exercises import section7 as ex


@pytest.fixture(scope="module")
def tok(course):
    return course.tokenizer


@pytest.fixture(scope="module")
def document():
    return ex.long_review()


def incorrect(exercise, *answers) -> str:
    result = exercise.check(*answers)
    assert result.outcome is Outcome.INCORRECT, str(result)
    return str(result)


def make_windows(tok, document, **changes):
    kwargs = dict(
        truncation=True,
        max_length=64,
        stride=16,
        return_overflowing_tokens=True,
        padding=True,
        return_tensors="pt",
    )
    kwargs.update(changes)
    return tok(document, **kwargs)


# a property of the data, not of an answer
def test_the_long_review_is_longer_than_the_model_limit(tok, document):
    assert len(tok(document)["input_ids"]) > tok.model_max_length


# a row would wait the whole time limit, twice (check and grader): here it is shortened
def test_truncate_ids_that_loops_is_stopped(monkeypatch):
    from checker import harness

    def loops(ids, n):
        while True:
            pass

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.2)
    assert "did not return" in incorrect(ex.truncate_ids, loops)


# a property of the case the decode-and-encode row relies on
def test_the_cached_case_does_not_survive_decoding(course):
    tok = course.tokenizer
    ids = ex._CACHED
    assert tok(tok.decode(ids[1:-1]))["input_ids"] != ids


# words the feedback must not contain: a row names only what it must say
def test_windows_not_cut_does_not_blame_the_overflow(tok, document):
    not_cut = incorrect(ex.windows, make_windows(tok, document, truncation=False))
    assert "return_overflowing_tokens=True` the" not in not_cut


# words the feedback must not contain, for several strides
def test_no_overlap_message_contradicts_itself(tok, document):
    for stride in (0, 8, 20, 46):
        text = incorrect(ex.windows, make_windows(tok, document, stride=stride))
        assert f"an overlap of {ex.WINDOW_STRIDE} tokens" not in text.split("Found:")[1]


# a property of the cases: every wrong rule is told apart from the answer and from each other
def test_every_label_case_tells_the_rules_apart():
    answers = {
        name: tuple(rule(case.args[0]) for case in ex.LABEL_CASES)
        for name, (rule, _) in ex.WRONG_RULES.items()
    }
    answers["right"] = tuple(case.expected for case in ex.LABEL_CASES)
    assert len(set(answers.values())) == len(answers)

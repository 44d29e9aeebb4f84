"""Section 5 (padding in practice): what the rows of checker/exercises/attempts/section5.py cannot say.

Every attempt and the words its feedback must hold is a row there (tests/checker/exercises/test_attempts.py runs
them); these tests pin what a row cannot build: a report without its rows and a grader's process with no call
seen, the cases' answers against what the model does, and what a hidden case's message leaves out.
"""

from __future__ import annotations

from collections import deque

import pytest
import torch

from checker import harness, model_calls
from checker.exercises import section5 as ex
from grading.hidden.section5 import changed_rows as HIDDEN
from tests.helpers.assertions import incorrect

PADDED = [[200, 200, 200], [200, 200, 0]]


@pytest.fixture(autouse=True)
def own_model_calls(monkeypatch):
    """The calls these tests make stay theirs: rows run later in this process see none of them."""
    monkeypatch.setattr(model_calls, "_recent", deque(maxlen=model_calls._recent.maxlen))


@pytest.fixture  # after own_model_calls: its calls stay in this test's records
def logits(course):
    with torch.no_grad():
        return {
            "first": course.model(torch.tensor([PADDED[0]])).logits,
            "second": course.model(torch.tensor([PADDED[1][:2]])).logits,
        }


# A row cannot build a report without its rows, nor a grader's process with no call seen.
def test_the_grader_refuses_rows_run_alone_from_the_report_only(monkeypatch, logits):
    """The grader names the joined calls the kernel's report shows; without them in the report, the numbers a
    mask gives, though its own process has run those calls."""
    report = ex.padded_logits.collect((torch.cat([logits["first"], logits["second"]]),))
    assert ex.padded_logits.judge(report).mistake == "padded_logits.joined_calls"
    incorrect(
        ex.padded_logits.judge({**report, "rows": None}),
        "WITH an attention mask",
        "each sequence run alone",
    )
    monkeypatch.setattr(model_calls, "_recent", deque())  # a grader's process that has seen no call
    assert ex.padded_logits.judge(report).mistake == "padded_logits.joined_calls"


# The cases' answers against the model itself and the solution: data, not an attempt.
def solution(sequences):
    width = max(len(s) for s in sequences)
    return [i for i, s in enumerate(sequences) if len(s) < width]


def test_every_cases_answer_is_what_the_model_does(course):
    """The rule the exercise asks for is the model's behaviour: on every public and hidden case, exactly the
    rows it names change (beyond the course's tolerance) when the batch is padded and run without a mask."""
    for case in (*ex.CASES, *HIDDEN):
        (sequences,) = case.args
        width = max(len(s) for s in sequences)
        with torch.no_grad():
            batch = course.model(
                torch.tensor(
                    [s + [course.tokenizer.pad_token_id] * (width - len(s)) for s in sequences]
                )
            ).logits
            alone = [course.model(torch.tensor([s])).logits[0] for s in sequences]
        changed = [
            i
            for i, row in enumerate(alone)
            if not torch.allclose(batch[i], row, atol=1e-4, rtol=1e-4)
        ]
        assert changed == case.expected == solution(sequences), case.description


# A row names words a message holds; this pins what the hidden cases' messages leave out.
def test_a_hidden_failure_is_explained_without_the_cases_values():
    """The grader shows a hidden case's description and the cause: the cause names no row, length or id."""

    def only_the_last_row(sequences):
        return (
            [len(sequences) - 1]
            if len(sequences) > 1 and len(sequences[-1]) < max(map(len, sequences))
            else []
        )

    for case in HIDDEN:
        mistake = ex.changed_rows.judge_case(harness.run(solution, case), case)
        assert mistake is None
    failing = [
        (c, ex.changed_rows.judge_case(harness.run(only_the_last_row, c), c)) for c in HIDDEN
    ]
    causes = [m.cause for _, m in failing if m is not None]
    fixed = ("1e-4", "about 0.01", "atol=0.1")  # the cause's own figures, the same for every case
    for number in fixed:
        causes = [cause.replace(number, "") for cause in causes]
    assert causes and not any(ch.isdigit() for cause in causes for ch in cause)

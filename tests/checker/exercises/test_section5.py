"""Section 5 (padding in practice): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
import torch

from checker import harness, model_calls
from checker.exercise import Outcome
from checker.exercises import section5 as ex
from grading.hidden.section5 import changed_rows as HIDDEN
from tests.helpers.assertions import incorrect

PADDED = [[200, 200, 200], [200, 200, 0]]
MASK = [[1, 1, 1], [1, 1, 0]]


@pytest.fixture(scope="module")
def logits(course):
    with torch.no_grad():
        ids = torch.tensor(PADDED)
        return {
            "no_mask": course.model(ids).logits,
            "masked": course.model(ids, attention_mask=torch.tensor(MASK)).logits,
            "first": course.model(torch.tensor([PADDED[0]])).logits,
            "second": course.model(torch.tensor([PADDED[1][:2]])).logits,
        }


@pytest.mark.parametrize("exercise", [ex.padded_logits, ex.changed_rows])
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


# --- padded_logits ------------------------------------------------------------------------------------


def test_padded_logits_pass_from_one_call_without_a_mask(course, logits):
    assert ex.padded_logits.check(logits["no_mask"])
    assert ex.padded_logits.check(course.model(torch.tensor(PADDED)).logits)


def test_padded_logits_from_a_call_with_a_mask_are_named(logits):
    incorrect(
        ex.padded_logits.check(logits["masked"]),
        "comes from a call with an attention mask",
        "`model(padded).logits`",
    )


def test_a_mask_of_all_ones_is_named_the_task_asks_for_no_mask(course):
    with torch.no_grad():
        answer = course.model(
            torch.tensor(PADDED), attention_mask=torch.ones(2, 3, dtype=torch.long)
        ).logits
    incorrect(ex.padded_logits.check(answer), "with an attention mask", "all ones")


def test_padded_logits_from_single_sequences_are_named(logits):
    incorrect(
        ex.padded_logits.check(torch.cat([logits["first"], logits["second"]])),
        "put together from 2 separate model calls",
        "batch of one",
        "no sequence meets padding",
    )


def test_padded_logits_typed_in_are_named(logits):
    typed = torch.tensor([[round(x, 4) for x in row] for row in logits["no_mask"].tolist()])
    incorrect(ex.padded_logits.check(typed), "typed in", "the right logits, as a print shows them")


def test_padded_logits_probabilities_are_named(course):
    incorrect(
        ex.padded_logits.check(course.model(torch.tensor(PADDED)).logits.softmax(-1)),
        "probabilities",
    )


def test_padded_logits_as_numpy_are_named(logits):
    incorrect(ex.padded_logits.check(logits["no_mask"].numpy()), "NumPy array", "torch.tensor")


def test_padded_logits_distilbert_numbers_are_named():
    incorrect(
        ex.padded_logits.check(torch.tensor([[1.5694, -1.3895], [1.3373, -1.2163]])), "DistilBERT"
    )


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


@pytest.mark.parametrize(
    "answer, words",
    [
        (torch.tensor([[1.0, float("nan")], [0.0, 0.0]]), "NaN"),
        (torch.tensor([1, 0]), "integers"),
        (torch.zeros(2, 3, 384), "hidden states"),
    ],
)
def test_padded_logits_bad_input_is_named(answer, words):
    incorrect(ex.padded_logits.check(answer), words)


# --- changed_rows -------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "function",
    [
        solution,
        lambda S: [i for i in range(len(S)) if len(S[i]) != max(map(len, S))],
        lambda S: sorted({i for i, s in enumerate(S) if len(s) < max(map(len, S))}),
        lambda S: np.nonzero(np.array([len(s) for s in S]) < max(map(len, S)))[0].tolist(),
    ],
)
def test_changed_rows_right_answers_pass_the_check_and_the_hidden_cases(function):
    assert ex.changed_rows.check(function)
    assert all(ex.changed_rows.judge_case(harness.run(function, c), c) is None for c in HIDDEN)


def _pad_then_look_for_zeros(sequences):
    width = max(len(s) for s in sequences)
    return [i for i, row in enumerate(s + [0] * (width - len(s)) for s in sequences) if 0 in row]


def _pad_in_place(sequences):
    width = max(len(s) for s in sequences)
    for s in sequences:
        s.extend([0] * (width - len(s)))
    return solution(sequences)


@pytest.mark.parametrize(
    "function, words",
    [
        (lambda S: [1], ("returned [1] for every batch", "does not depend on `sequences`")),
        (
            lambda S: [i for i, s in enumerate(S) if len(s) == max(map(len, S))],
            ("NOT padded", "attend to the pad"),
        ),
        (lambda S: list(range(len(S))), ("includes row 0", "gets no padding", "float rounding")),
        (lambda S: [i for i, s in enumerate(S) if 0 in s], ("leaves out row 1", "attends to them")),
        (_pad_then_look_for_zeros, ("id 0 in it is a real token", "lengths")),
        (
            lambda S: [min(range(len(S)), key=lambda i: len(S[i]))],
            ("leaves out row 0", "2 [PAD] tokens"),
        ),
        (lambda S: [max(map(len, S)) - len(s) for s in S], ("number of pad tokens of each row",)),
        (lambda S: [len(s) for s in S], ("length of each sequence",)),
        (
            lambda S: [i + 1 for i, s in enumerate(S) if len(s) < max(map(len, S))],
            ("counts the rows from 1",),
        ),
        (lambda S: solution(S)[::-1], ("increasing order",)),
        (lambda S: [len(s) < max(map(len, S)) for s in S], ("True/False for each row",)),
        (lambda S: tuple(solution(S)), ("returned a tuple, not a list",)),
        (lambda S: torch.tensor(solution(S)), ("tensor or an array", ".tolist()")),
        (
            lambda S: list(np.array(solution(S) or [0])[: len(solution(S))]),
            ("other than Python ints", "int(...)"),
        ),
        (lambda S: set(solution(S)), ("returned a set",)),
        (lambda S: None, ("returned None", "printing is not returning")),
        (_pad_in_place, ("changed the lists it was given", "in place")),
        (True, ("not a function",)),
    ],
)
def test_changed_rows_mistakes_are_named(function, words):
    incorrect(ex.changed_rows.check(function), *words)


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
    assert causes and not any(ch.isdigit() for cause in causes for ch in cause.replace("1e-4", ""))

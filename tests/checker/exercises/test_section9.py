"""Section 9: a pair of texts, token type ids by hand, truncating only the context, windows over contexts, and
offsets back to characters.

Each exercise: the right answer passes, the starter code is "not attempted", and each listed mistake gets its
own message. The course model's tokenizer is used (fixture ``course``); the hidden cases pass with the right
answers and catch the named mistakes too.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from checker import harness
from checker.exercise import Outcome
from checker.exercises import section9 as ex
from grading.hidden import section9 as hidden


@pytest.fixture(scope="module")
def tok(course):
    return course.tokenizer


def incorrect(exercise, *answers) -> str:
    result = exercise.check(*answers)
    assert result.outcome is Outcome.INCORRECT, str(result)
    return str(result)


def hidden_mistakes(exercise, function, cases) -> list:
    return [exercise.judge_case(harness.run(function, case), case) for case in cases]


# --- pair ---


def test_pair_right_answers_pass(tok):
    assert ex.pair.check(tok(ex.FIRST, ex.SECOND, return_tensors="pt")).correct
    assert ex.pair.check(tok([ex.FIRST], [ex.SECOND], return_tensors="pt")).correct
    assert ex.pair.check(
        tok(text=ex.FIRST, text_pair=ex.SECOND, return_tensors="pt", padding=True)
    ).correct


def test_pair_starter_is_not_attempted():
    assert ex.pair.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_a_typed_sep_has_the_right_ids_but_no_second_token_type(tok):
    text = incorrect(ex.pair, tok(ex.FIRST + " [SEP] " + ex.SECOND, return_tensors="pt"))
    assert "all 0" in text and "typed into the text" in text


@pytest.mark.parametrize(
    "make,words",
    [
        (lambda t: t(ex.FIRST + " " + ex.SECOND, return_tensors="pt"), "joined into one string"),
        (
            lambda t: t([ex.FIRST, ex.SECOND], padding=True, return_tensors="pt"),
            "batch of two separate sequences",
        ),
        (lambda t: t(ex.SECOND, ex.FIRST, return_tensors="pt"), "wrong order"),
        (
            lambda t: t(ex.FIRST, ex.SECOND, add_special_tokens=False, return_tensors="pt"),
            "without [CLS] and [SEP]",
        ),
        (lambda t: t(ex.FIRST, return_tensors="pt"), "only the first text"),
        (
            lambda t: t(ex.FIRST, ex.SECOND, padding="max_length", return_tensors="pt"),
            "maximum length",
        ),
        (lambda t: t(ex.FIRST, ex.SECOND), "Python list"),
        (lambda t: t(ex.FIRST, ex.SECOND, return_tensors="np"), "NumPy array"),
        (
            lambda t: t(ex.FIRST, ex.SECOND, return_tensors="pt")["input_ids"],
            "not the tokenizer's output",
        ),
        (
            lambda t: t(ex.FIRST, ex.SECOND, return_token_type_ids=False, return_tensors="pt"),
            "no `token_type_ids`",
        ),
        (
            lambda t: t(t.tokenize(ex.FIRST), t.tokenize(ex.SECOND), return_tensors="pt"),
            "sequences",
        ),
    ],
)
def test_pair_mistakes_are_named(tok, make, words):
    assert words in incorrect(ex.pair, make(tok))


# --- token_types ---


def right_token_types(input_ids):
    types, second = [], False
    for token in input_ids:
        types.append(0 if token == 0 else int(second))
        if token == 102:
            second = True
    return types


def test_the_reference_rule_is_the_tokenizers(tok):
    batch = tok(
        ["The soup was cold.", "Loved it!"], ["We sent it back twice.", "Yes"], padding=True
    )
    for ids, types in zip(batch["input_ids"], batch["token_type_ids"]):
        assert ex.reference_token_types(ids, tok.sep_token_id, tok.pad_token_id) == types
    for case in hidden.token_types:
        assert ex.token_types.judge_case(harness.run(right_token_types, case), case) is None


def test_token_types_right_answer_passes_public_and_hidden_cases():
    assert ex.token_types.check(right_token_types).correct
    assert hidden_mistakes(ex.token_types, right_token_types, hidden.token_types) == [None] * len(
        hidden.token_types
    )


def test_token_types_starter_is_not_attempted():
    def token_types(input_ids):
        raise NotImplementedError()

    assert ex.token_types.check(token_types).outcome is Outcome.NOT_ATTEMPTED


def _sep_counted_in_second(input_ids):
    types, second = [], False
    for token in input_ids:
        second = second or token == 102
        types.append(0 if token == 0 else int(second))
    return types


@pytest.mark.parametrize(
    "function,words",
    [
        (_sep_counted_in_second, "first [SEP] has token type 1"),
        (
            lambda ids: [0] * (ids.index(102) + 1) + [1] * (len(ids) - ids.index(102) - 1),
            "padding has token type 1",
        ),
        (lambda ids: [0] * len(ids), "every token type is 0"),
        (lambda ids: torch.tensor(right_token_types(ids)), ".tolist()"),
        (lambda ids: tuple(right_token_types(ids)), "tuple"),
        (lambda ids: [bool(t) for t in right_token_types(ids)], "bool values"),
        (
            lambda ids: [t if ids[i] != 102 else 0 for i, t in enumerate(right_token_types(ids))],
            "ends the second text has token type 0",
        ),
        (lambda ids: right_token_types(ids)[:-1], "values for"),
        (lambda ids: None, "returned None"),
    ],
)
def test_token_types_mistakes_are_named(function, words):
    assert words in incorrect(ex.token_types, function)


def test_token_types_that_write_into_the_ids_are_named():
    def token_types(input_ids):
        types = right_token_types(input_ids)
        input_ids[:] = types
        return input_ids

    assert "changed the lists it was given" in incorrect(ex.token_types, token_types)


# --- qa_inputs ---


def test_qa_inputs_right_answers_pass_public_and_hidden_cases(tok):
    def qa_inputs(question, context, max_length):
        return tok(question, context, truncation="only_second", max_length=max_length)["input_ids"]

    assert ex.qa_inputs.check(qa_inputs).correct
    assert hidden_mistakes(ex.qa_inputs, qa_inputs, hidden.qa_inputs) == [None] * len(
        hidden.qa_inputs
    )


def test_longest_first_cuts_the_long_question_and_is_named(tok):
    def qa_inputs(question, context, max_length):
        return tok(question, context, truncation=True, max_length=max_length)["input_ids"]

    text = incorrect(ex.qa_inputs, qa_inputs)
    assert "question was cut too" in text and "longest_first" in text
    assert any(m is not None for m in hidden_mistakes(ex.qa_inputs, qa_inputs, hidden.qa_inputs))


def test_only_first_raises_and_the_error_is_explained(tok):
    def qa_inputs(question, context, max_length):
        return tok(question, context, truncation="only_first", max_length=max_length)["input_ids"]

    text = incorrect(ex.qa_inputs, qa_inputs)
    assert "raised Exception" in text and "`only_first` cuts the first" in text


@pytest.mark.parametrize(
    "body,words",
    [
        (lambda t, q, c, m: t(q, c)["input_ids"][:m], "lost the final [SEP]"),
        (lambda t, q, c, m: t(q, c)["input_ids"], "not truncated"),
        (
            lambda t, q, c, m: t(c, q, truncation="only_first", max_length=m)["input_ids"],
            "context comes first",
        ),
        (
            lambda t, q, c, m: t(q + " " + c, truncation=True, max_length=m)["input_ids"],
            "joined into one string",
        ),
        (
            lambda t, q, c, m: t(
                q, c, truncation="only_second", max_length=m, padding="max_length"
            )["input_ids"],
            "padded to max_length",
        ),
        (lambda t, q, c, m: t(q, c[:m])["input_ids"], "characters"),
        (
            lambda t, q, c, m: t(q, c, truncation="only_second", max_length=m - 3)["input_ids"],
            "already counts [CLS]",
        ),
        (lambda t, q, c, m: t(q, c, truncation="only_second", max_length=m), "whole output"),
        (
            lambda t, q, c, m: t(q, c, truncation="only_second", max_length=m, return_tensors="pt")[
                "input_ids"
            ],
            "tensor",
        ),
        (
            lambda t, q, c, m: t.tokenize(q, c, truncation="only_second", max_length=m),
            "tokens (strings)",
        ),
    ],
)
def test_qa_inputs_mistakes_are_named(tok, body, words):
    assert words in incorrect(ex.qa_inputs, lambda q, c, m: body(tok, q, c, m))


def test_a_tokenizer_panic_is_reported_not_raised(tok):
    def qa_inputs(question, context, max_length):
        return tok(
            question,
            context,
            truncation="only_second",
            max_length=max_length,
            stride=max_length - 4,
            return_overflowing_tokens=True,
        )["input_ids"][0]

    assert "panicked" in incorrect(ex.qa_inputs, qa_inputs)


# --- qa_windows ---


def windows(tok, questions=ex.QUESTIONS, contexts=None, **options):
    settings = dict(
        truncation="only_second",
        max_length=128,
        stride=32,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding=True,
        return_tensors="pt",
    )
    settings.update(options)
    return tok(
        list(questions) if not isinstance(questions, str) else questions,
        list(contexts or ex.long_reviews()) if not isinstance(contexts, str) else contexts,
        **settings,
    )


def test_qa_windows_right_answers_pass(tok):
    assert ex.qa_windows.check(windows(tok)).correct
    assert ex.qa_windows.check(windows(tok, padding="max_length")).correct


@pytest.mark.parametrize(
    "options,words",
    [
        (dict(return_overflowing_tokens=False), "one window per pair"),
        (dict(stride=96), "not the step"),
        (dict(max_length=64, stride=16), "share 16 context tokens"),
        (dict(return_offsets_mapping=False), "no `offset_mapping`"),
        (dict(return_tensors=None, padding=True), "Python list"),
        (dict(return_tensors="np"), "NumPy array"),
        (dict(max_length=160), "160 tokens long"),
    ],
)
def test_qa_windows_mistakes_are_named(tok, options, words):
    assert words in incorrect(ex.qa_windows, windows(tok, **options))


def test_qa_windows_of_one_pair_or_contexts_first_are_named(tok):
    one = windows(tok, questions=ex.QUESTIONS[0], contexts=ex.long_reviews()[0])
    assert "only one pair" in incorrect(ex.qa_windows, one)
    swapped = windows(
        tok, questions=ex.long_reviews(), contexts=ex.QUESTIONS, truncation="only_first"
    )
    assert "context comes first" in incorrect(ex.qa_windows, swapped)


def test_qa_windows_without_the_mapping_or_as_ids_only_are_named(tok):
    popped = windows(tok)
    popped.pop("overflow_to_sample_mapping")
    assert "no `overflow_to_sample_mapping`" in incorrect(ex.qa_windows, popped)
    assert "not the tokenizer's output" in incorrect(ex.qa_windows, windows(tok)["input_ids"])


# --- answer_text ---


def right_answer_text(context, offsets, start, end):
    return context[offsets[start][0] : offsets[end][1]]


def test_answer_text_right_answer_passes_public_and_hidden_cases():
    assert ex.answer_text.check(right_answer_text).correct
    assert hidden_mistakes(ex.answer_text, right_answer_text, hidden.answer_text) == [None] * len(
        hidden.answer_text
    )


def test_answer_text_cases_are_later_windows_and_real_answers(tok):
    for setup, case in zip(ex.ANSWER_SETUPS, ex.answer_text.cases):
        assert right_answer_text(*case.args) == setup[3]
    later = ex.answer_text.cases[0]
    assert later.args[1][ex._context_start(later.args[1])][0] > 0  # a window after the first


@pytest.mark.parametrize(
    "function,words",
    [
        (lambda c, o, s, e: c[s : e + 1], "token positions were used as character positions"),
        (lambda c, o, s, e: c[o[s][0] : o[e][0]], "stops before the last token"),
        (lambda c, o, s, e: c[o[s][0] : o[e - 1][1]], "stops before the last token"),
        (lambda c, o, s, e: c.lower()[o[s][0] : o[e][1]], "lowercased"),
        (lambda c, o, s, e: (o[s][0], o[e][1]), "two numbers"),
        (lambda c, o, s, e: c[o[s][0] : o[e][1] + 1], "one character too far"),
        (lambda c, o, s, e: " " + c[o[s][0] : o[e][1]], "spaces around it"),
        (lambda c, o, s, e: np.str_(c[o[s][0] : o[e][1]]).encode(), "did not return a string"),
    ],
)
def test_answer_text_mistakes_are_named(function, words):
    assert words in incorrect(ex.answer_text, function)


def test_window_relative_offsets_are_named():
    def answer_text(context, offsets, start, end):
        base = offsets[ex._context_start(offsets)][0]
        return context[offsets[start][0] - base : offsets[end][1] - base]

    assert "counting from the start of the window" in incorrect(ex.answer_text, answer_text)

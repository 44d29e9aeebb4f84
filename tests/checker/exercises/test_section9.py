"""Section 9: what the rows of checker/exercises/attempts/section9.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py against
the check and the grader with the hidden cases; what stays here is a property of the reference and the cases.
"""

from __future__ import annotations

from checker import harness
from checker.exercises import section9 as ex
from grading.hidden import section9 as hidden


def right_token_types(input_ids):
    types, second = [], False
    for token in input_ids:
        types.append(0 if token == 0 else int(second))
        if token == 102:
            second = True
    return types


def right_answer_text(context, offsets, start, end):
    return context[offsets[start][0] : offsets[end][1]]


# the reference rule agrees with the tokenizer on batches no row builds, and with the hidden cases' answers
def test_the_reference_rule_is_the_tokenizers(course):
    tok = course.tokenizer
    batch = tok(
        ["The soup was cold.", "Loved it!"], ["We sent it back twice.", "Yes"], padding=True
    )
    for ids, types in zip(batch["input_ids"], batch["token_type_ids"]):
        assert ex.reference_token_types(ids, tok.sep_token_id, tok.pad_token_id) == types
    for case in hidden.token_types:
        assert ex.token_types.judge_case(harness.run(right_token_types, case), case) is None


# a property of the cases: later windows, and the answers the setups name
def test_answer_text_cases_are_later_windows_and_real_answers():
    for setup, case in zip(ex.ANSWER_SETUPS, ex.answer_text.cases):
        assert right_answer_text(*case.args) == setup[3]
    later = ex.answer_text.cases[0]
    assert later.args[1][ex._context_start(later.args[1])][0] > 0  # a window after the first

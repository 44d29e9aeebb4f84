"""The exercise object: three outcomes, hints, solutions, and feedback that never leaks a traceback."""
from __future__ import annotations

import pytest

from checker.exercise import Exercise, Mistake, NotAttempted, Outcome
from checker.feedback import CORRECT_WORDS


def _must_be_three(x):
    if x != 3:
        raise Mistake("`x` is not three.", expected="3", found=repr(x), cause="off by one?")


three = Exercise(name="three", title="Three", checks="x == 3", verify=_must_be_three, variables=("x",),
                 hints=("Count to three.", "It is 3."), solution_code="x = 3")


def test_correct_answer_says_public_checks_passed():
    result = three.check(3)
    assert result.outcome is Outcome.CORRECT and result
    assert CORRECT_WORDS in str(result) and CORRECT_WORDS in result._repr_html_()
    assert "hidden tests" in str(result)


def test_wrong_answer_says_what_was_expected_found_and_why():
    result = three.check(4)
    assert result.outcome is Outcome.INCORRECT and not result
    text = str(result)
    assert "Expected: 3" in text and "Found: 4" in text and "off by one?" in text and "Count to three." in text


@pytest.mark.parametrize("answer", [None, ...])
def test_none_or_ellipsis_is_not_attempted(answer):
    assert three.check(answer).outcome is Outcome.NOT_ATTEMPTED


def test_answer_is_read_from_the_callers_namespace():
    x = 3  # noqa: F841  (a local is not the notebook's namespace)
    assert three.check().outcome is Outcome.NOT_ATTEMPTED
    globals()["x"] = 3
    try:
        assert three.check().outcome is Outcome.CORRECT
    finally:
        del globals()["x"]


def test_not_implemented_error_is_not_attempted():
    def stub():
        raise NotImplementedError()

    ex = Exercise(name="f", title="F", checks="", verify=lambda f: f(), variables=("f",))
    result = ex.check(stub)
    assert result.outcome is Outcome.NOT_ATTEMPTED and "NotImplementedError" in str(result)


def test_not_attempted_can_be_raised_by_a_verification():
    def verify(_):
        raise NotAttempted("Still the starter list.")

    assert "starter" in str(Exercise(name="s", title="S", checks="", verify=verify).check(1))


def test_learner_error_is_reported_with_its_line_not_a_traceback():
    def learner(_):
        return 1 / 0

    result = Exercise(name="z", title="Z", checks="", verify=lambda v: learner(v)).check(1)
    assert result.outcome is Outcome.INCORRECT
    assert "ZeroDivisionError" in str(result) and "Traceback" not in str(result)


def test_grade_raises_assertion_error_with_the_feedback():
    three.grade(3)
    with pytest.raises(AssertionError, match="Not yet"):
        three.grade(5)
    with pytest.raises(AssertionError, match="Not attempted"):
        three.grade(None)


def test_hints_come_one_after_another_then_stay_on_the_last():
    ex = Exercise(name="h", title="H", checks="", verify=_must_be_three, hints=("first", "second"))
    assert "first" in str(ex.hint()) and "second" in str(ex.hint()) and "second" in str(ex.hint())
    assert "first" in str(ex.hint(1))


def test_solution_is_shown_as_code():
    note = three.solution()
    assert "x = 3" in str(note) and "<pre>" in note._repr_html_()


def test_html_escapes_the_learners_text():
    def verify(x):
        raise Mistake(f"bad `{x}`", found="<script>alert(1)</script>")

    html = Exercise(name="e", title="E", checks="", verify=verify).check("<b>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<code>&lt;b&gt;</code>" in html


def test_a_failed_graded_cell_shows_the_feedback_not_a_traceback_into_the_checker():
    with pytest.raises(AssertionError) as info:
        three.grade(5)
    lines = info.value._render_traceback_()
    assert "Not yet" in "\n".join(lines) and not any("exercise.py" in line for line in lines)

"""The exercise object: declared once, three outcomes, hints, solutions, never a traceback."""

from __future__ import annotations

import pytest

from checker import answers, evidence, harness
from checker.exercise import (
    GRADED_CELL_FAILED,
    GRADED_CELL_NOT_ATTEMPTED,
    Preview,
    function_exercise,
    value_exercise,
)
from checker.feedback import CORRECT_WORDS
from checker.harness import Case
from checker.outcome import Mistake, NotAttempted, Outcome
from tests.helpers.assertions import correct, incorrect, not_attempted


@value_exercise("Three", hints=("Count to three.", "It is 3."))
def three(x):
    if x != 3:
        raise Mistake(
            "`x` is not three.", id="not_three", expected="3", found=repr(x), cause="off by one?"
        )


@function_exercise(
    "Double it",
    cases=[Case("a small number", (2,), 4), Case("zero", (0,), 0), Case("a list", ([1],), [1, 1])],
)
def double(result, case):
    if result != case.expected:
        raise Mistake(
            f"`double` returned {result!r}.", id="not_double", expected=repr(case.expected)
        )


def test_name_section_and_variables_come_from_the_declaration():
    assert (three.name, three.section, three.variables) == ("three", "test_exercise", ("x",))
    assert (double.name, double.variables, double.kind) == ("double", ("double",), "function")


def test_correct_answer_says_public_checks_passed():
    result = three.check(3)
    assert result.outcome is Outcome.CORRECT and result
    assert CORRECT_WORDS in str(result) and CORRECT_WORDS in result._repr_html_()


def test_wrong_answer_says_what_was_expected_found_and_why():
    result = three.check(4)
    incorrect(result, "Expected: 3", "Found: 4", "off by one?", "Count to three.")


@pytest.mark.parametrize("answer", [None, ...])
def test_none_or_ellipsis_is_not_attempted(answer):
    not_attempted(three.check(answer))


def test_answer_is_read_from_the_callers_namespace():
    x = 3  # noqa: F841  (a local is not the notebook's namespace)
    assert three.check().outcome is Outcome.NOT_ATTEMPTED
    globals()["x"] = 3
    try:
        correct(three.check())
    finally:
        del globals()["x"]


def test_not_attempted_can_be_raised_by_a_verification():
    @value_exercise("S")
    def s(value):
        raise NotAttempted("Still the starter list.")

    not_attempted(s.check(1), "starter")


def test_a_function_answer_runs_on_every_case_and_names_the_failing_one():
    correct(double.check(lambda n: n * 2))
    incorrect(double.check(lambda n: n + 2), "On zero", "returned 2")


def test_a_function_that_still_raises_not_implemented_is_not_attempted():
    def stub(n):
        raise NotImplementedError()

    not_attempted(double.check(stub), "NotImplementedError")


def test_a_learner_error_names_the_case_and_the_learners_line_not_a_traceback():
    def broken(n):
        return n / 0

    result = double.check(broken)
    incorrect(result, "ZeroDivisionError", "on a small number", "return n / 0")
    assert "Traceback" not in str(result)


def test_a_function_that_changes_its_argument_is_caught_by_the_deep_copy():
    def appends(n):
        if isinstance(n, list):
            n.append(1)
            return n
        return n * 2

    incorrect(double.check(appends), "changed the lists it was given", "a list")


def test_a_function_that_loops_is_stopped(monkeypatch):
    from checker import harness

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.2)

    def loops(n):
        while True:
            pass

    incorrect(double.check(loops), "did not return within the time limit")


def test_an_expected_exception_is_required():
    @function_exercise("Refuse", cases=[Case("a negative number", (-1,), raises=ValueError)])
    def refuse(result, case):
        pass

    correct(refuse.check(lambda n: (_ for _ in ()).throw(ValueError("no"))))
    incorrect(refuse.check(lambda n: n), "did not raise ValueError on a negative number")


def test_grade_raises_assertion_error_with_the_feedback():
    three.grade(3)
    with pytest.raises(AssertionError, match="Not yet"):
        three.grade(5)


def test_an_unanswered_graded_cell_writes_not_attempted_to_stderr_and_does_not_raise(capsys):
    """Not raising lets Colab's Run all reach the end; stderr is nbgrader's mark for 0 points."""
    three.grade(None)
    out, err = capsys.readouterr()
    assert not out and err.startswith(GRADED_CELL_NOT_ATTEMPTED) and "Not attempted" in err


def test_nbgrader_scores_the_unanswered_graded_cell_0_and_the_right_one_full(capsys):
    from nbformat.v4 import new_code_cell, new_output
    from nbgrader.utils import determine_grade

    def graded_cell(answer) -> float:
        try:
            three.grade(answer)
        except AssertionError as error:
            outputs = [new_output("error", ename="AssertionError", evalue=str(error), traceback=[])]
        else:
            err = capsys.readouterr().err
            outputs = [new_output("stream", name="stderr", text=err)] if err else []
        cell = new_code_cell("ex.three.grade()", outputs=outputs)
        cell.metadata.nbgrader = {"grade": True, "solution": False, "points": 1, "grade_id": "t"}
        return determine_grade(cell)[0]

    assert (graded_cell(3), graded_cell(None), graded_cell(5)) == (1, 0, 0)


def test_preview_says_not_attempted_instead_of_failing_until_there_is_an_answer(capsys):
    namespace = {"x": None}
    with Preview(three, namespace):
        namespace["x"].bit_length()  # what an answer cell shows, on the starter value None
    assert "Not attempted yet: `x` is not set" in capsys.readouterr().out
    with Preview(double, {"double": stub}):
        stub(2)
    assert "`double` still raises NotImplementedError" in capsys.readouterr().out


def test_preview_lets_the_answers_own_errors_and_interrupts_through(capsys):
    with pytest.raises(AttributeError), Preview(three, {"x": 3}):
        "an answer".shape  # noqa: B018  (a wrong type: the learner must see it)
    with pytest.raises(ValueError), Preview(double, {"double": stub}):
        raise ValueError("the learner's bug")
    with pytest.raises(KeyboardInterrupt), Preview(three, {"x": None}):
        raise KeyboardInterrupt
    with Preview(three, {"x": 3}):
        print(3)
    assert capsys.readouterr().out == "3\n"


def stub(n):
    raise NotImplementedError()


def test_a_failed_graded_cell_shows_the_feedback_not_a_traceback_into_the_checker():
    with pytest.raises(AssertionError) as info:
        three.grade(5)
    lines = info.value._render_traceback_()
    assert lines[0] == GRADED_CELL_FAILED and "Not yet" in "\n".join(lines)
    assert not any("exercise.py" in line for line in lines)


def test_hints_come_one_after_another_then_stay_on_the_last():
    @value_exercise("H", hints=("first", "second"))
    def h(x):
        pass

    assert "first" in str(h.hint()) and "second" in str(h.hint()) and "second" in str(h.hint())
    assert "first" in str(h.hint(1))


def test_html_escapes_the_learners_text():
    @value_exercise("E")
    def e(x):
        raise Mistake(f"bad `{x}`", id="bad", found="<script>alert(1)</script>")

    html = e.check("<b>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<code>&lt;b&gt;</code>" in html


def test_a_failed_run_of_the_answer_cell_is_reported_not_the_old_value(monkeypatch):
    namespace = {"x": 3}
    monkeypatch.setitem(
        answers._last_run,
        "x",
        answers.FailedRun("ValueError", "ValueError: bad", kept_old_value=True),
    )
    incorrect(three.check_namespace(namespace), "raised ValueError: bad", "earlier run")
    monkeypatch.setitem(
        answers._last_run,
        "x",
        answers.FailedRun("NotImplementedError", "NotImplementedError", kept_old_value=False),
    )
    not_attempted(three.check_namespace({"x": None}), "replace the starter code")


def test_what_a_grading_kernel_reports_is_judged_like_the_check():
    for answer in (3, 4, None, "3"):
        evidence.record(three, {"x": answer})
        report = evidence._report_one(three, [], {})
        assert three.judge_report(report) == three.result((answer,))
    for function in (lambda n: n * 2, lambda n: n + 2, lambda n: 1 / 0, 5):
        evidence.record(double, {"double": function})
        report = evidence._report_one(double, [], {})
        assert double.judge_report(report) == double.result((function,))


def test_hidden_cases_run_in_the_kernel_and_are_judged_outside_with_their_answers():
    hidden = [Case("a hidden case", (21,), 42)]
    evidence.record(double, {"double": lambda n: n * 2 if n != 21 else 0})
    report = evidence._report_one(double, [a for a in evidence.hidden_spec({"k": hidden})["k"]], {})
    assert "42" not in str(
        report["report"]["runs"][-1]["result"]
    )  # the answer never went into the kernel
    incorrect(double.judge_report(report, hidden), "On a hidden case")
    correct(double.judge_report(report))  # without the hidden case, the public ones pass


THREADS_SEEN: list[tuple[str, int]] = []


@function_exercise("Double it, counting threads", cases=[Case("a small number", (2,), 4)])
def double_counting_threads(result, case):
    import torch

    THREADS_SEEN.append(("verify", torch.get_num_threads()))
    if result != case.expected:
        raise Mistake(
            f"`double_counting_threads` returned {result!r}.",
            id="not_double",
            expected=repr(case.expected),
        )


def test_checks_run_torch_on_one_thread_and_give_the_learners_count_back():
    import torch

    def learner(n):
        THREADS_SEEN.append(("learner", torch.get_num_threads()))
        if n == 21:
            raise ValueError("a learner's error")
        return n * 2

    exercise, hidden = double_counting_threads, [Case("a hidden case", (21,), 42)]
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    THREADS_SEEN.clear()
    try:
        correct(exercise.check(learner))  # the public check, in the learner's kernel
        evidence.record(exercise, {"double_counting_threads": learner})
        report = evidence._report_one(
            exercise, evidence.hidden_spec({"k": hidden})["k"], {}
        )  # the grading kernel
        incorrect(exercise.judge_report(report, hidden), "on a hidden case")  # the grader's process
        run = harness.decode_run(report["report"]["runs"][0])
        assert exercise.judge_case(run, exercise.cases[0]) is None  # the grader, one case at a time
        assert torch.get_num_threads() == 2, (
            "the learner's thread count is restored, also after a learner's error"
        )
    finally:
        torch.set_num_threads(before)
    assert {who for who, _ in THREADS_SEEN} == {"learner", "verify"}
    assert {n for _, n in THREADS_SEEN} == {1}, f"threads during the checks: {THREADS_SEEN}"


def test_an_incorrect_result_names_its_mistake_by_the_exercise_qualified_id():
    assert three.check(4).mistake == "three.not_three"
    assert double.check(lambda n: n).mistake == "double.not_double"
    assert three.check(3).mistake == "" and three.check(None).mistake == ""


def test_the_harness_names_its_own_mistakes():
    def raises(n):
        raise ValueError("no")

    def changes(n):
        if isinstance(n, list):
            n.append(0)
        return n * 2

    assert double.check(raises).mistake == "double.raised"
    assert double.check(changes).mistake == "double.mutated_arguments"
    assert double.check(3).mistake == "double.not_a_function"


def test_a_mistake_without_a_slug_id_is_refused_where_it_is_declared():
    with pytest.raises(TypeError):
        Mistake("no id")
    with pytest.raises(ValueError):
        Mistake("from text", id="Left padding!")


def test_a_numpy_float_reaches_the_grader_as_the_numpy_scalar_it_is():
    """NumPy's float64 subclasses float: the report must not turn it into a Python float, or the grader would
    name another mistake than the check (`np.ceil(...)` returned where an int belongs)."""
    import numpy as np

    from checker import serial

    found = serial.decode(serial.encode(np.float64(3.0)))
    assert type(found) is np.float64 and found == 3.0
    assert type(serial.decode(serial.encode(2.5))) is float

"""One object per exercise, declared once: ``check()``, ``hint()``, ``solution()``, ``grade()``.

An exercise is declared in ``checker/exercises/sectionN.py`` with one of two decorators, and its name
(the attribute the learner calls, ``ex.pad_batch``) and its answer variables come from the decorated
function, never written twice:

- :func:`value_exercise` on ``def padded_ids(padded_ids): ...``: the learner sets the variables named
  by the function's parameters; the function raises :class:`~checker.outcome.Mistake` when they are wrong.
- :func:`function_exercise` on ``def pad_batch(result, case): ...``: the learner writes the function
  ``pad_batch``; it is run on each :class:`~checker.harness.Case` and the decorated function checks one result.

The same verification judges the public check in the learner's kernel and, in the grader, what a
grading kernel reports (:meth:`Exercise.collect` there, :meth:`Exercise.judge` here).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import answers as answer_reader
from . import evidence, feedback, harness, model_calls, serial, solutions
from .harness import Case
from .outcome import Mistake, NotAttempted, Outcome, Result
from .threads import one_thread

#: A graded cell shows this line above the feedback instead of a traceback into the checker.
GRADED_CELL_FAILED = "AssertionError: graded cell not passed"
#: An unanswered exercise's graded cell writes this line, and the feedback, to stderr (it does not raise).
GRADED_CELL_NOT_ATTEMPTED = "graded cell not attempted yet (0 points until you answer it)"
#: A function exercise's public cases: a list, or a function that makes it (from the active model's references).
Cases = Sequence[Case] | Callable[[], Sequence[Case]]
UNSEEN = object()  # no model call looked up yet


class Preview:
    """The context manager of :meth:`Exercise.preview`."""

    def __init__(self, exercise: Exercise, namespace: dict):
        self.exercise, self.namespace = exercise, namespace

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if error is not None and not isinstance(
            error, Exception
        ):  # an interrupt must stop the cell
            return False
        found = answer_reader.read(self.namespace, self.exercise.variables)
        unset = [
            f"`{a.name}`"
            for a in found
            if a.value is answer_reader.UNSET or a.value is None or a.value is Ellipsis
        ]
        if unset:
            what = f"{', '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set"
        elif isinstance(error, NotImplementedError):  # the starter code of a function
            what = f"{', '.join(f'`{n}`' for n in self.exercise.variables)} still raises NotImplementedError"
        else:
            return False  # answered (or the answer's own error, which the learner must see)
        print(f"Not attempted yet: {what}. Once you have answered, this cell shows what it gives.")
        return True


class Exercise:
    """What every exercise has; :class:`ValueExercise` and :class:`FunctionExercise` say how to verify."""

    kind = "exercise"

    def __init__(
        self, verify: Callable, title: str, hints: Sequence[str], variables: tuple[str, ...]
    ):
        self.name = verify.__name__
        self.section = verify.__module__.rsplit(".", 1)[-1]
        self.title, self.hints, self.variables = title, tuple(hints), variables
        self._verify_function = verify
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"<exercise {self.section}.{self.name}: {self.title}>"

    # --- the learner's API --------------------------------------------------------------------------

    def check(self, *answers: Any) -> Result:
        """Check the answer (given, or read from the calling notebook) and return the feedback."""
        if answers:
            return self.result(answers)
        return self.check_namespace(sys._getframe(1).f_globals)

    def grade(self, *answers: Any) -> None:
        """The graded cell: raise ``AssertionError`` with the feedback when the answer is wrong; for an
        unanswered exercise, write "Not attempted" to stderr instead of raising.

        Not raising lets a fresh notebook run to its end where no cell tag is honoured (Colab's Run all
        stops at the first error); nbgrader still scores such a cell 0, since a graded cell with stderr
        output gets no points (``nbgrader.utils.determine_grade``, in ``nbgrader validate`` too). In a
        grading run the grader decides the points itself from what this cell recorded
        (:mod:`checker.evidence`); what this cell raises or prints does not count.
        """
        namespace = sys._getframe(1).f_globals
        if not answers:
            evidence.record(self, namespace)
        result = self.result(answers) if answers else self.check_namespace(namespace)
        if result.outcome is Outcome.NOT_ATTEMPTED:
            print(f"{GRADED_CELL_NOT_ATTEMPTED}\n{result}", file=sys.stderr)
            return
        if not result.correct:
            error = AssertionError(str(result))
            # IPython shows this instead of a traceback into the checker: the feedback is the message.
            error._render_traceback_ = lambda: [GRADED_CELL_FAILED, str(result)]
            raise error

    def preview(self) -> Preview:
        """``with ex.NAME.preview():`` around the lines of an answer cell that show what the answer gives.

        Until the exercise is answered (the starter code's ``NotImplementedError``, or an answer variable
        still ``None``) the block ends with one line that says so, and does not fail, so that the notebook
        runs on to its end (Colab's Run all stops at the first error); any other error is the
        learner's, and is raised.
        """
        return Preview(self, sys._getframe(1).f_globals)

    def hint(self, number: int | None = None) -> feedback.Note:
        """The next hint (or hint ``number``, counting from 1)."""
        if not self.hints:
            return feedback.Note("Hint", "This exercise has no hint; re-read the section above it.")
        if number is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            number = self._hints_shown
        number = max(1, min(int(number), len(self.hints)))
        more = (
            f" ({number} of {len(self.hints)}; call .hint() again for the next)"
            if len(self.hints) > 1
            else ""
        )
        return feedback.Note(f"Hint{more}", self.hints[number - 1])

    def solution(self) -> feedback.Note:
        """The solution, as the course's source notebook has it (where this copy of the course has one)."""
        code = solutions.solution_code(self.section, self.name)
        if code is None:
            return feedback.Note(
                "Solution",
                "Your instructor holds the solutions: this copy of the course has "
                "only the exercises. Try the hints (`.hint()`), or ask.",
            )
        return feedback.Note("Solution", code, code=True)

    # --- judging --------------------------------------------------------------------------------------

    def check_namespace(self, namespace: dict) -> Result:
        """Check the answer as found in ``namespace`` (a notebook's globals), without showing anything."""
        found = answer_reader.read(namespace, self.variables)
        failed = next((a for a in found if a.failed_run), None)
        if failed:
            return self._failed_run(
                failed.name, failed.failed_run, failed.value is answer_reader.UNSET
            )
        return self.result(tuple(a.value for a in found))

    def _failed_run(self, name: str, run: answer_reader.FailedRun, unset: bool) -> Result:
        if (
            run.error_type == "NotImplementedError"
        ):  # the starter code's `raise NotImplementedError()`
            return self._outcome(
                Outcome.NOT_ATTEMPTED,
                f"`{name}` is not set yet: replace the starter code and run that cell first.",
            )
        return self._outcome(
            Outcome.INCORRECT, answer_reader.failed_run_problem(name, run, unset), "cell_raised"
        )

    def result(self, answers: tuple, verification: Callable[[], None] | None = None) -> Result:
        """The outcome for these answers, in the order of :attr:`variables`."""
        unset = [
            i
            for i, a in enumerate(answers)
            if a is answer_reader.UNSET or a is None or a is Ellipsis
        ]
        if unset:
            what = (
                ", ".join(f"`{self.variables[i]}`" for i in unset if i < len(self.variables))
                or "the answer"
            )
            return self._outcome(
                Outcome.NOT_ATTEMPTED,
                f"{what} is not set yet: replace the starter code and run that cell first.",
            )
        return self._judged(verification or (lambda: self._verify(*answers)))

    def _judged(self, verification: Callable[[], None]) -> Result:
        try:
            with one_thread():
                verification()
        except NotAttempted as reason:
            return self._outcome(Outcome.NOT_ATTEMPTED, str(reason) or "Not attempted yet.")
        except Mistake as m:
            return Result(
                self.title,
                Outcome.INCORRECT,
                m.problem,
                m.expected,
                m.found,
                m.cause,
                m.hint or self._first_hint(),
                mistake=self.mistake_key(m.id),
            )
        except RecursionError:
            return self._outcome(
                Outcome.INCORRECT, "Your answer recursed without end.", "endless_recursion"
            )
        except Exception as error:  # the answer is unreadable in a way no verification foresaw
            found = harness.learner_error(error)
            problem = (
                f"Your code raised {found.sentence()} ({found.line})."
                if found.line
                else f"The checker could not check this answer ({found.sentence()}). If your answer has the type "
                "and shape the task asks for, this is a bug in the checker: please report it."
            )
            if found.line:
                return self._outcome(Outcome.INCORRECT, problem, "answer_raised")
            return self._outcome(Outcome.INCORRECT, problem, "unchecked")
        return Result(self.title, Outcome.CORRECT)

    def _outcome(self, outcome: Outcome, problem: str, mistake: str = "") -> Result:
        """A result that no :class:`Mistake` made; an INCORRECT one names its ``mistake`` id all the same."""
        incorrect = outcome is Outcome.INCORRECT
        assert mistake or not incorrect, "an INCORRECT outcome names its mistake"
        return Result(
            self.title,
            outcome,
            problem=problem,
            hint=self._first_hint() if incorrect else "",
            mistake=self.mistake_key(mistake) if incorrect else "",
        )

    def mistake_key(self, mistake_id: str) -> str:
        """The exercise-qualified id of one of its mistakes: ``pad_batch.left_padding``."""
        return f"{self.name}.{mistake_id}"

    def _first_hint(self) -> str:
        return self.hints[0] if self.hints else ""

    def _verify(self, *answers: Any) -> None:
        raise NotImplementedError

    # --- grading: what a grading kernel reports, judged by the grader ---------------------------------

    def judge_report(self, data: dict, extra_cases: Sequence[Case] = ()) -> Result:
        """The outcome for one report of a grading kernel (:func:`checker.evidence.report`)."""
        if "failed_run" in data:
            name, error_type, error, kept, unset, note = data["failed_run"]
            return self._failed_run(
                str(name),
                answer_reader.FailedRun(
                    str(error_type), str(error)[:300], bool(kept), str(note)[:300]
                ),
                bool(unset),
            )
        if "report" in data:
            return self.judge(data["report"], extra_cases)
        return self._outcome(
            Outcome.INCORRECT, "The grading run reported nothing for this exercise.", "no_report"
        )

    def collect(self, values: tuple, extra_cases: Sequence[Case] = ()) -> dict:
        """What the grader needs to judge these answers, as JSON-ready data (run in the grading kernel)."""
        raise NotImplementedError

    def judge(self, collected: dict, extra_cases: Sequence[Case] = ()) -> Result:
        """The outcome for what :meth:`collect` reported (run by the grader, outside the kernel)."""
        raise NotImplementedError


class ValueExercise(Exercise):
    """The learner sets variables; ``verify(*values)`` raises a Mistake unless they are right.

    With ``observe=True`` the verification also gets ``call=``: the model call that produced the first
    value (:func:`checker.model_calls.provenance`), or None when no call of the course model did.
    """

    kind = "value"

    def __init__(
        self, verify: Callable, title: str, hints: Sequence[str] = (), observe: bool = False
    ):
        params = [
            name
            for name, p in inspect.signature(verify).parameters.items()
            if p.kind is not p.KEYWORD_ONLY
        ]
        super().__init__(verify, title, hints, tuple(params))
        self.observe = observe

    def _verify(self, *answers: Any, call: Any = UNSEEN) -> None:
        if not self.observe:
            return self._verify_function(*answers)
        if call is UNSEEN:
            call = model_calls.provenance(answers[0])
        return self._verify_function(*answers, call=call)

    def collect(self, values: tuple, extra_cases: Sequence[Case] = ()) -> dict:
        collected = {"values": [serial.encode(v) for v in values]}
        if self.observe:
            call = model_calls.provenance(values[0]) if values else None
            collected["call"] = call.to_dict() if call else None
            rows = model_calls.report_rows(values[0]) if values and call is None else None
            if rows:  # the calls that hold its rows (one at a time, another batch): the grader names that too
                collected["rows"] = rows
        return collected

    def judge(self, collected: dict, extra_cases: Sequence[Case] = ()) -> Result:
        values = tuple(serial.decode(v) for v in collected.get("values", []))
        if len(values) != len(self.variables):
            return self._outcome(
                Outcome.NOT_ATTEMPTED, "The grader found no answer for this exercise."
            )
        if not self.observe:
            return self.result(values)
        call = collected.get("call")
        call = model_calls.ModelCall.from_dict(call) if call is not None else None
        rows = collected.get("rows")

        def verify() -> None:
            with model_calls.reported_rows(rows):
                self._verify(*values, call=call)

        return self.result(values, verify)


class FunctionExercise(Exercise):
    """The learner writes a function; it runs on each case and ``check_result(result, case)`` judges it."""

    kind = "function"

    def __init__(
        self,
        check_result: Callable,
        title: str,
        cases: Cases,
        hints: Sequence[str] = (),
        seconds: float | None = None,
        mutation: tuple[str, str] = harness.MUTATION,
        watch: Callable | None = None,
        across: Callable | None = None,
    ):
        super().__init__(check_result, title, hints, (check_result.__name__,))
        self._cases, self.seconds, self.mutation, self.watch = cases, seconds, mutation, watch
        self.across = (
            across  # (cases, runs) -> None: may name a mistake that only all cases together reveal
        )

    @property
    def cases(self) -> tuple[Case, ...]:
        """The public cases (made when first needed, for cases built from the active model's references)."""
        return tuple(self._cases() if callable(self._cases) else self._cases)

    def _verify(self, function: Any) -> None:
        if not callable(function):
            raise harness.not_a_function(function, self.name)
        if self.across is None:  # judge as it runs: a wrong answer stops at its first wrong case
            for case in self.cases:
                self._judge_run(self._run(function, case), case)
            return
        cases, runs = self.cases, []
        for case in cases:
            runs.append(self._run(function, case))
            if (
                runs[-1].timed_out
            ):  # as in collect(): one endless loop costs the time limit once, not per case
                break
        self._judge_runs(cases, runs)

    def _run(self, function: Callable, case: Case) -> harness.Run:
        return harness.run(function, case, self.seconds or harness.DEFAULT_SECONDS, self.watch)

    def _judge_run(self, run: harness.Run, case: Case) -> None:
        harness.judge(self._verify_function, run, case, self.name, self.mutation)

    def judge_case(self, run: harness.Run, case: Case) -> Mistake | None:
        """What is wrong with one run on one case, or None when it is right (for the grader)."""
        try:
            with one_thread():
                self._judge_run(run, case)
        except Mistake as mistake:
            return mistake
        except NotAttempted as reason:
            return Mistake(str(reason), id="not_implemented")
        except Exception as error:  # a result no verification foresaw
            return Mistake(
                f"`{self.name}`'s result could not be checked ({type(error).__name__}).",
                id="result_unchecked",
            )
        return None

    def _judge_runs(self, cases: Sequence[Case], runs: Sequence[harness.Run]) -> None:
        for index, case in enumerate(cases):
            if index >= len(runs):
                raise Mistake(
                    f"`{self.name}` was not run on {case.description}: an earlier case did not finish.",
                    id="not_run",
                )
            try:
                self._judge_run(runs[index], case)
            except Mistake:
                if self.across is not None:
                    self.across(cases[: len(runs)], runs)
                raise

    def collect(self, values: tuple, extra_cases: Sequence[Case] = ()) -> dict:
        (function,) = values
        if not callable(function):
            return {"not_callable": serial.encode(function)}
        runs = []
        for case in (*self.cases, *extra_cases):
            run = self._run(function, case)
            runs.append(harness.encode_run(run))
            if (
                run.timed_out
            ):  # one endless loop is enough: the other cases would each cost the limit again
                break
        return {"runs": runs}

    def judge(self, collected: dict, extra_cases: Sequence[Case] = ()) -> Result:
        if "not_callable" in collected:
            return self.result((serial.decode(collected["not_callable"]),))
        runs = [harness.decode_run(r) for r in collected.get("runs", [])]
        return self._judged(lambda: self._judge_runs((*self.cases, *extra_cases), runs))


def value_exercise(
    title: str, *, hints: Sequence[str] = (), observe: bool = False
) -> Callable[[Callable], ValueExercise]:
    """Declare a value exercise; the decorated function's positional parameters are the variables the learner
    sets (``observe=True``: it also takes ``call=``, the model call that produced the first one).

    ``@value_exercise("Pad the batch", hints=("...",))`` on ``def padded_ids(padded_ids): ...``, which returns
    quietly when the answer is right and raises ``Mistake("...", id="left_padding", ...)`` for each mistake it
    names (the first checks: :mod:`checker.gates`, :mod:`checker.compare`). Its rows (right and wrong
    answers, each with the mistake id it must get) go in ``checker/exercises/attempts/sectionN.py``."""
    return lambda verify: ValueExercise(verify, title, hints, observe)


def function_exercise(
    title: str,
    *,
    cases: Cases,
    hints: Sequence[str] = (),
    seconds: float | None = None,
    mutation: tuple[str, str] = harness.MUTATION,
    watch: Callable | None = None,
    across: Callable | None = None,
) -> Callable[[Callable], FunctionExercise]:
    """Declare a function exercise named like the learner's function; the decorated ``(result, case)``
    function checks one result.

    ``@function_exercise("Write pad_batch", cases=[Case("the notebook's batch", (seqs, 0), expected)])`` on
    ``def pad_batch(result, case): ...``. The harness runs the learner's function on each case (deep copies of
    the arguments, a time limit) and names what it owns itself: a function that raised (``raised``), ran out of
    time (``timed_out``), changed its arguments (``mutated_arguments``) or is not a function; the decorated
    function names the rest with ``Mistake(..., id=...)``. The hidden cases: ``grading/hidden/sectionN.py``,
    a list named like the exercise (a test fails without one)."""
    return lambda check_result: FunctionExercise(
        check_result, title, cases, hints, seconds, mutation, watch, across
    )


class TracedValueExercise(ValueExercise):
    """A value exercise whose ``call=`` is found by ``trace`` instead of among the course model's calls.

    ``trace`` has ``provenance(value)`` (a record with ``to_dict()``, or None) and ``from_dict(data)``: for the
    decoder's forward and ``generate`` calls, :data:`checker.generation_calls.FORWARD` and ``GENERATE``.
    """

    def __init__(self, verify: Callable, title: str, hints: Sequence[str], trace: Any):
        super().__init__(verify, title, hints, observe=True)
        self.trace = trace

    def _verify(self, *answers: Any, call: Any = UNSEEN) -> None:
        if call is UNSEEN:
            call = self.trace.provenance(answers[0], self.variables[0])
        return self._verify_function(*answers, call=call)

    def collect(self, values: tuple, extra_cases: Sequence[Case] = ()) -> dict:
        call = self.trace.provenance(values[0], self.variables[0]) if values else None
        collected = {
            "values": [serial.encode(v) for v in values],
            "call": call.to_dict() if call else None,
        }
        found = self.trace.report(values[0]) if values and call is None else None
        if (
            found
        ):  # what else the kernel saw (outputs of one prompt each): the grader names that too
            collected["trace"] = found
        return collected

    def judge(self, collected: dict, extra_cases: Sequence[Case] = ()) -> Result:
        values = tuple(serial.decode(v) for v in collected.get("values", []))
        if len(values) != len(self.variables):
            return self._outcome(
                Outcome.NOT_ATTEMPTED, "The grader found no answer for this exercise."
            )
        call = collected.get("call")
        call = self.trace.from_dict(call) if call is not None else None

        def verify() -> None:
            with self.trace.reported(collected.get("trace")):
                self._verify(*values, call=call)

        return self.result(values, verify)


def traced_value_exercise(
    title: str, *, trace: Any, hints: Sequence[str] = ()
) -> Callable[[Callable], TracedValueExercise]:
    """Declare a value exercise whose verification also gets ``call=``, the record ``trace`` finds for the first
    variable's value (or None)."""
    return lambda verify: TracedValueExercise(verify, title, hints, trace)


class RunExercise(FunctionExercise):
    """A function exercise whose verification sees each whole run, not only its result: ``verify(result, case,
    run)``, where ``run`` (:class:`~checker.harness.Run`) also holds the model calls it made (with ``watch=``)
    and whether it returned one of its own arguments.

    ``explain(run, case)``, when given, is asked first, also about a run that raised or was stopped: it names
    what only the run shows (a call the watch stopped, a call the model refused) and returns quietly otherwise.
    """

    def __init__(
        self,
        verify: Callable,
        title: str,
        cases: Cases,
        explain: Callable | None = None,
        **options: Any,
    ):
        super().__init__(verify, title, cases, **options)
        self.explain = explain

    def _judge_run(self, run: harness.Run, case: Case) -> None:
        if self.explain is not None and not (run.error and run.error.name == "NotImplementedError"):
            try:
                self.explain(run, case)
            except Mistake as mistake:
                mistake.problem = f"On {case.description}: {mistake.problem}"
                raise
        harness.judge(
            lambda result, case_: self._verify_function(result, case_, run),
            run,
            case,
            self.name,
            self.mutation,
        )


def run_exercise(
    title: str,
    *,
    cases: Cases,
    hints: Sequence[str] = (),
    seconds: float | None = None,
    mutation: tuple[str, str] = harness.MUTATION,
    watch: Callable | None = None,
    across: Callable | None = None,
    explain: Callable | None = None,
) -> Callable[[Callable], RunExercise]:
    """Declare a function exercise whose ``(result, case, run)`` check also sees the run (:class:`RunExercise`)."""
    return lambda verify: RunExercise(
        verify,
        title,
        cases,
        explain=explain,
        hints=hints,
        seconds=seconds,
        mutation=mutation,
        watch=watch,
        across=across,
    )

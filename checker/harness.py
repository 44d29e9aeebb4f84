"""Running a learner's function on cases, and judging what it did, the same way everywhere.

A :class:`Case` is data: a description a learner can read, the arguments, the expected value (or
the exception the function must raise). :func:`run` calls the function on deep copies of the
arguments, within a time limit, and keeps what happened as data (:class:`Run`): the result, the
error it raised, whether it ran out of time, whether it changed its arguments. :func:`judge` turns a
run into a verdict with the exercise's own verification of one result. The public check runs and
judges in the learner's kernel; the grader judges runs that the grading kernel reports, with the
same code.
"""

from __future__ import annotations

import copy
import re
import signal
import sysconfig
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import config, serial
from .compare import describe
from .outcome import Mistake, NotAttempted

#: Where code that is not the learner's lives: the course's packages, the installed ones, the standard library.
_LIBRARIES = tuple(
    str(p)
    for p in {
        config.PACKAGE_DIR,
        config.PACKAGE_DIR.parent / "multiseq",
        *(sysconfig.get_paths()[k] for k in ("stdlib", "purelib", "platlib")),
    }
)
DEFAULT_SECONDS = (
    2.0  # per call: far above what a right answer needs, short enough to keep a check quick
)


@dataclass(frozen=True)
class Case:
    """One call of the learner's function and what it must give back.

    ``Case("three sequences, the longest in the middle", ([[7, 8], [1, 2, 3, 4], [5]], 0), expected)``: the
    description is shown to the learner when the case fails (a hidden case's names the property it tests,
    never its values); ``raises=ValueError`` for a case the function must refuse; ``why`` is the likely cause
    a verification may show for a wrong result on it.
    """

    description: str  # "three sequences, the longest in the middle": named in the feedback
    args: tuple
    expected: Any = None
    raises: type[BaseException] | None = (
        None  # the function must raise this (e.g. ValueError) instead
    )
    why: str = ""  # what a wrong result on this case usually means, for the feedback


@dataclass(frozen=True)
class LearnerError:
    """An exception the learner's code raised, as data: its class names, first line and the learner's line."""

    types: tuple[str, ...]  # the class and its bases, most specific first
    message: str
    line: str = ""  # "line 3: `width = max(...)`", the innermost frame of the learner's own code
    note: str = ""  # what it means, when it is a known trap

    @property
    def name(self) -> str:
        return self.types[0] if self.types else "Exception"

    def sentence(self) -> str:
        return f"{self.name}: {self.message}" if self.message else self.name


@dataclass
class Run:
    """What one call of the learner's function did."""

    result: Any = None
    error: LearnerError | None = None
    timed_out: bool = False
    mutated: bool = False
    seconds: float = 0.0
    calls: list = field(
        default_factory=list
    )  # the model calls made during the run (checker.model_calls)
    returned_argument: bool = (
        False  # the result is one of the (mutable) arguments itself, not a new object
    )


class _TimeUp(BaseException):
    """BaseException, so a learner's bare ``except Exception`` cannot swallow it."""


@contextmanager
def time_limit(seconds: float):
    """Interrupt the body after ``seconds`` (main thread on Unix; elsewhere no limit is possible)."""
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        yield
        return

    def interrupt(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def learner_error(error: BaseException) -> LearnerError:
    """An exception as data, with the innermost line of the learner's own code (not torch's, not ours)."""
    text = (str(error).strip().splitlines() or [""])[0][:200]
    line = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if not frame.filename.startswith(_LIBRARIES):
            line = f"line {frame.lineno}: `{(frame.line or '').strip()}`"
            break
    types = tuple(k.__name__ for k in type(error).__mro__ if k not in (BaseException, object))
    return LearnerError(types, text, line, known_trap(error))


def known_trap(error: BaseException) -> str:
    """The meaning of errors whose own text says nothing useful."""
    if (
        isinstance(error, AttributeError)
        and not str(error)
        and isinstance(error.__context__, KeyError)
    ):
        # transformers' BatchEncoding.__getattr__ turns the missing 'size' into a bare AttributeError
        return (
            "that empty AttributeError comes from passing the tokenizer's whole output as the model's first "
            "argument (`model(batch)`): unpack it into keyword arguments, `model(**batch)`"
        )
    return tensor_trap(error) or more_traps(error)


def same_value(a: Any, b: Any) -> bool:
    """Deep equality that also compares tensors and arrays (by dtype, shape and values)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, Mapping):  # not a dict: transformers' BatchEncoding is a UserDict
        return set(a.keys()) == set(b.keys()) and all(same_value(a[k], b[k]) for k in a.keys())
    if hasattr(a, "dtype") and hasattr(a, "shape"):
        try:
            import numpy as np

            return (
                a.dtype == b.dtype
                and tuple(a.shape) == tuple(b.shape)
                and bool(
                    np.array_equal(
                        a.detach().cpu().numpy() if hasattr(a, "detach") else a,
                        b.detach().cpu().numpy() if hasattr(b, "detach") else b,
                        equal_nan=True,
                    )
                )
            )
        except (TypeError, RuntimeError, ValueError):
            return a is b
    try:
        return bool(a == b)
    except Exception:  # a value whose == does not answer
        return a is b


def run(
    function: Callable, case: Case, seconds: float = DEFAULT_SECONDS, watch: Callable | None = None
) -> Run:
    """Call ``function(*case.args)`` on deep copies of the arguments, within ``seconds``.

    ``watch``: a context manager factory whose value (a list) collects the model calls made during the
    run, such as :func:`checker.model_calls.watching`.
    """
    given, pristine = copy.deepcopy(case.args), copy.deepcopy(case.args)
    outcome = Run()
    started = time.perf_counter()
    try:
        with watch() if watch else _no_watch() as calls, time_limit(seconds):
            try:
                outcome.result = function(*given)
            finally:
                outcome.calls = list(calls)
    except _TimeUp:
        outcome.timed_out = True
    except (
        Exception,
        SystemExit,
    ) as error:  # SystemExit: a learner's sys.exit() must not end the check
        outcome.error = learner_error(error)
    outcome.seconds = time.perf_counter() - started
    outcome.mutated = not same_value(given, pristine)
    outcome.returned_argument = _is_an_argument(outcome.result, given)
    return outcome


@contextmanager
def _no_watch():
    yield []


#: Why a function changes its arguments, and what to do instead (an exercise may say it for its own task).
MUTATION = (
    "`.append`, `.extend`, `+=`, `del` or slice assignment on an argument change the caller's object",
    "build and return new lists (`seq + [...]`, `list(seq)`); leave the arguments as they are",
)


def judge(
    result_check: Callable[[Any, Case], None],
    run_: Run,
    case: Case,
    name: str,
    mutation: tuple[str, str] = MUTATION,
) -> None:
    """Raise :class:`Mistake` (or :class:`NotAttempted`) unless ``run_`` is right for ``case``.

    ``result_check(result, case)`` is the exercise's verification of one returned value.
    """
    error = run_.error
    if error and error.name == "NotImplementedError":
        raise NotAttempted(
            f"`{name}` still raises NotImplementedError: replace that line with your code."
        )
    if run_.timed_out:
        raise Mistake(
            f"`{name}` did not return within the time limit on {case.description}.",
            id="timed_out",
            cause="a loop that never ends (check the loop's condition and that it advances)",
        )
    if case.raises is not None:
        if error and case.raises.__name__ in error.types:
            return
        raise Mistake(
            f"`{name}` did not raise {case.raises.__name__} on {case.description}.",
            id="did_not_raise",
            expected=f"`raise {case.raises.__name__}(...)`",
            found=f"it raised {error.sentence()}"
            if error
            else f"it returned {describe(run_.result)}",
        )
    if error:
        raise Mistake(
            f"`{name}` raised {error.sentence()} on {case.description}.",
            id="raised",
            found=f"your {error.line}" if error.line else "",
            cause=_width_of_a_shorter_row(error, case)
            or error.note
            or "run that case yourself in a cell to see the whole traceback",
        )
    if run_.mutated:
        raise Mistake(
            f"`{name}` changed the {_kind_of(case.args)} it was given, on {case.description}.",
            id="mutated_arguments",
            expected="the caller's arguments left as they were",
            cause=mutation[0],
            hint=mutation[1],
        )
    try:
        result_check(run_.result, case)
    except Mistake as mistake:
        mistake.problem = f"On {case.description}: {mistake.problem}"
        raise


def _kind_of(args: tuple) -> str:
    if any(isinstance(a, list) for a in args):
        return "lists"
    return (
        "tensors" if any(hasattr(a, "dtype") and hasattr(a, "shape") for a in args) else "arguments"
    )


def not_a_function(value: Any, name: str) -> Mistake:
    return Mistake(
        f"`{name}` is not a function.",
        id="not_a_function",
        expected=f"a function defined with `def {name}(...)`",
        found=describe(value),
    )


# --- runs as data: what a grading kernel reports of each call -------------------------------------------


def encode_run(run: Run) -> dict:
    error = run.error
    return {
        "result": serial.encode(run.result),
        "error": None
        if error is None
        else [list(error.types), error.message, error.line, error.note],
        "timed_out": bool(run.timed_out),
        "mutated": bool(run.mutated),
        "seconds": float(run.seconds),
        "calls": [serial.encode(c) for c in run.calls],
        "returned_argument": bool(run.returned_argument),
    }


def decode_run(data: Any) -> Run:
    """A run from a grading kernel's report (the learner's data: :class:`checker.serial.Unreadable` if odd)."""
    if not isinstance(data, dict):
        raise serial.Unreadable("not a run")
    error = data.get("error")
    if error is not None:
        if not isinstance(error, list) or len(error) != 4 or not isinstance(error[0], list):
            raise serial.Unreadable("not an error")
        types, message, line, note = error
        error = LearnerError(
            tuple(str(t) for t in types), str(message)[:300], str(line)[:300], str(note)[:300]
        )
    seconds = data.get("seconds", 0.0)
    calls = data.get("calls", [])
    if not isinstance(seconds, (int, float)) or not isinstance(calls, list):
        raise serial.Unreadable("not a run")
    return Run(
        result=serial.decode(data.get("result")),
        error=error,
        timed_out=bool(data.get("timed_out")),
        mutated=bool(data.get("mutated")),
        seconds=float(seconds),
        calls=[serial.decode(c) for c in calls],
        returned_argument=bool(data.get("returned_argument", False)),
    )


def _width_of_a_shorter_row(error: LearnerError, case: Case) -> str:
    """A ragged tensor whose first row has the first sequence's length, on a case where a later sequence is
    longer: the rows were not brought to the longest length (torch's own words show the first row's)."""
    found = re.match(r"expected sequence of length (\d+) at dim 1 \(got (\d+)\)", error.message)
    sequences = case.args[0] if case.args else None
    if not found or not isinstance(sequences, list) or not sequences:
        return ""
    if not all(isinstance(s, list) for s in sequences):
        return ""
    width, longest = int(found[1]), max(len(s) for s in sequences)
    if width != len(sequences[0]) or width >= longest:
        return ""
    return (
        f"{error.note}. Here the first row kept the first sequence's length ({width}) and a later row has "
        f"{longest} ids: the "
        "rows were not all brought to the longest length (a width taken from the first sequence gives "
        "this whenever the first is not the longest). The width is the longest sequence's, "
        "`max(len(s) for s in sequences)`"
    )


def tensor_trap(error: BaseException) -> str:
    """What ``torch.tensor``'s errors on lists of ids mean: token strings among the ids, or rows of unequal length."""
    text = str(error)
    if isinstance(error, (TypeError, ValueError)) and (
        "'str'" in text and ("invalid data type" in text or "too many dimensions" in text)
    ):
        return (
            "`torch.tensor` was given text: token strings where ids belong; convert them with "
            "`tokenizer.convert_tokens_to_ids(...)`"
        )
    if isinstance(error, AttributeError) and text in (
        "'list' object has no attribute 'size'",
        "'tuple' object has no attribute 'size'",
    ):
        kind = text.split("'")[1]
        return f"the model was given a Python {kind} where it takes a tensor of ids" + (
            ": make it one with `torch.tensor(...)`"
            if kind == "list"
            else " (such as a pair of tensors): unpack it first, `ids, mask = ...`, or `model(*pair)`"
        )
    if isinstance(error, ValueError) and text.startswith("expected sequence of length"):
        return (
            "`torch.tensor` was given rows of different lengths (a ragged list): a tensor needs every row "
            "padded to one length"
        )
    return ""


#: Errors of the tokenizer (and of its word ids), the DataLoader and autograd whose text does not say what to change
#: (sections 9 and 10): a fragment of the error's first line, and what it means.
MORE_TRAPS = (
    (
        "Sequence to truncate too short to respect the provided max_length",
        "the strategy may cut only one text of the pair (`only_first` cuts the first, `only_second` the second), and "
        "that text is too short to bring the pair down to `max_length`: check which text comes first and which one "
        "the strategy cuts (a question and its context: `tokenizer(question, context, truncation='only_second')`)",
    ),
    (
        "Second sequence not provided",
        "`only_second` needs a pair: call the tokenizer with two texts, `tokenizer(first, second, ...)`",
    ),
    (
        "each element in list of batch should be of equal size",
        "without a `collate_fn` the DataLoader stacks the features as they are, and their lengths differ: pass "
        "`collate_fn=DataCollatorWithPadding(tokenizer)`, which pads each batch",
    ),
    (
        "does not require grad and does not have a grad_fn",
        "the loss has no graph to follow back: it was computed inside `torch.no_grad()` or `torch.inference_mode()`, "
        "or from a detached value (`.item()`, `.detach()`); compute the training loss with gradients on",
    ),
    (
        "Inference tensors cannot be saved for backward",
        "tensors made inside `torch.inference_mode()` can never enter a computation that is differentiated: "
        "run the training forward pass outside it",
    ),
    (
        "'NoneType' object has no attribute 'backward'",
        "`outputs.loss` is None: the model computes a loss only when it is given `labels`",
    ),
    (
        "index -100 is out of bounds",
        "a label -100 was used as a class index: pick the labelled positions first (`labels != -100`), or let "
        "`F.cross_entropy` skip them",
    ),
    (
        "list indices must be integers or slices, not NoneType",
        "None was used as a list index: `word_ids()` and `sequence_ids()` give None for the special tokens, so "
        "test `is None` before indexing with one",
    ),
    (
        "Target -100 is out of bounds",
        "a label -100 reached the loss as a class: `F.cross_entropy` skips -100 only with its default "
        "`ignore_index=-100`",
    ),
)


def more_traps(error: BaseException) -> str:
    """The meaning of the errors of :data:`MORE_TRAPS` (empty for any other error)."""
    text = str(error)
    return next((meaning for fragment, meaning in MORE_TRAPS if fragment in text), "")


def _is_an_argument(result: Any, given: tuple) -> bool:
    """Whether ``result`` is one of the mutable arguments itself (``return ids``), not a new object."""
    return any(
        result is a
        for a in given
        if isinstance(a, (list, dict, set, bytearray)) or hasattr(a, "shape")
    )

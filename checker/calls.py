"""Calling a learner's function safely: a time limit, and errors turned into feedback."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Callable

from .compare import describe
from .exercise import Mistake

DEFAULT_SECONDS = 10.0


class _TimeUp(BaseException):
    """BaseException, so a learner's bare ``except Exception`` cannot swallow it."""


@contextmanager
def time_limit(seconds: float):
    """Interrupt the body after ``seconds`` (main thread on Unix; elsewhere no limit is possible)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
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


def call(function: Any, *args: Any, name: str, case: str, seconds: float | None = None) -> Any:
    """``function(*args)``; a Mistake if it is not callable, loops past ``seconds``, or raises."""
    if not callable(function):
        raise Mistake(f"`{name}` is not a function.", expected=f"a function defined with `def {name}(...)`",
                      found=describe(function))
    seconds = DEFAULT_SECONDS if seconds is None else seconds
    try:
        with time_limit(seconds):
            return function(*args)
    except _TimeUp:
        raise Mistake(f"`{name}` did not return within {seconds:g} s on {case}.",
                      cause="a loop that never ends (check the loop's condition and that it advances)") from None
    except (NotImplementedError, Mistake):
        raise
    except (Exception, SystemExit) as error:  # SystemExit: a learner's sys.exit() must not end the check
        text = (str(error).strip().splitlines() or [""])[0][:160]
        raise Mistake(f"`{name}` raised {type(error).__name__} on {case}" + (f": {text}" if text else "."),
                      cause="run that case yourself in a cell to see the full traceback") from None


def check_each(cases: list[tuple[str, tuple, Callable[[Any], None]]], function: Any, name: str) -> None:
    """Run ``function`` on each ``(description, args, verify)`` case; the first failure names its case."""
    for description, args, verify in cases:
        result = call(function, *args, name=name, case=description)
        try:
            verify(result)
        except Mistake as mistake:
            mistake.problem = f"On {description}: {mistake.problem}"
            raise

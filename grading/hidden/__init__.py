"""The hidden cases of the function exercises: ``grading/hidden/sectionN.py`` has, for each function exercise
of section N, a list of :class:`~checker.harness.Case` named like the exercise.

They are the instructor's: never in a notebook, never in what students get. At grading time only their
arguments go into the grading kernel (:func:`checker.evidence.hidden_spec`); their answers stay with the
grader, which judges the kernel's report with them. Their descriptions name the property each case tests,
never its values: they are what a student reads when a hidden case fails.
"""

from __future__ import annotations

import importlib

from checker.exercises import catalog
from checker.harness import Case


def cases_for(key: str) -> list[Case]:
    """The hidden cases of exercise ``sectionN.name`` (none for a value exercise)."""
    section, name = key.split(".", 1)
    try:
        module = importlib.import_module(f"{__name__}.{section}")
    except ModuleNotFoundError:
        return []
    return list(getattr(module, name, []))


def all_cases() -> dict[str, list[Case]]:
    """Every function exercise's hidden cases, by exercise key."""
    return {
        key: cases_for(key) for key, exercise in catalog().items() if exercise.kind == "function"
    }

"""The exercises of each section, declared once: ``from checker.exercises import section2 as ex``.

``sectionN`` holds the exercises of notebook ``NN_*.ipynb``; each is an :class:`~checker.exercise.Exercise`
with ``check()``, ``hint()`` and ``solution()``.
"""
from __future__ import annotations

import importlib

from ..exercise import Exercise

SECTIONS = tuple(f"section{n}" for n in range(1, 9))


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of the course, keyed ``sectionN.name``."""
    found = {}
    for section in SECTIONS:
        module = importlib.import_module(f"{__name__}.{section}")
        for name, value in vars(module).items():
            if isinstance(value, Exercise):
                found[f"{section}.{name}"] = value
    return found

"""The exercises of each section, declared once: ``from checker.exercises import section2 as ex``.

``sectionN`` holds the exercises of notebook ``NN_*.ipynb`` (the number is the link between the two),
in the order the notebook asks them. This module is the one list of sections and exercises that the
command line, the grader and the tests use.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from .. import answers
from ..exercise import Exercise

answers.track()  # a notebook that imports its exercises gets its answer cells followed from here on


def sections() -> list[str]:
    """``section1``, ``section2``, ... in order."""
    found = [m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"section\d+", m.name)]
    return sorted(found, key=lambda name: int(name[len("section") :]))


def section_of(notebook: str | Path) -> str | None:
    """``07_longer_sequences.ipynb`` belongs to ``section7`` (when that section exists)."""
    match = re.match(r"(\d+)_", Path(notebook).name)
    section = f"section{int(match.group(1))}" if match else None
    return section if section in sections() else None


def exercises_of(section: str) -> dict[str, Exercise]:
    """The exercises of one section, by name, in the order they are declared (the notebook's order)."""
    module = importlib.import_module(f"{__name__}.{section}")
    return {name: value for name, value in vars(module).items() if isinstance(value, Exercise)}


def catalog() -> dict[str, Exercise]:
    """Every exercise of the course, keyed ``sectionN.name``, in course order."""
    return {
        f"{section}.{name}": exercise
        for section in sections()
        for name, exercise in exercises_of(section).items()
    }

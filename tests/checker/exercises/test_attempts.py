"""Every row of checker/exercises/attempts, run in this process: the check and the grader give it its due.

A right answer is accepted by the public check and by the grader; the starter code (each answer cell as the
release hands it out, derived here) is not attempted; a wrong answer is refused by both, and both name the row's mistake (its id, ``pad_batch.left_padding``) with the
row's words. Each section's solution notebook runs once, in an IPython shell in this process, up to each
exercise's answer cell; every row starts from what the notebook holds there (tests/helpers/attempts.py).
The rows that need a real kernel run there too (tests/corpus).
"""

from __future__ import annotations

import importlib

import pytest

from checker.exercises import exercises_of, sections
from checker.exercises.attempts import CORRECT, NOT_ATTEMPTED, Attempt
from tests.helpers.attempts import Notebook, answer_order, notebook_of
from tests.helpers.notebooks import released_cell


def rows(section: str) -> list:
    try:
        module = importlib.import_module(f"checker.exercises.attempts.{section}")
    except ModuleNotFoundError:
        return []
    order = answer_order(section)
    return sorted(module.ATTEMPTS, key=lambda a: order.index(a.exercise))


def starters(section: str) -> list[Attempt]:
    """The answer cell of each exercise as the release hands it out: the starter code, never attempted."""
    notebook = notebook_of(section).name
    return [
        Attempt(
            name,
            NOT_ATTEMPTED,
            "the released starter code",
            released_cell(notebook, f"{name}_answer").source,
        )
        for name in answer_order(section)
    ]


def section_rows(section: str) -> list[tuple[str, Attempt]]:
    order = answer_order(section)
    found = sorted(rows(section) + starters(section), key=lambda a: order.index(a.exercise))
    return [(section, row) for row in found]


ROWS = [pair for section in sections() for pair in section_rows(section)]


def row_id(section: str, row: Attempt) -> str:
    return f"{section}:{row.exercise}.{row.mistake}:{row.what}"


@pytest.fixture(scope="module")
def notebooks():
    opened: dict[str, Notebook] = {}
    yield opened
    for notebook in opened.values():
        notebook.close()


@pytest.mark.parametrize("section, row", ROWS, ids=[row_id(s, r) for s, r in ROWS])
def test_the_check_and_the_grader_give_each_attempt_its_due(section, row, notebooks, course):
    if section not in notebooks:
        for other in list(notebooks):  # one notebook at a time: rows come section by section
            notebooks.pop(other).close()
        notebooks[section] = Notebook(section)
    outcome = notebooks[section].attempt(row)
    assert outcome.ok, "; ".join(outcome.problems) + "\n" + outcome.seen["text"]


@pytest.mark.parametrize("section", sections())
def test_every_exercise_has_right_and_wrong_rows(section):
    found = rows(section)
    assert found, f"checker/exercises/attempts/{section}.py has no rows"
    for name in exercises_of(section):
        mistakes = [r.mistake for r in found if r.exercise == name]
        assert CORRECT in mistakes, f"{section}.{name}: no right answer among its rows"
        wrong = [m for m in mistakes if m not in (CORRECT, NOT_ATTEMPTED)]
        assert wrong, f"{section}.{name}: no wrong answer among its rows"


@pytest.mark.parametrize("section", sections())
def test_rows_are_of_the_sections_exercises_and_say_what_they_are(section):
    names = set(exercises_of(section))
    for row in rows(section):
        assert row.exercise in names, (
            f"a row of {section} for {row.exercise}, not one of its exercises"
        )
        assert row.what and (row.names or row.expect != "incorrect"), row

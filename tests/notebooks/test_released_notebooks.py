"""notebooks/ is exactly what nbgrader generates from solutions/, hides every hidden test, and runs.

The released notebooks are executed as a learner first opens them: every cell runs, and the only
failures allowed are the unanswered exercises (the stubs' NotImplementedError, and graded cells
reporting "Not attempted").
"""
from __future__ import annotations

import nbformat
import pytest

from tests.helpers.notebooks import (RELEASED, SOLUTIONS, assert_fails_only_on_unanswered_exercises, execute,
                                    generate_release, notebook_names)
from tests.helpers.secrets import leaks


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    return generate_release(tmp_path_factory.mktemp("course"))


def test_every_solution_notebook_is_released():
    assert notebook_names(), "no solution notebooks found"
    assert sorted(p.name for p in RELEASED.glob("*.ipynb")) == notebook_names()


@pytest.mark.parametrize("name", notebook_names())
def test_released_notebook_matches_a_fresh_generation(fresh_release, name):
    committed = nbformat.read(RELEASED / name, as_version=4)
    generated = nbformat.read(fresh_release / name, as_version=4)
    assert committed == generated, (
        f"notebooks/{name} differs from `nbgrader generate_assignment`: run `make notebooks` and commit")


@pytest.mark.parametrize("name", notebook_names())
def test_no_solution_and_no_hidden_case_reaches_the_learner(name):
    released = (RELEASED / name).read_text()
    assert not leaks(released), f"notebooks/{name} shows a solution or a hidden case"
    assert "HIDDEN TESTS" not in (SOLUTIONS / name).read_text(), "hidden cases live in grading/hidden/, not in notebooks"


@pytest.mark.parametrize("name", notebook_names())
def test_released_notebook_runs_and_fails_only_on_unanswered_exercises(name):
    assert_fails_only_on_unanswered_exercises(execute(RELEASED / name), name)

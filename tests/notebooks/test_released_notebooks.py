"""notebooks/ is exactly what nbgrader generates from solutions/, hides every hidden test, and runs.

The released notebooks are executed as a learner first opens them: every cell runs, and the only
failures allowed are the unanswered exercises (the stubs' NotImplementedError, and graded cells
reporting "Not attempted").
"""
from __future__ import annotations

import re

import nbformat
import pytest

from tests.helpers.notebooks import (RELEASED, SOLUTIONS, assert_fails_only_on_unanswered_exercises, execute,
                                    generate_release, notebook_names)

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)


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
def test_no_hidden_test_reaches_the_learner(name):
    source = nbformat.read(SOLUTIONS / name, as_version=4)
    hidden_lines = {line.strip() for cell in source.cells for block in HIDDEN.findall(cell.source)
                    for line in block.splitlines() if len(line.strip()) > 12}
    released = (RELEASED / name).read_text()
    assert "HIDDEN TESTS" not in released
    leaked = [line for line in hidden_lines if line in released]
    assert not leaked, f"hidden test lines in notebooks/{name}: {leaked[:3]}"
    assert "### BEGIN SOLUTION" not in released


@pytest.mark.parametrize("name", notebook_names())
def test_released_notebook_runs_and_fails_only_on_unanswered_exercises(name):
    assert_fails_only_on_unanswered_exercises(execute(RELEASED / name), name)

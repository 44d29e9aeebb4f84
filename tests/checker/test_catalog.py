"""One list of exercises, one place for each solution: the catalog, the notebooks and .solution() agree."""

from __future__ import annotations

import re

import nbformat
import pytest

from checker import solutions
from checker.exercises import catalog, exercises_of, section_of, sections
from tests.helpers.notebooks import (
    RELEASED,
    SOLUTIONS,
    STALE,
    nbgrader_meta,
    notebook_names,
    released_cell,
)

CATALOG = catalog()
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # in a function's body
TOP_LEVEL_STUB = "# YOUR CODE HERE"  # at the top level of a cell (nbgrader_config.py)


def graded_ids(path) -> list[str]:
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nbformat.read(path, as_version=4).cells
        if nbgrader_meta(c).get("grade_id")
    ]


def test_every_notebook_has_its_section_and_every_section_its_notebook():
    assert [section_of(name) for name in notebook_names()] == sections()


@pytest.mark.parametrize("name", notebook_names())
def test_a_notebooks_graded_cells_are_exactly_its_sections_exercises_in_order(name):
    exercises = list(exercises_of(section_of(name)))
    expected = [f"{e}_{part}" for e in exercises for part in ("answer", "test")]
    assert graded_ids(SOLUTIONS / name) == expected


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_the_graded_cell_grades_its_own_exercise(key):
    exercise = CATALOG[key]
    path = solutions.source_notebook(exercise.section)
    cell = next(
        c
        for c in nbformat.read(path, as_version=4).cells
        if nbgrader_meta(c).get("grade_id") == f"{exercise.name}_test"
    )
    assert re.match(rf"ex\.{exercise.name}\.grade\(\)\s*($|\n)", cell.source), cell.source


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_solution_shown_is_the_one_nbgrader_removes_from_the_release(key):
    """.solution() reads the source notebook; the release must be that cell with the solution cut out."""
    exercise = CATALOG[key]
    shown = str(exercise.solution())
    code = solutions.solution_code(exercise.section, exercise.name)
    assert code and code in shown
    source = solutions.answer_cell(exercise.section, exercise.name)
    region = re.search(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION\n?", source, re.S)
    assert (
        region
        and region.group(1).strip()
        and region.group(1).strip().splitlines()[-1].strip() in code
    )
    released = released_cell(
        solutions.source_notebook(exercise.section).name, f"{exercise.name}_answer"
    ).source
    indent = re.match(r"[ \t]*", region.group(0)).group(0)
    stub = "\n".join(indent + line for line in (STUB if indent else TOP_LEVEL_STUB).splitlines())
    stub += "\n"
    assert released == source.replace(region.group(0), stub).rstrip(
        "\n"
    ) or released == source.replace(region.group(0), stub)


def test_a_copy_without_the_solutions_says_the_instructor_holds_them(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_SOLUTIONS", str(tmp_path / "absent"))
    note = str(CATALOG["section4.pad_batch"].solution())
    assert "instructor holds the solutions" in note and "def pad_batch" not in note


@pytest.mark.parametrize("name", notebook_names())
def test_the_release_has_every_graded_cell_of_the_source(name):
    """A stale release (solutions/ changed, `make notebooks` not run) fails with the command to run."""
    missing = set(graded_ids(SOLUTIONS / name)) - set(graded_ids(RELEASED / name))
    assert not missing, f"{name}: {sorted(missing)} not released: {STALE}"


def test_a_stale_release_says_to_run_make_notebooks(tmp_path):
    name = notebook_names()[0]
    nb = nbformat.read(RELEASED / name, as_version=4)
    first = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id"))
    grade_id = nbgrader_meta(first)["grade_id"]
    nb.cells.remove(first)
    nbformat.write(nb, tmp_path / name)
    with pytest.raises(AssertionError, match="run `make notebooks`"):
        released_cell(name, grade_id, tmp_path)
    with pytest.raises(AssertionError, match="run `make notebooks`"):
        released_cell("99_missing.ipynb", grade_id, tmp_path)

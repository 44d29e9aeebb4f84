"""notebooks/ is exactly what nbgrader generates from solutions/ and hides every hidden test.

That the released notebooks run as a learner first opens them (every cell runs, none raises, every
exercise says "Not attempted") is tested on the site's executions (tests/notebooks/test_site.py) and,
as Colab's Run all runs them, from the wheel (tests/notebooks/test_package.py).
"""

from __future__ import annotations

import nbformat
import pytest

from tests.helpers.notebooks import RELEASED, SOLUTIONS, generate_release, notebook_names
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
        f"notebooks/{name} differs from `nbgrader generate_assignment`: run `make notebooks` and commit"
    )


@pytest.mark.parametrize("name", notebook_names())
def test_no_solution_and_no_hidden_case_reaches_the_learner(name):
    released = (RELEASED / name).read_text()
    assert not leaks(released), f"notebooks/{name} shows a solution or a hidden case"
    assert "HIDDEN TESTS" not in (SOLUTIONS / name).read_text(), (
        "hidden cases live in grading/hidden/, not in notebooks"
    )


def test_the_readme_lists_every_section_under_its_title():
    readme = (RELEASED.parents[1] / "README.md").read_text()
    for name in notebook_names():
        title = (
            next(  # the first cell is Colab's install cell (solutions/header.ipynb)
                cell
                for cell in nbformat.read(RELEASED / name, as_version=4).cells
                if cell.cell_type == "markdown"
            )
            .source.splitlines()[0]
            .lstrip("# ")
        )
        number, text = title.split(". ", 1)
        assert f"{number}. {text} (`{name}`)" in readme, (
            f"README's section list lacks {title!r} ({name})"
        )

"""The release's stub by scope (ClearSolutionsByScope, in nbgrader_config.py), on cells built in memory."""

from __future__ import annotations

import runpy

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets.config import Config

from tests.helpers.notebooks import ROOT

VALUE = """batch = None  # replace None with your answer
### BEGIN SOLUTION
batch = torch.tensor([ids, ids])
### END SOLUTION

with ex.batch.preview():
    print(batch.shape)"""
FUNCTION = """def pad(rows):
    \"\"\"Pad the rows.\"\"\"
    ### BEGIN SOLUTION
    return rows
    ### END SOLUTION


with ex.pad.preview():
    print(pad([[1]]))"""


def course_config() -> tuple[Config, type]:
    """What nbgrader_config.py sets, and its ClearSolutionsByScope (run with a stand-in for get_config)."""
    config = Config()
    found = runpy.run_path(
        str(ROOT / "nbgrader_config.py"), init_globals={"get_config": lambda: config}
    )
    return config, found["ClearSolutionsByScope"]


def released(*sources: str) -> list[str]:
    cells = [new_code_cell(source) for source in sources] + [new_markdown_cell("text")]
    for cell in cells:
        cell.metadata.nbgrader = {
            "solution": True,
            "grade": False,
            "grade_id": "x",
            "locked": False,
        }
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
    )
    config, by_scope = course_config()
    assert by_scope in config.GenerateAssignment.preprocessors, "the release does not use it"
    nb, _ = by_scope(config=config).preprocess(nb, {})
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_a_value_answer_gets_a_stub_that_does_not_raise():
    (source,) = released(VALUE)
    assert source.splitlines()[:2] == [
        "batch = None  # replace None with your answer",
        "# YOUR CODE HERE",
    ]
    assert "raise" not in source and "torch.tensor" not in source
    assert "with ex.batch.preview():" in source


def test_a_function_body_still_raises_not_implemented_error_when_called():
    (source,) = released(FUNCTION)
    assert (
        '    """Pad the rows."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n' in source
    )
    assert "return rows" not in source


def test_the_function_stub_is_the_configured_code_stub():
    stub = course_config()[0].ClearSolutions.code_stub["python"]
    assert stub == "# YOUR CODE HERE\nraise NotImplementedError()"
    (source,) = released(FUNCTION)
    assert "\n".join("    " + line for line in stub.splitlines()) in source


def test_a_cell_with_both_kinds_of_region_gets_the_raising_stub_everywhere():
    """Conservative: a top-level region beside an indented one keeps nbgrader's own stub."""
    (source,) = released(VALUE.replace("with ex.batch.preview():", FUNCTION + "\n\nif True:"))
    assert source.count("raise NotImplementedError()") == 2


def test_the_released_notebooks_were_made_with_these_stubs():
    import nbformat

    from tests.helpers.notebooks import RELEASED, nbgrader_meta

    for path in sorted(RELEASED.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if nbgrader_meta(cell).get("solution"):
                top = [line for line in cell.source.splitlines() if not line[:1].isspace()]
                assert "raise NotImplementedError()" not in top, (
                    f"{path.name}: a top-level stub raises; run `make notebooks`:\n{cell.source}"
                )

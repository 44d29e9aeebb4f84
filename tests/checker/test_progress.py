"""`python -m checker progress` runs a learner's notebooks and tabulates every exercise."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from tests.helpers.notebooks import RELEASED, tool_env

pytestmark = pytest.mark.kernel  # `python -m checker progress` executes a notebook

NOTEBOOK = "02_models_expect_a_batch.ipynb"


def progress(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "checker", "progress", str(path)],
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=300,
    )


def answered(tmp_path, answer: str):
    """The released notebook with the batch-dimension stub replaced by ``answer``."""
    nb = nbformat.read(RELEASED / NOTEBOOK, as_version=4)
    cell = next(
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "batch_dimension_answer"
    )
    cell.source = cell.source.replace("# YOUR CODE HERE", answer)
    path = tmp_path / NOTEBOOK
    nbformat.write(nb, path)
    return path


def test_a_wrong_answer_fails_with_its_hint_the_untouched_exercise_is_listed_and_the_exit_is_nonzero(
    tmp_path,
):
    """One run, one notebook: a wrong answer, and an exercise left as released (every notebook of these tests is
    a different one: `make progress`'s test, tests/notebooks/test_open_command.py, answers both)."""
    run = progress(answered(tmp_path, "input_ids = torch.tensor(ids)"))
    assert run.returncode == 1, run.stdout + run.stderr
    row = next(line for line in run.stdout.splitlines() if "batch_dimension" in line)
    assert "failed" in row and "no batch dimension" in row and "Hint:" in row
    assert "seed_logits      not attempted" in run.stdout
    assert "0 passed, 1 failed, 1 not attempted" in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


def test_a_right_answer_passes_and_one_not_attempted_yet_is_no_failure(tmp_path):
    run = progress(answered(tmp_path, "input_ids = torch.tensor([ids])"))
    assert "batch_dimension  passed" in run.stdout
    assert "1 passed, 0 failed, 1 not attempted" in run.stdout
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("target", ["no/such/folder"])
def test_a_missing_path_is_reported(target):
    run = progress(target)
    assert run.returncode == 2 and "no such file or folder" in run.stdout

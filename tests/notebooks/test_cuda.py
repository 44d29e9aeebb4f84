"""Every solution notebook runs unchanged, with every check passing, with the model on a GPU (COURSE_DEVICE=cuda).

`load_model()` puts the model on `COURSE_DEVICE`; the notebooks move every input to `model.device`, and the checks
move every answer to the CPU before comparing it with the stored references. A tensor left on the CPU, or a check
that compares a GPU tensor with a CPU one, fails here with a device mismatch. Skipped where no CUDA device is.
"""

from __future__ import annotations

import os

import pytest
import torch

from checker import config
from tests.helpers.notebooks import SOLUTIONS, execute, notebook_names, text_of

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(
        not torch.cuda.is_available(), reason="needs a CUDA device (COURSE_DEVICE=cuda); none here"
    ),
]


@pytest.mark.parametrize("name", notebook_names())
def test_solution_notebook_passes_every_check_with_the_model_on_cuda(name):
    env = config.quiet_transformers(dict(os.environ, COURSE_DEVICE="cuda"))
    nb = execute(SOLUTIONS / name, env=env)
    checks = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        assert not errors, (
            f"{name}, cell {index} failed with COURSE_DEVICE=cuda: {errors}\n{cell.source[:300]}"
        )
        if ".check(" in cell.source:
            checks += 1
            assert "public checks passed" in text_of(cell.outputs), (
                f"{name}, cell {index}: {text_of(cell.outputs)[:300]}"
            )
    assert checks >= 1, f"{name}: no check cell ran"

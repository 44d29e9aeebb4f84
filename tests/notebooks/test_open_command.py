"""`make course` (the README's first command) starts JupyterLab on the first notebook, on localhost."""

from __future__ import annotations

from tests.helpers.jupyter import jupyterlab, make_course_command
from tests.helpers.notebooks import RELEASED, ROOT


def test_make_course_serves_the_first_notebook_on_localhost(tmp_path):
    with jupyterlab(tmp_path / "jupyter", make_course_command(), cwd=ROOT) as lab:
        assert "started" in lab.api("status")
        first = sorted(p.name for p in RELEASED.glob("*.ipynb"))[0]
        assert lab.api(f"contents/{first}")["type"] == "notebook"  # its root: the notebooks' folder
        printed = lab.log(tail=None)
        assert f"http://127.0.0.1:{lab.port}/lab" in printed and first in printed

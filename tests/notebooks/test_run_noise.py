"""Committed notebooks carry no run noise: an edit of a task shows as that edit in the diff."""

from __future__ import annotations

import json

import pytest

from tests.helpers.notebooks import RELEASED, SOLUTIONS, notebook_names

PATHS = [folder / name for folder in (SOLUTIONS, RELEASED) for name in notebook_names()]


@pytest.mark.parametrize("path", PATHS, ids=[f"{p.parent.parent.name}/{p.name}" for p in PATHS])
def test_no_timestamps_and_no_widget_state(path):
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"], "widget state (random ids): make notebooks strips it"
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {}), (
            f"execution timestamps in {path.name}: run `make notebooks`"
        )

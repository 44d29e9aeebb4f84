"""A pytest plugin for tests/test_lanes.py (``-p tests.helpers.lanes``): at the end of a collection, writes
every test's node id, its marks and whether ``-m`` kept it, as JSON, to the file named by ``LANE_REPORT``."""

from __future__ import annotations

import json
import os

_deselected: list = []


def pytest_deselected(items) -> None:
    _deselected.extend(items)


def pytest_collection_finish(session) -> None:
    def row(item, selected: bool) -> dict:
        marks = sorted({mark.name for mark in item.iter_markers()})
        return {"id": item.nodeid, "marks": marks, "selected": selected}

    rows = [row(item, True) for item in session.items] + [row(i, False) for i in _deselected]
    with open(os.environ["LANE_REPORT"], "w") as out:
        json.dump(rows, out)

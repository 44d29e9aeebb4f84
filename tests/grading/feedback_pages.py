"""A feedback page made from a notebook in memory, exactly as ``make feedback`` makes it (the course's
nbgrader_config.py: its exporter, template and preprocessors), without a gradebook: the scores nbgrader's
GetGrades would read are given instead."""

from __future__ import annotations

import copy

from nbconvert.exporters import HTMLExporter
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from tests.helpers.notebooks import ROOT


def course_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def feedback_html(nb, scores: dict[str, float] | None = None, config=None) -> str:
    """The feedback page of ``nb`` (its graded cells scored ``scores``, by grade id, default 0)."""
    config = copy.deepcopy(config if config is not None else course_config())
    config.GenerateFeedback.preprocessors = [
        p for p in config.GenerateFeedback.preprocessors if getattr(p, "__name__", p) != "GetGrades"
    ]
    converter = GenerateFeedback(
        coursedir=CourseDirectory(config=config, root=str(ROOT)), config=config
    )
    exporter = HTMLExporter(parent=converter, config=converter.config)
    for preprocessor in converter.preprocessors:
        exporter.register_preprocessor(preprocessor)
    nb = copy.deepcopy(nb)
    total = points = 0.0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["score"] = (scores or {}).get(meta["grade_id"], 0.0)
            total, points = total + meta["score"], points + float(meta.get("points", 0))
    resources = {
        "nbgrader": {
            "notebook": "notebook",
            "score": total,
            "max_score": points,
            "late_penalty": 0,
        },
        "metadata": {"path": str(ROOT)},
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html

"""Write the course model's stored reference outputs (``python -m model_pipeline references``).

The values are what :mod:`checker.references` computes for the embedded course model; storing them
lets every check compare without running the model. A test recomputes them and fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from checker import config, references
from checker.course_model.build import fingerprint
from checker.model import load_model


def write_store() -> Path:
    loaded = load_model(config.COURSE_MODEL, "cpu")
    values = {
        name: t.tolist()
        for name, t in references.compute_all(loaded.tokenizer, loaded.model).items()
    }
    path = references.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"model": config.COURSE_MODEL_NAME, "fingerprint": fingerprint(), "references": values},
            indent=1,
        )
        + "\n"
    )
    return path

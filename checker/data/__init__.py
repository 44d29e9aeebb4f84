"""The course's labelled sentences (``sentences.jsonl``: text, label, domain, split).

Written for this course: the notebooks read them (section 7's long review), the benchmark builds its
corpus from them, and ``model_pipeline`` trains and evaluates the course models on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

DATA_FILE = Path(__file__).resolve().parent / "sentences.jsonl"


class Example(NamedTuple):
    text: str
    label: int
    domain: str


def read_examples(split: str, path: Path = DATA_FILE) -> list[Example]:
    """The examples of one split: ``train`` or ``heldout``."""
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if split not in {row["split"] for row in rows}:
        raise ValueError(f"no split named {split!r} in {path.name}")
    return [Example(r["text"], int(r["label"]), r["domain"]) for r in rows if r["split"] == split]

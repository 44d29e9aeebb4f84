"""The solutions, read from the course's source notebooks: the one place they are written.

The nbgrader source notebooks (``solutions/multiple_sequences/NN_*.ipynb``) hold each exercise's
answer cell (grade id ``<name>_answer``) with its solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION``. A copy of the course without them (what students get) has no solutions: then
:func:`solution_code` returns None.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import config

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def source_notebook(section: str) -> Path | None:
    """``section4`` -> ``solutions/multiple_sequences/04_*.ipynb``, when this copy of the course has it."""
    folder = config.solutions_dir()
    match = re.fullmatch(r"section(\d+)", section)
    if folder is None or match is None:
        return None
    found = sorted(folder.glob(f"{int(match.group(1)):02d}_*.ipynb"))
    return found[0] if found else None


def answer_cell(section: str, name: str) -> str | None:
    """The source of the answer cell of exercise ``name``, solution markers included."""
    path = source_notebook(section)
    if path is None:
        return None
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"{name}_answer":
            source = cell["source"]
            return "".join(source) if isinstance(source, list) else source
    return None


def solution_code(section: str, name: str) -> str | None:
    """The solution of exercise ``name``: the lines between the markers, dedented to the cell's level."""
    source = answer_cell(section, name)
    if source is None or BEGIN not in source:
        return None
    lines = source.split("\n")
    start = next(i for i, line in enumerate(lines) if BEGIN in line)
    end = next(i for i, line in enumerate(lines) if END in line)
    body = lines[start + 1 : end]
    if lines[start].startswith(
        (" ", "\t")
    ):  # the solution is a function's body: show the whole function
        head = max(
            (i for i in range(start) if lines[i].startswith(("def ", "async def "))), default=start
        )
        body = lines[head:start] + body
    return "\n".join(body).strip("\n")

"""An instructor's course folder for tests, made as the README says, and the README's ``make`` commands on it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat

from tests.helpers.notebooks import ASSIGNMENT, BIN, ROOT, tool_env


def course_folder(dest: Path) -> Path:
    """What an instructor has: the source notebooks, the nbgrader configuration and the grading plug-ins."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "solutions", dest / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(
        ROOT / "grading", dest / "grading", ignore=shutil.ignore_patterns("__pycache__")
    )
    return dest


def make(
    course: Path, *targets: str, log: str, env: dict | None = None, timeout: int = 1800
) -> int:
    """``make -f <repo>/Makefile -C <course> <targets>``, its output in ``<course>/<log>``."""
    run_env = tool_env() if env is None else env
    with open(course / log, "w") as out:
        return subprocess.run(
            [
                "make",
                "-f",
                str(ROOT / "Makefile"),
                "-C",
                str(course),
                f"VENV={BIN.parent}",
                *targets,
            ],
            env=run_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        ).returncode


def released(course: Path) -> dict[str, nbformat.NotebookNode]:
    folder = course / "notebooks" / ASSIGNMENT
    return {p.name: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def solution_answers(course: Path) -> dict[str, dict[str, str]]:
    """What a learner who gets everything right writes: every answer cell, solution markers removed."""
    answers = {}
    for path in sorted((course / "solutions" / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        answers[path.name] = {
            c.metadata["nbgrader"]["grade_id"]: "\n".join(
                line
                for line in c.source.splitlines()
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            )
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
    return answers


def gradebook_scores(course: Path) -> dict[str, dict[tuple[str, str], float | None]]:
    """{student: {(notebook, grade id): auto score (None: needs manual grading)}}."""
    from nbgrader.api import Gradebook

    scores = {}
    url = os.environ.get("GRADEBOOK_URL") or f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(ASSIGNMENT, student.id)
            except Exception:  # a student without a submission
                scores[student.id] = {}
                continue
            scores[student.id] = {
                (nb.name, g.name): (None if g.needs_manual_grade else g.auto_score)
                for nb in sub.notebooks
                for g in nb.grades
            }
    return scores

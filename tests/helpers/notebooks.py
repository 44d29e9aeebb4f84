"""Helpers for the notebook tests: where the notebooks are, executing them, reading nbgrader cells."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from checker import config

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "multiple_sequences"
SOLUTIONS = ROOT / "solutions" / ASSIGNMENT
RELEASED = ROOT / "notebooks" / ASSIGNMENT
BIN = Path(sys.executable).parent


def notebook_names() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.glob("*.ipynb"))


def tool_env() -> dict[str, str]:
    """nbgrader calls `alembic` and `jupyter` by name: put this environment's bin first."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return config.quiet_transformers(env)


def generate_release(course_dir: Path) -> Path:
    """Run `nbgrader generate_assignment` on a copy of the course; return the release folder."""
    shutil.copytree(ROOT / "solutions", course_dir / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", course_dir / "nbgrader_config.py")
    shutil.copytree(ROOT / "grading", course_dir / "grading")
    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
                   cwd=course_dir, env=tool_env(), check=True, capture_output=True, text=True)
    return course_dir / "notebooks" / ASSIGNMENT


def execute(path: Path, allow_errors: bool = True, timeout: int = 120):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def text_of(outputs) -> str:
    parts = []
    for out in outputs:
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        if out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)

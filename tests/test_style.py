"""The layout is the formatter's, and the linter finds nothing: both configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = [sys.executable, "-m", "ruff"]


def test_every_python_file_is_formatted():
    run = subprocess.run(
        [*RUFF, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, f"run `ruff format .`:\n{run.stdout}{run.stderr}"


def test_the_linter_finds_nothing():
    run = subprocess.run([*RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, (
        f"run `ruff check --fix .`, then fix what remains:\n{run.stdout}{run.stderr}"
    )

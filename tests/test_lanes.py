"""The two lanes (README, "Which tests to run when"): `make check`, the fast lane, and `make test`, everything.

A test leaves the fast lane by a mark (tests/conftest.py's ``HEAVY``, declared in pyproject.toml), never by a
list of files: a new test module lands in `make test`, and in `make check` unless it is marked. One collection
of the whole suite with the Makefile's ``CHECK_LANE`` expression (tests/helpers/lanes.py writes what it kept and
what it left out) shows that every test module and notebook is collected, every mark is declared, and the fast
lane holds no heavy test but the grading smoke test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import tomllib

from tests.conftest import HEAVY, KERNEL_IN_THE_FAST_LANE, refuse_kernels
from tests.helpers.notebooks import ROOT, SOLUTIONS

#: pytest's own marks and the plug-ins' (xdist's groups): declared by them, not by us.
BUILTIN = {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings", "xdist_group"}


def check_lane() -> str:
    """The fast lane's `-m` expression, as the Makefile gives it to pytest."""
    found = re.search(r"^CHECK_LANE\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert found, "the Makefile defines no CHECK_LANE"
    return found.group(1).strip()


def pytest_settings() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]


def declared() -> set[str]:
    return {line.split(":", 1)[0].strip() for line in pytest_settings()["markers"]}


@pytest.fixture(scope="module")
def lanes(tmp_path_factory) -> list[dict]:
    """Every test of `make test` (its node id, its marks, whether `make check` runs it)."""
    report = tmp_path_factory.mktemp("lanes") / "lanes.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0"]
        + ["-p", "tests.helpers.lanes", "-m", check_lane()],
        cwd=ROOT,
        env={**os.environ, "LANE_REPORT": str(report)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"the collection failed:\n{(done.stdout + done.stderr)[-4000:]}"
    return json.loads(report.read_text())


def test_every_test_module_and_notebook_is_collected(lanes):
    files = {row["id"].split("::")[0] for row in lanes}
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py")}
    notebooks = {str(p.relative_to(ROOT)) for p in SOLUTIONS.glob("*.ipynb")}
    assert modules | notebooks <= files, (
        f"in neither lane (nothing collected): {sorted((modules | notebooks) - files)}"
    )


def test_every_mark_is_declared_and_the_lanes_name_only_declared_marks():
    assert "--strict-markers" in pytest_settings()["addopts"], "an undeclared mark must fail"
    names = declared()
    assert set(HEAVY) | {"smoke"} <= names, f"undeclared: {(set(HEAVY) | {'smoke'}) - names}"
    used = set(re.findall(r"\b[a-z0-9_]+\b", check_lane())) - {"and", "or", "not"}
    assert used <= names, f"the Makefile's CHECK_LANE names undeclared marks: {used - names}"
    assert used >= set(HEAVY) | {"smoke"}, f"CHECK_LANE ({check_lane()}) forgets a mark of HEAVY"


def test_the_marks_of_the_collected_tests_are_declared(lanes):
    unknown = {mark for row in lanes for mark in row["marks"]} - declared() - BUILTIN
    assert not unknown, f"undeclared marks: {unknown}"


def test_the_fast_lane_is_every_light_test_and_one_grading_smoke_test(lanes):
    def heavy(row) -> bool:
        return bool(set(row["marks"]) & set(HEAVY))

    fast = [row for row in lanes if row["selected"]]
    slow = [row for row in lanes if not row["selected"]]
    assert not [r["id"] for r in fast if heavy(r) and "smoke" not in r["marks"]], (
        "a heavy test in make check"
    )
    assert not [r["id"] for r in slow if not heavy(r)], "a light test left out of make check"
    smoke = [r["id"] for r in fast if "smoke" in r["marks"]]
    assert len(smoke) == 1 and smoke[0].startswith("tests/grading/"), smoke
    # what the README promises of the fast lane: the unit tests, the in-process rows, bad input
    for where in (
        "tests/checker/exercises/",
        "tests/checker/test_bad_input.py",
        "tests/checker/test_catalog.py",
        "tests/grading/test_preprocessors.py",
        "tests/test_import_graph.py",
    ):
        rows = [r for r in lanes if r["id"].startswith(where)]
        assert rows and all(r["selected"] for r in rows), f"{where} is not all in make check"
    assert any(r["selected"] for r in lanes if r["id"].startswith("tests/test_lanes.py"))
    assert all(not r["selected"] for r in lanes if r["id"].startswith(str(Path("solutions"))))


def test_in_the_fast_lane_a_kernel_started_without_its_mark_fails_the_test(monkeypatch):
    import asyncio

    from jupyter_client import AsyncKernelManager

    refuse_kernels(monkeypatch)
    manager = AsyncKernelManager(kernel_name="python3")
    with pytest.raises(pytest.fail.Exception, match="mark it `kernel`"):
        asyncio.run(manager.start_kernel())
    assert "make check" in KERNEL_IN_THE_FAST_LANE


@pytest.mark.kernel
def test_a_notebook_runs_in_one_kernel_with_two_workers(tmp_path):
    """`make test`'s own options (pyproject.toml's addopts), two workers: every cell of a notebook runs in the
    one kernel of its notebook, in order (with pytest 9.2, `--dist loadgroup` spread them over both workers and
    every cell after the first failed on a name its kernel had never seen)."""
    for name in ("first", "second"):
        cells = [nbformat.v4.new_code_cell("n = 0")] + [
            nbformat.v4.new_code_cell(f"n += 1\nassert n == {i}, n") for i in range(1, 8)
        ]
        nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / f"{name}.ipynb")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "-n",
            "2",
            str(tmp_path),
        ]
        + ["-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and "16 passed" in done.stdout, done.stdout[-4000:]

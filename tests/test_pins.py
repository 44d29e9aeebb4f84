"""The pip route and the conda route install the same pinned versions, on every Python the README allows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s#]+)")
# The Pythons the README's "Start" allows for the pinned environment: Debian 12's 3.11.2 up to the
# newest 3.11 release (pyenv's list of May 2026). 3.12 is not allowed: see the README.
ALLOWED_PYTHONS = ("3.11.2", "3.11.15")
PYPI = "https://pypi.org/simple/"
# The classroom's environment (make hub-env) adds these to the course's pins; constraints.txt pins all of it.
HUB_REQUIREMENTS = ROOT / "classroom" / "requirements.txt"


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match and not line.lstrip().startswith("#"):
            found[normalize(match.group(1))] = match.group(2)
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_requirements_and_environment_pin_the_same_versions():
    pip_pins, conda_pins = pins(ROOT / "requirements.txt"), pins(ROOT / "environment.yml")
    assert pip_pins, "requirements.txt pins nothing"
    assert pip_pins == conda_pins


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert PIN.match(line), f"not pinned with ==: {line}"


def test_torch_is_pinned_to_the_cpu_build_version():
    assert pins(ROOT / "requirements.txt")["torch"] == "2.13.0"


def test_constraints_agree_with_requirements():
    locked = {k: v.split("+")[0] for k, v in pins(ROOT / "constraints.txt").items()}
    for name, version in (pins(ROOT / "requirements.txt") | pins(HUB_REQUIREMENTS)).items():
        assert locked.get(name) == version, (
            f"constraints.txt has {name}=={locked.get(name)}, requirements.txt {version}"
        )


def test_the_readme_names_the_allowed_pythons():
    start = (ROOT / "README.md").read_text().split("\n## Start\n", 1)[1].split("\n## ", 1)[0]
    for version in (ALLOWED_PYTHONS[0], ".".join(ALLOWED_PYTHONS[-1].split(".")[:2])):
        assert f"Python {version}" in start, f"the README's Start does not name Python {version}"


# ---------------------------------------------------------------------------------------------
# The pinned set (the course's, with the classroom's hub environment's) resolves on each allowed
# Python: pip's own resolver, in a dry run against PyPI (--python-version: no such interpreter is
# needed), both Pythons side by side: about 35 s at a load average of 5 with pip 26.3. With every
# package pinned, pip never backtracks unless the pins conflict; a conflict can then backtrack for
# many minutes (once through torch's CUDA build), so a run that backtracks is stopped after
# BACKTRACK_GRACE seconds and fails with what pip said.

BACKTRACKING = "pip is looking at multiple versions of"
BACKTRACK_GRACE = 60
DEADLINE = 600


def _pypi_or_fail() -> None:
    try:
        urllib.request.urlopen(
            urllib.request.Request(PYPI + "pip/", method="HEAD"), timeout=15
        ).close()
    except (OSError, urllib.error.URLError) as error:
        pytest.fail(
            f"PyPI ({PYPI}) cannot be reached ({error}): this test resolves the pinned set against it "
            "with pip's dry run, so it needs the package index (CI has it)",
            pytrace=False,
        )


class DryRun:
    """`pip install --dry-run --report` of the pinned set for one Python version."""

    def __init__(self, version: str, folder: Path):
        self.version, self.report, self.log_path = (
            version,
            folder / "report.json",
            folder / "pip.log",
        )
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--only-binary=:all:",
            "--python-version",
            version,
            "--target",
            str(folder / "target"),
            "--report",
            str(self.report),
            "--disable-pip-version-check",
            "--retries",
            "2",
            "--timeout",
            "60",
            "-r",
            str(ROOT / "requirements.txt"),
            "-r",
            str(HUB_REQUIREMENTS),
            "-c",
            str(ROOT / "constraints.txt"),
        ]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        self.started, self.backtracking_since, self.stopped_because = time.monotonic(), None, ""

    def poll(self) -> bool:
        """True once pip has finished or been stopped."""
        if self.process.poll() is not None:
            return True
        now = time.monotonic()
        if self.backtracking_since is None and BACKTRACKING in self.log_path.read_text():
            self.backtracking_since = now
        if self.backtracking_since is not None and now - self.backtracking_since > BACKTRACK_GRACE:
            self.stop(f"stopped after backtracking for {BACKTRACK_GRACE} s")
        elif now - self.started > DEADLINE:
            self.stop(f"stopped after {DEADLINE} s")
        return self.process.poll() is not None

    def stop(self, why: str) -> None:
        self.stopped_because = why
        self.process.kill()
        self.process.wait()

    def output(self) -> list[str]:
        self._log.flush()
        return [
            line
            for line in self.log_path.read_text().splitlines()
            if "is ignored: it is neither a file nor a directory" not in line
        ]

    def close(self) -> None:
        if self.process.poll() is None:
            self.stop("the test ended")
        self._log.close()


@pytest.fixture(scope="module")
def dry_runs(tmp_path_factory):
    _pypi_or_fail()
    runs = {
        version: DryRun(version, tmp_path_factory.mktemp(f"py{version}"))
        for version in ALLOWED_PYTHONS
    }
    yield runs
    for run in runs.values():
        run.close()


def _finish(runs: dict[str, DryRun], version: str) -> DryRun:
    """Wait for ``version``'s run, watching the others too (their backtracking clocks keep time)."""
    while not all([run.poll() for run in runs.values() if run.version == version]):
        for run in runs.values():
            run.poll()
        time.sleep(0.5)
    return runs[version]


@pytest.mark.parametrize("version", ALLOWED_PYTHONS)
def test_the_pinned_set_resolves_on_every_allowed_python(dry_runs, version):
    run = _finish(dry_runs, version)
    lines = run.output()
    if run.process.returncode != 0:
        backtracked = sorted(
            {
                line.split(BACKTRACKING, 1)[1].split(" to ")[0].strip()
                for line in lines
                if BACKTRACKING in line
            }
        )
        lines = [
            line
            for line in lines
            if not line.lstrip().startswith(("Processing ", "Downloading ", "━", "Obtaining "))
        ]
        first = next((i for i, line in enumerate(lines) if BACKTRACKING in line), None)
        # pip's own explanation when it gave up; where it was stopped, what it read before backtracking
        shown = (
            lines[-25:]
            if run.stopped_because == "" or first is None
            else lines[max(0, first - 12) : first + 1]
        )
        pytest.fail(
            f"the pins do not install on Python {version} (pip install --dry-run --python-version {version}"
            f"{'; ' + run.stopped_because if run.stopped_because else ''}"
            f"{'; pip backtracked on ' + ', '.join(backtracked) if backtracked else ''}):\n"
            + "\n".join(shown),
            pytrace=False,
        )
    chosen = {
        normalize(item["metadata"]["name"]): item
        for item in json.loads(run.report.read_text())["install"]
    }
    pinned = pins(ROOT / "constraints.txt")
    yanked = [
        f"{name}=={item['metadata']['version']}"
        for name, item in chosen.items()
        if item.get("is_yanked")
    ]
    assert not yanked, f"Python {version} gets yanked releases: {yanked}"
    unpinned = sorted(
        f"{name}=={item['metadata']['version']}"
        for name, item in chosen.items()
        if name not in pinned
    )
    assert not unpinned, (
        f"Python {version} also installs packages constraints.txt does not pin: {unpinned}"
    )
    moved = {
        name: item["metadata"]["version"]
        for name, item in chosen.items()
        if item["metadata"]["version"].split("+")[0] != pinned[name].split("+")[0]
    }
    assert not moved, f"Python {version} gets other versions than the pins: {moved}"

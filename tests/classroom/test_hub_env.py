"""`make hub-env`: the classroom's environment is runnable by every account and holds exactly the pins."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.helpers.classroom import HUB_ENV
from tests.helpers.notebooks import ROOT
from tests.test_pins import normalize, pins

pytestmark = pytest.mark.classroom  # builds the classroom's environment

built = pytest.mark.skipif(
    not (HUB_ENV / ".hub-env").is_file(),
    reason=f"no hub environment in {HUB_ENV} (make hub-env; tests/classroom/test_hub.py builds it)",
)


def test_a_python_under_a_private_home_is_refused(tmp_path):
    run = subprocess.run(
        [str(ROOT / "classroom" / "build-env.sh"), str(tmp_path / "env")],
        capture_output=True,
        text=True,
        env={**os.environ, "HUB_PYTHON": "/home/someone/.pyenv/versions/3.11.7/bin/python3"},
    )
    assert run.returncode == 2 and "under a private home" in run.stderr, run.stderr
    assert not (tmp_path / "env").exists()


def test_an_environment_under_a_private_home_is_refused():
    run = subprocess.run(
        [str(ROOT / "classroom" / "build-env.sh"), "/root/classroom-env"],
        capture_output=True,
        text=True,
        env={**os.environ, "HUB_PYTHON": "/usr/bin/python3"},
    )
    assert run.returncode == 2 and "private home" in run.stderr, run.stderr


@built
def test_the_hub_environment_holds_exactly_the_pinned_versions():
    listed = subprocess.run(
        [str(HUB_ENV / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {normalize(p["name"]): p["version"].split("+")[0] for p in json.loads(listed)}
    installed.pop("multiseq-course")  # the student edition, built from this checkout
    pinned = {
        name: version.split("+")[0] for name, version in pins(ROOT / "constraints.txt").items()
    }
    assert {n: v for n, v in installed.items() if pinned.get(n) != v} == {}


@built
@pytest.mark.skipif(
    os.geteuid() != 0, reason="runs a command as another account (nobody), which needs root"
)
def test_every_account_can_run_the_hub_environment():
    run = subprocess.run(
        [
            str(HUB_ENV / "bin" / "python"),
            "-c",
            "import checker, jupyterhub, nbgrader, psycopg2; print(checker.__file__)",
        ],
        cwd="/",
        user="nobody",
        group="nogroup",
        extra_groups=[],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(str(HUB_ENV)), run.stdout

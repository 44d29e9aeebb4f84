"""`make hub-env`: the classroom's environment is runnable by every account and holds exactly the pins."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.helpers.classroom import HUB_ENV, build_hub_env, needs_npm
from tests.helpers.notebooks import ROOT
from tests.test_pins import normalize, pins

pytestmark = pytest.mark.classroom  # builds the classroom's environment


@pytest.fixture(scope="module")
def hub_env():
    """Built here when no other module has built it yet: on a fresh machine this module may run first (it
    used to skip then, and a clean clone's run never tested the environment). Building it takes root (the
    default HUB_ENV is under /opt, as the README's hub steps have it); without root an environment root
    built is tested as it is, and none is a skip with the reason, as for the other classroom tests."""
    if os.geteuid() == 0:
        return build_hub_env()
    if not (HUB_ENV / ".hub-env").is_file():
        pytest.skip(
            f"no hub environment in {HUB_ENV}, and building one takes root (make hub-env as root)"
        )
    return HUB_ENV


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


@needs_npm
def test_the_hub_environment_holds_exactly_the_pinned_versions(hub_env):
    listed = subprocess.run(
        [str(hub_env / "bin" / "python"), "-m", "pip", "list", "--format=json"],
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


@needs_npm
@pytest.mark.skipif(
    os.geteuid() != 0, reason="runs a command as another account (nobody), which needs root"
)
def test_every_account_can_run_the_hub_environment(hub_env):
    run = subprocess.run(
        [
            str(hub_env / "bin" / "python"),
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
    assert run.stdout.startswith(str(hub_env)), run.stdout

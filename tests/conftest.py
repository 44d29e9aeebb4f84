"""Shared fixtures. The default path is offline: nothing here talks to the hub."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

from checker import config

config.quiet_transformers()
# Each test worker, and every kernel it starts, gets its share of the cores for torch: two workers of two
# threads each on two cores wait on each other's spinning threads, several times slower than one each.
os.environ.setdefault(
    "OMP_NUM_THREADS",
    str(max(1, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))),
)


@pytest.fixture(scope="session")
def course():
    """The embedded course model, loaded once per test session."""
    from checker import load_model

    return load_model(config.COURSE_MODEL, "cpu")


# Property tests (tests/checker/test_bad_input.py): the full profile by default (CI, `make test`), a small one for a
# quick run: HYPOTHESIS_PROFILE=fast, or pytest's own `--hypothesis-profile=fast`.
_PROFILE = dict(
    deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
settings.register_profile("ci", max_examples=1000, **_PROFILE)
settings.register_profile("fast", max_examples=50, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The two lanes (README, "Which tests to run when"). `make test` runs everything; `make check` leaves out
# every test with one of these marks (declared in pyproject.toml, with what each means), in the order
# `make test` starts them: the longest work first, so that neither worker is left with a long tail.
# `smoke` keeps one small kernel test in the fast lane.
HEAVY = ("e2e", "slow", "classroom", "browser", "kernel")


@pytest.hookimpl(tryfirst=True)  # before `-m` selects
def pytest_collection_modifyitems(config, items):
    """Mark the tests whose kind says their lane; heaviest first (`--dist loadfile` keeps a module on one
    worker: its module fixtures, a graded course, a built site, a notebook's kernel, are made once)."""
    for item in items:
        if item.__class__.__name__ == "IPyNbCell":  # nbval executes a solution notebook
            item.add_marker(pytest.mark.kernel)
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)

    def weight(item) -> int:
        marks = {mark.name for mark in item.iter_markers()}
        return next((i for i, name in enumerate(HEAVY) if name in marks), len(HEAVY))

    # A module goes where its heaviest test puts it; the sort is stable, so a module stays in one piece.
    module_weight: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        module_weight[module] = min(module_weight.get(module, len(HEAVY)), weight(item))
    items.sort(key=lambda item: module_weight[item.nodeid.split("::")[0]])


KERNEL_IN_THE_FAST_LANE = (
    "this test starts a Jupyter kernel in `make check`, the fast lane: mark it `kernel` "
    '(README, "Which tests to run when")'
)


def refuse_kernels(monkeypatch) -> None:
    """Make any kernel this process starts (nbclient's, nbval's, the grading sandbox's) fail the test."""
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    async def refuse(self, cmd, **kwargs):
        pytest.fail(KERNEL_IN_THE_FAST_LANE)

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)
    sandbox = sys.modules.get("grading.sandbox")
    if sandbox is not None:
        monkeypatch.setattr(sandbox.SandboxProvisioner, "launch_kernel", refuse)


@pytest.fixture(autouse=True)
def _the_fast_lane_starts_no_kernel(request, monkeypatch):
    """In `make check` (COURSE_TEST_LANE=check) a test without the `kernel` or `smoke` mark that starts a
    kernel in its process fails and says which mark it lacks: a new module lands in the right lane."""
    marks = {mark.name for mark in request.node.iter_markers()}
    if os.environ.get("COURSE_TEST_LANE") == "check" and not marks & {"kernel", "smoke"}:
        refuse_kernels(monkeypatch)

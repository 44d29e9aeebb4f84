"""Shared fixtures. The default path is offline: nothing here talks to the hub."""

from __future__ import annotations

import os

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

"""Shared fixtures. The default path is offline: nothing here talks to the hub."""
from __future__ import annotations

import pytest

from checker import config

config.quiet_transformers()


@pytest.fixture(scope="session")
def course():
    """The embedded course model, loaded once per test session."""
    from checker import load_model

    return load_model(config.COURSE_MODEL, "cpu")

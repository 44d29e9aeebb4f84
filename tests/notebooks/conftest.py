"""Fixtures of the browser tests (tests/helpers/jupyter.py has the harness)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.jupyter import find_chromium


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium: found, or installed with apt as root; otherwise the test is skipped."""
    return find_chromium()

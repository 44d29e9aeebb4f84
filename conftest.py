"""Loaded for whatever pytest collects in this checkout, solutions/ alone too: the kernel corpus joins the
solution notebooks nbval executes (tests/corpus/in_notebooks.py). Not in the sdist, which has no corpus."""

from __future__ import annotations

import pytest

from tests.corpus import in_notebooks


@pytest.hookimpl(
    tryfirst=True
)  # before `-m` and `-k` select: the rows' items carry the `kernel` mark
def pytest_collection_modifyitems(items):
    in_notebooks.add_rows(items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    in_notebooks.ran(item)

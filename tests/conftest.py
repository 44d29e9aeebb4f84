"""Shared fixtures. The default path is offline: nothing here talks to the hub."""
from __future__ import annotations

import os

import pytest

from checker import config

for _name, _value in config.QUIET_ENV.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def course():
    """The embedded course model, loaded once per test session."""
    from checker import load_model

    return load_model(config.COURSE_MODEL, "cpu")


def incorrect(result, *words: str) -> None:
    """Assert an exercise's result is INCORRECT and its feedback names each of ``words``."""
    from checker.exercise import Outcome

    text = str(result)
    assert result.outcome is Outcome.INCORRECT, text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"


def hub_reachable() -> bool:
    """The loader's own test: not told to stay offline, and the hub's port answers."""
    from checker import model

    return not config.hub_offline() and model._hub_reachable()


requires_hub = pytest.mark.skipif(
    not hub_reachable(),
    reason="needs the Hugging Face Hub to download distilbert-base-uncased-finetuned-sst-2-english; this machine is offline",
)

"""Shared fixtures. The default path is offline: nothing here talks to the hub."""
from __future__ import annotations

import os
import socket

import pytest

from checker import config

for _name, _value in config.QUIET_ENV.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def course():
    """The embedded course model, loaded once per test session."""
    from checker import load_model

    return load_model(config.COURSE_MODEL, "cpu")


def hub_reachable() -> bool:
    if config.hub_offline():
        return False
    try:
        socket.create_connection(("huggingface.co", 443), timeout=3).close()
        return True
    except OSError:
        return False


requires_hub = pytest.mark.skipif(
    not hub_reachable(),
    reason="needs the Hugging Face Hub to download distilbert-base-uncased-finetuned-sst-2-english; this machine is offline",
)

"""Tests that need the Hugging Face Hub skip, with the reason, on an offline machine."""

from __future__ import annotations

import pytest

from checker import config


def hub_reachable() -> bool:
    """The loader's own test: not told to stay offline, and the hub's port answers."""
    from checker import model

    return not config.hub_offline() and model._hub_reachable()


requires_hub = pytest.mark.skipif(
    not hub_reachable(),
    reason="needs the Hugging Face Hub to download distilbert-base-uncased-finetuned-sst-2-english; this machine is offline",
)

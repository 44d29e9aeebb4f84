"""The one way every notebook, check and test gets its tokenizer and model."""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlparse

from . import config, generation_calls, model_calls

config.quiet_transformers()


class CheckpointUnavailable(RuntimeError):
    """The requested checkpoint cannot be loaded here; the message says how to get back to the default."""


class Loaded(NamedTuple):
    tokenizer: Any
    model: Any
    name: str


def load_model(checkpoint: str | None = None, device: str | None = None) -> Loaded:
    """Return ``(tokenizer, model, name)``, the model in eval mode on the chosen device.

    ``checkpoint`` defaults to ``COURSE_CHECKPOINT`` or the embedded course model; it may be a hub
    id (``distilbert-base-uncased-finetuned-sst-2-english``) or a local folder. ``device`` defaults
    to ``COURSE_DEVICE`` (``cpu``; ``cuda`` or ``auto`` use a GPU). Loads are cached per process.
    """
    return _load(
        checkpoint or config.checkpoint(), resolve_device(device or config.device_setting())
    )


def load_decoder(checkpoint: str | None = None, device: str | None = None) -> Loaded:
    """Return ``(tokenizer, model, name)`` of a decoder (a causal language model) for the generation lessons.

    ``checkpoint`` defaults to ``COURSE_DECODER`` or the embedded course decoder (``course-gpt2-tiny``);
    it may be a hub id (``distilgpt2``) or a local folder. The tokenizer is left as shipped: GPT-2's has
    no pad token and pads on the right. ``device`` as for :func:`load_model`. Loads are cached per process.
    """
    return _load(
        checkpoint or config.decoder(), resolve_device(device or config.device_setting()), "decoder"
    )


def resolve_device(setting: str) -> str:
    import torch

    setting = setting.strip().lower()
    if setting == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if setting.startswith("cuda") and not torch.cuda.is_available():
        raise CheckpointUnavailable(
            f"COURSE_DEVICE asks for '{setting}', but this machine has no CUDA device; "
            "unset COURSE_DEVICE to run on the CPU."
        )
    if setting != "cpu" and not setting.startswith("cuda"):
        raise CheckpointUnavailable(
            f"COURSE_DEVICE must be 'cpu', 'cuda' or 'auto', not '{setting}'."
        )
    return setting


def load_fresh(checkpoint: str | None = None, device: str | None = None) -> Loaded:
    """Like :func:`load_model`, but a new copy that no notebook cell has touched (for hidden tests)."""
    return _load.__wrapped__(
        checkpoint or config.checkpoint(), resolve_device(device or config.device_setting())
    )


def _course_model() -> Path:
    from .course_model.build import ensure_built

    return ensure_built()


def _course_decoder() -> Path:
    from .course_decoder.build import ensure_built

    return ensure_built()


class _Kind(NamedTuple):
    """A kind of model the course loads: its setting, its embedded default and its transformers class."""

    setting: str
    embedded: str
    name: str
    build: Callable[[], Path]
    auto_class: str


_KINDS = {
    "classifier": _Kind(
        "COURSE_CHECKPOINT",
        "the embedded course model",
        config.COURSE_MODEL_NAME,
        _course_model,
        "AutoModelForSequenceClassification",
    ),
    "decoder": _Kind(
        "COURSE_DECODER",
        "the embedded course decoder",
        config.COURSE_DECODER_NAME,
        _course_decoder,
        "AutoModelForCausalLM",
    ),
}


@functools.lru_cache(maxsize=4)
def _load(checkpoint: str, device: str, kind: str = "classifier") -> Loaded:
    import transformers

    source, name, local_only = _locate(checkpoint, kind)
    tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = getattr(transformers, _KINDS[kind].auto_class).from_pretrained(
        source, local_files_only=local_only
    )
    model.eval()
    model.to(device)
    model_calls.install(model)  # the checks can tell how an answer was computed
    if kind == "decoder":
        generation_calls.install(model)  # and, for a decoder, what it predicted and generated
    return Loaded(tokenizer, model, name)


def _locate(checkpoint: str, kind: str = "classifier") -> tuple[str, str, bool]:
    """Where to load ``checkpoint`` from: (source, display name, local files only)."""
    setting, embedded = _KINDS[kind].setting, _KINDS[kind].embedded
    if checkpoint == config.COURSE_MODEL:
        return str(_KINDS[kind].build()), _KINDS[kind].name, True
    if Path(checkpoint).expanduser().is_dir():
        return str(Path(checkpoint).expanduser()), checkpoint, True
    if Path(checkpoint).expanduser().exists() or checkpoint.startswith((".", "/", "~")):
        raise CheckpointUnavailable(
            f"{setting}='{checkpoint}' is not a checkpoint folder; unset {setting} to use {embedded}."
        )
    if _in_local_cache(checkpoint):
        return checkpoint, checkpoint, True
    if config.hub_offline() or not _hub_reachable():
        raise CheckpointUnavailable(
            f"Cannot load '{checkpoint}': the Hugging Face Hub is out of reach (offline) and it is not "
            f"in the local cache; unset {setting} to use {embedded}."
        )
    return checkpoint, checkpoint, False


def _in_local_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache

        return all(
            isinstance(try_to_load_from_cache(repo_id, filename), str)
            for filename in ("config.json", "tokenizer_config.json")
        )
    except Exception:  # a malformed id is simply not cached
        return False


def _hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP probe, so an offline machine fails in seconds instead of a minute of retries."""
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection(
            (endpoint.hostname or "huggingface.co", port), timeout=timeout
        ):
            return True
    except OSError:
        return False


def load_fresh_decoder(checkpoint: str | None = None, device: str | None = None) -> Loaded:
    """Like :func:`load_decoder`, but a new copy that no notebook cell has touched (the generation checks' own:
    a learner sets ``pad_token`` and ``padding_side`` on the shared tokenizer)."""
    return _load.__wrapped__(
        checkpoint or config.decoder(), resolve_device(device or config.device_setting()), "decoder"
    )

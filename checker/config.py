"""Every course setting in one place, read from the environment with offline defaults.

The values are read when asked for (not at import), so a learner who sets
``COURSE_CHECKPOINT`` in a cell before loading the model gets what they asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
COURSE_MODEL_DIR = PACKAGE_DIR / "course_model"
COURSE_DECODER_DIR = PACKAGE_DIR / "course_decoder"

#: The name ``COURSE_CHECKPOINT`` takes (or is left unset) for the embedded model.
COURSE_MODEL = "course"
#: The name the embedded model reports about itself. It is not DistilBERT.
COURSE_MODEL_NAME = "course-minilm-l6-sentiment"
#: The hub checkpoint the original course material is written for.
DISTILBERT_SST2 = "distilbert-base-uncased-finetuned-sst-2-english"
#: The name the embedded decoder (a small GPT-2 trained on the course sentences) reports about itself;
#: ``COURSE_DECODER`` takes ``COURSE_MODEL`` (or is left unset) for it.
COURSE_DECODER_NAME = "course-gpt2-tiny"
#: A hub decoder for learners who are online.
DISTILGPT2 = "distilgpt2"

#: Labels of the two-way sentiment head, in the order SST-2 uses.
ID2LABEL = {0: "NEGATIVE", 1: "POSITIVE"}

# Quiet transformers' weight-loading report and progress bars: notebook outputs
# are compared by nbval, and their row order varies between runs.
QUIET_ENV = {"TRANSFORMERS_VERBOSITY": "error", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}


def quiet_transformers(env=None):
    """Set the quiet variables (where not set already) in ``env`` (default: this process's environment).

    Must run before transformers is imported; returns ``env`` so a child process can be given it.
    """
    env = os.environ if env is None else env
    for name, value in QUIET_ENV.items():
        env.setdefault(name, value)
    return env


def checkpoint() -> str:
    """The checkpoint to use: ``COURSE_CHECKPOINT`` (a hub id or a folder), else the course model."""
    return os.environ.get("COURSE_CHECKPOINT", "").strip() or COURSE_MODEL


def decoder() -> str:
    """The decoder to use: ``COURSE_DECODER`` (a hub id or a folder), else the embedded course decoder."""
    return os.environ.get("COURSE_DECODER", "").strip() or COURSE_MODEL


def device_setting() -> str:
    """``cpu`` (default), ``cuda`` or ``auto`` (CUDA when available), from ``COURSE_DEVICE``."""
    return os.environ.get("COURSE_DEVICE", "").strip().lower() or "cpu"


def cache_dir() -> Path:
    """Where the assembled course models live: ``COURSE_CACHE``, else the user's cache folder."""
    explicit = os.environ.get("COURSE_CACHE", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "multiseq-course"


def solutions_dir() -> Path | None:
    """The source notebooks with the solutions: ``COURSE_SOLUTIONS``, else the course folder's
    ``solutions/multiple_sequences`` beside this package; None in a copy of the course without them."""
    explicit = os.environ.get("COURSE_SOLUTIONS", "").strip()
    folder = (
        Path(explicit).expanduser()
        if explicit
        else PACKAGE_DIR.parent / "solutions" / "multiple_sequences"
    )
    return folder if folder.is_dir() else None


def hub_offline() -> bool:
    """True when the learner or CI said the hub may not be used."""
    return any(
        os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )

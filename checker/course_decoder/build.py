"""Assemble the course decoder: the GPT-2 weights and tokenizer this project trained, written as a
standard checkpoint folder that ``AutoModelForCausalLM`` and ``AutoTokenizer`` load with nothing
missing or new.

The committed weights are float16 (to stay small); the folder holds them as float32, the dtype the
course runs in. It is cached under :func:`checker.config.cache_dir`, keyed by a fingerprint of its
inputs, so it is built once (about a second) and rebuilt whenever the weights, the tokenizer,
transformers or this recipe change.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from .. import cached_build, config

WEIGHTS_FILE = config.COURSE_DECODER_DIR / "decoder.safetensors"
CONFIG_FILE = config.COURSE_DECODER_DIR / "config.json"
TOKENIZER_FILES = (
    config.COURSE_DECODER_DIR / "tokenizer.json",
    config.COURSE_DECODER_DIR / "tokenizer_config.json",
)
RECIPE_VERSION = "1"  # bump when the assembly below changes
MARKER = "course_decoder.json"


def inputs() -> tuple[Path, ...]:
    """The committed files the folder is built from."""
    return (WEIGHTS_FILE, CONFIG_FILE, *TOKENIZER_FILES)


def fingerprint() -> str:
    """A short hash of everything the assembled folder depends on."""
    digest = hashlib.sha256()
    digest.update(
        f"recipe={RECIPE_VERSION};transformers={metadata.version('transformers')};".encode()
    )
    for path in inputs():
        digest.update(f"{path.name}:".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def built_dir() -> Path:
    return config.cache_dir() / f"course-decoder-{fingerprint()}"


def ensure_built() -> Path:
    """Return the assembled checkpoint folder, building it first if it is missing or stale."""
    return cached_build.ensure_built(built_dir(), MARKER, assemble)


def model_config():
    from transformers import GPT2Config

    return GPT2Config.from_json_file(str(CONFIG_FILE))


def state_dict() -> dict:
    """The committed tensors as float32 (the output embedding is tied to ``transformer.wte``)."""
    import torch
    from safetensors.torch import load_file

    return {name: t.to(torch.float32) for name, t in load_file(str(WEIGHTS_FILE)).items()}


def assemble(dest: Path) -> None:
    """Write the checkpoint folder (weights, config, tokenizer, a short card) into ``dest``."""
    from transformers import AutoTokenizer, GPT2LMHeadModel

    model = GPT2LMHeadModel(model_config())
    missing, unexpected = model.load_state_dict(state_dict(), strict=False)
    if set(missing) - {"lm_head.weight"} or unexpected:
        raise ValueError(
            f"decoder.safetensors does not fit the model: missing {missing[:3]}, unexpected {unexpected[:3]}"
        )
    model.tie_weights()
    model.config.name_or_path = config.COURSE_DECODER_NAME
    model.save_pretrained(str(dest))
    AutoTokenizer.from_pretrained(str(config.COURSE_DECODER_DIR)).save_pretrained(str(dest))
    (dest / "README.md").write_text(
        f"# {config.COURSE_DECODER_NAME}\n\nAssembled by `checker.course_decoder.build` from the small GPT-2 "
        "this course trained on its own ~1,200 sentences. A teaching decoder: its text is fragmentary "
        "English. See the course README's model card.\n"
    )
    (dest / MARKER).write_text(
        json.dumps({"name": config.COURSE_DECODER_NAME, "fingerprint": fingerprint()})
    )

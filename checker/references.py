"""Reference outputs the checks compare against.

For the embedded course model they are stored in ``references/<model>.json`` (written by
``python -m model_pipeline references`` from the functions below, which are the solutions' code); for any
other checkpoint they are computed live from the same functions, once per process.
The seed's published DistilBERT numbers are kept too, to name "logits from another checkpoint".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import torch

from . import config, model_calls
from .padding import right_pad

STORE_DIR = config.PACKAGE_DIR / "references"

SEED_TEXT = "I've been waiting for a HuggingFace course my whole life."
SHORT_IDS = [[200, 200, 200], [200, 200]]  # the seed's two short sequences
TWO_TEXTS = ["I've been waiting for a HuggingFace course my whole life.", "So have I!"]
TRY_IT_TEXTS = [SEED_TEXT, "I hate this so much!"]  # section 6: the seed's Try it! sentences
# Section 8: texts the notebook never shows, for the learner's classify_texts (its public cases).
UNSEEN_TEXTS = [
    "Terrible.",
    "The soup was cold and the waiter forgot our bread twice.",
    "I expected little from a sequel, yet it surprised me with sharp writing, a patient pace and a finale "
    "that earned every tear.",
    "Fine!",
    "Not worth the ticket price, honestly.",
]
LONG_TEXT = (
    "The hotel looked nothing like its photos. The carpet was stained, the shower leaked and the night "
    "staff shrugged at every complaint we made. "
) * 24  # beyond 512 tokens
#: Sorted by characters, by words, by tokens or not at all, these five texts make four different sets of batches.
CHARS_VS_TOKENS = [
    "Not worth the ticket price, honestly.",
    "Loved it!",
    "Thoughtfully choreographed, exquisitely photographed.",
    "A-, B+, C... meh :-/",
    "We waited an hour for a table and it was worth every minute.",
]

#: The seed's published logits for distilbert-base-uncased-finetuned-sst-2-english, at the printed precision.
DISTILBERT_PUBLISHED = {
    "seed_logits": [[-2.7276, 2.8789]],
    "seed_logits_twice": [
        [-2.7276, 2.8789],
        [-2.7276, 2.8789],
    ],  # the seed: "the same logits as before (but twice)"
    "short_first": [[1.5694, -1.3895]],
    "short_second": [[0.5803, -0.4125]],
    "short_padded_no_mask": [[1.5694, -1.3895], [1.3373, -1.2163]],
    "short_padded_masked": [[1.5694, -1.3895], [0.5803, -0.4125]],
}
PUBLISHED_TOLERANCE = 1e-4  # four decimals printed

_COMPUTE: dict[str, Callable] = {}


def reference(func: Callable) -> Callable:
    _COMPUTE[func.__name__] = func
    return func


def _logits(model, input_ids, attention_mask=None) -> torch.Tensor:
    with torch.inference_mode():
        ids = torch.tensor(input_ids, device=model.device)
        mask = None if attention_mask is None else torch.tensor(attention_mask, device=model.device)
        return model(ids, attention_mask=mask).logits.float().cpu()


def logits_of(model, input_ids, attention_mask=None) -> torch.Tensor:
    """The float32 logits, on the CPU, of one call of ``model`` on lists of ids (no gradient)."""
    return _logits(model, input_ids, attention_mask)


@reference
def seed_logits(tokenizer, model):
    """Section 2: the seed sentence, tokenized by hand (no [CLS]/[SEP]), as a batch of one."""
    return _logits(model, [tokenizer.convert_tokens_to_ids(tokenizer.tokenize(SEED_TEXT))])


@reference
def seed_logits_tokenizer(tokenizer, model):
    """Section 2's sentence as the tokenizer gives it, with [CLS] and [SEP] (a mistake to name)."""
    return _logits(model, tokenizer([SEED_TEXT])["input_ids"])


@reference
def seed_logits_twice(tokenizer, model):
    """Section 3: the same ids twice in one batch."""
    ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(SEED_TEXT))
    return _logits(model, [ids, ids])


@reference
def short_first(tokenizer, model):
    return _logits(model, [SHORT_IDS[0]])


@reference
def short_second(tokenizer, model):
    return _logits(model, [SHORT_IDS[1]])


@reference
def short_padded_no_mask(tokenizer, model):
    ids, _ = right_pad(SHORT_IDS, tokenizer.pad_token_id)
    return _logits(model, ids)


@reference
def short_padded_masked(tokenizer, model):
    ids, mask = right_pad(SHORT_IDS, tokenizer.pad_token_id)
    return _logits(model, ids, mask)


def _manual_try_it_batch(tokenizer):
    """Section 6: the Try it! sentences tokenized by hand (no [CLS]/[SEP]), right-padded, with their mask."""
    return right_pad(
        [tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in TRY_IT_TEXTS],
        tokenizer.pad_token_id,
    )


@reference
def try_it_manual_masked(tokenizer, model):
    """Section 6: the manual Try it! batch, padded, with the attention mask."""
    ids, mask = _manual_try_it_batch(tokenizer)
    return _logits(model, ids, mask)


@reference
def try_it_manual_no_mask(tokenizer, model):
    """Section 6: the same padded batch without the mask (a mistake to name)."""
    ids, _ = _manual_try_it_batch(tokenizer)
    return _logits(model, ids)


@reference
def try_it_tokenizer(tokenizer, model):
    """Section 6: ``tokenizer(TRY_IT_TEXTS, padding=True)``, with [CLS] and [SEP]."""
    batch = tokenizer(TRY_IT_TEXTS, padding=True, return_tensors="pt").to(model.device)
    with torch.inference_mode():
        return model(**batch).logits.float().cpu()


@reference
def two_texts_logits(tokenizer, model):
    """Section 8: tokenizer(..., padding=True, truncation=True, return_tensors='pt')."""
    batch = tokenizer(TWO_TEXTS, padding=True, truncation=True, return_tensors="pt").to(
        model.device
    )
    with torch.inference_mode():
        return model(**batch).logits.float().cpu()


@reference
def two_texts_no_mask(tokenizer, model):
    """Section 8: the same padded ids without their mask (a mistake to name)."""
    batch = tokenizer(TWO_TEXTS, padding=True, truncation=True, return_tensors="pt").to(
        model.device
    )
    with torch.inference_mode():
        return model(batch["input_ids"]).logits.float().cpu()


def each_alone(tokenizer, model, texts, max_length: int | None = None) -> torch.Tensor:
    """Each text run by itself (truncated at ``max_length``, default the model's limit), one row per text:
    the logits every way of batching must reproduce."""
    rows = []
    with torch.inference_mode(), model_calls.unrecorded():
        for text in texts:
            inputs = tokenizer(
                text, truncation=True, max_length=max_length, return_tensors="pt"
            ).to(model.device)
            rows.append(model(**inputs).logits.float().cpu()[0])
    return torch.stack(rows)


def case_texts() -> list[str]:
    """Section 8's public cases' texts, each once, in a fixed order: the rows of ``case_texts_alone``."""
    return list(dict.fromkeys([*UNSEEN_TEXTS, LONG_TEXT, *CHARS_VS_TOKENS, ""]))


@reference
def case_texts_alone(tokenizer, model):
    """Section 8: each public case's text run by itself, truncated at the model's limit: what classify_texts
    must reproduce however it batches."""
    return each_alone(tokenizer, model, case_texts())


def names() -> list[str]:
    return sorted(_COMPUTE)


def compute_all(tokenizer, model) -> dict[str, torch.Tensor]:
    with model_calls.unrecorded():
        return {name: _COMPUTE[name](tokenizer, model) for name in names()}


def store_path(model_name: str = config.COURSE_MODEL_NAME) -> Path:
    return STORE_DIR / f"{model_name}.json"


@functools.lru_cache(maxsize=1)
def _stored() -> dict[str, torch.Tensor]:
    data = json.loads(store_path().read_text())
    return {name: torch.tensor(value) for name, value in data["references"].items()}


@functools.lru_cache(maxsize=8)
def _live(checkpoint: str, name: str) -> torch.Tensor:
    from .model import load_model

    loaded = load_model(checkpoint)
    with model_calls.unrecorded():
        return _COMPUTE[name](loaded.tokenizer, loaded.model)


def get(name: str, checkpoint: str | None = None) -> torch.Tensor:
    """The reference ``name`` for ``checkpoint`` (default: the one the course is using)."""
    checkpoint = checkpoint or config.checkpoint()
    if checkpoint == config.COURSE_MODEL:
        return _stored()[name].clone()
    return _live(checkpoint, name).clone()


def other_checkpoints(
    name: str, checkpoint: str | None = None
) -> dict[str, tuple[torch.Tensor, str]]:
    """Known logits of ``name`` from checkpoints other than the active one, for diagnosis."""
    checkpoint = checkpoint or config.checkpoint()
    found: dict[str, tuple[torch.Tensor, str]] = {}
    cause = (
        "they were computed with a different model than this notebook's (COURSE_CHECKPOINT is "
        f"'{checkpoint}'); reload with `load_model()` and run the cell again"
    )
    if checkpoint != config.COURSE_MODEL and name in _stored():
        found[f"the course model's logits ({config.COURSE_MODEL_NAME})"] = (_stored()[name], cause)
    if checkpoint != config.DISTILBERT_SST2 and name in DISTILBERT_PUBLISHED:
        found["DistilBERT's published logits"] = (torch.tensor(DISTILBERT_PUBLISHED[name]), cause)
    return found

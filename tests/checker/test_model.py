"""The embedded course model: a standard checkpoint, the seed's token ids, checkpoint selection."""

from __future__ import annotations

import pytest
import torch

from checker import CheckpointUnavailable, config, load_model
from checker import model as model_module
from checker.course_model import build
from tests.helpers.hub import requires_hub

SEED_TEXT = "I've been waiting for a HuggingFace course my whole life."
SEED_IDS = [
    101,
    1045,
    1005,
    2310,
    2042,
    3403,
    2005,
    1037,
    17662,
    12172,
    2607,
    2026,
    2878,
    2166,
    1012,
    102,
]


def test_assembled_folder_loads_with_nothing_missing_or_new():
    from transformers import AutoModelForSequenceClassification

    _, info = AutoModelForSequenceClassification.from_pretrained(
        str(build.ensure_built()), output_loading_info=True
    )
    assert {k: v for k, v in info.items() if v} == {}


def test_head_file_is_small_and_covers_only_trained_tensors():
    from safetensors.torch import load_file

    assert build.HEAD_FILE.stat().st_size <= 10 * 1024 * 1024
    names = load_file(str(build.HEAD_FILE)).keys()
    assert any(n.startswith("classifier.") for n in names)
    from model_pipeline.train_classifier import TRAINABLE

    assert all(n.startswith(TRAINABLE) for n in names)


def test_seed_sentence_tokenizes_to_the_seed_ids(course):
    assert course.tokenizer(SEED_TEXT)["input_ids"] == SEED_IDS
    assert course.tokenizer.pad_token_id == 0


def test_labels_are_those_of_sst2(course):
    assert course.model.config.id2label == {0: "NEGATIVE", 1: "POSITIVE"}
    assert course.name == config.COURSE_MODEL_NAME and not course.model.training


@pytest.mark.parametrize(
    "text, label", [(SEED_TEXT, "POSITIVE"), ("I hate this so much!", "NEGATIVE")]
)
def test_seed_sentences_get_the_right_label(course, text, label):
    with torch.inference_mode():
        logits = course.model(**course.tokenizer(text, return_tensors="pt")).logits
    assert course.model.config.id2label[int(logits.argmax())] == label


def test_two_fresh_loads_give_bit_identical_logits():
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = str(build.ensure_built())
    batch = AutoTokenizer.from_pretrained(path)(
        [SEED_TEXT, "I hate this so much!"], padding=True, return_tensors="pt"
    )
    runs = []
    for _ in range(2):
        model = AutoModelForSequenceClassification.from_pretrained(path).eval()
        with torch.inference_mode():
            runs.append(model(**batch).logits)
    assert torch.equal(runs[0], runs[1])


def test_heldout_accuracy_is_at_least_90_percent():
    from checker.data import read_examples
    from model_pipeline.evaluate import accuracy

    heldout = read_examples("heldout")
    train_texts = {e.text for e in read_examples("train")}
    assert len(heldout) >= 200 and len(train_texts) >= 800
    assert not train_texts & {e.text for e in heldout}, "held-out sentences leak into training"
    assert sum(e.label for e in heldout) * 2 == len(heldout), "held-out set is not balanced"
    overall, _ = accuracy(heldout)
    assert overall.value >= 0.90


def test_build_is_cached_and_keyed_by_the_head(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE", str(tmp_path))
    first = build.ensure_built()
    mtime = (first / build.MARKER).stat().st_mtime_ns
    assert build.ensure_built() == first and (first / build.MARKER).stat().st_mtime_ns == mtime
    changed = tmp_path / "head.safetensors"
    from safetensors.torch import load_file, save_file

    head = load_file(str(build.HEAD_FILE))
    head["classifier.bias"] = head["classifier.bias"] + 1
    save_file(head, str(changed))
    monkeypatch.setattr(build, "HEAD_FILE", changed)
    assert build.fingerprint() not in first.name
    assert build.ensure_built() != first


def test_default_checkpoint_is_the_course_model(monkeypatch):
    monkeypatch.delenv("COURSE_CHECKPOINT", raising=False)
    assert config.checkpoint() == config.COURSE_MODEL
    assert load_model().name == config.COURSE_MODEL_NAME


def test_course_checkpoint_may_name_a_local_folder(monkeypatch):
    folder = str(build.ensure_built())
    monkeypatch.setenv("COURSE_CHECKPOINT", folder)
    loaded = load_model()
    assert loaded.name == folder
    assert loaded.tokenizer(SEED_TEXT)["input_ids"] == SEED_IDS


def test_offline_hub_checkpoint_fails_at_once_with_the_way_back(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("COURSE_CHECKPOINT", config.DISTILBERT_SST2)
    monkeypatch.setattr(model_module, "_in_local_cache", lambda _: False)
    monkeypatch.setattr(
        model_module, "_hub_reachable", lambda: pytest.fail("probed the network while offline")
    )
    with pytest.raises(CheckpointUnavailable, match="unset COURSE_CHECKPOINT"):
        load_model()


def test_unreachable_hub_fails_before_transformers_retries(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(model_module, "_in_local_cache", lambda _: False)

    def refuse(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(model_module.socket, "create_connection", refuse)
    import transformers

    monkeypatch.setattr(
        transformers.AutoTokenizer,
        "from_pretrained",
        lambda *a, **k: pytest.fail("transformers was asked to download"),
    )
    with pytest.raises(CheckpointUnavailable, match="out of reach"):
        load_model(config.DISTILBERT_SST2)


def test_a_missing_folder_is_named_in_the_error():
    with pytest.raises(CheckpointUnavailable, match="not a checkpoint folder"):
        load_model("./no-such-checkpoint")


def test_cuda_asked_for_without_cuda_says_so(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(CheckpointUnavailable, match="no CUDA device"):
        model_module.resolve_device("cuda")
    assert model_module.resolve_device("auto") == "cpu"


@requires_hub
def test_distilbert_reproduces_the_seeds_published_logits():
    loaded = load_model(config.DISTILBERT_SST2, "cpu")
    with torch.inference_mode():
        logits = loaded.model(**loaded.tokenizer(SEED_TEXT, return_tensors="pt")).logits
    torch.testing.assert_close(logits, torch.tensor([[-2.7276, 2.8789]]), atol=1e-4, rtol=0)

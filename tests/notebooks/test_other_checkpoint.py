"""Every solution notebook runs unchanged, with every check passing, on a DistilBERT-style checkpoint.

The hub's `distilbert-base-uncased-finetuned-sst-2-english` cannot be downloaded here, so this
builds a small, randomly initialised (seeded) checkpoint of the same architecture and tokenizer
class (no token_type_ids, DistilBERT's config names) and points COURSE_CHECKPOINT at it. That
catches code that assumes the course model: its numbers, BERT-only inputs, its config fields.
"""

from __future__ import annotations

import pytest

from tests.helpers.notebooks import SOLUTIONS, execute, notebook_names, text_of

pytestmark = pytest.mark.kernel  # executes every solution notebook


@pytest.fixture(scope="module")
def distilbert_like(tmp_path_factory):
    import torch
    from transformers import (
        DistilBertConfig,
        DistilBertForSequenceClassification,
        DistilBertTokenizerFast,
    )

    from checker.course_model.build import base_model_dir

    folder = tmp_path_factory.mktemp("distilbert-like")
    tokenizer = DistilBertTokenizerFast.from_pretrained(
        str(base_model_dir())
    )  # same vocabulary, no token_type_ids
    tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    config = DistilBertConfig(
        vocab_size=tokenizer.vocab_size,
        dim=64,
        n_layers=2,
        n_heads=2,
        hidden_dim=128,
        id2label={0: "NEGATIVE", 1: "POSITIVE"},
        label2id={"NEGATIVE": 0, "POSITIVE": 1},
    )
    DistilBertForSequenceClassification(config).eval().save_pretrained(folder)
    return folder


@pytest.mark.parametrize("name", notebook_names())
def test_solution_notebook_passes_every_check_on_a_distilbert_style_checkpoint(
    distilbert_like, name, monkeypatch
):
    monkeypatch.setenv("COURSE_CHECKPOINT", str(distilbert_like))
    nb = execute(SOLUTIONS / name)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        assert not errors, (
            f"{name}, cell {index} failed with COURSE_CHECKPOINT={distilbert_like}: {errors}\n{cell.source[:300]}"
        )
        if ".check(" in cell.source:
            assert "public checks passed" in text_of(cell.outputs), (
                f"{name}, cell {index}: {text_of(cell.outputs)[:300]}"
            )

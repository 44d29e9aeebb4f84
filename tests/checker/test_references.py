"""Stored references belong to the course model as built now, and come from the solution code."""

from __future__ import annotations

import json

import pytest
import torch

from checker import compare, config, references
from checker.course_model import build
from tests.helpers.hub import requires_hub


def stored() -> dict:
    return json.loads(references.store_path().read_text())


def test_store_was_made_from_this_course_model():
    assert stored()["fingerprint"] == build.fingerprint(), (
        "stale: run `make references` and commit the file"
    )


def test_store_has_every_reference_and_no_other():
    assert sorted(stored()["references"]) == references.names()


def test_stored_values_equal_a_fresh_computation(course):
    # Within the tolerance every check uses: another CPU's kernels round differently (2e-6 was seen
    # between two machines), while a stale store differs by far more than the checks accept.
    tol = compare.tolerance()
    fresh = references.compute_all(course.tokenizer, course.model)
    for name, value in stored()["references"].items():
        torch.testing.assert_close(
            torch.tensor(value),
            fresh[name],
            atol=tol.atol,
            rtol=tol.rtol,
            msg=f"stale reference {name}",
        )


def test_other_checkpoints_offer_the_course_and_published_numbers():
    assert references.other_checkpoints("seed_logits", config.COURSE_MODEL).keys() == {
        "DistilBERT's published logits"
    }
    found = references.other_checkpoints("seed_logits", config.DISTILBERT_SST2)
    assert list(found) == [f"the course model's logits ({config.COURSE_MODEL_NAME})"]


@requires_hub
@pytest.mark.parametrize("name", sorted(references.DISTILBERT_PUBLISHED))
def test_live_distilbert_references_match_the_seeds_published_numbers(name):
    live = references.get(name, config.DISTILBERT_SST2)
    torch.testing.assert_close(
        live,
        torch.tensor(references.DISTILBERT_PUBLISHED[name]),
        atol=references.PUBLISHED_TOLERANCE,
        rtol=0,
    )

"""Section 12 (packing sequences): what the rows of checker/exercises/attempts/section12.py cannot express, and the
lesson's facts for the installed transformers.

Every attempt a learner writes (right, wrong, the starter) is a row there, run by tests/checker/exercises/
test_attempts.py and tests/corpus; each test here says why it is not a row.
"""

from __future__ import annotations

import json

import pytest
import torch
from transformers import DataCollatorWithFlattening, masking_utils

from checker import config, harness, load_decoder, serial
from checker.exercises import section12 as ex
from checker.outcome import Mistake
from grading import scorer
from grading.hidden import section12 as hidden

TEXTS = [
    "The finale ruined the entire series.",
    "Her performance deserves every award going.",
    "Couldn't put it down. Finished it at 3 a.m.",
]


@pytest.fixture(scope="module")
def decoder():
    return load_decoder(config.COURSE_MODEL, "cpu")


# Not a row: a row's run always records its calls; this is a report whose calls were lost.
def test_without_the_calls_the_numbers_still_name_the_mistake(decoder):
    """A report whose calls were lost (a model copy the watch did not see) is judged by its logits alone."""
    model = decoder.model
    case = ex.packed_logits.cases[0]
    (batch,) = case.args
    with torch.inference_mode():
        attended = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"]).logits
        run_on = model(input_ids=batch["input_ids"], use_cache=False).logits
    for logits, mistake_id in ((attended, "texts_attend"), (run_on, "positions_not_restarting")):
        with pytest.raises(Mistake) as raised:
            ex.packed_logits._verify_function(logits, case, harness.Run(result=logits))
        assert raised.value.id == mistake_id


# Not a row: a row is judged alike by the check and the grader; this answer is right on every public case.
def test_a_pack_that_drops_the_id_0_passes_the_public_cases_and_fails_a_hidden_one():
    def pack(sequences):
        kept = [
            [t for t in s if t != 0] for s in sequences
        ]  # "0 is the pad id": it is also a real token
        return DataCollatorWithFlattening()([{"input_ids": s} for s in kept])

    assert ex.pack.check(pack).correct
    failed = [
        case.description
        for case in hidden.pack
        if ex.pack.judge_case(harness.run(pack, case), case) is not None
    ]
    assert failed == [hidden.pack[0].description]


# Not a row: a hostile report, forged after the kernel made it.
def test_forged_calls_in_a_report_cost_only_the_exercise(decoder):
    def packed_logits(batch):
        return decoder.model(
            input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False
        ).logits

    report = ex.packed_logits.collect((packed_logits,))
    for run in report["runs"]:
        run["calls"] = [
            serial.encode(c)
            for c in ({"mask": "yes", "cache": [1], "position_ids": None, "shape": 7}, 3, "x")
        ]
    verdict = scorer.judge("section12.packed_logits", {"report": json.loads(json.dumps(report))})
    assert "could not check" not in verdict.reason and "bug in the checker" not in verdict.reason


# --- the lesson's facts, for the installed transformers ---


def test_the_collator_is_the_truth_of_pack_and_keeps_the_three_keys():
    batch = ex.collated([[5, 6, 7], [], [8, 9]])
    assert sorted(batch) == sorted(ex.KEYS)
    assert batch["position_ids"].tolist() == [[0, 1, 2, 0, 1]]
    assert batch["labels"].tolist() == [[-100, 6, 7, -100, 9]]


def test_packing_keeps_the_texts_apart_only_without_cache_and_mask(decoder):
    model = decoder.model
    batch = ex.packed_case(TEXTS)[0]
    truths = ex.truths(batch)
    ids, positions = batch["input_ids"], batch["position_ids"]
    with torch.inference_mode():
        right = model(input_ids=ids, position_ids=positions, use_cache=False).logits
        cached = model(input_ids=ids, position_ids=positions).logits
    assert torch.allclose(right, truths["alone"], atol=1e-4, rtol=1e-4)
    assert not torch.allclose(cached, truths["alone"], atol=1e-4, rtol=1e-4)
    assert torch.equal(cached, truths["one mask"]) or torch.allclose(cached, truths["one mask"])
    assert masking_utils.find_packed_sequence_indices(positions).tolist()[0][-1] == 2

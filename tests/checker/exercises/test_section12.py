"""Section 12 (packing sequences): right answers pass, starters are not attempted, every wrong attempt of the
corpus (tests/corpus/section12.py) is named by its mistake's id and words, the grader judges what the kernel
reports as the check does, and the lesson's facts hold for the installed transformers.

The corpus's attempts run here in-process, in a namespace that holds what the notebook defines before each
exercise (``torch``, ``model``, ``features``, ``DataCollatorWithFlattening``): the same rows as the kernel run of
tests/corpus/test_corpus_even.py, fast.
"""

from __future__ import annotations

import json

import pytest
import torch
from transformers import DataCollatorWithFlattening, masking_utils

from checker import config, harness, load_decoder, serial
from checker.exercise import Outcome
from checker.exercises import section12 as ex
from checker.outcome import Mistake
from grading import scorer
from grading.hidden import section12 as hidden
from tests.corpus import section12 as corpus

EXERCISES = ("pack", "unpack", "packed_logits", "train_packed")
TEXTS = [
    "The finale ruined the entire series.",
    "Her performance deserves every award going.",
    "Couldn't put it down. Finished it at 3 a.m.",
]


@pytest.fixture(scope="module")
def decoder():
    return load_decoder(config.COURSE_MODEL, "cpu")


@pytest.fixture
def namespace(decoder):
    """What the notebook has defined when a learner answers; the shared model put back as it was after."""
    features = [{"input_ids": decoder.tokenizer(t)["input_ids"]} for t in TEXTS]
    yield {
        "torch": torch,
        "model": decoder.model,
        "tokenizer": decoder.tokenizer,
        "features": features,
        "DataCollatorWithFlattening": DataCollatorWithFlattening,
    }
    decoder.model.config.use_cache = True
    decoder.model.eval()


def function_of(attempt, namespace):
    for source in attempt.sources:
        exec(source, namespace)
    return namespace[attempt.exercise]


def mistake_of(exercise, function) -> Mistake:
    with pytest.raises(Mistake) as raised:
        exercise._verify(function)
    return raised.value


def round_trip(exercise, function):
    """The grader's verdict on the kernel's report of ``function`` (its runs on the public and the hidden cases'
    arguments, sent through JSON as in grading), and that report."""
    cases = list(getattr(hidden, exercise.name, []))
    report = json.loads(json.dumps(exercise.collect((function,), cases)))
    return scorer.judge(f"section12.{exercise.name}", {"report": report}), report


WRONG = [a for a in corpus.ATTEMPTS if a.expect == "incorrect"]
RIGHT = [a for a in corpus.ATTEMPTS if a.expect == "correct"]


def test_the_corpus_covers_every_exercise_with_right_and_wrong_answers():
    assert {a.exercise for a in WRONG} == {a.exercise for a in RIGHT} == set(EXERCISES)
    assert len(WRONG) >= 30 and all(a.what in corpus.MISTAKE for a in WRONG)


@pytest.mark.parametrize("attempt", WRONG, ids=[f"{a.exercise}: {a.what}" for a in WRONG])
def test_every_wrong_attempt_is_named_by_its_mistake(attempt, namespace):
    exercise = getattr(ex, attempt.exercise)
    function = function_of(attempt, namespace)
    mistake = mistake_of(exercise, function)
    slug = corpus.MISTAKE[attempt.what]
    if slug == "mutation":  # the harness names a changed argument, for every exercise alike
        assert getattr(mistake, "slug", None) is None and "changed" in mistake.problem
    else:
        assert getattr(mistake, "slug", None) == slug, mistake.problem
    result = exercise.check(function)
    assert result.outcome is Outcome.INCORRECT
    missing = [word for word in attempt.names if word not in str(result)]
    assert not missing, f"{missing} not in:\n{result}"


@pytest.mark.parametrize("attempt", RIGHT, ids=[f"{a.exercise}: {a.what}" for a in RIGHT])
def test_every_right_attempt_passes_the_check_and_the_grader(attempt, namespace):
    exercise = getattr(ex, attempt.exercise)
    function = function_of(attempt, namespace)
    assert exercise.check(function).correct, str(exercise.check(function))
    verdict, report = round_trip(exercise, function)
    assert verdict.accepted, verdict.reason
    assert len(report["runs"]) == len(exercise.cases) + len(
        list(getattr(hidden, exercise.name, []))
    )


@pytest.mark.parametrize("name", EXERCISES)
def test_the_starter_code_is_not_attempted(name):
    def stub(*args):
        raise NotImplementedError()

    assert getattr(ex, name).check(stub).outcome is Outcome.NOT_ATTEMPTED
    assert getattr(ex, name).check(None).outcome is Outcome.NOT_ATTEMPTED


# --- the grader names what the check names, from the kernel's report ---


@pytest.mark.parametrize(
    "what",
    [
        "model(**batch): the cache left on",
        "an attention mask of ones passed along",
        "each text run alone and the logits joined",
        "the model's whole output returned",
    ],
)
def test_the_grader_names_how_the_model_was_called_from_the_report(what, namespace):
    attempt = next(a for a in WRONG if a.what == what)
    function = function_of(attempt, namespace)
    verdict, report = round_trip(ex.packed_logits, function)
    assert not verdict.accepted and all(word in verdict.reason for word in attempt.names), (
        verdict.reason
    )
    assert report["runs"][0]["calls"], "the calls travel in the report"
    assert verdict.reason.split(": ", 1)[1].startswith(
        mistake_of(ex.packed_logits, function).problem.split(": ", 1)[1]
    )


def test_without_the_calls_the_numbers_still_name_the_mistake(namespace):
    """A report whose calls were lost (a model copy the watch did not see) is judged by its logits alone."""
    model = namespace["model"]
    case = ex.packed_logits.cases[0]
    (batch,) = case.args
    with torch.inference_mode():
        attended = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"]).logits
        run_on = model(input_ids=batch["input_ids"], use_cache=False).logits
    for logits, slug in ((attended, "texts-attend"), (run_on, "positions-run-on")):
        with pytest.raises(Mistake) as raised:
            ex.packed_logits._verify_function(logits, case, harness.Run(result=logits))
        assert raised.value.slug == slug


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


def test_forged_calls_in_a_report_cost_only_the_exercise(namespace):
    attempt = next(a for a in RIGHT if a.exercise == "packed_logits")
    report = ex.packed_logits.collect((function_of(attempt, namespace),))
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


def test_a_row_numbered_past_the_models_positions_is_named(namespace):
    attempt = next(
        a for a in WRONG if a.what == "the position ids left out" and a.exercise == "train_packed"
    )
    mistake = mistake_of(ex.train_packed, function_of(attempt, namespace))
    assert mistake.slug == "no-position-ids" and "IndexError" in mistake.problem

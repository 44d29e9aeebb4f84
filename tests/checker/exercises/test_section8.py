"""Section 8 (putting it together): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from checker.exercise import Outcome
from checker.exercises import section8 as ex

TWO = ["I've been waiting for a HuggingFace course my whole life.", "So have I!"]


@pytest.fixture(scope="module")
def tok(course):
    return course.tokenizer


@pytest.fixture(scope="module")
def batch(tok):
    return tok(TWO, padding=True, truncation=True, return_tensors="pt")


def classify_texts_factory(course, *, restore=True, mask=True, drop_last=False, as_rows=False):
    """A learner's classify_texts, right or with one chosen mistake."""
    tokenizer, model = course.tokenizer, course.model

    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results, in_sorted_order = [None] * len(texts), []
        stop = (
            len(order) - len(order) % batch_size
            if drop_last and len(order) % batch_size
            else len(order)
        )
        with torch.inference_mode():
            for start in range(0, stop, batch_size):
                chunk = order[start : start + batch_size]
                inputs = tokenizer(
                    [texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt"
                )
                logits = model(**inputs).logits if mask else model(inputs["input_ids"]).logits
                for row, i in enumerate(chunk):
                    results[i] = logits[row]
                    in_sorted_order.append(logits[row])
        rows = results if restore else in_sorted_order
        rows = [r for r in rows if r is not None]
        return [r.tolist() for r in rows] if as_rows else torch.stack(rows)

    return classify_texts


def text(result) -> str:
    return str(result)


@pytest.mark.parametrize(
    "exercise", [ex.batch, ex.logits, ex.padding_efficiency, ex.classify_texts]
)
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_stub_that_raises_not_implemented_is_not_attempted():
    def stub(*args):
        raise NotImplementedError()

    assert ex.classify_texts.check(stub).outcome is Outcome.NOT_ATTEMPTED
    assert ex.padding_efficiency.check(stub).outcome is Outcome.NOT_ATTEMPTED


# --- batch ---


def test_batch_passes(batch):
    assert ex.batch.check(batch)
    assert ex.batch.check(dict(batch))


def test_batch_without_tensors_is_named(tok):
    result = ex.batch.check(tok(TWO, padding=True, truncation=True))
    assert not result and "Python list" in text(result) and "return_tensors" in text(result)


def test_batch_as_numpy_is_named(tok):
    result = ex.batch.check(tok(TWO, padding=True, return_tensors="np"))
    assert not result and "NumPy" in text(result)


def test_batch_padded_to_max_length_is_named(tok):
    result = ex.batch.check(tok(TWO, padding="max_length", truncation=True, return_tensors="pt"))
    assert not result and "maximum length" in text(result) and "padding=True" in text(result)


def test_batch_left_padded_is_named(tok):
    result = ex.batch.check(tok(TWO, padding=True, return_tensors="pt", padding_side="left"))
    assert not result and "padded on the left" in text(result)


def test_batch_as_one_tensor_is_named(batch):
    result = ex.batch.check(batch["input_ids"])
    assert not result and "one tensor" in text(result)


def test_batch_with_inverted_mask_is_named(batch):
    wrong = dict(batch)
    wrong["attention_mask"] = 1 - batch["attention_mask"]
    result = ex.batch.check(wrong)
    assert not result and "inverted" in text(result)


@pytest.mark.parametrize(
    "answer, words", [("text", "not the tokenizer's output"), ({"ids": 1}, "no input_ids")]
)
def test_batch_bad_input_is_named(answer, words):
    result = ex.batch.check(answer)
    assert result.outcome is Outcome.INCORRECT and words in text(result)


# --- logits ---


def test_logits_pass_as_the_tensor_and_a_numpy_array_is_named(course, batch):
    output = course.model(**batch)
    assert ex.logits.check(output.logits)
    result = ex.logits.check(output.logits.detach().numpy())
    assert not result and "NumPy" in text(result)


def test_logits_as_the_whole_model_output_is_named(course, batch):
    result = ex.logits.check(course.model(**batch))
    assert not result and "whole output" in text(result) and ".logits" in text(result)


def test_logits_without_the_mask_are_named(course, batch):
    with torch.no_grad():
        found = course.model(batch["input_ids"]).logits
    result = ex.logits.check(found)
    assert (
        not result
        and "without the attention mask" in text(result)
        and "model(**batch)" in text(result)
    )


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda t: t.softmax(-1), "probabilities"),
        (lambda t: t[0], "no batch dimension"),
        (lambda t: torch.full_like(t, float("nan")), "NaN"),
        (lambda t: t + 1, "differs from the reference"),
    ],
)
def test_logits_mistakes_are_named(course, batch, change, words):
    with torch.no_grad():
        right = course.model(**batch).logits
    result = ex.logits.check(change(right))
    assert result.outcome is Outcome.INCORRECT and words in text(result)


# --- padding_efficiency ---


def test_padding_efficiency_passes_with_python_floats():
    assert ex.padding_efficiency.check(lambda m: m.sum().item() / m.numel())
    assert ex.padding_efficiency.check(lambda m: m.float().mean().item())
    assert ex.padding_efficiency.check(lambda m: np.float64(m.sum().item() / m.numel()))


def test_padding_efficiency_as_a_tensor_is_named_the_task_asks_for_a_float():
    result = ex.padding_efficiency.check(lambda m: m.float().mean())
    assert not result and "not a float" in text(result) and ".item()" in text(result)


@pytest.mark.parametrize(
    "function, words",
    [
        (lambda m: 1 - m.sum().item() / m.numel(), "share of padding"),
        (lambda m: m.sum().item(), "number of real tokens, not a share"),
        (lambda m: m[0].float().mean().item(), "first row's share"),
        (lambda m: m.sum().item() / m.shape[1], "padded length only"),
        (lambda m: m.sum().item() // m.numel(), "not a float"),
        (lambda m: print(m), "returned None"),
        (lambda m: m.sum(dim=1) / m.shape[1], "one number per row"),
        (lambda m: 1 / 0, "ZeroDivisionError"),
        (42, "not a function"),
    ],
)
def test_padding_efficiency_mistakes_are_named(function, words):
    result = ex.padding_efficiency.check(function)
    assert result.outcome is Outcome.INCORRECT and words in text(result)


# --- classify_texts ---


def test_classify_texts_passes(course):
    assert ex.classify_texts.check(classify_texts_factory(course))


def test_classify_texts_returning_lists_of_numbers_is_named(course):
    result = ex.classify_texts.check(classify_texts_factory(course, as_rows=True))
    assert not result and "not a tensor" in text(result)


def test_classify_texts_in_sorted_order_is_named(course):
    result = ex.classify_texts.check(classify_texts_factory(course, restore=False))
    assert not result and "wrong order" in text(result) and "the sorted order" in text(result)
    assert "order by characters is not their order by tokens" in text(result)


def test_classify_texts_without_mask_is_named(course):
    result = ex.classify_texts.check(classify_texts_factory(course, mask=False))
    assert not result and "without the attention mask" in text(result)


def test_classify_texts_losing_the_last_batch_is_named(course):
    result = ex.classify_texts.check(classify_texts_factory(course, drop_last=True))
    assert not result and "returned 4 rows for 5 texts" in text(result)


def test_classify_texts_returning_rows_with_a_batch_dimension_is_named(course):
    right = classify_texts_factory(course)
    result = ex.classify_texts.check(lambda texts, size: right(texts, size).unsqueeze(1))
    assert not result and "one dimension too many" in text(result)


def test_classify_texts_without_truncation_reports_the_long_case(course):
    tokenizer, model = course.tokenizer, course.model

    def untruncated(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                logits = model(
                    **tokenizer([texts[i] for i in chunk], padding=True, return_tensors="pt")
                ).logits
                for row, i in enumerate(chunk):
                    results[i] = logits[row]
        return torch.stack(results)

    result = ex.classify_texts.check(untruncated)
    assert (
        not result and "longer than the model's limit" in text(result) and "raised" in text(result)
    )


@pytest.mark.parametrize(
    "function, words",
    [
        (lambda texts, size: None, "returned None"),
        (lambda texts, size: ["POSITIVE"] * len(texts), "labels (strings)"),
        (lambda texts, size: {t: 1.0 for t in texts}, "returned a dict"),
        (lambda texts, size: 3, "did not return a torch tensor"),
        (lambda texts, size: torch.zeros(len(texts), 2).softmax(-1), "differs"),
        ("classify", "not a function"),
    ],
)
def test_classify_texts_bad_results_are_named(function, words):
    result = ex.classify_texts.check(function)
    assert result.outcome is Outcome.INCORRECT and words in text(result)


def test_classify_texts_that_loops_forever_is_stopped(monkeypatch):
    monkeypatch.setattr(ex.classify_texts, "seconds", 0.5)

    def forever(texts, batch_size):
        while True:
            pass

    result = ex.classify_texts.check(forever)
    assert result.outcome is Outcome.INCORRECT and "did not return" in text(result)


def test_the_public_cases_logits_come_from_the_stored_references_not_the_model(course, monkeypatch):
    from checker import config, references

    def no_model(*args, **kwargs):
        raise AssertionError("the model ran for a public case's texts")

    ex._alone.cache_clear()
    monkeypatch.setattr(references, "each_alone", no_model)
    calls = []
    hook = course.model.register_forward_pre_hook(lambda module, args: calls.append(1))
    try:
        assert ex.classify_texts.check(classify_texts_factory(course)).outcome is Outcome.CORRECT
    finally:
        hook.remove()
    batches = sum(-(-len(case.args[0]) // case.args[1]) for case in ex.CLASSIFY_CASES)
    assert len(calls) == batches, f"{len(calls)} model calls for the learner's {batches} batches"
    ex._alone.cache_clear()
    monkeypatch.undo()
    for case in ex.CLASSIFY_CASES:  # the stored rows are the texts' own
        texts = list(case.args[0])
        live = references.each_alone(course.tokenizer, course.model, texts)
        assert torch.allclose(
            ex._alone(config.COURSE_MODEL, tuple(texts)), live, atol=1e-4, rtol=1e-4
        )

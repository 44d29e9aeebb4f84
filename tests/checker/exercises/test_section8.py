"""Section 8: what the rows of checker/exercises/attempts/section8.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py; what
stays here is a time limit and where the public cases' reference logits come from.
"""

from __future__ import annotations

import torch

from checker.exercise import Outcome
from checker.exercises import section8 as ex


def classify_texts_factory(course):
    """A learner's right classify_texts."""
    tokenizer, model = course.tokenizer, course.model

    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                inputs = tokenizer(
                    [texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt"
                )
                logits = model(**inputs).logits
                for row, i in enumerate(chunk):
                    results[i] = logits[row]
        return torch.stack(results)

    return classify_texts


def text(result) -> str:
    return str(result)


# a row would wait the whole time limit, twice (check and grader): here it is shortened
def test_classify_texts_that_loops_forever_is_stopped(monkeypatch):
    monkeypatch.setattr(ex.classify_texts, "seconds", 0.5)

    def forever(texts, batch_size):
        while True:
            pass

    result = ex.classify_texts.check(forever)
    assert result.outcome is Outcome.INCORRECT and "did not return" in text(result)


# how the check computes, not what it says: no row sees the model calls it makes
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

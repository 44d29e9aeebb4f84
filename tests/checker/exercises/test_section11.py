"""Section 11: what the rows of checker/exercises/attempts/section11.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py against
the check and the grader; what stays here is the lesson the checks rely on (it holds on the notebook's prompts),
words the feedback must NOT contain, and that no verdict depends on the notebook's tokenizer or records."""

from __future__ import annotations

import ast
import copy

import nbformat
import pytest
import torch

from checker import config, generation_calls, load_decoder
from checker.exercises import section11 as ex
from tests.helpers.notebooks import SOLUTIONS

NOTEBOOK = SOLUTIONS / "11_batches_for_generation.ipynb"


@pytest.fixture(autouse=True)
def fresh_records():
    """Each test starts as a fresh notebook: no forward or generate calls remembered from other tests."""
    generation_calls.forget()


@pytest.fixture(scope="module")
def decoder():
    return load_decoder(config.COURSE_MODEL, "cpu")


@pytest.fixture(scope="module")
def tok(decoder):
    """A copy of the notebook's tokenizer with the lesson's pad token (the shared one stays as shipped)."""
    tokenizer = copy.deepcopy(decoder.tokenizer)
    tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


@pytest.fixture(scope="module")
def left(tok):
    return tok(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt")


@pytest.fixture(scope="module")
def right(tok):
    return tok(ex.PROMPTS, padding=True, padding_side="right", return_tensors="pt")


def positions(mask):
    return (mask.cumsum(-1) - 1).clamp(min=0)


def right_left_pad(sequences, pad_id):
    width = max(len(s) for s in sequences)
    ids = torch.tensor([[pad_id] * (width - len(s)) + list(s) for s in sequences], dtype=torch.long)
    mask = torch.tensor(
        [[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long
    )
    return ids, mask, positions(mask)


# --- the lesson holds on the notebook's prompts ---


def test_the_notebook_asks_about_the_prompts_the_checks_use():
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    assignment = next(
        line for cell in cells for line in cell.splitlines() if line.startswith("prompts = ")
    )
    assert ast.literal_eval(assignment.split("=", 1)[1].strip()) == ex.PROMPTS
    assert any(f"max_new_tokens={ex.NEW_TOKENS}" in cell for cell in cells)


def test_left_padding_with_the_mask_gives_every_prompt_its_own_ids_and_right_padding_does_not(
    decoder, left, right
):
    expected = ex.expected_output(ex.PROMPTS, ex.NEW_TOKENS)
    with torch.inference_mode():
        assert torch.equal(
            decoder.model.generate(**left, max_new_tokens=ex.NEW_TOKENS, do_sample=False), expected
        )
        wrong = decoder.model.generate(**right, max_new_tokens=ex.NEW_TOKENS, do_sample=False)
    width = right["input_ids"].shape[1]
    changed = [
        p
        for p, row in zip(ex.PROMPTS, wrong[:, width:].tolist())
        if row[: len(ex.alone(p, ex.NEW_TOKENS))] != list(ex.alone(p, ex.NEW_TOKENS))
    ]
    assert len(changed) == 3, changed  # every padded prompt; the longest has no pads


def test_the_mask_alone_changes_some_next_tokens(decoder, left):
    """The notebook shows it before the next_ids exercise, whose check names the missing position ids."""
    with torch.inference_mode():
        mask_only = decoder.model(**left).logits[:, -1].argmax(-1).tolist()
    assert sum(a != ex.alone(p, 1)[0] for p, a in zip(ex.PROMPTS, mask_only)) >= 2


def test_two_rows_finish_early_so_decoding_must_skip_the_pads():
    expected = ex.expected_output(ex.PROMPTS, ex.NEW_TOKENS)
    assert expected.shape[1] == 5 + ex.NEW_TOKENS
    assert sum(len(ex.alone(p, ex.NEW_TOKENS)) < ex.NEW_TOKENS for p in ex.PROMPTS) == 2


def _forward(model, batch, **kwargs):
    with torch.inference_mode():
        return model(**batch, **kwargs).logits


# words the feedback must not contain: a row names only what it must say
def test_next_ids_typed_in_and_wrong_is_named_without_a_cause():
    result = ex.next_ids.check(torch.tensor([1, 2, 3, 4]))
    assert not result and "is wrong for row 0" in str(result) and "Likely cause" not in str(result)


def _generate(model, *args, **kwargs):
    kwargs.setdefault("max_new_tokens", ex.NEW_TOKENS)
    with torch.inference_mode():
        return model.generate(*args, **kwargs)


# --- no verdict depends on the notebook's tokenizer ---


def test_checks_use_a_tokenizer_of_their_own(decoder):
    assert ex.decoder()[0] is not decoder.tokenizer and ex.decoder()[1] is not decoder.model


def test_verdicts_do_not_change_when_the_notebooks_tokenizer_does(decoder, left, right):
    shared = decoder.tokenizer
    before = (shared.pad_token, shared.padding_side)
    try:
        shared.pad_token, shared.padding_side = shared.eos_token, "left"
        assert ex.batch.check(left) and not ex.batch.check(right)
        assert ex.left_pad.check(right_left_pad)
        shared.pad_token = None
        assert ex.batch.check(left) and ex.generated.check(
            _generate(decoder.model, **left, do_sample=False)
        )
    finally:
        shared.pad_token, shared.padding_side = before


def test_checks_follow_the_active_decoder(monkeypatch, decoder, left):
    """COURSE_DECODER naming another checkpoint (here a folder copy of the course decoder) gets its own truths."""
    from checker.course_decoder import build

    monkeypatch.setenv("COURSE_DECODER", str(build.ensure_built()))
    assert ex.decoder() is not ex._own(config.COURSE_MODEL, "cpu")
    model = load_decoder().model
    assert ex.generated.check(_generate(model, **left, do_sample=False))
    assert not ex.generated.check(_generate(model, left["input_ids"], do_sample=False))


def test_a_forged_record_costs_only_the_exercise():
    for exercise in (ex.next_ids, ex.generated):
        with pytest.raises((ValueError, TypeError)):
            exercise.judge({"values": [None], "call": {"matches": "junk", "output": [[1.5]]}})


def test_records_are_forgotten_on_request(decoder, left):
    _generate(decoder.model, **left, do_sample=False)
    generation_calls.forget()
    assert (
        generation_calls.generated_by(_generate(decoder.model, **left, do_sample=False)) is not None
    )

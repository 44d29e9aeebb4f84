"""Section 11 (batches for generation): right answers pass, starters are not attempted, each mistake is named,
the grader judges what the kernel reports as the check does, and no verdict depends on the notebook's tokenizer."""

from __future__ import annotations

import ast
import copy
import json

import nbformat
import pytest
import torch

from checker import config, generation_calls, load_decoder
from checker.exercise import Outcome
from checker.exercises import section11 as ex
from checker.harness import run
from grading import hidden
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


def text(result) -> str:
    return str(result)


def positions(mask):
    return (mask.cumsum(-1) - 1).clamp(min=0)


def right_left_pad(sequences, pad_id):
    width = max(len(s) for s in sequences)
    ids = torch.tensor([[pad_id] * (width - len(s)) + list(s) for s in sequences])
    mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences])
    return ids, mask, positions(mask)


def solution_continuations(tok):
    return lambda output, batch: tok.batch_decode(
        output[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )


def round_trip(exercise, *values):
    """What the grader decides from the kernel's report of ``values`` (sent through JSON, as in grading)."""
    return exercise.judge(json.loads(json.dumps(exercise.collect(values))))


@pytest.mark.parametrize(
    "exercise", [ex.left_pad, ex.batch, ex.next_ids, ex.generated, ex.continuations]
)
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_stubs_that_raise_not_implemented_are_not_attempted():
    def stub(*args):
        raise NotImplementedError()

    assert ex.left_pad.check(stub).outcome is Outcome.NOT_ATTEMPTED
    assert ex.continuations.check(stub).outcome is Outcome.NOT_ATTEMPTED


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


# --- left_pad ---


def test_left_pad_passes(tok):
    assert ex.left_pad.check(right_left_pad)

    def with_masked_fill(sequences, pad_id):
        ids, mask, _ = right_left_pad(sequences, pad_id)
        return ids, mask, (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)

    assert ex.left_pad.check(with_masked_fill)
    assert ex.left_pad.check(lambda s, p: list(right_left_pad(s, p)))


def _changed(change):
    def left_pad(sequences, pad_id):
        return change(sequences, pad_id, *right_left_pad(sequences, pad_id))

    return left_pad


def _right_padded(sequences, pad_id, ids, mask, pos):
    width = ids.shape[1]
    ids = torch.tensor([list(s) + [pad_id] * (width - len(s)) for s in sequences])
    mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences])
    return ids, mask, positions(mask)


@pytest.mark.parametrize(
    "change, words",
    [
        (_right_padded, "padded on the right"),
        (lambda s, p, i, m, q: (right_left_pad(s, 0)[0], m, q), "pads with 0, not with `pad_id`"),
        (lambda s, p, i, m, q: (i, m, torch.arange(i.shape[1]).expand_as(i)), "counts the pads"),
        (lambda s, p, i, m, q: (i, m, m.cumsum(-1) - 1), "-1 on the pads"),
        (lambda s, p, i, m, q: (i, m, m.cumsum(-1) * m), "starts each sequence at position 1"),
        (lambda s, p, i, m, q: (i, m, q.masked_fill(m == 0, 1)), "holds 1 on the pads"),
        (lambda s, p, i, m, q: (i, 1 - m, q), "inverted"),
        (lambda s, p, i, m, q: (i, (i != p).long(), q), "marks a real token as padding"),
        (lambda s, p, i, m, q: (i, q, m), "wrong order"),
        (lambda s, p, i, m, q: (i, m), "returned 2 values"),
        (lambda s, p, i, m, q: {"input_ids": i, "attention_mask": m, "position_ids": q}, "dict"),
        (lambda s, p, i, m, q: (i.tolist(), m, q), "a Python list, not a tensor"),
        (lambda s, p, i, m, q: (i.int(), m, q), "dtype torch.int32"),
        (lambda s, p, i, m, q: (i, m.int(), q), "`attention_mask` has dtype torch.int32"),
        (lambda s, p, i, m, q: (i, m.bool(), q), "dtype torch.bool"),
        (lambda s, p, i, m, q: (i.float(), m, q), "holds floats"),
        (lambda s, p, i, m, q: None, "returned None"),
    ],
)
def test_left_pad_mistakes_are_named(change, words):
    result = ex.left_pad.check(_changed(change))
    assert result.outcome is Outcome.INCORRECT and words in text(result), text(result)


def test_left_pad_that_pads_in_place_is_named():
    def in_place(sequences, pad_id):
        width = max(len(s) for s in sequences)
        for seq in sequences:
            seq[:0] = [pad_id] * (width - len(seq))
        return right_left_pad(sequences, pad_id)

    result = ex.left_pad.check(in_place)
    assert (
        not result
        and "changed the lists" in text(result)
        and "[pad_id] * (width - len(seq))" in text(result)
    )


def test_left_pad_passes_its_hidden_cases_and_fails_them_when_wrong():
    for case in hidden.cases_for("section11.left_pad"):
        assert ex.left_pad.judge_case(run(right_left_pad, case), case) is None, case.description
    mistakes = [
        ex.left_pad.judge_case(run(_changed(_right_padded), c), c)
        for c in hidden.cases_for("section11.left_pad")
    ]
    assert any(m is not None and "padded on the right" in m.problem for m in mistakes)


# --- batch ---


def test_batch_passes(left, tok):
    assert ex.batch.check(left)
    assert ex.batch.check(dict(left))
    assert ex.batch.check(left.to("cpu"))


@pytest.mark.parametrize(
    "make, words",
    [
        (
            lambda t: t(ex.PROMPTS, padding=True, padding_side="right", return_tensors="pt"),
            "padded on the right",
        ),
        (
            lambda t: t(ex.PROMPTS, padding="max_length", padding_side="left", return_tensors="pt"),
            "maximum length",
        ),
        (lambda t: t(ex.PROMPTS, padding=True, padding_side="left"), "return_tensors"),
        (lambda t: t(ex.PROMPTS, padding=True, padding_side="left", return_tensors="np"), "NumPy"),
        (
            lambda t: t(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt")[
                "input_ids"
            ],
            "one tensor",
        ),
        (lambda t: [t(p, return_tensors="pt") for p in ex.PROMPTS], "separate encodings"),
        (
            lambda t: t(ex.PROMPTS[::-1], padding=True, padding_side="left", return_tensors="pt"),
            "is not the prompt",
        ),
        (
            lambda t: t(
                ex.PROMPTS,
                padding=True,
                padding_side="left",
                pad_to_multiple_of=8,
                return_tensors="pt",
            ),
            "8 columns wide",
        ),
        (
            lambda t: {
                **t(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt"),
                "position_ids": 1,
            },
            "more than the tokenizer's two keys",
        ),
        (
            lambda t: {
                "input_ids": t(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt")[
                    "input_ids"
                ]
            },
            "no attention_mask",
        ),
        (lambda t: ex.PROMPTS, "is text"),
    ],
)
def test_batch_mistakes_are_named(tok, make, words):
    result = ex.batch.check(make(tok))
    assert result.outcome is Outcome.INCORRECT and words in text(result), text(result)


def test_batch_with_a_new_pad_token_is_named(tok):
    own = copy.deepcopy(tok)
    own.add_special_tokens({"pad_token": "[PAD]"})
    result = ex.batch.check(own(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt"))
    assert not result and "no embedding for" in text(result) and "IndexError" in text(result)


def test_batch_padded_with_another_real_token_is_named(tok):
    own = copy.deepcopy(tok)
    own.pad_token = own.convert_ids_to_tokens(5)
    result = ex.batch.check(own(ex.PROMPTS, padding=True, padding_side="left", return_tensors="pt"))
    assert (
        not result
        and "pads with 5" in text(result)
        and "tokenizer.pad_token = tokenizer.eos_token" in text(result)
    )


def test_batch_with_inverted_mask_is_named(left):
    result = ex.batch.check(
        {"input_ids": left["input_ids"], "attention_mask": 1 - left["attention_mask"]}
    )
    assert not result and "inverted" in text(result)


# --- next_ids ---


def _forward(model, batch, **kwargs):
    with torch.inference_mode():
        return model(**batch, **kwargs).logits


def test_next_ids_passes(decoder, left):
    logits = _forward(decoder.model, left, position_ids=positions(left["attention_mask"]))
    assert ex.next_ids.check(logits[:, -1].argmax(dim=-1))
    assert ex.next_ids.check(logits.softmax(-1)[:, -1].argmax(dim=-1))
    masked = (left["attention_mask"].cumsum(-1) - 1).masked_fill(left["attention_mask"] == 0, 1)
    assert ex.next_ids.check(
        _forward(decoder.model, left, position_ids=masked)[:, -1].argmax(-1)
    ), "the pads' positions never reach a real token"
    assert round_trip(ex.next_ids, logits[:, -1].argmax(dim=-1))


def test_next_ids_without_position_ids_is_named_by_check_and_grader(decoder, left):
    found = _forward(decoder.model, left)[:, -1].argmax(dim=-1)
    for result in (ex.next_ids.check(found), round_trip(ex.next_ids, found)):
        assert not result and "without position ids" in text(result)


@pytest.mark.parametrize(
    "compute, words",
    [
        (lambda m, l, r: _forward(m, r)[:, -1].argmax(-1), "right-padded batch"),
        (
            lambda m, l, r: _forward(m, r)[torch.arange(4), r["attention_mask"].sum(1) - 1].argmax(
                -1
            ),
            "read at each row's last real token",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]))[
                :, 0
            ].argmax(-1),
            "first position",
        ),
        (
            lambda m, l, r: _forward(
                m, {"input_ids": l["input_ids"]}, position_ids=positions(l["attention_mask"])
            )[:, -1].argmax(-1),
            "without the attention mask",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]) + 1)[
                :, -1
            ].argmax(-1),
            "start at 1",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"])).argmax(-1),
            "every position",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]))[:, -1],
            "logits, not ids",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"])),
            "the whole logits",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]))[
                :, -1
            ].argmax(-1, keepdim=True),
            "one dimension too many",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]))[-1].argmax(
                -1
            ),
            "one per position of one row",
        ),
        (
            lambda m, l, r: _forward(m, l, position_ids=positions(l["attention_mask"]))[
                :, -1
            ].argmax(0),
            "over the batch axis",
        ),
        (
            lambda m, l, r: (
                _forward(m, l, position_ids=positions(l["attention_mask"]))[:, -1]
                .argmax(-1)
                .tolist()
            ),
            "Python list",
        ),
        (
            lambda m, l, r: m.generate(**l, max_new_tokens=1, do_sample=False)[:, -1],
            "comes from `model.generate`",
        ),
    ],
)
def test_next_ids_mistakes_are_named(decoder, left, right, compute, words):
    result = ex.next_ids.check(compute(decoder.model, left, right))
    assert result.outcome is Outcome.INCORRECT and words in text(result), text(result)


def test_next_ids_one_prompt_at_a_time_is_named(decoder, tok):
    rows = [
        _forward(decoder.model, tok(p, return_tensors="pt"))[0, -1].argmax() for p in ex.PROMPTS
    ]
    result = ex.next_ids.check(torch.stack(rows))
    assert not result and "a separate call on one prompt" in text(result)


def test_next_ids_typed_in_and_wrong_is_named_without_a_cause():
    result = ex.next_ids.check(torch.tensor([1, 2, 3, 4]))
    assert (
        not result and "is wrong for row 0" in text(result) and "Likely cause" not in text(result)
    )


# --- generated ---


def _generate(model, *args, **kwargs):
    kwargs.setdefault("max_new_tokens", ex.NEW_TOKENS)
    with torch.inference_mode():
        return model.generate(*args, **kwargs)


def test_generated_passes(decoder, left, tok):
    assert ex.generated.check(_generate(decoder.model, **left, do_sample=False))
    assert ex.generated.check(_generate(decoder.model, **left))
    assert ex.generated.check(
        _generate(decoder.model, **left, do_sample=False, pad_token_id=tok.pad_token_id)
    )
    output = _generate(decoder.model, **left, do_sample=False, return_dict_in_generate=True)
    assert ex.generated.check(output.sequences)
    assert round_trip(ex.generated, _generate(decoder.model, **left, do_sample=False))


def test_generated_without_the_mask_is_named_by_check_and_grader(decoder, left):
    found = _generate(decoder.model, left["input_ids"], do_sample=False)
    for result in (ex.generated.check(found), round_trip(ex.generated, found)):
        assert not result and "without the attention mask" in text(result)


@pytest.mark.parametrize(
    "compute, words",
    [
        (lambda m, l, r: _generate(m, **r, do_sample=False), "right-padded batch"),
        (lambda m, l, r: (torch.manual_seed(0), _generate(m, **l, do_sample=True))[1], "sampled"),
        (lambda m, l, r: _generate(m, **l, do_sample=False, num_beams=2), "beam search"),
        (lambda m, l, r: _generate(m, **l, do_sample=False, max_new_tokens=5), "max_new_tokens=5"),
        (
            lambda m, l, r: _generate(m, **l, do_sample=False, max_length=13, max_new_tokens=None),
            "no `max_new_tokens`",
        ),
        (
            lambda m, l, r: _generate(m, **l, do_sample=False)[:, l["input_ids"].shape[1] :],
            "only the new tokens",
        ),
        (
            lambda m, l, r: _generate(m, **l, do_sample=False).clone(),
            "not the tensor generate returned",
        ),
        (
            lambda m, l, r: _generate(
                m, **l, do_sample=False, position_ids=torch.arange(5).expand(4, 5)
            ),
            "given position ids",
        ),
        (
            lambda m, l, r: _generate(m, **l, do_sample=False, return_dict_in_generate=True),
            "`.sequences`",
        ),
        (lambda m, l, r: _generate(m, **l, do_sample=False)[0], "1 dimension"),
        (lambda m, l, r: _generate(m, **l, do_sample=False).tolist(), "a Python list"),
        (lambda m, l, r: l, "a batch of inputs"),
    ],
)
def test_generated_mistakes_are_named(decoder, left, right, compute, words):
    result = ex.generated.check(compute(decoder.model, left, right))
    assert result.outcome is Outcome.INCORRECT and words in text(result), text(result)


def test_generated_one_prompt_at_a_time_is_named(decoder, tok):
    rows = [
        _generate(decoder.model, **tok(p, return_tensors="pt"), do_sample=False)[0]
        for p in ex.PROMPTS
    ]
    width = max(len(r) for r in rows)
    # padded (with eos) on the left to the widest row, as a learner must before joining them
    joined = torch.stack(
        [torch.cat([torch.full((width - len(r),), tok.eos_token_id), r]) for r in rows]
    )
    result = ex.generated.check(joined)
    assert not result and "one prompt at a time" in text(result)


def test_generated_decoded_is_named(decoder, left, tok):
    texts = tok.batch_decode(
        _generate(decoder.model, **left, do_sample=False), skip_special_tokens=True
    )
    result = ex.generated.check(texts)
    assert not result and "is text" in text(result)


# --- continuations ---


def test_continuations_passes(tok):
    assert ex.continuations.check(solution_continuations(tok))
    assert ex.continuations.check(
        lambda o, b: [
            tok.decode(row[b["input_ids"].shape[1] :], skip_special_tokens=True) for row in o
        ]
    )
    assert ex.continuations.check(
        lambda o, b: tok.batch_decode(o[:, b.input_ids.shape[1] :], skip_special_tokens=True)
    )


@pytest.mark.parametrize(
    "make, words",
    [
        (
            lambda t: lambda o, b: t.batch_decode(o[:, b["input_ids"].shape[1] :]),
            "hold <|endoftext|>",
        ),
        (
            lambda t: lambda o, b: t.batch_decode(o, skip_special_tokens=True),
            "start with the prompts",
        ),
        (lambda t: lambda o, b: t.batch_decode(o), "start with the prompts and hold"),
        (
            lambda t: (
                lambda o, b: [
                    s.strip()
                    for s in t.batch_decode(
                        o[:, b["input_ids"].shape[1] :], skip_special_tokens=True
                    )
                ]
            ),
            "stripped",
        ),
        (
            lambda t: (
                lambda o, b: [
                    t.decode(r[n:], skip_special_tokens=True)
                    for r, n in zip(o, b["attention_mask"].sum(1))
                ]
            ),
            "its own number of real tokens",
        ),
        (
            lambda t: (
                lambda o, b: t.batch_decode(
                    o[:, b["input_ids"].shape[0] :], skip_special_tokens=True
                )
            ),
            "batch size",
        ),
        (
            lambda t: (
                lambda o, b: t.batch_decode(
                    o[:, b["input_ids"].shape[1] - 1 :], skip_special_tokens=True
                )
            ),
            "one column early",
        ),
        (
            lambda t: (
                lambda o, b: t.batch_decode(
                    o[:, b["input_ids"].shape[1] + 1 :], skip_special_tokens=True
                )
            ),
            "one column late",
        ),
        (
            lambda t: (
                lambda o, b: " ".join(
                    t.batch_decode(o[:, b["input_ids"].shape[1] :], skip_special_tokens=True)
                )
            ),
            "one string",
        ),
        (
            lambda t: (
                lambda o, b: tuple(
                    t.batch_decode(o[:, b["input_ids"].shape[1] :], skip_special_tokens=True)
                )
            ),
            "a tuple",
        ),
        (lambda t: lambda o, b: o[:, b["input_ids"].shape[1] :], "token ids, not text"),
        (lambda t: lambda o, b: print(o), "returned None"),
    ],
)
def test_continuations_mistakes_are_named(tok, make, words):
    result = ex.continuations.check(make(tok))
    assert result.outcome is Outcome.INCORRECT and words in text(result), text(result)


def test_continuations_passes_its_hidden_cases_and_fails_them_when_wrong(tok):
    cases = hidden.cases_for("section11.continuations")
    assert len(cases) == 3
    for case in cases:
        assert ex.continuations.judge_case(run(solution_continuations(tok), case), case) is None, (
            case.description
        )
    with_pads = lambda o, b: tok.batch_decode(o[:, b["input_ids"].shape[1] :])  # noqa: E731
    assert any(ex.continuations.judge_case(run(with_pads, c), c) is not None for c in cases)


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

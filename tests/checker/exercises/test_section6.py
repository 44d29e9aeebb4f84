"""Section 6 (attention masks): right answers pass, starters are not attempted, each mistake is named."""

from __future__ import annotations

import json

import pytest
import torch

from checker import references
from checker.exercise import Outcome
from checker.exercises import section6 as ex
from multiseq import plots

PADDED = torch.tensor([[200, 200, 200], [200, 200, 0]])
MASK = torch.tensor([[1, 1, 1], [1, 1, 0]])


def text(result) -> str:
    return str(result)


def right_pad_and_mask(sequences, pad_id):
    width = max(len(s) for s in sequences)
    return (
        torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences]),
        torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences]),
    )


@pytest.fixture(scope="module")
def short(course):
    with torch.no_grad():
        return {
            "masked": course.model(PADDED, attention_mask=MASK).logits,
            "no_mask": course.model(PADDED).logits,
        }


@pytest.fixture(scope="module")
def sentences(course):
    tok, model = course.tokenizer, course.model
    manual = [tok.convert_tokens_to_ids(tok.tokenize(t)) for t in references.TRY_IT_TEXTS]
    ids, mask = right_pad_and_mask(manual, tok.pad_token_id)
    batch = tok(references.TRY_IT_TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        return {
            "ids": ids,
            "mask": mask,
            "batch": batch,
            "masked": model(ids, attention_mask=mask).logits,
            "no_mask": model(ids).logits,
            "tokenizer": model(**batch).logits,
        }


@pytest.mark.parametrize(
    "exercise",
    [ex.attention_mask, ex.masked_logits, ex.pad_and_mask, ex.manual_logits, ex.tokenizer_batch],
)
def test_starter_code_is_not_attempted(exercise):
    assert exercise.check(None).outcome is Outcome.NOT_ATTEMPTED


# --- attention_mask ---------------------------------------------------------------------------------


def test_right_mask_passes_as_an_int64_tensor():
    assert ex.attention_mask.check(MASK) and ex.attention_mask.check((PADDED != 0).long())


@pytest.mark.parametrize(
    "answer, words",
    [
        (1 - MASK, "inverted"),
        (MASK.T, "transposed"),
        (torch.tensor([1, 1, 1, 1, 1, 0]), "no batch dimension"),
        (MASK.float(), "dtype torch.float32"),
        (MASK.bool(), "dtype torch.bool"),
        (PADDED, "values other than 0 and 1"),
        (torch.tensor([[1, 1, 1], [1, 0, 0]]), "does not line up with the padding"),
        (torch.tensor([[1, 1, 1], [0, 1, 1]]), "does not line up with the padding"),
        (torch.ones(2, 3, dtype=torch.long), "all 1s"),
        (MASK.int(), "dtype torch.int32"),
        (MASK.tolist(), "a Python list, not a tensor"),
        (MASK.numpy(), "NumPy array"),
    ],
)
def test_mask_mistakes_are_named(answer, words):
    result = ex.attention_mask.check(answer)
    assert result.outcome is Outcome.INCORRECT and words in text(result)


# --- masked_logits ----------------------------------------------------------------------------------


def test_masked_logits_pass(short):
    assert ex.masked_logits.check(short["masked"])


def test_masked_logits_computed_without_the_mask_are_named(short):
    result = ex.masked_logits.check(short["no_mask"])
    assert (
        not result
        and "call without an attention mask" in text(result)
        and "attention_mask=" in text(result)
    )


def test_masked_logits_typed_without_the_mask_are_named(short):
    result = ex.masked_logits.check(short["no_mask"].round(decimals=4))
    assert not result and "padded logits computed without the mask" in text(result)


def test_masked_logits_of_rows_run_alone_are_named(course):
    with torch.no_grad():
        rows = [course.model(torch.tensor([ids])).logits for ids in references.SHORT_IDS]
    result = ex.masked_logits.check(torch.cat(rows))
    assert not result and "one sequence at a time" in text(result) and "torch.cat" in text(result)


def test_the_grader_names_rows_run_alone_from_the_kernels_report(course):
    with torch.no_grad():
        rows = [course.model(torch.tensor([ids])).logits for ids in references.SHORT_IDS]
    collected = json.loads(json.dumps(ex.masked_logits.collect((torch.cat(rows),)), default=list))
    assert len(collected["rows"]["one"]) == 2 and collected["call"] is None
    result = ex.masked_logits.judge(collected)
    assert not result and "one sequence at a time" in text(result)
    result = ex.masked_logits.judge(
        {**collected, "rows": "not a list"}
    )  # a report without them: no cause guessed
    assert not result and "one sequence at a time" not in text(result) and "no call" in text(result)


def test_typed_in_masked_logits_are_named(short):
    result = ex.masked_logits.check(short["masked"].round(decimals=4))
    assert not result and "4 decimals" in text(result) and "typed in" in text(result)


@pytest.mark.parametrize(
    "mask, words",
    [(torch.ones(2, 3, dtype=torch.long), "mask is all 1s"), (1 - MASK, "mask is inverted")],
)
def test_a_call_with_the_wrong_mask_is_named(course, mask, words):
    with torch.no_grad():
        logits = course.model(PADDED, attention_mask=mask).logits
    result = ex.masked_logits.check(logits)
    assert not result and words in text(result)


def test_a_masked_batch_padded_with_another_id_is_named(course):
    with torch.no_grad():
        logits = course.model(
            torch.tensor([[200, 200, 200], [200, 200, 100]]), attention_mask=MASK
        ).logits
    result = ex.masked_logits.check(logits)
    assert not result and "padded with id 100" in text(result) and "pad_token_id" in text(result)


def test_a_masked_batch_padded_too_far_is_named(course):
    with torch.no_grad():
        logits = course.model(
            torch.tensor([[200, 200, 200, 0], [200, 200, 0, 0]]),
            attention_mask=torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]]),
        ).logits
    result = ex.masked_logits.check(logits)
    assert not result and "(2, 4)" in text(result) and "(2, 3)" in text(result)


def test_masked_probabilities_are_named(short):
    result = ex.masked_logits.check(torch.softmax(short["masked"], dim=-1))
    assert not result and "probabilities" in text(result)


def test_masked_logits_from_distilbert_are_named():
    result = ex.masked_logits.check(
        torch.tensor(references.DISTILBERT_PUBLISHED["short_padded_masked"])
    )
    assert not result and "DistilBERT" in text(result) and "different model" in text(result)


def test_one_row_of_masked_logits_is_named(short):
    result = ex.masked_logits.check(short["masked"][1])
    assert not result and "no batch dimension" in text(result)


# --- pad_and_mask -----------------------------------------------------------------------------------


def test_right_pad_and_mask_passes():
    assert ex.pad_and_mask.check(right_pad_and_mask)


@pytest.mark.parametrize(
    "function, words",
    [
        (lambda s, p: tuple(t.int() for t in right_pad_and_mask(s, p)), ("dtype torch.int32",)),
        (lambda s, p: list(right_pad_and_mask(s, p)), ("a list of two things", "tuple")),
        (
            lambda s, p: (right_pad_and_mask(s, p)[0].numpy(), right_pad_and_mask(s, p)[1]),
            ("NumPy array",),
        ),
        (
            lambda s, p: (right_pad_and_mask(s, p)[0], right_pad_and_mask(s, p)[1].bool()),
            ("dtype torch.bool",),
        ),
        (
            lambda s, p: (
                right_pad_and_mask(s, p)[0],
                torch.ones_like(right_pad_and_mask(s, p)[0]),
            ),
            ("all 1s",),
        ),
        (
            lambda s, p: (right_pad_and_mask(s, p)[0], torch.tensor([len(x) for x in s])),
            ("each sequence's length",),
        ),
        (
            lambda s, p: (
                torch.nn.utils.rnn.pad_sequence(
                    [torch.tensor(x) for x in s], batch_first=True, padding_value=p
                ),
                right_pad_and_mask(s, p)[1],
            ),
            ("an empty sequence, first", "torch.tensor([])"),
        ),
        (lambda s, p: right_pad_and_mask(sorted(s, key=len), p), ("another order",)),
    ],
)
def test_pad_and_mask_types_and_shapes_are_named(function, words):
    result = ex.pad_and_mask.check(function)
    assert not result and all(w in text(result) for w in words), text(result)


def test_pad_and_mask_returning_lists_passes_no_more():
    result = ex.pad_and_mask.check(lambda s, p: tuple(t.tolist() for t in right_pad_and_mask(s, p)))
    assert not result and "torch tensor" in text(result)


def test_hard_coded_pad_id_is_named():
    result = ex.pad_and_mask.check(lambda s, p: right_pad_and_mask(s, 0))
    assert (
        not result
        and "pads with 0, not with `pad_id`" in text(result)
        and "pad_id=1" in text(result)
    )


def test_changing_the_callers_lists_is_named():
    def in_place(sequences, pad_id):
        width = max(len(s) for s in sequences)
        for s in sequences:
            s.extend([pad_id] * (width - len(s)))
        return right_pad_and_mask(sequences, pad_id)

    result = ex.pad_and_mask.check(in_place)
    assert not result and "changed the lists it was given" in text(result)


def test_swapped_outputs_are_named():
    result = ex.pad_and_mask.check(lambda s, p: right_pad_and_mask(s, p)[::-1])
    assert not result and "wrong order" in text(result)


def test_inverted_mask_is_named_with_its_case():
    result = ex.pad_and_mask.check(
        lambda s, p: (right_pad_and_mask(s, p)[0], 1 - right_pad_and_mask(s, p)[1])
    )
    assert not result and "inverted" in text(result) and "On the short batch" in text(result)


def test_left_padding_is_named():
    def left(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return (
            torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences]),
            torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences]),
        )

    result = ex.pad_and_mask.check(left)
    assert not result and "padded on the left" in text(result)


def test_mask_built_from_the_ids_is_named():
    def from_ids(sequences, pad_id):
        ids, _ = right_pad_and_mask(sequences, pad_id)
        return ids, (ids != pad_id).long()

    result = ex.pad_and_mask.check(from_ids)
    assert (
        not result
        and "computed from the ids" in text(result)
        and "a real token has the pad id's value" in text(result)
    )


def test_padding_only_the_last_sequence_is_named():
    def last_only(sequences, pad_id):
        return right_pad_and_mask(
            sequences if len(sequences[0]) >= len(sequences[-1]) else sequences[::-1], pad_id
        )

    result = ex.pad_and_mask.check(last_only)
    assert not result and "first sequence is the shorter" in text(result)


def test_pad_and_mask_that_returns_one_thing_is_named():
    result = ex.pad_and_mask.check(lambda s, p: right_pad_and_mask(s, p)[0])
    assert not result and "must return two things" in text(result)


def test_pad_and_mask_that_raises_is_named():
    result = ex.pad_and_mask.check(lambda s, p: torch.tensor(s))
    assert not result and "raised" in text(result) and "On the short batch" not in text(result)


# --- manual_logits (the seed's Try it!) ------------------------------------------------------------


def test_manual_logits_pass(sentences):
    assert ex.manual_logits.check(sentences["masked"])


def test_manual_logits_without_the_mask_are_named(sentences):
    result = ex.manual_logits.check(sentences["no_mask"])
    assert not result and "call without an attention mask" in text(result)


def test_manual_logits_in_reverse_order_are_named(sentences):
    result = ex.manual_logits.check(sentences["masked"].flip(0).clone())
    assert not result and "wrong order" in text(result)


def test_manual_logits_from_the_tokenizers_batch_are_named(sentences):
    result = ex.manual_logits.check(sentences["tokenizer"])
    assert (
        not result and "[CLS] and [SEP]" in text(result) and "manual tokenization" in text(result)
    )


# --- tokenizer_batch (the special-token trap) -------------------------------------------------------


def test_tokenizer_batch_passes(sentences):
    assert ex.tokenizer_batch.check(sentences["batch"])
    assert ex.tokenizer_batch.check(dict(sentences["batch"]))


@pytest.mark.parametrize("answer", ["ids", "dict"])
def test_ids_without_special_tokens_are_named(sentences, answer):
    manual = (
        sentences["ids"]
        if answer == "ids"
        else {"input_ids": sentences["ids"], "attention_mask": sentences["mask"]}
    )
    result = ex.tokenizer_batch.check(manual)
    assert (
        not result and "no [CLS] and [SEP] tokens" in text(result) and "tokenize()" in text(result)
    )


def test_only_the_input_ids_are_named(sentences):
    result = ex.tokenizer_batch.check(sentences["batch"]["input_ids"])
    assert not result and "single tensor" in text(result)


def test_tokenizer_output_as_lists_is_named(course):
    result = ex.tokenizer_batch.check(course.tokenizer(references.TRY_IT_TEXTS, padding=True))
    assert not result and "a Python list" in text(result) and "return_tensors" in text(result)


def test_a_sentence_pair_is_named(course):
    result = ex.tokenizer_batch.check(
        course.tokenizer(*references.TRY_IT_TEXTS, padding=True, return_tensors="pt")
    )
    assert not result and "as a pair" in text(result) and "token_type_ids" in text(result)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(padding="max_length", max_length=20), "padded to 20 ids"),
        (dict(padding=True, truncation=True, max_length=10), "truncated the longer rows to 10 ids"),
    ],
)
def test_tokenizer_batch_of_another_length_names_why(course, kwargs, words):
    result = ex.tokenizer_batch.check(
        course.tokenizer(references.TRY_IT_TEXTS, return_tensors="pt", **kwargs)
    )
    assert not result and words in text(result)


def test_unpadded_tokenizer_output_is_named(course):
    result = ex.tokenizer_batch.check(course.tokenizer(references.TRY_IT_TEXTS))
    assert not result and "ragged" in text(result)


def test_missing_attention_mask_is_named(sentences):
    result = ex.tokenizer_batch.check({"input_ids": sentences["batch"]["input_ids"]})
    assert not result and "no `attention_mask`" in text(result)


# --- the figure helper ------------------------------------------------------------------------------


def test_mask_figure_has_one_cell_per_position_and_a_label_each():
    fig = plots.attention_mask_figure(MASK, tokens=[["a", "b", "c"], ["a", "b", "[PAD]"]])
    (ax,) = fig.axes
    assert ax.images[0].get_array().shape == (2, 3)
    assert sorted(t.get_text() for t in ax.texts)[0] == "[PAD]\n0"


def test_mask_figure_refuses_a_ragged_mask():
    with pytest.raises(ValueError, match="rectangular"):
        plots.attention_mask_figure([[1, 1], [1]])

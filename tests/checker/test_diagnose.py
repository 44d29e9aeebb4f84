"""Each common mistake with ids, masks and logits gets its own name and a way out."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from checker import diagnose
from checker.exercise import Mistake


class Tok:
    """The few tokenizer attributes the diagnosis reads (BERT's special ids)."""

    pad_token_id, cls_token_id, sep_token_id, unk_token_id = 0, 101, 102, 100

    def convert_ids_to_tokens(self, i):
        return {0: "[PAD]", 100: "[UNK]", 101: "[CLS]", 102: "[SEP]"}.get(i, f"tok{i}")


TOK = Tok()
PADDED = torch.tensor([[101, 7, 8, 9, 102], [101, 7, 102, 0, 0]])
MASK = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])


def mistake(func, *args, **kwargs) -> Mistake:
    with pytest.raises(Mistake) as info:
        func(*args, **kwargs)
    return info.value


def test_right_ids_pass_as_list_array_or_tensor():
    for form in (PADDED, PADDED.tolist(), PADDED.numpy(), PADDED.int()):
        assert torch.equal(diagnose.token_ids(form, PADDED, pad_id=0, tokenizer=TOK), PADDED)


def test_missing_batch_dimension_is_named_with_the_fix():
    m = mistake(
        diagnose.token_ids,
        torch.tensor([5, 6, 7]),
        torch.tensor([[5, 6, 7]]),
        pad_id=0,
        tokenizer=TOK,
    )
    assert (
        "no batch dimension" in m.problem
        and "(1, 3)" in m.expected
        and "torch.tensor([ids])" in m.hint
    )


def test_float_ids_are_named():
    m = mistake(diagnose.token_ids, PADDED.float(), PADDED, pad_id=0, tokenizer=TOK)
    assert "floats" in m.problem and "int64" in m.expected


def test_ragged_list_is_named_before_torch_sees_it():
    m = mistake(
        diagnose.token_ids, [[101, 7, 8, 9, 102], [101, 7, 102]], PADDED, pad_id=0, tokenizer=TOK
    )
    assert "ragged" in m.problem and "pad" in m.cause


@pytest.mark.parametrize("pad, words", [(100, "[UNK]"), (2023, "real token")])
def test_padding_with_a_wrong_id_is_named(pad, words):
    wrong = PADDED.clone()
    wrong[1, 3:] = pad
    m = mistake(diagnose.token_ids, wrong, PADDED, pad_id=0, tokenizer=TOK)
    assert f"padded with id {pad}" in m.problem and words in m.problem and "pad_token_id" in m.hint


def test_left_padding_is_named_with_positions():
    left = torch.tensor([[101, 7, 8, 9, 102], [0, 0, 101, 7, 102]])
    m = mistake(diagnose.token_ids, left, PADDED, pad_id=0, tokenizer=TOK)
    assert "left" in m.problem and "absolute positions" in m.cause


def test_ids_without_special_tokens_are_named():
    manual = torch.tensor([[7, 8, 9], [7, 0, 0]])
    m = mistake(diagnose.token_ids, manual, PADDED, pad_id=0, tokenizer=TOK)
    assert "[CLS] and [SEP]" in m.problem and "tokenize()" in m.cause


def test_extra_batch_dimension_is_named():
    m = mistake(diagnose.token_ids, PADDED[None], PADDED, pad_id=0, tokenizer=TOK)
    assert "too many" in m.problem


@pytest.mark.parametrize(
    "bad", [None, "101 7 102", {"input_ids": [1]}, [[1, "a"]], float("nan"), object()]
)
def test_unusable_ids_get_a_message_not_a_traceback(bad):
    m = mistake(diagnose.token_ids, bad, PADDED, pad_id=0, tokenizer=TOK)
    assert m.problem


def test_whole_tokenizer_output_points_to_the_field():
    m = mistake(
        diagnose.token_ids,
        {"input_ids": PADDED, "attention_mask": MASK},
        PADDED,
        pad_id=0,
        tokenizer=TOK,
    )
    assert "input_ids" in m.cause


def test_right_mask_passes_and_int32_is_fine():
    assert torch.equal(diagnose.attention_mask(MASK.int(), MASK), MASK)


def test_inverted_mask_is_named():
    m = mistake(diagnose.attention_mask, 1 - MASK, MASK)
    assert "inverted" in m.problem and "1 = attend" in m.cause


@pytest.mark.parametrize(
    "bad, words",
    [
        (MASK.float(), "dtype"),
        (MASK.bool(), "dtype"),
        (MASK.T, "transposed"),
        (MASK[1], "no batch dimension"),
        (PADDED, "other than 0 and 1"),
    ],
)
def test_mask_of_wrong_dtype_shape_or_values_is_named(bad, words):
    m = mistake(diagnose.attention_mask, bad, MASK)
    assert words in (m.problem + m.cause)


def test_mask_that_does_not_line_up_is_named():
    shifted = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
    assert "line up" in mistake(diagnose.attention_mask, shifted, MASK).problem


LOGITS = torch.tensor([[1.5, -1.25], [0.5, -0.5]])


def test_logits_within_tolerance_pass_and_outside_report_the_largest_difference():
    diagnose.logits(LOGITS + 5e-5, LOGITS)
    off = LOGITS.clone()
    off[1, 0] += 0.01
    m = mistake(diagnose.logits, off, LOGITS)
    assert "0.01" in m.problem and "[1, 0]" in m.problem


def test_probabilities_instead_of_logits_are_named():
    assert "probabilities" in mistake(diagnose.logits, torch.softmax(LOGITS, -1), LOGITS).problem


def test_logits_matching_a_known_wrong_computation_are_named():
    other = torch.tensor([[1.5694, -1.3895], [1.3373, -1.2163]])
    m = mistake(
        diagnose.logits,
        other,
        LOGITS,
        alternatives={"the logits without a mask": (other, "pass attention_mask")},
    )
    assert "without a mask" in m.problem and "attention_mask" in m.cause


@pytest.mark.parametrize(
    "bad, words",
    [
        (LOGITS[0], "no batch dimension"),
        (torch.zeros(2, 5, 384), "hidden states"),
        (torch.tensor([[float("nan"), 0.0], [0.0, 0.0]]), "NaN"),
        (torch.tensor([[1, 0], [0, 1]]), "integers"),
    ],
)
def test_logits_of_wrong_shape_dtype_or_nan_are_named(bad, words):
    m = mistake(diagnose.logits, bad, LOGITS)
    assert words in (m.problem + m.cause)


def test_tensors_needing_grad_or_numpy_arrays_are_accepted():
    diagnose.logits(LOGITS.clone().requires_grad_(), LOGITS)
    diagnose.logits(np.asarray(LOGITS), LOGITS)


def test_left_padding_of_manual_ids_is_not_mistaken_for_missing_special_tokens():
    expected = torch.tensor([[200, 200, 200], [200, 200, 0]])
    m = mistake(
        diagnose.token_ids,
        torch.tensor([[200, 200, 200], [0, 200, 200]]),
        expected,
        pad_id=0,
        tokenizer=TOK,
    )
    assert "left" in m.problem


def test_half_precision_logits_get_a_looser_tolerance_than_fp32():
    near = LOGITS + 0.01
    diagnose.logits(near.half(), LOGITS)  # fp16 rounding alone is about 1e-3 here
    with pytest.raises(Mistake):
        diagnose.logits(near, LOGITS)


def test_tolerance_depends_on_dtype_and_device():
    from checker.compare import tolerance

    cpu32, gpu32, half = (
        tolerance(torch.float32, "cpu"),
        tolerance(torch.float32, "cuda"),
        tolerance(torch.float16),
    )
    assert cpu32.atol < gpu32.atol < half.atol


def test_ids_are_shown_as_numbers_without_a_tokenizer_not_as_tensors():
    """Section 6 checks ids that no tokenizer made (its own pad id): the message shows plain numbers."""
    expected = torch.tensor([[200, 200, 200], [200, 200, 0]])
    found = torch.tensor([[201, 200, 200], [200, 200, 0]])
    m = mistake(diagnose.token_ids, found, expected, pad_id=0)
    assert (m.expected, m.found) == ("token 200", "token 201"), (m.expected, m.found)


def test_the_pad_id_comes_from_the_caller_not_from_a_tokenizer():
    expected = torch.tensor([[5, 6, 7], [5, 6, 2]])
    m = mistake(diagnose.token_ids, torch.tensor([[5, 6, 7], [5, 6, 9]]), expected, pad_id=2)
    assert m.id == "wrong_pad_id" and "= 2" in m.expected

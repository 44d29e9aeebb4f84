"""The shared first checks (checker/gates.py): each wrong kind of answer gets its own id and words."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BatchEncoding

from checker import gates

IDS = torch.tensor([[1, 2, 3]])


@pytest.mark.parametrize(
    "value, mistake_id, words",
    [
        ([[1, 2, 3]], "python_list", "`x` is a Python list, not a tensor."),
        (np.array([[1, 2, 3]]), "numpy_array", "`x` is a NumPy array, not a PyTorch tensor."),
        (BatchEncoding({"input_ids": IDS}), "tokenizer_output", "the tokenizer's whole output"),
        (3.5, "not_a_tensor", "`x` is not a tensor."),
    ],
)
def test_each_kind_that_is_not_a_tensor_has_its_id(value, mistake_id, words):
    mistake = gates.not_a_tensor(value, "x", "ids")
    assert mistake.id == mistake_id and words in mistake.problem


def test_a_tensor_passes_and_the_function_form_says_returned():
    assert gates.not_a_tensor(IDS, "x", "ids") is None
    mistake = gates.not_a_tensor((1, 2), "pad_batch", "ids", returned=True)
    assert mistake.problem == "`pad_batch` returned a tuple, not a tensor."


def test_cause_and_hint_replace_the_defaults_for_the_kinds_named():
    mistake = gates.not_a_tensor(
        [1], "x", "ids", cause={"list": "why"}, hint="fix", kinds=("list", "numpy")
    )
    assert (mistake.cause, mistake.hint) == ("why", "fix")
    numpy = gates.not_a_tensor(np.zeros(2), "x", "ids", cause={"list": "why"})
    assert numpy.cause == "PyTorch models take torch tensors"
    assert gates.not_a_tensor(3.5, "x", "ids", kinds=("list",)) is None


def test_returned_none_has_one_id_and_the_default_cause():
    mistake = gates.returned_none("f", "a tensor")
    assert mistake.id == "returned_none" and "`return`" in mistake.cause


def test_token_text_names_tokens_and_numbers():
    class Tok:
        def __len__(self):
            return 10

        def convert_ids_to_tokens(self, i):
            return f"t{i}"

    assert gates.token_text(Tok(), [torch.tensor(3), 42]) == "t3 id 42"
    assert gates.token_text(Tok(), [3], show_ids=True) == "3 ('t3')"
    assert gates.token_text(None, [torch.tensor(200)], show_ids=True) == "200"


def test_describe_names_numpy_values_with_their_article():
    assert gates.describe(np.zeros((2, 3), dtype=np.int64)) == (
        "a NumPy array of shape (2, 3) and dtype int64"
    )
    assert gates.describe(np.int64(3)) == "a NumPy int64 of shape () and dtype int64"

"""Section 10: what the rows of checker/exercises/attempts/section10.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py against
the check and the grader with the hidden cases; what stays here is a property of the reference and what the
check leaves alone.
"""

from __future__ import annotations

import torch
from transformers import DataCollatorWithPadding

from checker.data import read_examples
from checker.exercises import section10 as ex


# the reference agrees with the collator on sizes and multiples no row tries
def test_the_reference_width_is_the_collators(course):
    tok = course.tokenizer
    features = ex.training_features(tok)
    for size in (1, 3, 5, 8, 13):
        for multiple in (None, 8, 16):
            width = DataCollatorWithPadding(tok, pad_to_multiple_of=multiple)(features[:size])[
                "input_ids"
            ].shape[1]
            assert (
                ex.reference_width([len(f["input_ids"]) for f in features[:size]], multiple)
                == width
            )


# the reference agrees with the tokenizer's own map from words to tokens, on every training text
def test_the_reference_labels_each_word_once_on_its_first_token(course):
    tok = course.tokenizer
    texts = [e.text for e in read_examples("train")]
    for special in (True, False):
        encoded = tok(texts, truncation=True, max_length=64, add_special_tokens=special)
        for row in range(len(texts)):
            words = encoded.word_ids(row)
            count = 1 + max((w for w in words if w is not None), default=-1)
            labels = ex.reference_labels(words, [7 + w for w in range(count)])
            assert len(labels) == len(words)
            firsts = {encoded.word_to_tokens(row, w).start: w for w in set(words) - {None}}
            assert labels == [7 + firsts[i] if i in firsts else -100 for i in range(len(words))]


def test_padded_width_refuses_a_tensor_answer_without_comparing_it_as_a_number():
    result = ex.padded_width.check(lambda lengths, multiple: torch.full((2, 2), float("nan")))
    assert result.mistake == "padded_width.width_not_a_number", str(result)

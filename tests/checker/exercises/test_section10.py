"""Section 10: what the rows of checker/exercises/attempts/section10.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py against
the check and the grader with the hidden cases; what stays here is a property of the reference and what the
check leaves alone.
"""

from __future__ import annotations

import torch
from transformers import DataCollatorWithPadding

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


# what the check does to the learner's process, not what it says
def test_train_steps_leaves_the_learners_random_state_alone():
    def right_steps(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses

    torch.manual_seed(7)
    before = torch.rand(1)
    torch.manual_seed(7)
    ex.train_steps.check(right_steps)
    assert torch.equal(torch.rand(1), before)


def test_padded_width_refuses_a_tensor_answer_without_comparing_it_as_a_number():
    result = ex.padded_width.check(lambda lengths, multiple: torch.full((2, 2), float("nan")))
    assert result.mistake == "padded_width.width_not_a_number", str(result)

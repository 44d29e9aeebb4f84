"""Section 10: the first batch of a DataLoader with dynamic padding, batches grouped by length, the width
pad_to_multiple_of gives, a token-level loss that ignores -100, and training steps.

Each exercise: the right answer passes, the starter code is "not attempted", and each listed mistake gets its
own message. The course model's tokenizer is used (fixture ``course``); the hidden cases pass with the right
answers and catch the named mistakes too.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from transformers import DataCollatorWithPadding

from checker import harness
from checker.exercise import Outcome
from checker.exercises import section10 as ex
from grading.hidden import section10 as hidden


@pytest.fixture(scope="module")
def tok(course):
    return course.tokenizer


@pytest.fixture(scope="module")
def features(tok):
    return ex.training_features(tok)


def incorrect(exercise, *answers) -> str:
    result = exercise.check(*answers)
    assert result.outcome is Outcome.INCORRECT, str(result)
    return str(result)


def hidden_mistakes(exercise, function, cases) -> list:
    return [exercise.judge_case(harness.run(function, case), case) for case in cases]


# --- first_batch ---


def loader(tok, features, **options):
    settings = dict(batch_size=8, shuffle=False, collate_fn=DataCollatorWithPadding(tok))
    settings.update(options)
    return DataLoader(features, **settings)


def test_first_batch_right_answers_pass(tok, features):
    assert ex.first_batch.check(next(iter(loader(tok, features)))).correct
    assert ex.first_batch.check(DataCollatorWithPadding(tok)(features[:8])).correct
    assert ex.first_batch.check(next(iter(loader(tok, features, shuffle=None)))).correct


def test_first_batch_starter_is_not_attempted():
    assert ex.first_batch.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_first_batch_mistakes_are_named(tok, features):
    assert "DataLoader itself" in incorrect(ex.first_batch, loader(tok, features))
    assert "batches" in incorrect(ex.first_batch, list(loader(tok, features))[:3])
    assert "one tensor" in incorrect(ex.first_batch, next(iter(loader(tok, features)))["input_ids"])
    assert "16 rows" in incorrect(ex.first_batch, next(iter(loader(tok, features, batch_size=16))))
    shuffled = next(
        iter(loader(tok, features, shuffle=True, generator=torch.Generator().manual_seed(0)))
    )
    assert "shuffle=True" in incorrect(ex.first_batch, shuffled)
    padded = tok(
        [e.text for e in ex.read_examples("train")],
        truncation=True,
        padding=True,
        return_tensors="pt",
    )
    whole = {key: value[:8] for key, value in padded.items()}
    whole["labels"] = torch.tensor([f["label"] for f in features[:8]])
    assert "padded to 512" in incorrect(ex.first_batch, whole)
    eight = next(
        iter(loader(tok, features, collate_fn=DataCollatorWithPadding(tok, pad_to_multiple_of=8)))
    )
    assert "pad_to_multiple_of" in incorrect(ex.first_batch, eight)
    numpy = next(
        iter(loader(tok, features, collate_fn=DataCollatorWithPadding(tok, return_tensors="np")))
    )
    assert "NumPy array" in incorrect(ex.first_batch, numpy)


def test_first_batch_without_labels_is_named(tok, features):
    batch = dict(next(iter(loader(tok, features))))
    batch.pop("labels")
    assert "no `labels`" in incorrect(ex.first_batch, batch)


# --- group_by_length ---


def right_group(lengths, batch_size):
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def test_group_by_length_right_answers_pass_public_and_hidden_cases():
    assert ex.group_by_length.check(right_group).correct
    assert ex.group_by_length.check(lambda lengths, size: right_group(lengths, size)[::-1]).correct
    assert hidden_mistakes(ex.group_by_length, right_group, hidden.group_by_length) == [None] * len(
        hidden.group_by_length
    )


def test_group_by_length_starter_is_not_attempted():
    def group_by_length(lengths, batch_size):
        raise NotImplementedError()

    assert ex.group_by_length.check(group_by_length).outcome is Outcome.NOT_ATTEMPTED


def _sort_in_place(lengths, batch_size):
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    lengths.sort()
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


@pytest.mark.parametrize(
    "function,words",
    [
        (lambda l, b: sorted(range(len(l)), key=lambda i: l[i]), "one flat list"),
        (
            lambda l, b: [list(range(len(l)))[i : i + b] for i in range(0, len(l), b)],
            "not grouped by length",
        ),
        (
            lambda l, b: [s[i : i + b] for s in [sorted(l)] for i in range(0, len(s), b)],
            "lengths, not the indices",
        ),
        (
            lambda l, b: [
                s[i : i + b]
                for s in [sorted(range(len(l)), key=lambda i: l[i])]
                for i in range(0, len(s) - b + 1, b)
            ],
            "last, shorter batch was dropped",
        ),
        (lambda l, b: [tuple(x) for x in right_group(l, b)], "tuple"),
        (lambda l, b: [torch.tensor(x) for x in right_group(l, b)], ".tolist()"),
        (lambda l, b: None, "returned None"),
        (lambda l, b: (x for x in right_group(l, b)), "generator"),
        (_sort_in_place, "sorts the caller's list in place"),
    ],
)
def test_group_by_length_mistakes_are_named(function, words):
    assert words in incorrect(ex.group_by_length, function)


# --- padded_width ---


def right_width(lengths, multiple):
    longest = max(lengths)
    return longest if multiple is None else math.ceil(longest / multiple) * multiple


def test_padded_width_right_answers_pass_public_and_hidden_cases():
    assert ex.padded_width.check(right_width).correct
    assert ex.padded_width.check(lambda l, m: max(l) if not m else -(-max(l) // m) * m).correct
    assert hidden_mistakes(ex.padded_width, right_width, hidden.padded_width) == [None] * len(
        hidden.padded_width
    )


def test_the_reference_width_is_the_collators(tok, features):
    for size in (1, 3, 5, 8, 13):
        for multiple in (None, 8, 16):
            width = DataCollatorWithPadding(tok, pad_to_multiple_of=multiple)(features[:size])[
                "input_ids"
            ].shape[1]
            assert (
                ex.reference_width([len(f["input_ids"]) for f in features[:size]], multiple)
                == width
            )


@pytest.mark.parametrize(
    "function,words",
    [
        (lambda l, m: max(l) if m is None else (max(l) // m + 1) * m, "one multiple too many"),
        (lambda l, m: max(l) if m is None else max(l) // m * m, "rounded down"),
        (lambda l, m: max(l) if m is None else math.ceil(max(l) / m) * m * 1.0, "float"),
        (lambda l, m: math.ceil(max(l) / m) * m, "may be None"),
        (lambda l, m: max(l) if m is None else math.ceil(l[-1] / m) * m, "not the longest"),
        (lambda l, m: [right_width(l, m)] * len(l), "returned a list"),
        (lambda l, m: torch.tensor(right_width(l, m)), "a Python int"),
        (lambda l, m: None, "without `return`"),
    ],
)
def test_padded_width_mistakes_are_named(function, words):
    assert words in incorrect(ex.padded_width, function)


# --- token_loss ---


def right_loss(logits, labels):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))


def by_hand(logits, labels):
    keep = labels != -100
    picked = (
        torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    )
    return -picked[keep].mean()


def test_token_loss_right_answers_pass_public_and_hidden_cases():
    assert ex.token_loss.check(right_loss).correct
    assert ex.token_loss.check(by_hand).correct
    assert hidden_mistakes(ex.token_loss, right_loss, hidden.token_loss) == [None] * len(
        hidden.token_loss
    )


def test_token_loss_starter_is_not_attempted():
    def token_loss(logits, labels):
        raise NotImplementedError()

    assert ex.token_loss.check(token_loss).outcome is Outcome.NOT_ATTEMPTED


def _exp_by_hand(logits, labels):
    keep = labels != -100
    p = torch.exp(logits) / torch.exp(logits).sum(-1, keepdim=True)
    return -torch.log(p.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1))[keep].mean()


@pytest.mark.parametrize(
    "function,words",
    [
        (
            lambda z, y: F.cross_entropy(z.reshape(-1, z.shape[-1]), y.clamp(min=0).reshape(-1)),
            "counts the -100",
        ),
        (lambda z, y: right_loss(z, y).item(), "Python number"),
        (
            lambda z, y: F.cross_entropy(
                z.reshape(-1, z.shape[-1]), y.reshape(-1), reduction="none"
            ),
            "one loss per",
        ),
        (
            lambda z, y: F.cross_entropy(
                z.reshape(-1, z.shape[-1]), y.reshape(-1), reduction="sum"
            ),
            "the sum, not the mean",
        ),
        (lambda z, y: -right_loss(z, y), "negative"),
        (lambda z, y: F.cross_entropy(z, y), "classes in dimension 1"),
        (_exp_by_hand, "NaN or infinity"),
        (lambda z, y: None, "did not return a tensor"),
    ],
)
def test_token_loss_mistakes_are_named(function, words):
    assert words in incorrect(ex.token_loss, function)


def test_a_mean_per_row_is_named():
    def token_loss(logits, labels):
        rows = [right_loss(z[None], y[None]) for z, y in zip(logits, labels) if (y != -100).any()]
        return torch.stack(rows).mean()

    assert "a mean per row" in incorrect(ex.token_loss, token_loss)


# --- train_steps ---


def right_steps(model, optimizer, batches):
    model.train()
    losses = []
    for batch in batches:
        loss = model(**batch.to(model.device)).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses


def test_train_steps_right_answers_pass():
    assert ex.train_steps.check(right_steps).correct

    def zero_first(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            optimizer.zero_grad()
            outputs = model(
                input_ids=batch["input_ids"],
                attention_mask=batch["attention_mask"],
                labels=batch["labels"],
            )
            outputs.loss.backward()
            optimizer.step()
            losses.append(float(outputs.loss))
        return losses

    assert ex.train_steps.check(zero_first).correct


def test_train_steps_starter_is_not_attempted():
    def train_steps(model, optimizer, batches):
        raise NotImplementedError()

    assert ex.train_steps.check(train_steps).outcome is Outcome.NOT_ATTEMPTED


def _variant(train=True, zero=True, step=True, item=True, seed=False):
    def train_steps(model, optimizer, batches):
        if seed:
            torch.manual_seed(0)
        if train:
            model.train()
        losses = []
        for batch in batches:
            loss = model(**batch).loss
            loss.backward()
            if step:
                optimizer.step()
            if zero:
                optimizer.zero_grad()
            losses.append(loss.item() if item else loss)
        return losses

    return train_steps


@pytest.mark.parametrize(
    "function,words",
    [
        (_variant(zero=False), "never cleared"),
        (_variant(step=False), "never changed"),
        (_variant(train=False), "eval mode"),
        (_variant(item=False), "returned tensors"),
        (_variant(seed=True), "seeds the random generator"),
    ],
)
def test_train_steps_mistakes_are_named(function, words):
    assert words in incorrect(ex.train_steps, function)


def test_train_steps_under_no_grad_is_explained():
    def train_steps(model, optimizer, batches):
        model.train()
        losses = []
        with torch.no_grad():
            for batch in batches:
                loss = model(**batch).loss
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
                losses.append(loss.item())
        return losses

    assert "no_grad" in incorrect(ex.train_steps, train_steps)


def test_train_steps_leaves_the_learners_random_state_alone():
    torch.manual_seed(7)
    before = torch.rand(1)
    torch.manual_seed(7)
    ex.train_steps.check(right_steps)
    assert torch.equal(torch.rand(1), before)


def test_train_mode_switched_on_after_the_first_batch_is_named():
    def train_steps(model, optimizer, batches):
        losses = []
        for batch in batches:
            loss = model(**batch).loss
            model.train()
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses

    assert "dropout was off for the first batch" in incorrect(ex.train_steps, train_steps)


def test_a_minus_100_used_as_a_class_is_explained():
    def token_loss(logits, labels):  # the pad id taken for the label to ignore
        return F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=0
        )

    assert "ignore_index=-100" in incorrect(ex.token_loss, token_loss)

    def picked(logits, labels):  # -100 as an index into the classes
        return -torch.log_softmax(logits, dim=-1).gather(-1, labels.unsqueeze(-1)).mean()

    assert "labels != -100" in incorrect(ex.token_loss, picked)

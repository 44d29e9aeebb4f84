"""Section 7: truncation in tokens, truncating ids by hand, sliding windows, one label per document.

Each exercise: the right answer passes, the starter code is "not attempted", and each listed mistake
gets its own message. The course model's tokenizer is used (fixture ``course``).
"""

from __future__ import annotations

import pytest
import torch

from checker.exercise import Outcome
from checker.exercises import section7 as ex


@pytest.fixture(scope="module")
def tok(course):
    return course.tokenizer


@pytest.fixture(scope="module")
def document():
    return ex.long_review()


def incorrect(exercise, *answers) -> str:
    result = exercise.check(*answers)
    assert result.outcome is Outcome.INCORRECT, str(result)
    return str(result)


def test_the_long_review_is_longer_than_the_model_limit(tok, document):
    assert len(tok(document)["input_ids"]) > tok.model_max_length


# --- truncated_ids ---


def test_truncated_ids_right_answer_passes_as_a_list(tok, document):
    ids = tok(document, truncation=True, max_length=32)["input_ids"]
    assert ex.truncated_ids.check(ids).correct
    assert ex.truncated_ids.check(
        tok(document, max_length=32)["input_ids"]
    ).correct  # max_length alone cuts


def test_truncated_ids_must_be_the_list_the_task_asks_for(tok, document):
    ids = tok(document, truncation=True, max_length=32)["input_ids"]
    assert "a tensor, not a list" in incorrect(ex.truncated_ids, torch.tensor([ids]))
    assert "a tuple, not a list" in incorrect(ex.truncated_ids, tuple(ids))
    assert "one id" in incorrect(ex.truncated_ids, ids[0])
    assert "token strings, not ids" in incorrect(ex.truncated_ids, tok.tokenize(document)[:32])
    assert "convert_tokens_to_ids" in incorrect(ex.truncated_ids, tok.tokenize(document)[:32])


def test_truncated_ids_wrong_max_length_and_side_are_named(tok, document):
    assert "already counts [CLS] and [SEP]" in incorrect(
        ex.truncated_ids, tok(document, truncation=True, max_length=34)["input_ids"]
    )
    assert "model's limit" in incorrect(
        ex.truncated_ids, tok(document, truncation=True)["input_ids"]
    )
    tok.truncation_side = "left"  # transformers 5 ignores `truncation_side=` as a call argument
    try:
        left = tok(document, truncation=True, max_length=32)["input_ids"]
    finally:
        tok.truncation_side = "right"
    assert "the end of the review" in incorrect(ex.truncated_ids, left)
    not_cut = incorrect(ex.truncated_ids, tok(document, max_length=32, padding=True)["input_ids"])
    assert "not truncated" in not_cut and "truncation=True" in not_cut


def test_truncated_ids_starter_is_not_attempted():
    assert ex.truncated_ids.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_truncated_characters_instead_of_tokens_is_named(tok, document):
    text = incorrect(ex.truncated_ids, tok(document[:32])["input_ids"])
    assert "truncated characters instead of tokens" in text


def test_hand_truncated_ids_lose_sep(tok, document):
    text = incorrect(ex.truncated_ids, tok(document)["input_ids"][:32])
    assert "truncated the ids by hand and lost [SEP]" in text


def test_missing_special_tokens_are_named(tok, document):
    ids = tok(document, truncation=True, max_length=32, add_special_tokens=False)["input_ids"]
    assert "special tokens are missing" in incorrect(ex.truncated_ids, ids)
    manual = tok.convert_tokens_to_ids(tok.tokenize(document))[:32]
    assert "special tokens are missing" in incorrect(ex.truncated_ids, manual)


def test_wrong_length_is_named_with_the_max_length_used(tok, document):
    text = incorrect(ex.truncated_ids, tok(document, truncation=True, max_length=31)["input_ids"])
    assert "wrong length" in text and "truncated to 31 tokens" in text
    assert "not truncated" in incorrect(ex.truncated_ids, tok(document)["input_ids"])


def test_truncated_ids_bad_input_gets_feedback_not_a_traceback(tok, document):
    assert "tokenizer's whole output" in incorrect(
        ex.truncated_ids, tok(document, truncation=True, max_length=32)
    )
    assert "text" in incorrect(ex.truncated_ids, document[:32])
    assert "empty" in incorrect(ex.truncated_ids, [])
    assert "floats" in incorrect(ex.truncated_ids, [101.0] * 32)
    assert "special tokens are missing" in incorrect(
        ex.truncated_ids, [-(2**63)]
    )  # no token has that id


# --- truncate_ids ---


def right_truncate(ids, max_length):
    if max_length < 2:
        raise ValueError("no room")
    if len(ids) <= max_length:
        return list(ids)
    return ids[: max_length - 1] + [ids[-1]]


def test_truncate_ids_right_function_passes():
    assert ex.truncate_ids.check(right_truncate).correct


def test_truncate_ids_stub_is_not_attempted():
    def stub(ids, max_length):
        raise NotImplementedError()

    assert ex.truncate_ids.check(stub).outcome is Outcome.NOT_ATTEMPTED


def test_truncate_ids_that_slices_loses_sep():
    text = incorrect(ex.truncate_ids, lambda ids, n: right_truncate(ids, n) if n < 2 else ids[:n])
    assert "lost [SEP]" in text


def test_truncate_ids_off_by_one_is_too_long_or_too_short():
    def too_long(ids, n):
        right_truncate(ids, n)
        return ids if len(ids) <= n else ids[:n] + [ids[-1]]

    def too_short(ids, n):
        right_truncate(ids, n)
        return ids if len(ids) <= n else ids[: n - 2] + [ids[-1]]

    assert "too long" in incorrect(ex.truncate_ids, too_long)
    assert "too short" in incorrect(ex.truncate_ids, too_short)


def test_truncate_ids_that_drops_cls_or_keeps_the_end_is_named():
    def from_the_end(ids, n):
        right_truncate(ids, n)
        return ids if len(ids) <= n else [ids[0]] + ids[-(n - 1) :]

    assert "end of the text instead of its beginning" in incorrect(ex.truncate_ids, from_the_end)
    assert "does not start with [CLS]" in incorrect(
        ex.truncate_ids,
        lambda ids, n: right_truncate(ids, n) if len(ids) <= n else ids[1:n] + [ids[-1]],
    )


def test_truncate_ids_that_changes_a_short_sequence_is_named():
    def always_cut(ids, n):
        right_truncate(ids, n)
        return ids[: n - 1] + [ids[-1]] if len(ids) >= n else ids[:-1] + [ids[-1]] * 2

    assert "already fits was changed" in incorrect(ex.truncate_ids, always_cut)


def test_truncate_ids_must_raise_value_error_below_two():
    def no_check(ids, n):
        return list(ids) if len(ids) <= n else ids[: n - 1] + [ids[-1]]

    text = incorrect(ex.truncate_ids, no_check)
    assert "did not raise ValueError on max_length=1" in text

    def wrong_error(ids, n):
        if n < 2:
            raise TypeError("too small")
        return right_truncate(ids, n)

    assert "raised TypeError" in incorrect(ex.truncate_ids, wrong_error)


def test_truncate_ids_that_modifies_its_input_is_named():
    def in_place(ids, n):
        if n < 2:
            raise ValueError("no room")
        if len(ids) > n:
            del ids[n - 1 : -1]
        return ids

    assert "changed the lists it was given" in incorrect(ex.truncate_ids, in_place)


def test_truncate_ids_that_loops_is_stopped(monkeypatch):
    from checker import harness

    def loops(ids, n):
        while True:
            pass

    monkeypatch.setattr(harness, "DEFAULT_SECONDS", 0.2)
    assert "did not return" in incorrect(ex.truncate_ids, loops)


def test_truncate_ids_that_returns_its_own_list_is_named():
    def same_list(ids, n):
        if n < 2:
            raise ValueError("no room")
        return ids if len(ids) <= n else ids[: n - 1] + [ids[-1]]

    text = incorrect(ex.truncate_ids, same_list)
    assert "not a new list" in text and "list(ids)" in text


def test_truncate_ids_that_decodes_and_encodes_again_is_named(course):
    tok = course.tokenizer

    def reencode(ids, n):
        if n < 2:
            raise ValueError("no room")
        return (
            list(ids)
            if len(ids) <= n
            else tok(tok.decode(ids[1:-1]), truncation=True, max_length=n)["input_ids"]
        )

    text = incorrect(ex.truncate_ids, reencode)
    assert "decoded and tokenized again" in text and "cached ids" in text


def test_the_cached_case_does_not_survive_decoding(course):
    tok = course.tokenizer
    ids = ex._CACHED
    assert tok(tok.decode(ids[1:-1]))["input_ids"] != ids


def test_truncate_ids_must_return_a_list():
    assert "returned a tuple, not a list" in incorrect(
        ex.truncate_ids, lambda ids, n: tuple(right_truncate(ids, n))
    )
    assert "returned a tensor, not a list" in incorrect(
        ex.truncate_ids, lambda ids, n: torch.tensor(right_truncate(ids, n))
    )


def test_truncate_ids_bad_functions_get_feedback():
    assert "returned None" in incorrect(
        ex.truncate_ids, lambda ids, n: None if n >= 2 else right_truncate(ids, n)
    )
    assert "not a function" in incorrect(ex.truncate_ids, [101, 102])
    assert "raised IndexError" in incorrect(ex.truncate_ids, lambda ids, n: [][0])


# --- windows ---


def make_windows(tok, document, **changes):
    kwargs = dict(
        truncation=True,
        max_length=64,
        stride=16,
        return_overflowing_tokens=True,
        padding=True,
        return_tensors="pt",
    )
    kwargs.update(changes)
    return tok(document, **kwargs)


def test_windows_right_answer_passes(tok, document):
    assert ex.windows.check(make_windows(tok, document)).correct


def test_windows_starter_is_not_attempted():
    assert ex.windows.check(None).outcome is Outcome.NOT_ATTEMPTED


def test_windows_without_overflow_is_one_window(tok, document):
    text = incorrect(ex.windows, make_windows(tok, document, return_overflowing_tokens=False))
    assert "one window" in text and "return_overflowing_tokens" in text


def test_stride_taken_as_the_step_is_named(tok, document):
    text = incorrect(ex.windows, make_windows(tok, document, stride=46))
    assert "overlap by 46 tokens" in text and "not how far each window moves on" in text
    assert "overlap by 0 tokens" in incorrect(ex.windows, make_windows(tok, document, stride=0))


def test_windows_longer_than_max_length_are_named(tok, document):
    assert "at most max_length = 64" in incorrect(
        ex.windows, make_windows(tok, document, max_length=128, stride=32)
    )


def test_windows_cut_by_hand_lack_special_tokens(tok, document):
    ids = tok(document, add_special_tokens=False)["input_ids"]
    rows = [ids[i : i + 64] for i in range(0, len(ids), 48)]
    rows = [r + [tok.pad_token_id] * (64 - len(r)) for r in rows]
    text = incorrect(ex.windows, {"input_ids": torch.tensor(rows)})
    assert "lack [CLS] or [SEP]" in text


def test_windows_need_the_mask_and_the_whole_output(tok, document):
    batch = make_windows(tok, document)
    assert "not the tokenizer's output" in incorrect(ex.windows, batch["input_ids"])
    assert "no `attention_mask`" in incorrect(ex.windows, {"input_ids": batch["input_ids"]})
    assert "inverted" in incorrect(
        ex.windows, {"input_ids": batch["input_ids"], "attention_mask": 1 - batch["attention_mask"]}
    )


def test_windows_causes_come_from_the_evidence(tok, document):
    not_cut = incorrect(
        ex.windows,
        tok(
            document,
            max_length=64,
            stride=16,
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        ),
    )
    assert (
        "not cut" in not_cut
        and "truncation=True" in not_cut
        and "return_overflowing_tokens=True` the" not in not_cut
    )
    two = incorrect(
        ex.windows,
        tok(
            [document, "Too loud."],
            truncation=True,
            max_length=64,
            stride=16,
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        ),
    )
    assert "windows of 2 texts" in two
    lists = incorrect(ex.windows, make_windows(tok, document, return_tensors=None))
    assert "Python list, not a tensor" in lists


def test_no_overlap_message_contradicts_itself(tok, document):
    for stride in (0, 8, 20, 46):
        text = incorrect(ex.windows, make_windows(tok, document, stride=stride))
        assert f"an overlap of {ex.WINDOW_STRIDE} tokens" not in text.split("Found:")[1]


def test_unpadded_windows_are_ragged(tok, document):
    batch = make_windows(tok, document, padding=False, return_tensors=None)
    assert "ragged" in incorrect(ex.windows, batch)


# --- document_label ---


def mean_probabilities(z):
    return int(torch.softmax(z, dim=-1).mean(dim=0).argmax())


def test_document_label_right_function_passes():
    assert ex.document_label.check(mean_probabilities).correct
    assert ex.document_label.check(
        lambda z: int(torch.softmax(z, -1).sum(0).argmax())
    ).correct  # sum or mean


def test_document_label_must_return_an_int():
    text = incorrect(
        ex.document_label, lambda z: torch.softmax(z, -1).mean(0).argmax()
    )  # a 0-d tensor
    assert "a tensor, not an int" in text and "KeyError" in text
    assert "not an int" in incorrect(
        ex.document_label, lambda z: torch.softmax(z, -1).mean(0).argmax().numpy()
    )


def test_document_label_stub_is_not_attempted():
    def stub(z):
        raise NotImplementedError()

    assert ex.document_label.check(stub).outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "rule, words",
    [
        (lambda z: int(z.mean(dim=0).argmax()), "mean of the logits"),
        (
            lambda z: int(torch.bincount(z.argmax(-1), minlength=z.shape[-1]).argmax()),
            "majority vote",
        ),
        (lambda z: int(z[0].argmax()), "first window only"),
        (lambda z: int(torch.softmax(z, -1).max(dim=0).values.argmax()), "most confident window"),
        (
            lambda z: int(torch.softmax(z, 0).mean(dim=0).argmax()),
            "softmax over the windows instead of the labels",
        ),
        (lambda z: int(torch.sigmoid(z).mean(dim=0).argmax()), "a sigmoid of each logit"),
        (lambda z: int(z.max(dim=0).values.argmax()), "largest logit of any window"),
        (lambda z: int(z[-1].argmax()), "last window only"),
    ],
)
def test_each_wrong_combination_is_named(rule, words):
    assert words in incorrect(ex.document_label, rule)


def test_document_label_bad_returns_get_feedback():
    assert "returned text" in incorrect(ex.document_label, lambda z: "POSITIVE")
    assert "not an int" in incorrect(
        ex.document_label, lambda z: torch.softmax(z, -1).argmax(-1)
    )  # shape (1,)
    assert "a float" in incorrect(ex.document_label, lambda z: torch.softmax(z, -1).mean(0).max())
    assert "returned None" in incorrect(ex.document_label, lambda z: None)
    assert "label id from 0" in incorrect(ex.document_label, lambda z: 7)


def test_every_label_case_tells_the_rules_apart():
    """Each wrong rule disagrees with the answer on some case, and no two rules agree on all cases."""
    answers = {
        name: tuple(rule(case.args[0]) for case in ex.LABEL_CASES)
        for name, (rule, _) in ex.WRONG_RULES.items()
    }
    answers["right"] = tuple(case.expected for case in ex.LABEL_CASES)
    assert len(set(answers.values())) == len(answers)

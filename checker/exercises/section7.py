"""Section 7, notebook ``07_longer_sequences.ipynb``: truncation in tokens, and long documents in windows.

Four exercises: ``truncated_ids`` (the tokenizer truncates a long review to 32 tokens),
``truncate_ids`` (a function that truncates ids by hand and keeps [CLS] and [SEP]),
``windows`` (a sliding-window batch of the whole review) and ``document_label`` (one label
from the windows' logits: the mean of the windows' probabilities).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

import torch

from .. import compare, diagnose, gates
from ..data import read_examples
from ..exercise import function_exercise, run_exercise, value_exercise
from ..harness import Case, Run
from ..outcome import Mistake
from . import _shared

TRUNCATE_TO = 32  # truncated_ids: tokens, [CLS] and [SEP] included
WINDOW_LENGTH, WINDOW_STRIDE = 64, 16  # windows: max_length and stride


def long_review() -> str:
    """The notebook's long document: the course data's review with the most words (ties: the first)."""
    examples = read_examples("train") + read_examples("heldout")
    return max(examples, key=lambda example: len(example.text.split())).text


def _as_id_list(value: Any, name: str) -> list[int]:
    """A learner's ids (list, tuple, 1-D tensor, or a batch of one) as a list of ints."""
    if isinstance(value, (list, tuple)) and not value:
        raise Mistake(
            f"`{name}` is empty.", id="empty", expected="a list of token ids", found="an empty list"
        )
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        raise Mistake(
            f"`{name}` holds token strings, not ids.",
            id="tokens_not_ids",
            expected="a list of int ids",
            found=f"a {type(value).__name__} of {len(value)} strings such as {value[0]!r}",
            cause="`tokenizer.tokenize()` gives tokens; the model needs their ids",
            hint="convert them with `tokenizer.convert_tokens_to_ids(...)`, or call the tokenizer itself",
        )
    output = gates.whole_output(
        value,
        name,
        "a list of int ids",
        instead="its list of ids",
        cause="the tokenizer returns a dict of fields",
        hint={"tokenizer": 'take its ids: `["input_ids"]`'},
    )
    if output is not None:  # the task asks for a list, not a tensor
        raise output
    ids = compare.integer_ids(value, name)
    if ids.dim() == 2 and ids.shape[0] == 1:
        ids = ids[0]
    if ids.dim() != 1:
        raise Mistake(
            f"`{name}` has shape {tuple(ids.shape)}.",
            id="wrong_dimensions",
            expected="one sequence of ids (a list, or a batch of one)",
            found=compare.describe(ids),
        )
    return ids.tolist()


def _id_list(value: Any, name: str) -> list[int]:
    """Ids where the task asks for a Python list of ints: that list, or a Mistake saying what it is instead."""
    if isinstance(value, bool) or isinstance(value, numbers.Integral):
        raise Mistake(
            f"`{name}` is one id ({value}), not a list of ids.",
            id="one_id",
            expected="a list of int ids",
            found=f"the int {value}",
            cause="`[0]` (or `[-1]`) on the list of ids picks one id",
            hint="keep the whole list: `tokenizer(...)['input_ids']`",
        )
    if isinstance(value, torch.Tensor) or type(value).__module__.startswith("numpy"):
        kind = "tensor" if isinstance(value, torch.Tensor) else "NumPy array"
        raise Mistake(
            f"`{name}` is a {kind}, not a list.",
            id="not_a_list",
            expected="a Python list of int ids",
            found=compare.describe(value),
            cause="`return_tensors=...` makes a batch of tensors; the task "
            "asks for the list of ids the tokenizer returns without it",
            hint="leave out `return_tensors` (or call `.tolist()` on one row)",
        )
    if isinstance(value, tuple):
        raise Mistake(
            f"`{name}` is a tuple, not a list.",
            id="tuple_not_list",
            expected="a Python list of int ids",
            found=compare.describe(value),
            hint="`list(...)`",
        )
    found = _as_id_list(value, name)
    if isinstance(value, list) and any(
        isinstance(i, bool) or not isinstance(i, numbers.Integral) for i in value
    ):
        odd = next(i for i in value if isinstance(i, bool) or not isinstance(i, numbers.Integral))
        raise Mistake(
            f"`{name}` is a list that holds {type(odd).__name__} values.",
            id="not_ints",
            expected="a list of int ids",
            found=compare.describe(value),
            cause="a list of tensors or of other numbers is not a list of ids",
            hint="the tokenizer's `['input_ids']` already is a list of ints",
        )
    return found


# --- truncated_ids ---------------------------------------------------------------------------


@value_exercise(
    "Truncate to 32 tokens",
    hints=(
        "Let the tokenizer do it: it counts tokens and keeps room for [SEP].",
        "`tokenizer(document, truncation=True, max_length=32)` returns a dict; you want its `'input_ids'`.",
    ),
)
def truncated_ids(truncated_ids) -> None:
    """`truncated_ids` is the Python list of ids of `document` truncated by the tokenizer to 32 tokens, [CLS] and
    [SEP] included."""
    tok, text, n = _shared.tokenizer(), long_review(), TRUNCATE_TO
    found = _id_list(truncated_ids, "truncated_ids")
    expected = tok(text, truncation=True, max_length=n)["input_ids"]
    if found == expected:
        return
    full = tok(text)["input_ids"]
    by_characters = tok(text[:n])["input_ids"]
    if found == by_characters:
        raise Mistake(
            "`truncated_ids` comes from the first 32 characters of the text, not its first 32 tokens: "
            "you truncated characters instead of tokens.",
            id="characters_cut",
            expected=f"{n} tokens",
            found=f"{len(found)} tokens (from `document[:{n}]`)",
            cause="slicing a string counts characters; the model's limit counts tokens, "
            "and a token is usually several characters long",
            hint=f"let the tokenizer cut: `tokenizer(document, truncation=True, max_length={n})`",
        )
    if found == full[:n]:
        raise Mistake(
            "`truncated_ids` ends without [SEP]: you truncated the ids by hand and lost [SEP].",
            id="sep_lost",
            expected=f"{n} ids ending with {tok.sep_token_id} ([SEP])",
            found=f"{n} ids ending with {found[-1]} ({gates.token_text(tok, found[-1:])})",
            cause="`ids[:max_length]` cuts off the end of the sequence, and [SEP] is at the end",
            hint=f"pass `truncation=True, max_length={n}` to the tokenizer: it keeps room for [SEP]",
        )
    if found == full:
        raise Mistake(
            "`truncated_ids` is not truncated.",
            id="not_truncated",
            expected=f"{n} ids",
            found=f"all {len(found)} ids of the review",
            cause="the tokenizer did not truncate: it cuts only with `truncation=True` (`max_length` alone "
            "cuts too, but not once `padding` is given)",
            hint=f"pass `truncation=True, max_length={n}`",
        )
    if found == [full[0]] + full[-(n - 1) :]:
        raise Mistake(
            "`truncated_ids` keeps the end of the review instead of its beginning.",
            id="end_kept",
            expected=f"[CLS], the first {n - 2} tokens of the review, [SEP]",
            found=f"[CLS] and the last {n - 1} tokens",
            cause="`truncation_side='left'` cuts from the start; "
            "this exercise keeps the beginning, the tokenizer's default (`truncation_side='right'`)",
        )
    specials = {tok.cls_token_id, tok.sep_token_id}
    if found and not specials & set(found):
        raise Mistake(
            "`truncated_ids` has no [CLS] and [SEP] tokens: the special tokens are missing.",
            id="truncated_no_special_tokens",
            expected=f"{n} ids from {tok.cls_token_id} ([CLS]) to {tok.sep_token_id} ([SEP])",
            found=f"{len(found)} ids starting with {gates.token_text(tok, found[:1])}",
            cause="`tokenize()` + `convert_tokens_to_ids()`, or `add_special_tokens=False`, leave them out",
            hint=f"call the tokenizer itself: `tokenizer(document, truncation=True, max_length={n})['input_ids']`",
        )
    if len(found) != n:
        same_cut = (
            2 <= len(found) < len(full)
            and found == tok(text, truncation=True, max_length=len(found))["input_ids"]
        )
        if same_cut and len(found) == n + 2:
            cause = f"`max_length` already counts [CLS] and [SEP]: `max_length={n}`, not {n} + 2"
        elif same_cut and len(found) == tok.model_max_length:
            cause = (
                f"`truncation=True` alone cuts at the model's limit ({tok.model_max_length}); "
                f"`max_length={n}` sets another limit"
            )
        elif same_cut:
            cause = f"this is the review truncated to {len(found)} tokens: check `max_length`"
        else:
            cause = ""
        raise Mistake(
            f"`truncated_ids` has the wrong length: {len(found)} ids.",
            id="truncated_wrong_length",
            expected=f"{n} ids, [CLS] and [SEP] included",
            found=f"{len(found)} ids",
            cause=cause,
            hint=f"`tokenizer(document, truncation=True, max_length={n})['input_ids']`",
        )
    position = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
    raise Mistake(
        f"`truncated_ids` differs from the tokenizer's truncation at position {position}.",
        id="truncated_wrong_token",
        expected=f"token {gates.token_text(tok, [expected[position]])}",
        found=f"token {gates.token_text(tok, [found[position]])}",
        hint="tokenize `document` itself (the longest review), unchanged",
    )


# --- truncate_ids ----------------------------------------------------------------------------


def _returned_ids(result: Any, name: str) -> list[int]:
    """The function's result where the task asks for a new Python list of ints."""
    if result is None:
        raise gates.returned_none(name, "a list of ids")
    if isinstance(result, (torch.Tensor, tuple)) or type(result).__module__.startswith("numpy"):
        kind = (
            "a tensor"
            if isinstance(result, torch.Tensor)
            else "a tuple"
            if isinstance(result, tuple)
            else "a NumPy array"
        )
        raise Mistake(
            f"`{name}` returned {kind}, not a list.",
            id="returned_not_a_list",
            expected="a new Python list of int ids",
            found=compare.describe(result),
            hint="slice and join the list itself: `ids[:k] + [ids[-1]]`",
        )
    if isinstance(result, list):
        odd = [i for i in result if isinstance(i, bool) or not isinstance(i, numbers.Integral)]
        if odd:
            raise Mistake(
                f"`{name}` returned a list that holds {type(odd[0]).__name__} values.",
                id="returned_not_ints",
                expected="a list of int ids",
                found=compare.describe(result),
                cause="keep the ids as they are: ints from the list you were given",
            )
    return _as_id_list(result, "the returned ids")


def _reencoded(tok, ids: list[int], max_length: int) -> list[list[int]]:
    """What decoding the ids and tokenizing the text again gives (ways that change a cached list's ids)."""
    found = []
    for text in (tok.decode(ids[1:-1]), tok.decode(ids, skip_special_tokens=True)):
        for n in (max_length, None):
            found.append(tok(text, truncation=n is not None, max_length=n)["input_ids"])
    return found


#: "[CLS] the film was great , but the story was far too long . [SEP]", "[CLS] so have i ! [SEP]" and a
#: pair of sentences, as the course tokenizer gives them (any lists of ids would do: the function only cuts).
_LONG = [101, 1996, 2143, 2001, 2307, 1010, 2021, 1996, 2466, 2001, 2521, 2205, 2146, 1012, 102]
_SHORT = [101, 2061, 2031, 1045, 999, 102]
_PAIR = [101, 1996, 2282, 2001, 2235, 1012, 102, 1996, 3193, 2081, 2039, 2005, 2009, 1012, 102]
#: "[CLS] play ##ing the game . [SEP]": ids from a cache that the tokenizer would not make again from their text
#: (it reads "playing" as one token), so decoding and tokenizing again changes them.
_CACHED = [101, 2377, 2075, 1996, 2208, 1012, 102]
#: Ids cached from another tokenizer (COURSE_CHECKPOINT can name any), whose [CLS] and [SEP] are 0 and 2, as
#: RoBERTa's `<s>` and `</s>`: "then the last id" holds whatever number [SEP] has, so a 102 written in fails here.
_OTHER_TOKENIZER = [0, 133, 822, 21, 372, 6, 53, 5, 527, 21, 444, 2]

TRUNCATE_CASES = [
    Case("a 15-id sentence, max_length=10", (_LONG, 10), _LONG[:9] + [102]),
    Case("a 15-id sentence, max_length=3", (_LONG, 3), [101, 1996, 102]),
    Case("a 15-id sentence, max_length=2", (_LONG, 2), [101, 102]),
    Case("a 6-id sentence, max_length=8 (it already fits)", (_SHORT, 8), _SHORT),
    Case("a 6-id sentence, max_length=6 (exactly fits)", (_SHORT, 6), _SHORT),
    Case("a 6-id sentence, max_length=5", (_SHORT, 5), [101, 2061, 2031, 1045, 102]),
    Case("a pair of sentences (a [SEP] inside), max_length=7", (_PAIR, 7), _PAIR[:6] + [102]),
    Case(
        "cached ids that the tokenizer would not make again from their text, max_length=5",
        (_CACHED, 5),
        _CACHED[:4] + [102],
    ),
    Case(
        "ids from another tokenizer, whose [CLS] is 0 and [SEP] is 2, max_length=5",
        (_OTHER_TOKENIZER, 5),
        _OTHER_TOKENIZER[:4] + [2],
    ),
    Case("max_length=1", (_SHORT, 1), raises=ValueError),
    Case("max_length=0", (_SHORT, 0), raises=ValueError),
]


def _raised_with_room(run: Run, case: Case) -> None:
    """A ValueError where the task asks for a list: named when max_length leaves room for both special tokens."""
    _, max_length = case.args
    if (
        case.raises is None
        and run.error is not None
        and run.error.name == "ValueError"
        and max_length == 2
    ):
        raise Mistake(
            "`truncate_ids` raised ValueError.",
            id="raised_with_room",
            expected="[CLS] and [SEP]: `[ids[0], ids[-1]]`",
            found=f"your {run.error.line}" if run.error.line else "a ValueError",
            cause="max_length=2 leaves room for exactly the two special tokens: only a max_length below 2 "
            "has no room (`max_length < 2`, not `<= 2`)",
        )


@run_exercise(
    "Truncate ids by hand, keeping [CLS] and [SEP]",
    cases=TRUNCATE_CASES,
    explain=_raised_with_room,
    hints=(
        "Three cases: max_length < 2 (raise ValueError), ids that already fit (return a copy), and the rest.",
        "For the rest: the first `max_length - 1` ids, then the last id.",
        "After the two checks: a slice of the first `max_length - 1` ids, plus a one-element list of the last "
        "id; ids that fit come back as a copy (`list(...)` or `[:]`).",
    ),
    mutation=(
        "`del ids[...]`, `ids.pop()` or slice assignment modify the caller's list",
        "build and return a new list: `ids[:max_length - 1] + [ids[-1]]`",
    ),
)
def truncate_ids(result, case: Case, run: Run) -> None:
    """`truncate_ids(ids, max_length)` returns a new list of at most max_length of the ids it was given, first and
    last kept, input unchanged; ValueError for max_length < 2."""
    tok = _shared.tokenizer()
    ids, max_length = case.args
    found, expected = _returned_ids(result, "truncate_ids"), case.expected
    if found == expected and run.returned_argument:
        raise Mistake(
            "`truncate_ids` returned the very list it was given, not a new list.",
            id="same_list_returned",
            expected="a new list with the same ids",
            found="the caller's own list object",
            cause="`return ids` hands back the caller's list: a later change to the result (padding it, "
            "say) would change the caller's list too",
            hint="return a copy: `list(ids)` or `ids[:]`",
        )
    if found == expected:
        return
    if len(ids) <= max_length:
        raise Mistake(
            "a sequence that already fits was changed.",
            id="fitting_sequence_changed",
            expected=f"the same {len(ids)} ids, unchanged",
            found=f"{len(found)} ids",
            cause="only sequences longer than max_length need cutting",
        )
    if found == ids[:max_length]:
        raise Mistake(
            "the result ends without [SEP]: you truncated the ids and lost [SEP].",
            id="result_sep_lost",
            expected=f"{max_length} ids ending with {gates.token_text(tok, [ids[-1]])}",
            found=f"ids ending with {gates.token_text(tok, found[-1:])}",
            cause="`ids[:max_length]` cuts off the end, and [SEP] is the last id",
            hint="keep `max_length - 1` ids from the start, then add the last id back",
        )
    if found in _reencoded(tok, ids, max_length):
        raise Mistake(
            "the result holds ids that are not in the list it was given: the ids were decoded and "
            "tokenized again.",
            id="decoded_and_retokenized",
            expected=f"{max_length} ids taken from the list itself",
            found=f"ids such as {gates.token_text(tok, [i for i in found if i not in ids][:3])}",
            cause="a list of ids need not be what the tokenizer would make of its text again (here "
            "`play ##ing` becomes `playing`): decoding and re-encoding changes the ids",
            hint="cut the list itself: `ids[:max_length - 1] + [ids[-1]]`",
        )
    if len(found) == max_length and found[:-1] == ids[: max_length - 1] and found[-1] != ids[-1]:
        written = found[-1] == tok.sep_token_id and ids[-1] != tok.sep_token_id
        raise Mistake(
            "the result does not end with the list's own last id.",
            id="last_id_replaced",
            expected=f"the first {max_length - 1} ids, then the list's last id, {ids[-1]}",
            found=f"the first {max_length - 1} ids, then {found[-1]}",
            cause=f"{found[-1]} is the course tokenizer's [SEP], written in: these ids come from a tokenizer "
            f"whose [SEP] is {ids[-1]}"
            if written
            else "",
            hint="keep the last id of the list itself: `ids[-1]`, whatever [SEP]'s number is",
        )
    new = [i for i in found if i not in ids]
    if new:
        raise Mistake(
            "the result holds ids that are not in the list it was given.",
            id="foreign_ids",
            expected=f"{max_length} ids taken from the list itself",
            found=f"ids such as {gates.token_text(tok, new[:3])}",
            hint="cut the list itself: `ids[:max_length - 1] + "
            "[ids[-1]]`; the last id is `ids[-1]`, whatever [SEP]'s number is",
        )
    if len(found) > max_length:
        raise Mistake(
            f"the result is too long: {len(found)} ids.",
            id="too_long",
            expected=f"at most {max_length} ids",
            found=f"{len(found)} ids",
            cause="[CLS] and [SEP] count towards max_length too"
            if len(found) == max_length + 1 or len(found) == max_length + 2
            else "",
        )
    if len(found) < max_length:
        raise Mistake(
            f"the result is too short: {len(found)} ids.",
            id="too_short",
            expected=f"exactly {max_length} ids",
            found=f"{len(found)} ids",
            cause="an off-by-one in a slice: `ids[:k]` keeps k ids (positions 0 to k-1)"
            if len(found) == max_length - 1
            else "",
        )
    if not found or found[0] != ids[0]:
        raise Mistake(
            "the result does not start with [CLS].",
            id="no_cls_first",
            expected=f"first id {gates.token_text(tok, ids[:1])}",
            found=f"first id {gates.token_text(tok, found[:1])}",
            cause="the model was trained with [CLS] first",
        )
    if found[-1] != ids[-1]:
        raise Mistake(
            "the result does not end with [SEP].",
            id="no_sep_last",
            expected=f"last id {gates.token_text(tok, ids[-1:])}",
            found=f"last id {gates.token_text(tok, found[-1:])}",
            cause="the model was trained with [SEP] last",
        )
    if found == [ids[0]] + ids[-(max_length - 1) :]:
        raise Mistake(
            "the result keeps the end of the text instead of its beginning.",
            id="result_end_kept",
            expected="the first tokens of the text, between [CLS] and [SEP]",
            found="the last tokens of the text",
            cause="this tokenizer truncates on the right (`tokenizer.truncation_side == 'right'`)",
        )
    raise Mistake(
        "the tokens between [CLS] and [SEP] are not the first ones of the text.",
        id="not_the_first_tokens",
        expected=f"`ids[1:{max_length - 1}]` between [CLS] and [SEP]",
        found=gates.token_text(tok, found),
    )


# --- windows ---------------------------------------------------------------------------------


def expected_windows(tokenizer=None):
    """The tokenizer's own sliding windows of the long review (max_length 64, stride 16)."""
    tok = tokenizer or _shared.tokenizer()
    return tok(
        long_review(),
        truncation=True,
        max_length=WINDOW_LENGTH,
        stride=WINDOW_STRIDE,
        return_overflowing_tokens=True,
        padding=True,
        return_tensors="pt",
    )


def _content(row: list[int], tok) -> list[int]:
    special = {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id}
    return [t for t in row if t not in special]


@value_exercise(
    "A sliding-window batch",
    hints=(
        "One call to the tokenizer does it: truncation, max_length, stride, return_overflowing_tokens, padding, "
        "return_tensors.",
        "`stride` is the overlap between consecutive windows, in tokens.",
        "`tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, "
        "padding=True, return_tensors='pt')`",
    ),
)
def windows(windows) -> None:
    """`windows` is the tokenizer's output for `document` in windows of 64 tokens that overlap by 16, as one
    padded batch of PyTorch tensors with its attention mask."""
    tok = _shared.tokenizer()
    expected = expected_windows(tok)
    if isinstance(windows, (torch.Tensor, list, tuple)) or (
        hasattr(windows, "shape") and not hasattr(windows, "keys")
    ):
        raise Mistake(
            "`windows` is a single tensor or list, not the tokenizer's output.",
            id="single_tensor",
            expected="the whole output of `tokenizer(...)`, with `input_ids` and `attention_mask`",
            found=compare.describe(windows),
            cause="keep everything the tokenizer returns: the model needs the mask too",
        )
    if not hasattr(windows, "keys") or "input_ids" not in windows:
        raise Mistake(
            "`windows` has no `input_ids`.",
            id="no_input_ids",
            expected="the output of `tokenizer(document, ...)`",
            found=compare.describe(windows),
        )
    raw = windows["input_ids"]
    if (
        isinstance(raw, (list, tuple))
        and raw
        and all(isinstance(r, (list, tuple)) for r in raw)
        and len({len(r) for r in raw}) > 1
    ):
        raise Mistake(
            "`windows['input_ids']` is a ragged list: the windows have different lengths.",
            id="ragged_windows",
            expected="one padded batch of PyTorch tensors",
            found=compare.describe(raw),
            cause="without `padding=True` the last, shorter window is not padded, and without "
            "`return_tensors='pt'` the rows stay Python lists",
            hint="add `padding=True, return_tensors='pt'`",
        )
    ids = compare.id_tensor(raw, "windows['input_ids']")
    if ids.dim() != 2:
        raise Mistake(
            f"`windows['input_ids']` has {ids.dim()} dimension(s).",
            id="window_dimensions",
            expected="a 2-D batch: (windows, tokens)",
            found=compare.describe(ids),
            cause="pass `return_tensors='pt'` and `return_overflowing_tokens=True`",
        )
    want = expected["input_ids"]
    owners = windows.get("overflow_to_sample_mapping") if hasattr(windows, "get") else None
    texts = (
        len(set(compare.to_tensor(owners, "overflow_to_sample_mapping").reshape(-1).tolist()))
        if owners is not None
        else 1
    )
    if texts > 1:
        raise Mistake(
            f"`windows` holds the windows of {texts} texts.",
            id="several_texts",
            expected="the windows of `document` only",
            found=f"`overflow_to_sample_mapping` names {texts} texts",
            cause="the tokenizer was given a list of texts (`texts`, from the demonstration above?)",
            hint="tokenize `document`, the long review, by itself",
        )
    if ids.shape[0] == 1 and ids.shape[1] > WINDOW_LENGTH:
        raise Mistake(
            f"`windows` is the whole review in one row of {ids.shape[1]} tokens: it was not cut.",
            id="not_cut",
            expected=f"{want.shape[0]} windows of at most {WINDOW_LENGTH} tokens",
            found=f"shape {tuple(ids.shape)}",
            cause="the tokenizer did not truncate: with `padding=True`, `max_length` cuts only when "
            "`truncation=True` is given as well",
            hint="add `truncation=True`",
        )
    if ids.shape[0] == 1:
        raise Mistake(
            "`windows` holds one window: the rest of the review was dropped.",
            id="one_window",
            expected=f"{want.shape[0]} windows",
            found="1 window",
            cause="without `return_overflowing_tokens=True` the tokenizer truncates and throws the overflow away",
            hint="add `return_overflowing_tokens=True` (and `stride=16`)",
        )
    if ids.shape[1] > WINDOW_LENGTH:
        raise Mistake(
            f"The windows are {ids.shape[1]} tokens long.",
            id="window_length",
            expected=f"at most max_length = {WINDOW_LENGTH} tokens",
            found=f"shape {tuple(ids.shape)}",
            cause="`max_length` sets the length of every window, special tokens included",
        )
    rows = ids.tolist()
    if not all(r[:1] == [tok.cls_token_id] for r in rows) or any(
        tok.sep_token_id not in r for r in rows
    ):
        raise Mistake(
            "Some windows lack [CLS] or [SEP].",
            id="window_special_tokens",
            expected="every window framed by [CLS] ... [SEP]",
            found="a window without them",
            cause="windows cut by hand from one list of ids lose the special tokens; the tokenizer adds them to each window",
        )
    contents = [_content(r, tok) for r in rows]
    overlaps = [_shared.overlap(a, b) for a, b in zip(contents, contents[1:])]
    if overlaps and set(overlaps) != {WINDOW_STRIDE}:
        step = WINDOW_LENGTH - 2 - WINDOW_STRIDE
        if len(set(overlaps)) == 1:
            shared = overlaps[0]
            cause = (
                f"`stride` is the number of tokens that consecutive windows share, not how far each window "
                f"moves on (here they should share {WINDOW_STRIDE} tokens and move on by {step})"
                if shared == step
                else "`stride` sets the overlap; without it (the default, 0) the windows do not overlap"
                if shared == 0
                else ""
            )
            raise Mistake(
                f"Consecutive windows overlap by {shared} tokens.",
                id="overlap",
                expected=f"an overlap of stride = {WINDOW_STRIDE} tokens",
                found=f"an overlap of {shared} tokens between every two windows",
                cause=cause,
                hint=f"`stride={WINDOW_STRIDE}`",
            )
        k = next(i for i, o in enumerate(overlaps) if o != WINDOW_STRIDE)
        raise Mistake(
            f"Windows {k} and {k + 1} overlap by {overlaps[k]} tokens.",
            id="uneven_overlap",
            expected=f"every two consecutive windows to share stride = {WINDOW_STRIDE} tokens",
            found=f"windows {k} and {k + 1} share {overlaps[k]}",
            hint="tokenize `document` in one call with "
            f"`stride={WINDOW_STRIDE}`: the tokenizer makes every window",
        )
    if ids.shape[0] != want.shape[0]:
        shorter = ids.shape[1] < WINDOW_LENGTH and ids.shape[0] > want.shape[0]
        raise Mistake(
            f"`windows` holds {ids.shape[0]} windows.",
            id="window_count",
            expected=f"{want.shape[0]} windows of at most {WINDOW_LENGTH} tokens",
            found=f"shape {tuple(ids.shape)}",
            cause=f"the windows are {ids.shape[1]} tokens long: `max_length` is below {WINDOW_LENGTH}, so "
            "more windows are needed"
            if shorter
            else "",
            hint=f"`max_length={WINDOW_LENGTH}, stride={WINDOW_STRIDE}` on the whole `document`",
        )
    _shared.token_ids(ids, want, "windows['input_ids']", tok)
    if "attention_mask" not in windows:
        raise Mistake(
            "`windows` has no `attention_mask`.",
            id="no_attention_mask",
            expected="the mask the tokenizer returns with the ids",
            cause="`return_attention_mask=False`, or only the ids were kept",
            hint="the last window is padded: the model needs the mask to ignore the padding",
        )
    mask = windows["attention_mask"]
    mistake = gates.not_a_tensor(
        mask,
        "windows['attention_mask']",
        "a torch tensor of 0s and 1s, the shape of the ids",
        cause=gates.TOKENIZER_FIELDS,
        hint="`return_tensors='pt'` makes both tensors",
    )
    if mistake is not None:
        raise mistake
    diagnose.attention_mask(mask, expected["attention_mask"], name="windows['attention_mask']")


# --- document_label --------------------------------------------------------------------------

#: Other ways to combine windows, named when a learner's function behaves like one of them on every case.
WRONG_RULES: dict[str, tuple[Callable[[torch.Tensor], int], str]] = {
    "the mean of the logits": (
        lambda z: int(z.mean(dim=0).argmax()),
        "averaging logits (or log-probabilities, which rank the labels the same) lets one very "
        "confident window outweigh the rest; the exercise asks for the mean of the "
        "probabilities (softmax first)",
    ),
    "a majority vote of the windows' labels": (
        lambda z: int(torch.bincount(z.argmax(dim=-1), minlength=z.shape[-1]).argmax()),
        "a vote throws away how sure each window is; average the probabilities",
    ),
    "the first window only": (
        lambda z: int(z[0].argmax()),
        "that is what plain truncation gives; every window should count",
    ),
    "the last window only": (
        lambda z: int(z[-1].argmax()),
        "`window_logits[-1]` is one window; every window should count",
    ),
    "the most confident window": (
        lambda z: int(torch.softmax(z, -1).max(dim=0).values.argmax()),
        "the maximum lets one window decide; average over the windows instead",
    ),
    "the largest logit of any window": (
        lambda z: int(z.max(dim=0).values.argmax()),
        "`max` over the windows lets one window decide, and logits are not "
        "probabilities; softmax each window, then average",
    ),
    "a softmax over the windows instead of the labels": (
        lambda z: int(torch.softmax(z, 0).mean(dim=0).argmax()),
        "`softmax(dim=0)` normalises across windows; probabilities are over labels: `dim=-1`",
    ),
    "a mean over each window's labels (`dim=1`) instead of over the windows": (
        lambda z: int(torch.softmax(z, -1).mean(dim=1).argmax()),
        "`.mean(dim=1)` averages each window's probabilities over its labels (always 1 / labels), so the "
        "argmax picks a window, not a label: average over the windows, `dim=0`",
    ),
    "a sigmoid of each logit instead of a softmax over the labels": (
        lambda z: int(torch.sigmoid(z).mean(dim=0).argmax()),
        "`torch.sigmoid` squashes each logit on its own; a window's probabilities come from a softmax over its "
        "labels (`dim=-1`), and they sum to 1",
    ),
}


def _label_case(description: str, rows: list[list[float]], label: int) -> Case:
    return Case(description, (torch.tensor(rows),), label)


LABEL_CASES = [
    _label_case("one window", [[-0.3, 0.2]], 1),
    _label_case("three windows that agree", [[-1.0, 2.0], [-0.5, 1.5], [0.2, 0.9]], 1),
    _label_case(
        "one very confident window against two mild ones",
        [[4.0, -4.0], [-1.0, 1.0], [-1.0, 1.0]],
        1,
    ),
    _label_case(
        "two unsure windows against one confident one", [[-0.1, 0.1], [-0.1, 0.1], [3.0, -3.0]], 0
    ),
    _label_case(
        "a confident first window against three others",
        [[5.0, -5.0], [-2.0, 2.0], [-2.0, 2.0], [-2.0, 2.0]],
        1,
    ),
    _label_case(
        "three labels, four windows",
        [[2.0, 0.0, 1.8], [0.0, 0.3, 1.2], [0.1, 0.2, 1.0], [1.5, 0.0, 0.1]],
        2,
    ),
    _label_case(
        "two windows whose logits lie on very different scales", [[0.0, -6.0], [-1.0, 2.0]], 0
    ),
    _label_case("logits too large for exp in float32", [[100.0, 99.0], [0.0, 5.0]], 1),
]

#: exp() of a float32 logit above this is infinite (and below its negative, 0): a softmax by hand must subtract
#: each row's max first, as torch.softmax does
_EXP_LIMIT = 88.0


def _only_wrong_where(cases: list[Case], answers: list[int]) -> Callable[[Callable], bool]:
    """Whether the cases answered wrong are exactly those with a property (and some are right)."""
    wrong = [a != c.expected for a, c in zip(answers, cases)]

    def test(has: Callable[[Case], bool]) -> bool:
        marked = [has(c) for c in cases]
        return any(wrong) and not all(wrong) and wrong == marked

    return test


def _partial_rule(cases: list[Case], answers: list[int]) -> None:
    """A function right on every case but those of one kind: that kind is the evidence of its mistake."""
    only = _only_wrong_where(cases, answers)
    description = next(c.description for a, c in zip(answers, cases) if a != c.expected)
    if only(lambda c: float(c.args[0].abs().max()) > _EXP_LIMIT):
        raise Mistake(
            f"On {description}: `document_label` gives a wrong label, and only where the logits are large.",
            id="exp_overflow",
            expected="the label with the highest mean probability over the windows",
            found="wrong labels only where a logit is beyond ±88",
            cause="`exp()` of such a logit is infinite (or 0) in float32, and inf / inf is NaN: a softmax by hand "
            "must subtract each row's max first; `torch.softmax` does",
            hint="`torch.softmax(window_logits, dim=-1)`",
        )
    if only(lambda c: c.args[0].shape[0] == 1):
        raise Mistake(
            f"On {description}: `document_label` is wrong only when there is a single window.",
            id="single_window",
            expected="the label with the highest mean probability over the windows",
            found="wrong labels only for a batch of one window",
            cause="something drops the windows dimension when it has size 1 (`.squeeze()`): then `dim=0` is the "
            "labels, and the mean runs over them",
            hint="keep the shape (windows, labels): no `.squeeze()`",
        )
    if only(lambda c: c.args[0].shape[-1] > 2):
        raise Mistake(
            f"On {description}: `document_label` is wrong only when there are more than two labels.",
            id="two_labels_assumed",
            expected="the label with the highest mean probability over the windows",
            found="wrong labels only where there are three labels",
            cause="the function treats the labels as two (a threshold, or label 1 against the rest): take the "
            "argmax over all of them",
        )


def _returned_label(result: Any, labels: int) -> int:
    """The function's result where the task asks for a label id as a Python int."""
    if result is None:
        raise gates.returned_none("document_label", "a label id (an int)")
    if isinstance(result, str):
        raise Mistake(
            "`document_label` returned text.",
            id="label_text",
            expected="the label id, an int (0 or 1 here)",
            found=compare.describe(result),
            cause="return the id; `model.config.id2label[...]` turns it into a name",
        )
    if isinstance(result, torch.Tensor) or hasattr(result, "shape"):
        tensor = compare.to_tensor(result, "the returned label")
        kind = "tensor" if isinstance(result, torch.Tensor) else f"NumPy {type(result).__name__}"
        if tensor.numel() != 1:
            raise Mistake(
                "`document_label` returned several values.",
                id="several_values",
                expected="one label id for the whole document",
                found=compare.describe(tensor),
                cause="one argmax per window is not one label: combine the windows first",
            )
        if tensor.is_floating_point():
            raise Mistake(
                "`document_label` returned a float.",
                id="label_float",
                expected="a label id (an int)",
                found=compare.describe(tensor),
                cause="that looks like a probability or logit, not the index of the best label (argmax)",
            )
        raise Mistake(
            f"`document_label` returned a {kind}, not an int.",
            id="label_not_int",
            expected="a label id as a Python int",
            found=f"{compare.describe(result)}, holding {int(tensor.reshape(()))}",
            cause="`.argmax()` returns a tensor, and `model.config.id2label[...]` does not find a tensor "
            "among its int keys (a KeyError)",
            hint="`return int(probabilities.mean(dim=0).argmax())`",
        )
    if isinstance(result, float) or isinstance(result, bool) or not isinstance(result, int):
        raise Mistake(
            "`document_label` did not return an int.",
            id="label_not_a_number",
            expected="a label id (an int)",
            found=compare.describe(result),
            cause="a float is not a label id" if isinstance(result, float) else "",
            hint="return `int(...argmax())`",
        )
    if not 0 <= result < labels:
        raise Mistake(
            f"`document_label` returned {result}.",
            id="label_out_of_range",
            expected=f"a label id from 0 to {labels - 1}",
            found=str(result),
            cause="there are only as many labels as columns: an index along the windows (`dim=0`) or the "
            "number of windows is not a label"
            if result >= labels
            else "",
        )
    return result


def _label_or_index(result: Any, labels: int) -> int:
    """The returned int, even beyond the labels: a rule that picks a window (`dim=1`) gives window indices."""
    try:
        return _returned_label(result, labels)
    except Mistake as mistake:
        if mistake.id == "label_out_of_range" and result >= 0:
            return result
        raise


def _combination_rule(cases: list[Case], runs: list[Run]) -> None:
    """When every answer is a valid label and one wrong rule explains all of them, name that rule."""
    try:
        answers = [
            _label_or_index(run.result, case.args[0].shape[-1])
            if run.error is None and not run.timed_out
            else None
            for case, run in zip(cases, runs)
        ]
    except Mistake:
        return
    if None in answers or all(a == c.expected for a, c in zip(answers, cases)):
        return
    _partial_rule(cases, answers)
    description, found = next((c.description, a) for a, c in zip(answers, cases) if a != c.expected)
    for rule, (combine, cause) in WRONG_RULES.items():
        if all(combine(case.args[0]) == answer for case, answer in zip(cases, answers)):
            raise Mistake(
                f"On {description}: `document_label` combines the windows by {rule}.",
                id="wrong_combination",
                expected="the label with the highest mean probability over the windows",
                found=f"label {found}, what {rule} gives",
                cause=cause,
            )


@function_exercise(
    "One label for the document",
    cases=LABEL_CASES,
    across=_combination_rule,
    hints=(
        "Probabilities first: `torch.softmax(window_logits, dim=-1)` (over the labels).",
        "Then average over the windows (`.mean(dim=0)`) and take the argmax; return it as an `int`.",
    ),
)
def document_label(result, case: Case) -> None:
    """`document_label(window_logits)` returns, as an int, the label id with the highest mean probability over the
    windows."""
    found = _returned_label(result, case.args[0].shape[-1])
    if found != case.expected:
        # no cause from one case: a rule that gives this label here may not be the learner's (the rules are
        # named from every case together, in _combination_rule)
        raise Mistake(
            f"`document_label` returned label {found}.",
            id="wrong_label",
            expected="the label with the highest mean probability over the windows",
            found=f"label {found}",
            hint="softmax each window's logits over the labels (`dim=-1`), average over the windows "
            "(`dim=0`), then take the argmax",
        )


# --- labels_by_document: one label per document, from the windows of one call --------------------------------------


def _mapped_case(description: str, rows: list[list[float]], owner: list[int]) -> Case:
    """A case of ``labels_by_document``: window logits and the window -> document mapping (a tensor, as
    ``return_tensors="pt"`` gives it); the answer: per document, the argmax of its windows' mean probabilities."""
    logits, mapping = torch.tensor(rows), torch.tensor(owner)
    probabilities = torch.softmax(logits, dim=-1)
    labels = [
        int(probabilities[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()) + 1)
    ]
    return Case(description, (logits, mapping), labels)


MAPPED_CASES = [
    _mapped_case(
        "two documents: three windows, then one",
        [[-1.0, 1.0], [4.0, -4.0], [-1.0, 1.0], [0.5, -0.5]],
        [0, 0, 0, 1],
    ),
    _mapped_case(
        "three documents of two windows, one very confident window in the first",
        [[4.0, -4.0], [-1.0, 1.0], [-0.2, 0.2], [-0.3, 0.3], [1.0, -1.0], [0.5, -0.5]],
        [0, 0, 1, 1, 2, 2],
    ),
    _mapped_case("one document of two windows", [[0.2, -0.2], [-0.6, 0.6]], [0, 0]),
    _mapped_case(
        "one document of three windows: two mildly for one label, the last sure of the other",
        [[0.3, -0.3], [0.2, -0.2], [-3.0, 3.0]],
        [0, 0, 0],
    ),
    _mapped_case(
        "three documents with one, three and two windows",
        [[-1.0, 1.0], [3.0, -3.0], [-1.5, 1.5], [-1.5, 1.5], [0.4, -0.4], [0.1, -0.1]],
        [0, 1, 1, 1, 2, 2],
    ),
]


def _labels_of(result: Any, documents: int) -> list[int]:
    if result is None:
        raise gates.returned_none("labels_by_document", "a list of label ids, one per document")
    if isinstance(result, torch.Tensor):
        raise Mistake(
            "`labels_by_document` returned a tensor, not a list.",
            id="labels_tensor",
            expected=f"a list of {documents} ints, one label id per document",
            found=compare.describe(result),
            hint="`.tolist()`, or `[int(...) for ...]`",
        )
    if not isinstance(result, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in result
    ):
        raise Mistake(
            "`labels_by_document` did not return a list of ints.",
            id="labels_not_ints",
            expected=f"a list of {documents} ints",
            found=compare.describe(result),
            hint="`int(...)` of each document's argmax",
        )
    return result


def _documents(mapping: torch.Tensor) -> range:
    return range(int(mapping.max()) + 1)


def _per_document(rows: torch.Tensor, mapping: torch.Tensor, pick: Callable) -> list[int]:
    return [int(pick(rows[mapping == d])) for d in _documents(mapping)]


def _even_split(logits: torch.Tensor, mapping: torch.Tensor) -> list[int]:
    """The labels of the windows cut into runs of (nearly) equal length, one per document, in order
    (`chunk`; a reshape gives the same where it does not raise)."""
    parts = torch.softmax(logits, dim=-1).chunk(len(_documents(mapping)))
    return [int(part.mean(dim=0).argmax()) for part in parts]


def _votes(logits: torch.Tensor, mapping: torch.Tensor) -> list[set[int]]:
    """Per document, the labels that most of its windows vote for (a tie keeps all of them)."""
    found = []
    for d in _documents(mapping):
        counts = torch.bincount(logits[mapping == d].argmax(dim=-1), minlength=logits.shape[-1])
        found.append({int(i) for i in torch.nonzero(counts == counts.max()).flatten()})
    return found


#: Wrong ways to get one label per document: what each computes from (logits, mapping), its mistake id, what it is,
#: and why it is wrong. Named only when the rule explains the answers of every case (`_grouping_rule`): one case
#: alone is often explained by two rules.
WRONG_GROUPINGS: dict[str, tuple[Callable, str, str]] = {
    "label_mean_logits": (
        lambda lg, m: _per_document(lg, m, lambda rows: rows.mean(dim=0).argmax()),
        "the labels of each document's mean of the logits",
        "averaging logits lets one confident window outweigh the rest: softmax first, then the mean",
    ),
    "label_first_window": (
        lambda lg, m: _per_document(lg, m, lambda rows: rows[0].argmax()),
        "the labels of each document's first window only",
        "every window of a document should count",
    ),
    "label_last_window": (
        lambda lg, m: _per_document(lg, m, lambda rows: rows[-1].argmax()),
        "the labels of each document's last window only",
        "every window of a document should count (a dict written window by window keeps only the last one)",
    ),
    "label_majority_vote": (
        _votes,
        "the labels of a vote of each document's windows (the label most windows' argmax gives)",
        "a vote counts each window's argmax and drops how sure it is: average the probabilities instead",
    ),
    "label_softmax_over_windows": (
        lambda lg, m: _per_document(
            torch.softmax(lg, dim=0), m, lambda rows: rows.mean(dim=0).argmax()
        ),
        "the labels of a softmax over the windows (`dim=0`), not over the labels",
        "`window_logits` is (windows, labels): the softmax over the labels is `dim=-1`",
    ),
    "label_even_split": (
        _even_split,
        "the labels of the windows split evenly between the documents",
        "documents have different numbers of windows: group by `overflow_to_sample_mapping`, not by position",
    ),
    "last_document_missing": (
        lambda lg, m: [
            int(torch.softmax(lg, dim=-1)[m == d].mean(dim=0).argmax()) for d in range(int(m.max()))
        ],
        "the labels of every document but the last",
        "the documents are numbered 0 to `mapping.max()`: `range(int(mapping.max()) + 1)`",
    ),
    "one_label_for_all": (
        lambda lg, m: [int(torch.softmax(lg, dim=-1).mean(dim=0).argmax())],
        "one label for all the documents (the mean over every window)",
        "the mean ran over every window of the batch: group them by `overflow_to_sample_mapping`",
    ),
}


#: The notebook's names for its own windows (section 7's cell before the exercise), not the function's arguments.
NOTEBOOK_NAMES = ("long_reviews", "window_of", "owner")


def _follows(rule: Callable, case: Case, answer: list[int]) -> bool:
    labels = rule(*case.args)
    if labels is None or len(labels) != len(answer):
        return False
    return all(a in want if isinstance(want, set) else a == want for a, want in zip(answer, labels))


def _grouping_rule(cases: list[Case], runs: list[Run]) -> None:
    """When every run returned a list of ints and exactly one wrong rule explains all of them, name that rule;
    before that, an error raised on a line that reads the notebook's own windows instead of the arguments."""
    for case, run in zip(cases, runs):
        line = (run.error.line or "") if run.error else ""
        used = [name for name in NOTEBOOK_NAMES if re.search(rf"\b{name}\b", line)]
        if set(used) & {"long_reviews", "window_of"}:  # `owner` alone may be the learner's own name
            raise Mistake(
                f"`labels_by_document` raised {run.error.sentence()} on {case.description}.",
                id="notebook_variables",
                expected="a function of its two arguments alone",
                found=f"your {line}",
                cause=f"{' and '.join(f'`{n}`' for n in used)}: the notebook's own windows (its long reviews), "
                "not this call's; the check passes other windows as `window_logits` and "
                "`overflow_to_sample_mapping`",
                hint="count the documents from the argument: `int(overflow_to_sample_mapping.max()) + 1`",
            )
    answers = [run.result for run in runs]
    if any(run.error is not None or run.timed_out or run.mutated for run in runs) or not all(
        isinstance(a, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in a)
        for a in answers
    ):
        return
    if all(a == c.expected for a, c in zip(answers, cases)):
        return
    explaining = [
        mistake_id
        for mistake_id, (rule, _, _) in WRONG_GROUPINGS.items()
        if all(_follows(rule, case, answer) for case, answer in zip(cases, answers))
    ]
    if len(explaining) != 1:
        return
    mistake_id = explaining[0]
    _, what, why = WRONG_GROUPINGS[mistake_id]
    description, found = next((c.description, a) for a, c in zip(answers, cases) if a != c.expected)
    raise Mistake(
        f"On {description}: `labels_by_document` returned {what}.",
        id=mistake_id,
        expected="per document, the label with the highest mean probability over its windows",
        found=f"{found}; on every case, {what}",
        cause=why,
    )


@function_exercise(
    "Windows over many documents: one label each",
    cases=MAPPED_CASES,
    across=_grouping_rule,
    hints=(
        "Probabilities first, `torch.softmax(window_logits, dim=-1)`; the windows of document d are the rows where "
        "`overflow_to_sample_mapping == d`.",
        "`[int(probabilities[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()) + 1)]`",
    ),
)
def labels_by_document(result, case: Case) -> None:
    """`labels_by_document(window_logits, overflow_to_sample_mapping)` returns a list with one int per document
    (in the documents' order): the label with the highest mean probability over that document's windows.

    One case says what is wrong, not why: a wrong rule is named from every case together (`_grouping_rule`)."""
    logits, mapping = case.args
    expected = case.expected
    found = _labels_of(result, len(expected))
    if found == expected:
        return
    windows = logits.shape[0]
    if len(found) == windows and windows != len(expected):
        repeated = sorted(found) == sorted(
            expected[int(d)] for d in mapping
        )  # a set's order is arbitrary
        raise Mistake(
            f"`labels_by_document` returned {len(found)} labels: one per window.",
            id="label_per_window",
            expected=f"{len(expected)} labels, one per document",
            found=f"{len(found)} labels"
            + (": each window's is its document's label, once per window" if repeated else ""),
            cause="the loop ran once per window, not once per document: iterating over the mapping (or over "
            "`set(mapping)`, which keeps every 0-d tensor: tensors hash by identity) gives one document id per "
            "window"
            if repeated
            else "the windows were not grouped by `overflow_to_sample_mapping`: each document's windows make "
            "one label",
            hint="loop over the documents: `range(int(mapping.max()) + 1)` (or `mapping.unique().tolist()`)",
        )
    if len(found) != len(expected):
        raise Mistake(
            f"`labels_by_document` returned {len(found)} labels for {len(expected)} documents.",
            id="label_count",
            expected=f"{len(expected)} labels, one per document (numbered 0 to `mapping.max()`)",
            found=f"{len(found)} labels: {found}",
        )
    document = next(d for d, (a, b) in enumerate(zip(found, expected)) if a != b)
    raise Mistake(
        f"Document {document}'s label is {found[document]}.",
        id="document_label_wrong",
        expected=f"{expected[document]}: the highest mean probability over its windows",
        found=str(found[document]),
    )

"""Section 7, notebook ``07_longer_sequences.ipynb``: truncation in tokens, and long documents in windows.

Four exercises: ``truncated_ids`` (the tokenizer truncates a long review to 32 tokens),
``truncate_ids`` (a function that truncates ids by hand and keeps [CLS] and [SEP]),
``windows`` (a sliding-window batch of the whole review) and ``document_label`` (one label
from the windows' logits: the mean of the windows' probabilities).
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import torch

from .. import compare, diagnose
from ..data import read_examples
from ..exercise import function_exercise, value_exercise
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
        raise Mistake(f"`{name}` is empty.", expected="a list of token ids", found="an empty list")
    ids = compare.integer_ids(value, name)
    if ids.dim() == 2 and ids.shape[0] == 1:
        ids = ids[0]
    if ids.dim() != 1:
        raise Mistake(f"`{name}` has shape {tuple(ids.shape)}.", expected="one sequence of ids (a list, or a batch of one)",
                      found=compare.describe(ids))
    return ids.tolist()


def _tokens(tokenizer, ids: list[int]) -> str:
    """The tokens of ``ids`` for a message; ids outside the vocabulary are shown as numbers."""
    names = []
    for i in ids:
        try:
            token = tokenizer.convert_ids_to_tokens(int(i)) if 0 <= int(i) < len(tokenizer) else None
        except Exception:  # a learner's id that no tokenizer can name
            token = None
        names.append(str(token) if token is not None else f"id {i}")
    return " ".join(names)


# --- truncated_ids ---------------------------------------------------------------------------

@value_exercise(
    "Truncate to 32 tokens",
    hints=("Let the tokenizer do it: it counts tokens and keeps room for [SEP].",
           "`tokenizer(document, truncation=True, max_length=32)` returns a dict; you want its `'input_ids'`."),
)
def truncated_ids(truncated_ids) -> None:
    """`truncated_ids` are the ids of `document` truncated by the tokenizer to 32 tokens, [CLS] and [SEP] included."""
    tok, text, n = _shared.tokenizer(), long_review(), TRUNCATE_TO
    found = _as_id_list(truncated_ids, "truncated_ids")
    expected = tok(text, truncation=True, max_length=n)["input_ids"]
    if found == expected:
        return
    full = tok(text)["input_ids"]
    by_characters = tok(text[:n])["input_ids"]
    if found == by_characters:
        raise Mistake("`truncated_ids` comes from the first 32 characters of the text, not its first 32 tokens: "
                      "you truncated characters instead of tokens.",
                      expected=f"{n} tokens", found=f"{len(found)} tokens (from `document[:{n}]`)",
                      cause="slicing a string counts characters; the model's limit counts tokens, "
                            "and a token is usually several characters long",
                      hint=f"let the tokenizer cut: `tokenizer(document, truncation=True, max_length={n})`")
    if found == full[:n]:
        raise Mistake("`truncated_ids` ends without [SEP]: you truncated the ids by hand and lost [SEP].",
                      expected=f"{n} ids ending with {tok.sep_token_id} ([SEP])",
                      found=f"{n} ids ending with {found[-1]} ({_tokens(tok, found[-1:])})",
                      cause="`ids[:max_length]` cuts off the end of the sequence, and [SEP] is at the end",
                      hint=f"pass `truncation=True, max_length={n}` to the tokenizer: it keeps room for [SEP]")
    if found == full:
        raise Mistake("`truncated_ids` is not truncated.", expected=f"{n} ids", found=f"all {len(found)} ids of the review",
                      cause="the tokenizer only truncates when asked to",
                      hint=f"pass `truncation=True, max_length={n}`")
    specials = {tok.cls_token_id, tok.sep_token_id}
    if found and not specials & set(found):
        raise Mistake("`truncated_ids` has no [CLS] and [SEP] tokens: the special tokens are missing.",
                      expected=f"{n} ids from {tok.cls_token_id} ([CLS]) to {tok.sep_token_id} ([SEP])",
                      found=f"{len(found)} ids starting with {_tokens(tok, found[:1])}",
                      cause="`tokenize()` + `convert_tokens_to_ids()`, or `add_special_tokens=False`, leave them out",
                      hint=f"call the tokenizer itself: `tokenizer(document, truncation=True, max_length={n})['input_ids']`")
    if len(found) != n:
        same_cut = 2 <= len(found) < len(full) and found == tok(text, truncation=True, max_length=len(found))["input_ids"]
        raise Mistake(f"`truncated_ids` has the wrong length: {len(found)} ids.",
                      expected=f"{n} ids, [CLS] and [SEP] included", found=f"{len(found)} ids",
                      cause=(f"this is the review truncated to {len(found)} tokens: check `max_length`" if same_cut else
                             "`max_length` counts every id the model sees, the special tokens too"),
                      hint=f"`tokenizer(document, truncation=True, max_length={n})['input_ids']`")
    position = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
    raise Mistake(f"`truncated_ids` differs from the tokenizer's truncation at position {position}.",
                  expected=f"token {_tokens(tok, [expected[position]])}", found=f"token {_tokens(tok, [found[position]])}",
                  cause="tokenize `document` itself (the longest review), unchanged")


# --- truncate_ids ----------------------------------------------------------------------------

def _returned_ids(result: Any, name: str) -> list[int]:
    if result is None:
        raise Mistake(f"`{name}` returned None.", expected="a list of ids", found="None",
                      cause="the function has no `return` (or prints its result instead of returning it)")
    if isinstance(result, (list, tuple)):
        odd = [i for i in result if isinstance(i, bool) or not isinstance(i, numbers.Integral)]
        if odd:
            raise Mistake(f"`{name}` returned a list that holds {type(odd[0]).__name__} values.",
                          expected="a list of int ids", found=compare.describe(result),
                          cause="keep the ids as they are: ints from the list you were given")
    return _as_id_list(result, "the returned ids")


#: "[CLS] the film was great , but the story was far too long . [SEP]", "[CLS] so have i ! [SEP]" and a
#: pair of sentences, as the course tokenizer gives them (any lists of ids would do: the function only cuts).
_LONG = [101, 1996, 2143, 2001, 2307, 1010, 2021, 1996, 2466, 2001, 2521, 2205, 2146, 1012, 102]
_SHORT = [101, 2061, 2031, 1045, 999, 102]
_PAIR = [101, 1996, 2282, 2001, 2235, 1012, 102, 1996, 3193, 2081, 2039, 2005, 2009, 1012, 102]

TRUNCATE_CASES = [
    Case("a 15-id sentence, max_length=10", (_LONG, 10), _LONG[:9] + [102]),
    Case("a 15-id sentence, max_length=3", (_LONG, 3), [101, 1996, 102]),
    Case("a 15-id sentence, max_length=2", (_LONG, 2), [101, 102]),
    Case("a 6-id sentence, max_length=8 (it already fits)", (_SHORT, 8), _SHORT),
    Case("a 6-id sentence, max_length=6 (exactly fits)", (_SHORT, 6), _SHORT),
    Case("a 6-id sentence, max_length=5", (_SHORT, 5), [101, 2061, 2031, 1045, 102]),
    Case("a pair of sentences (a [SEP] inside), max_length=7", (_PAIR, 7), _PAIR[:6] + [102]),
    Case("max_length=1", (_SHORT, 1), raises=ValueError),
    Case("max_length=0", (_SHORT, 0), raises=ValueError),
]


@function_exercise(
    "Truncate ids by hand, keeping [CLS] and [SEP]",
    cases=TRUNCATE_CASES,
    hints=("Three cases: max_length < 2 (raise ValueError), ids that already fit (return them), and the rest.",
           "For the rest: the first `max_length - 1` ids, then the last id.",
           "`return ids[:max_length - 1] + [ids[-1]]` (after the two checks)."),
    mutation=("`del ids[...]`, `ids.pop()` or slice assignment modify the caller's list",
              "build and return a new list: `ids[:max_length - 1] + [ids[-1]]`"),
)
def truncate_ids(result, case: Case) -> None:
    """`truncate_ids(ids, max_length)` returns at most max_length ids, first and last kept, input unchanged;
    ValueError for max_length < 2."""
    tok = _shared.tokenizer()
    ids, max_length = case.args
    found, expected = _returned_ids(result, "truncate_ids"), case.expected
    if found == expected:
        return
    if len(ids) <= max_length:
        raise Mistake("a sequence that already fits was changed.", expected=f"the same {len(ids)} ids, unchanged",
                      found=f"{len(found)} ids", cause="only sequences longer than max_length need cutting")
    if found == ids[:max_length]:
        raise Mistake("the result ends without [SEP]: you truncated the ids and lost [SEP].",
                      expected=f"{max_length} ids ending with {_tokens(tok, [ids[-1]])}",
                      found=f"ids ending with {_tokens(tok, found[-1:])}",
                      cause="`ids[:max_length]` cuts off the end, and [SEP] is the last id",
                      hint="keep `max_length - 1` ids from the start, then add the last id back")
    if len(found) > max_length:
        raise Mistake(f"the result is too long: {len(found)} ids.", expected=f"at most {max_length} ids",
                      found=f"{len(found)} ids", cause="[CLS] and [SEP] count towards max_length too")
    if len(found) < max_length:
        raise Mistake(f"the result is too short: {len(found)} ids.", expected=f"exactly {max_length} ids",
                      found=f"{len(found)} ids",
                      cause="an off-by-one in a slice: `ids[:k]` keeps k ids (positions 0 to k-1)")
    if not found or found[0] != ids[0]:
        raise Mistake("the result does not start with [CLS].", expected=f"first id {_tokens(tok, ids[:1])}",
                      found=f"first id {_tokens(tok, found[:1])}", cause="the model was trained with [CLS] first")
    if found[-1] != ids[-1]:
        raise Mistake("the result does not end with [SEP].", expected=f"last id {_tokens(tok, ids[-1:])}",
                      found=f"last id {_tokens(tok, found[-1:])}", cause="the model was trained with [SEP] last")
    if found == [ids[0]] + ids[-(max_length - 1):]:
        raise Mistake("the result keeps the end of the text instead of its beginning.",
                      expected="the first tokens of the text, between [CLS] and [SEP]",
                      found="the last tokens of the text",
                      cause="this tokenizer truncates on the right (`tokenizer.truncation_side == 'right'`)")
    raise Mistake("the tokens between [CLS] and [SEP] are not the first ones of the text.",
                  expected=f"`ids[1:{max_length - 1}]` between [CLS] and [SEP]", found=_tokens(tok, found))


# --- windows ---------------------------------------------------------------------------------

def expected_windows(tokenizer=None):
    """The tokenizer's own sliding windows of the long review (max_length 64, stride 16)."""
    tok = tokenizer or _shared.tokenizer()
    return tok(long_review(), truncation=True, max_length=WINDOW_LENGTH, stride=WINDOW_STRIDE,
               return_overflowing_tokens=True, padding=True, return_tensors="pt")


def _content(row: list[int], tok) -> list[int]:
    special = {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id}
    return [t for t in row if t not in special]


def _overlap(first: list[int], second: list[int]) -> int:
    """How many tokens at the end of ``first`` start ``second``."""
    for k in range(min(len(first), len(second)), 0, -1):
        if first[-k:] == second[:k]:
            return k
    return 0


@value_exercise(
    "A sliding-window batch",
    hints=("One call to the tokenizer does it: truncation, max_length, stride, return_overflowing_tokens, padding, "
           "return_tensors.",
           "`stride` is the overlap between consecutive windows, in tokens.",
           "`tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, "
           "padding=True, return_tensors='pt')`"),
)
def windows(windows) -> None:
    """`windows` is the tokenizer's output for `document` in windows of 64 tokens that overlap by 16, as one
    padded batch with its attention mask."""
    tok = _shared.tokenizer()
    expected = expected_windows(tok)
    if isinstance(windows, (torch.Tensor, list, tuple)) or hasattr(windows, "shape"):
        raise Mistake("`windows` is a single tensor or list, not the tokenizer's output.",
                      expected="the whole output of `tokenizer(...)`, with `input_ids` and `attention_mask`",
                      found=compare.describe(windows), cause="keep everything the tokenizer returns: the model needs the mask too")
    if not hasattr(windows, "keys") or "input_ids" not in windows:
        raise Mistake("`windows` has no `input_ids`.", expected="the output of `tokenizer(document, ...)`",
                      found=compare.describe(windows))
    ids = compare.integer_ids(windows["input_ids"], "windows['input_ids']")
    if ids.dim() != 2:
        raise Mistake(f"`windows['input_ids']` has {ids.dim()} dimension(s).", expected="a 2-D batch: (windows, tokens)",
                      found=compare.describe(ids), cause="pass `return_tensors='pt'` and `return_overflowing_tokens=True`")
    want = expected["input_ids"]
    rows = [_content(r, tok) for r in ids.tolist()]
    overlaps = [_overlap(a, b) for a, b in zip(rows, rows[1:])]
    if ids.shape[0] == 1:
        raise Mistake("`windows` holds one window: the rest of the review was dropped.",
                      expected=f"{want.shape[0]} windows", found="1 window",
                      cause="without `return_overflowing_tokens=True` the tokenizer truncates and throws the overflow away",
                      hint="add `return_overflowing_tokens=True` (and `stride=16`)")
    if ids.shape[1] > WINDOW_LENGTH:
        raise Mistake(f"The windows are {ids.shape[1]} tokens long.", expected=f"at most max_length = {WINDOW_LENGTH} tokens",
                      found=f"shape {tuple(ids.shape)}", cause="`max_length` sets the length of every window, special tokens included")
    starts_ok = all(r[:1] == [tok.cls_token_id] for r in ids.tolist())
    if not starts_ok or any(tok.sep_token_id not in r for r in ids.tolist()):
        raise Mistake("Some windows lack [CLS] or [SEP].", expected="every window framed by [CLS] ... [SEP]",
                      found="a window without them",
                      cause="windows cut by hand from one list of ids lose the special tokens; the tokenizer adds them to each window")
    if overlaps and set(overlaps) != {WINDOW_STRIDE}:
        found_overlap = max(set(overlaps), key=overlaps.count)
        step = WINDOW_LENGTH - 2 - WINDOW_STRIDE
        cause = (f"`stride` is the number of tokens that consecutive windows share, not how far each window moves on "
                 f"(here they should share {WINDOW_STRIDE} tokens and move on by {step})" if found_overlap == step or found_overlap > WINDOW_STRIDE else
                 "set `stride=16`: the tokenizer repeats that many tokens at the start of the next window")
        raise Mistake(f"Consecutive windows overlap by {found_overlap} tokens.", expected=f"an overlap of stride = {WINDOW_STRIDE} tokens",
                      found=f"an overlap of {found_overlap} tokens, {ids.shape[0]} windows", cause=cause)
    if ids.shape[0] != want.shape[0]:
        raise Mistake(f"`windows` holds {ids.shape[0]} windows.", expected=f"{want.shape[0]} windows of at most {WINDOW_LENGTH} tokens",
                      found=f"shape {tuple(ids.shape)}", cause=f"use `max_length={WINDOW_LENGTH}, stride={WINDOW_STRIDE}` on the whole `document`")
    diagnose.token_ids(ids, want, tok, name="windows['input_ids']")
    if "attention_mask" not in windows:
        raise Mistake("`windows` has no `attention_mask`.", expected="the mask the tokenizer returns with the ids",
                      cause="`return_attention_mask=False`, or only the ids were kept",
                      hint="the last window is padded: the model needs the mask to ignore the padding")
    diagnose.attention_mask(windows["attention_mask"], expected["attention_mask"], name="windows['attention_mask']")


# --- document_label --------------------------------------------------------------------------

#: Other ways to combine windows, named when a learner's function behaves like one of them on every case.
WRONG_RULES: dict[str, tuple[Callable[[torch.Tensor], int], str]] = {
    "the mean of the logits": (lambda z: int(z.mean(dim=0).argmax()),
                               "averaging logits lets one very confident window outweigh the rest; "
                               "the exercise asks for the mean of the probabilities (softmax first)"),
    "a majority vote of the windows' labels": (lambda z: int(torch.bincount(z.argmax(dim=-1), minlength=z.shape[-1]).argmax()),
                                              "a vote throws away how sure each window is; average the probabilities"),
    "the first window only": (lambda z: int(z[0].argmax()),
                              "that is what plain truncation gives; every window should count"),
    "the most confident window": (lambda z: int(torch.softmax(z, -1).max(dim=0).values.argmax()),
                                  "the maximum lets one window decide; average over the windows instead"),
    "a softmax over the windows instead of the labels": (lambda z: int(torch.softmax(z, 0).mean(dim=0).argmax()),
                                                         "`softmax(dim=0)` normalises across windows; probabilities are over labels: `dim=-1`"),
}


def _label_case(description: str, rows: list[list[float]], label: int) -> Case:
    return Case(description, (torch.tensor(rows),), label)


LABEL_CASES = [
    _label_case("one window", [[0.3, -0.2]], 0),
    _label_case("three windows that agree", [[-1.0, 2.0], [-0.5, 1.5], [0.2, 0.9]], 1),
    _label_case("one very confident window against two mild ones", [[4.0, -4.0], [-1.0, 1.0], [-1.0, 1.0]], 1),
    _label_case("two unsure windows against one confident one", [[-0.1, 0.1], [-0.1, 0.1], [3.0, -3.0]], 0),
    _label_case("a confident first window against three others",
                [[5.0, -5.0], [-2.0, 2.0], [-2.0, 2.0], [-2.0, 2.0]], 1),
    _label_case("three labels, four windows", [[2.0, 0.0, 1.8], [0.0, 0.3, 1.2], [0.1, 0.2, 1.0], [1.5, 0.0, 0.1]], 2),
]


def _returned_label(result: Any, labels: int) -> int:
    if result is None:
        raise Mistake("`document_label` returned None.", expected="a label id (an int)", found="None",
                      cause="the function has no `return` (or prints its result instead of returning it)")
    if isinstance(result, str):
        raise Mistake("`document_label` returned text.", expected="the label id, an int (0 or 1 here)",
                      found=compare.describe(result), cause="return the id; `model.config.id2label[...]` turns it into a name")
    if isinstance(result, torch.Tensor) or hasattr(result, "shape"):
        tensor = compare.to_tensor(result, "the returned label")
        if tensor.numel() != 1:
            raise Mistake("`document_label` returned several values.", expected="one label id for the whole document",
                          found=compare.describe(tensor), cause="one argmax per window is not one label: combine the windows first")
        if tensor.is_floating_point():
            raise Mistake("`document_label` returned a float.", expected="a label id (an int)", found=compare.describe(tensor),
                          cause="that looks like a probability or logit, not the index of the best label (argmax)")
        result = int(tensor.reshape(()))
    if isinstance(result, float) or isinstance(result, bool) or not isinstance(result, int):
        raise Mistake("`document_label` did not return an int.", expected="a label id (an int)", found=compare.describe(result),
                      cause="return `int(...argmax())`")
    if not 0 <= result < labels:
        raise Mistake(f"`document_label` returned {result}.", expected=f"a label id from 0 to {labels - 1}", found=str(result),
                      cause="that is not a label: did you take the argmax over the windows?")
    return result


def _combination_rule(cases: list[Case], runs: list[Run]) -> None:
    """When every answer is a valid label and one wrong rule explains all of them, name that rule."""
    try:
        answers = [_returned_label(run.result, case.args[0].shape[-1]) if run.error is None and not run.timed_out
                   else None for case, run in zip(cases, runs)]
    except Mistake:
        return
    if None in answers or all(a == c.expected for a, c in zip(answers, cases)):
        return
    description, found = next((c.description, a) for a, c in zip(answers, cases) if a != c.expected)
    for rule, (combine, cause) in WRONG_RULES.items():
        if all(combine(case.args[0]) == answer for case, answer in zip(cases, answers)):
            raise Mistake(f"On {description}: `document_label` combines the windows by {rule}.",
                          expected="the label with the highest mean probability over the windows",
                          found=f"label {found}, what {rule} gives", cause=cause)


@function_exercise(
    "One label for the document",
    cases=LABEL_CASES,
    across=_combination_rule,
    hints=("Probabilities first: `torch.softmax(window_logits, dim=-1)` (over the labels).",
           "Then average over the windows (`.mean(dim=0)`) and take the argmax; return it as an `int`."),
)
def document_label(result, case: Case) -> None:
    """`document_label(window_logits)` returns the label id with the highest mean probability over the windows."""
    found = _returned_label(result, case.args[0].shape[-1])
    if found != case.expected:
        raise Mistake(f"`document_label` returned label {found}.",
                      expected="the label with the highest mean probability over the windows", found=f"label {found}",
                      cause="softmax each window's logits over the labels (`dim=-1`), average over the windows "
                            "(`dim=0`), then argmax")

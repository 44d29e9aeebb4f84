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

from .. import calls, compare, diagnose
from ..data import read_examples
from ..exercise import Exercise, Mistake
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

def _verify_truncated_ids(truncated_ids) -> None:
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

class _Raised:
    """What ``truncate_ids`` did when it raised a ValueError (the documented answer to max_length < 2)."""

    def __init__(self, error: ValueError):
        self.error = error


def _recording_value_errors(function: Callable) -> Callable:
    """``function``, with a ValueError returned as a value (other errors still propagate)."""
    def run(ids, max_length):
        try:
            return function(ids, max_length)
        except ValueError as error:
            return _Raised(error)
    return run


def truncate_reference(ids: list[int], max_length: int) -> list[int]:
    """The answer: at most ``max_length`` ids, the first ([CLS]) and the last ([SEP]) kept."""
    if max_length < 2:
        raise ValueError("max_length must be at least 2 to keep [CLS] and [SEP]")
    if len(ids) <= max_length:
        return list(ids)
    return list(ids[:max_length - 1]) + [ids[-1]]


def _returned_ids(result: Any, name: str) -> list[int]:
    if isinstance(result, _Raised):
        raise Mistake(f"`{name}` raised ValueError ({result.error}).", expected="a list of ids",
                      cause="ValueError is only for max_length < 2, when [CLS] and [SEP] do not both fit")
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


def _expect_truncation(ids: list[int], max_length: int, tok) -> Callable[[Any], None]:
    expected = truncate_reference(ids, max_length)

    def verify(result: Any) -> None:
        found = _returned_ids(result, "truncate_ids")
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
    return verify


def _expect_value_error(max_length: int) -> Callable[[Any], None]:
    def verify(result: Any) -> None:
        if not isinstance(result, _Raised):
            raise Mistake("`truncate_ids` did not raise ValueError.",
                          expected="`raise ValueError(...)`: there is no room for both [CLS] and [SEP]",
                          found=compare.describe(result) if result is not None else "None",
                          cause="below 2 ids, any answer would drop a special token or break the limit",
                          hint="start the function with `if max_length < 2: raise ValueError(...)`")
    return verify


def _truncation_cases(tok) -> list[tuple[str, tuple, Callable[[Any], None]]]:
    long_ids = tok(long_review())["input_ids"]
    short_ids = tok("So have I!")["input_ids"]
    pair_ids = tok("The room was small.", "The view made up for it.")["input_ids"]  # [SEP] inside and at the end
    cases = []
    for ids, max_length, what in [(long_ids, 10, "the long review, max_length=10"),
                                  (long_ids, 3, "the long review, max_length=3"),
                                  (long_ids, 2, "the long review, max_length=2"),
                                  (short_ids, 8, f"a {len(short_ids)}-id sentence, max_length=8 (it already fits)"),
                                  (short_ids, len(short_ids), f"a {len(short_ids)}-id sentence, max_length={len(short_ids)} (exactly fits)"),
                                  (short_ids, len(short_ids) - 1, f"a {len(short_ids)}-id sentence, max_length={len(short_ids) - 1}"),
                                  (pair_ids, 7, "a pair of sentences (a [SEP] inside), max_length=7")]:
        cases.append((what, (list(ids), max_length), _expect_truncation(list(ids), max_length, tok)))
    cases.append(("max_length=1", (list(short_ids), 1), _expect_value_error(1)))
    cases.append(("max_length=0", (list(short_ids), 0), _expect_value_error(0)))
    return cases


def _verify_truncate_ids(truncate_ids) -> None:
    if not callable(truncate_ids):
        raise Mistake("`truncate_ids` is not a function.", expected="a function defined with `def truncate_ids(ids, max_length):`",
                      found=compare.describe(truncate_ids))
    tok = _shared.tokenizer()
    cases = _truncation_cases(tok)
    calls.check_each(cases, _recording_value_errors(truncate_ids), "truncate_ids")
    ids = tok(long_review())["input_ids"]
    given = list(ids)
    calls.call(_recording_value_errors(truncate_ids), given, 5, name="truncate_ids", case="the long review, max_length=5")
    if given != ids:
        raise Mistake("`truncate_ids` changed the list it was given.", expected="the input list left as it was",
                      found=f"the input list now has {len(given)} ids (it had {len(ids)})",
                      cause="`del ids[...]`, `ids.pop()` or slice assignment modify the caller's list",
                      hint="build and return a new list: `ids[:max_length - 1] + [ids[-1]]`")


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


def _verify_windows(windows) -> None:
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

def label_reference(window_logits: torch.Tensor) -> int:
    """The answer: the label with the highest mean probability over the windows."""
    return int(torch.softmax(window_logits.float(), dim=-1).mean(dim=0).argmax())


#: Other ways to combine windows, named when a learner's function behaves like one of them.
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

LABEL_CASES: list[tuple[str, list[list[float]]]] = [
    ("one window", [[0.3, -0.2]]),
    ("three windows that agree", [[-1.0, 2.0], [-0.5, 1.5], [0.2, 0.9]]),
    ("one very confident window against two mild ones", [[4.0, -4.0], [-1.0, 1.0], [-1.0, 1.0]]),
    ("two unsure windows against one confident one", [[-0.1, 0.1], [-0.1, 0.1], [3.0, -3.0]]),
    ("a confident first window against three others", [[5.0, -5.0], [-2.0, 2.0], [-2.0, 2.0], [-2.0, 2.0]]),
    ("three labels, four windows", [[2.0, 0.0, 1.8], [0.0, 0.3, 1.2], [0.1, 0.2, 1.0], [1.5, 0.0, 0.1]]),
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


def _verify_document_label(document_label) -> None:
    if not callable(document_label):
        raise Mistake("`document_label` is not a function.", expected="`def document_label(window_logits):`",
                      found=compare.describe(document_label))
    answers = {}
    for description, rows in LABEL_CASES:
        logits = torch.tensor(rows)
        result = calls.call(document_label, logits.clone(), name="document_label", case=description)
        try:
            answers[description] = _returned_label(result, logits.shape[-1])
        except Mistake as mistake:
            mistake.problem = f"On {description}: {mistake.problem}"
            raise
    wrong = [(d, answers[d]) for d, rows in LABEL_CASES if answers[d] != label_reference(torch.tensor(rows))]
    if not wrong:
        return
    description, found = wrong[0]
    for rule, (combine, cause) in WRONG_RULES.items():
        if all(combine(torch.tensor(rows)) == answers[d] for d, rows in LABEL_CASES):
            raise Mistake(f"On {description}: `document_label` combines the windows by {rule}.",
                          expected="the label with the highest mean probability over the windows",
                          found=f"label {found}, what {rule} gives", cause=cause)
    raise Mistake(f"On {description}: `document_label` returned label {found}.",
                  expected="the label with the highest mean probability over the windows", found=f"label {found}",
                  cause="softmax each window's logits over the labels (`dim=-1`), average over the windows (`dim=0`), then argmax")


# --- the exercises ---------------------------------------------------------------------------

truncated_ids = Exercise(
    name="truncated_ids",
    title="Truncate to 32 tokens",
    checks="`truncated_ids` are the ids of `document` truncated by the tokenizer to 32 tokens, [CLS] and [SEP] included",
    verify=_verify_truncated_ids,
    variables=("truncated_ids",),
    hints=("Let the tokenizer do it: it counts tokens and keeps room for [SEP].",
           "`tokenizer(document, truncation=True, max_length=32)` returns a dict; you want its `'input_ids'`."),
    solution_code="truncated_ids = tokenizer(document, truncation=True, max_length=32)[\"input_ids\"]",
)

truncate_ids = Exercise(
    name="truncate_ids",
    title="Truncate ids by hand, keeping [CLS] and [SEP]",
    checks="`truncate_ids(ids, max_length)` returns at most max_length ids, first and last kept, input unchanged; "
           "ValueError for max_length < 2",
    verify=_verify_truncate_ids,
    variables=("truncate_ids",),
    hints=("Three cases: max_length < 2 (raise ValueError), ids that already fit (return them), and the rest.",
           "For the rest: the first `max_length - 1` ids, then the last id.",
           "`return ids[:max_length - 1] + [ids[-1]]` (after the two checks)."),
    solution_code=("def truncate_ids(ids, max_length):\n"
                   "    if max_length < 2:\n"
                   "        raise ValueError(\"max_length must be at least 2 to keep [CLS] and [SEP]\")\n"
                   "    if len(ids) <= max_length:\n"
                   "        return list(ids)\n"
                   "    return ids[:max_length - 1] + [ids[-1]]"),
)

windows = Exercise(
    name="windows",
    title="A sliding-window batch",
    checks="`windows` is the tokenizer's output for `document` in windows of 64 tokens that overlap by 16, "
           "as one padded batch with its attention mask",
    verify=_verify_windows,
    variables=("windows",),
    hints=("One call to the tokenizer does it: truncation, max_length, stride, return_overflowing_tokens, padding, return_tensors.",
           "`stride` is the overlap between consecutive windows, in tokens.",
           "`tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, "
           "padding=True, return_tensors='pt')`"),
    solution_code=("windows = tokenizer(document, truncation=True, max_length=64, stride=16,\n"
                   "                    return_overflowing_tokens=True, padding=True, return_tensors=\"pt\")"),
)

document_label = Exercise(
    name="document_label",
    title="One label for the document",
    checks="`document_label(window_logits)` returns the label id with the highest mean probability over the windows "
           "(checked on cases the notebook does not show)",
    verify=_verify_document_label,
    variables=("document_label",),
    hints=("Probabilities first: `torch.softmax(window_logits, dim=-1)` (over the labels).",
           "Then average over the windows (`.mean(dim=0)`) and take the argmax; return it as an `int`."),
    solution_code=("def document_label(window_logits):\n"
                   "    probabilities = torch.softmax(window_logits, dim=-1)\n"
                   "    return int(probabilities.mean(dim=0).argmax())"),
)

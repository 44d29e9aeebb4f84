"""Section 8, notebook ``08_putting_it_together.ipynb``: the tokenizer does it all; many texts, fast."""
from __future__ import annotations

import functools
import math
from typing import Any

import torch

from .. import compare, config, diagnose, model_calls, references
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..model import load_model
from ..outcome import Mistake
from ..padding import pad_rows
from . import _shared

# Texts the notebook never shows, for the learner's functions.
UNSEEN_TEXTS = [
    "Terrible.",
    "The soup was cold and the waiter forgot our bread twice.",
    "I expected little from a sequel, yet it surprised me with sharp writing, a patient pace and a finale "
    "that earned every tear.",
    "Fine!",
    "Not worth the ticket price, honestly.",
]
LONG_TEXT = ("The hotel looked nothing like its photos. The carpet was stained, the shower leaked and the night "
             "staff shrugged at every complaint we made. ") * 24  # beyond 512 tokens


# --- batch: the tokenizer's padded, truncated tensors --------------------------------------------

@value_exercise(
    "Tokenize, pad, truncate and return tensors in one call",
    hints=("Call `tokenizer` on the list `sequences` with three arguments: padding, truncation and the tensor type.",
           "`tokenizer(sequences, padding=True, truncation=True, return_tensors=\"pt\")`"),
)
def batch(batch: Any) -> None:
    """`batch` is the tokenizer's output for the two sentences: padded input_ids and their attention_mask, as tensors."""
    tok = load_model().tokenizer
    expected = tok(references.TWO_TEXTS, padding=True, truncation=True, return_tensors="pt")
    if isinstance(batch, torch.Tensor):
        raise Mistake("`batch` is one tensor, not the tokenizer's output.", expected="the whole output of "
                      "`tokenizer(...)`: input_ids and attention_mask together", found=compare.describe(batch),
                      cause="keep everything the tokenizer returns; the model takes it with `model(**batch)`")
    if not hasattr(batch, "keys") or not callable(getattr(batch, "keys", None)):
        raise Mistake("`batch` is not the tokenizer's output.", expected="what `tokenizer(sequences, ...)` returns",
                      found=compare.describe(batch))
    missing = [k for k in ("input_ids", "attention_mask") if k not in batch.keys()]
    if missing:
        raise Mistake(f"`batch` has no {' and no '.join(missing)}.", expected="keys input_ids and attention_mask",
                      found=f"keys {list(batch.keys())[:5]}", cause="call the tokenizer itself on the two sentences")
    ids = batch["input_ids"]
    if not isinstance(ids, torch.Tensor):
        numpy = type(ids).__module__.startswith("numpy")
        raise Mistake(f"`batch['input_ids']` is {'a NumPy array' if numpy else 'a Python list'}, not a PyTorch tensor.",
                      expected="torch tensors", found=compare.describe(ids),
                      cause="`return_tensors='np'` gives NumPy arrays" if numpy else
                      "without `return_tensors` the tokenizer returns lists",
                      hint="add `return_tensors=\"pt\"` (and `padding=True`, so that the rows have one length)")
    if ids.dim() == 2 and ids.shape[1] == tok.model_max_length and expected["input_ids"].shape[1] < ids.shape[1]:
        raise Mistake("`batch` is padded to the model's maximum length.",
                      expected=f"shape {tuple(expected['input_ids'].shape)}: padded to the longest sentence",
                      found=f"shape {tuple(ids.shape)}", cause="`padding='max_length'` pads every row to "
                      f"{tok.model_max_length} tokens: mostly padding, and slow", hint="use `padding=True` (= 'longest')")
    diagnose.token_ids(ids, expected["input_ids"], tok, name="batch['input_ids']")
    diagnose.attention_mask(batch["attention_mask"], expected["attention_mask"], name="batch['attention_mask']")



# --- logits for the two sentences --------------------------------------------------------------------

@value_exercise(
    "Logits for the two sentences",
    hints=("Unpack the whole tokenizer output into the model with `**`, then take `.logits`.",
           "`logits = model(**batch).logits`"),
)
def logits(logits: Any) -> None:
    """`logits` are the model's logits for the padded, masked batch of the two sentences (fp32 tolerance)."""
    _shared.reference_logits(logits, "logits", "two_texts_logits", known=(
        ("the logits of the padded ids without the attention mask", "two_texts_no_mask",
         "the model got only `input_ids`: pass the whole batch with `model(**batch)`"),),
        tol=compare.tolerance(device=load_model().model.device))



# --- padding_efficiency(attention_mask) ---------------------------------------------------------

def _mask_case(description: str, rows: list[list[int]], share: float) -> Case:
    return Case(description, (torch.tensor(rows),), share)


EFFICIENCY_CASES = [
    _mask_case("a (2, 4) mask with two padded positions", [[1, 1, 1, 1], [1, 1, 0, 0]], 0.75),
    _mask_case("a (3, 5) mask", [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], 9 / 15),
    _mask_case("a mask without padding", [[1, 1, 1], [1, 1, 1]], 1.0),
    _mask_case("a batch of one sequence", [[1, 1, 1, 1, 1, 1, 1]], 1.0),
]


def _as_number(value: Any, name: str) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    elif hasattr(value, "item") and getattr(value, "size", 2) == 1:  # a NumPy scalar
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Mistake(f"`{name}` did not return a number.", expected="a float between 0 and 1",
                      found=compare.describe(value),
                      cause="a function that prints its result instead of returning it returns None"
                      if value is None else "return one number for the whole batch")
    if math.isnan(value):
        raise Mistake(f"`{name}` returned NaN.", expected="a float between 0 and 1", cause="a division 0 / 0?")
    return float(value)


@function_exercise(
    "How much of a batch is real?",
    cases=EFFICIENCY_CASES,
    hints=("The mask has a 1 for every real token and a 0 for every pad: its sum counts the real tokens.",
           "`attention_mask.sum().item() / attention_mask.numel()`"),
)
def padding_efficiency(result, case: Case) -> None:
    """`padding_efficiency(attention_mask)` returns real tokens / all tokens as a float."""
    value, right = _as_number(result, "padding_efficiency"), case.expected
    if math.isclose(value, right, abs_tol=1e-6):
        return
    if math.isclose(value, 1 - right, abs_tol=1e-6) and right != 0.5:
        raise Mistake("You returned the share of padding.", expected="real tokens / all tokens",
                      found=f"{value:.3g}, which is 1 minus that", cause="count the 1s of the mask, not the 0s")
    if value > 1:
        raise Mistake("You returned a count, not a share.", expected="a float between 0 and 1",
                      found=f"{value:g}", cause="divide the real tokens by all the tokens of the batch")
    raise Mistake("The efficiency is off.", expected="a float between 0 and 1: real tokens / all tokens",
                  found=f"{value:.4g}", cause="all tokens means batch size × padded length (`mask.numel()`)")


# --- classify_texts(texts, batch_size): sort, pad per batch, restore the order ----------------------------

@functools.lru_cache(maxsize=8)
def _alone(checkpoint: str, texts: tuple[str, ...]) -> torch.Tensor:
    """Each text run by itself: the logits every way of batching must match (computed once per case)."""
    tok, model, _ = load_model(checkpoint)
    return references.each_alone(tok, model, texts)


@functools.lru_cache(maxsize=4)
def _padded_without_mask(checkpoint: str, texts: tuple[str, ...]) -> list[list[torch.Tensor]]:
    """For each text, its logits when padded (right, pad id, no mask) to every longer text's length."""
    tok, model, _ = load_model(checkpoint)
    ids = tok(list(texts), truncation=True)["input_ids"]
    widths = sorted({len(row) for row in ids})
    found: list[list[torch.Tensor]] = [[] for _ in texts]
    with torch.inference_mode(), model_calls.unrecorded():
        for width in widths:
            shorter = [i for i, row in enumerate(ids) if len(row) < width]
            if not shorter:
                continue
            padded = torch.tensor(pad_rows([ids[i] for i in shorter], tok.pad_token_id, width))
            logits = model(padded.to(model.device)).logits.float().cpu()
            for row, i in enumerate(shorter):
                found[i].append(logits[row])
    return found


def _as_logits(value: Any) -> torch.Tensor:
    """The learner's result as an (n, labels) float tensor: a tensor, or a list of rows or of (1, labels) tensors."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        raise Mistake("`classify_texts` returned labels (strings).", expected="the logits, one row per text",
                      found=compare.describe(value), cause="return the model's `.logits`, not names of labels",
                      hint="keep `model(**inputs).logits` rows; the labels are only their argmax")
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, torch.Tensor) for v in value):
        if all(v.dim() == 2 for v in value):
            value = torch.cat([v.detach().cpu() for v in value])
        elif all(v.dim() == 1 for v in value) and len({v.shape for v in value}) == 1:
            value = torch.stack([v.detach().cpu() for v in value])
    elif not isinstance(value, (torch.Tensor, list, tuple)) and not hasattr(value, "shape") \
            and not hasattr(value, "logits") and value is not None:
        raise Mistake("`classify_texts` returned neither a tensor nor a list.", expected="a tensor of logits, "
                      "one row per text", found=compare.describe(value),
                      hint="collect each text's row of logits in a list and `return torch.stack(results)`")
    return compare.logits(value, "classify_texts(...)")


def _close(a: torch.Tensor, b: torch.Tensor, tol: compare.Tolerance) -> bool:
    return bool(torch.allclose(a.double(), b.double(), rtol=tol.rtol, atol=tol.atol))


def _check_classified(result: Any, texts: list[str]) -> None:
    checkpoint = config.checkpoint()
    expected = _alone(checkpoint, tuple(texts))
    tol = compare.tolerance(device=load_model(checkpoint).model.device)
    found = _as_logits(result)
    if found.dim() == 3 and found.shape[1] == 1:
        raise Mistake("`classify_texts` returns one dimension too many.", expected=f"shape {tuple(expected.shape)}",
                      found=f"shape {tuple(found.shape)}", cause="each row kept its batch dimension",
                      hint="`torch.cat` the (1, labels) rows, or `torch.stack` 1-D rows")
    if found.dim() == 2 and found.shape[0] != len(texts):
        raise Mistake(f"`classify_texts` returned {found.shape[0]} rows for {len(texts)} texts.",
                      expected=f"one row per text: shape {tuple(expected.shape)}", found=f"shape {tuple(found.shape)}",
                      cause="some batches were lost or repeated: step through `range(0, len(texts), batch_size)` "
                            "and keep the last, shorter batch",
                      hint="`for start in range(0, len(order), batch_size): chunk = order[start:start + batch_size]`")
    if found.shape == expected.shape and _close(found, expected, tol):
        return
    if found.shape == expected.shape:
        _wrong_order(found, expected, tol)
        _without_mask(found, expected, _padded_without_mask(checkpoint, tuple(texts)), tol)
    diagnose.logits(found, expected, tol, name="classify_texts(...)")


def _wrong_order(found: torch.Tensor, expected: torch.Tensor, tol) -> None:
    """Every row is some text's right logits, but not in the texts' order."""
    unused = list(range(len(expected)))
    for row in found:
        match = next((j for j in unused if _close(row, expected[j], tol)), None)
        if match is None:
            return
        unused.remove(match)
    raise Mistake("The results are in the wrong order after sorting by length.",
                  expected="row i holds the logits of texts[i]", found="the right logits, but in another order "
                  "(probably the sorted order)", cause="after running the sorted batches, put each result back at "
                  "its text's original index", hint="keep `order` (the sorted indices) and write `results[order[k]] = ...`")


def _without_mask(found: torch.Tensor, expected: torch.Tensor, candidates: list[list[torch.Tensor]], tol) -> None:
    """Every wrong row equals its text padded without an attention mask."""
    wrong = [i for i in range(len(found)) if not _close(found[i], expected[i], tol)]
    if wrong and all(any(_close(found[i], c, tol) for c in candidates[i]) for i in wrong):
        raise Mistake("The padded texts were classified without the attention mask.",
                      expected="each text's logits, as if it ran alone",
                      found=f"different logits for {len(wrong)} padded text(s): they attended to the padding",
                      cause="the model got `input_ids` only", hint="call the model with the whole batch: `model(**inputs)`")


_MIXED = [UNSEEN_TEXTS[3], LONG_TEXT, UNSEEN_TEXTS[0], UNSEEN_TEXTS[4]]
CLASSIFY_CASES = [
    Case("five texts of mixed lengths with batch_size=2", (list(UNSEEN_TEXTS), 2)),
    Case("the same five texts with batch_size=8 (one batch)", (list(UNSEEN_TEXTS), 8)),
    Case("one text with batch_size=4", ([UNSEEN_TEXTS[2]], 4)),
    Case("four texts, one longer than the model's limit, with batch_size=3", (list(_MIXED), 3)),
]


@function_exercise(
    "Classify many texts: sort, pad per batch, restore the order",
    cases=CLASSIFY_CASES,
    seconds=10.0,  # it runs the model: a loaded machine must not make a right answer time out
    hints=("Sort the indices by token length: `order = sorted(range(len(texts)), key=lambda i: lengths[i])`. "
           "Take `batch_size` indices at a time from `order`.",
           "Tokenize each batch with `padding=True, truncation=True, return_tensors=\"pt\"` and call `model(**inputs)`.",
           "Put row k of a batch's logits at `results[batch_indices[k]]`; at the end `torch.stack(results)`."),
)
def classify_texts(result, case: Case) -> None:
    """`classify_texts(texts, batch_size)` returns one row of logits per text, in input order, equal to running
    each text alone, on texts it has not seen."""
    _check_classified(result, case.args[0])

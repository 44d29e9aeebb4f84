"""Section 12, notebook ``12_packing_sequences.ipynb``: packing several texts into one row, without padding.

Four exercises: ``pack`` (a function: what ``DataCollatorWithFlattening`` returns, by hand), ``unpack`` (a
function: a packed row's logits cut back into one tensor per text), ``packed_logits`` (a function: one forward
call of the course decoder on a packed batch that keeps every text to itself) and ``train_packed`` (a function:
section 10's training steps on packed batches). The truths come from the library itself (the collator) and from
a decoder of the checker's own (:func:`checker.model.load_fresh_decoder`), never from the notebook's model,
whose config a learner may change (``model.config.use_cache = False``).

``packed_logits`` and ``train_packed`` also see how the model was called: :func:`_note_call` records the
arguments of each forward call made during a run (an attention mask, the position ids, whether a cache was
kept), so that a wrong answer is named by what the call did, not guessed from its numbers. What learners write
for each exercise, and the mistake id each must be named by: ``checker/exercises/attempts/section12.py``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import math
import numbers
import threading
from contextlib import contextmanager
from typing import Any

import torch

from .. import compare, config, gates, model_calls
from ..exercise import function_exercise, run_exercise
from ..harness import Case, Run
from ..model import load_decoder, load_fresh_decoder, resolve_device
from ..outcome import Mistake
from ..threads import one_thread

KEYS = ("input_ids", "position_ids", "labels")  # what DataCollatorWithFlattening returns by default
SEED = 1234  # train_packed: the random generator is seeded with this before each run (dropout)


def collated(sequences) -> dict[str, torch.Tensor]:
    """What ``DataCollatorWithFlattening()`` returns for these lists of ids: the truth of ``pack``."""
    from transformers import DataCollatorWithFlattening

    return DataCollatorWithFlattening()([{"input_ids": list(s)} for s in sequences])


# --- recording the model calls of a run -------------------------------------------------------------------------

_log = threading.local()  # .calls: the list the running watch collects into (None outside a watch)


@functools.lru_cache(maxsize=8)
def _parameters(cls: type) -> tuple[str, ...]:
    try:
        return tuple(list(inspect.signature(cls.forward).parameters)[1:])  # without self
    except (TypeError, ValueError):
        return ()


def _note_call(module, args: tuple, kwargs: dict) -> None:
    """A forward pre-hook: what the call was given (a mask, position ids, a cache), into the running watch."""
    calls = getattr(_log, "calls", None)
    if calls is None or not model_calls.recording():
        return None
    given = dict(zip(_parameters(type(module)), args))
    given.update(kwargs)
    ids, positions = given.get("input_ids"), given.get("position_ids")
    use_cache = given.get("use_cache")
    if use_cache is None:  # the forward takes it from the config (merge_with_config_defaults)
        use_cache = getattr(module.config, "use_cache", False)
    record = {
        "shape": list(ids.shape) if isinstance(ids, torch.Tensor) else None,
        "mask": given.get("attention_mask") is not None,
        "positions": None,
        "position_ids": positions is not None,
        "cache": bool(use_cache)
        or given.get("cache") is not None
        or given.get("past_key_values") is not None,
        "training": bool(module.training),
    }
    if isinstance(positions, torch.Tensor) and positions.numel() <= 4096:
        record["positions"] = positions.detach().to("cpu").reshape(-1).tolist()
    calls.append(record)
    return None


@contextmanager
def _recording():
    previous = getattr(_log, "calls", None)
    _log.calls = []
    try:
        yield _log.calls
    finally:
        _log.calls = previous


def _calls(run: Run) -> list[dict]:
    """The recorded calls of a run (a grading kernel's report is the learner's data: only well-formed ones)."""
    found = []
    for call in run.calls:
        if isinstance(call, dict) and {"mask", "cache", "position_ids"} <= set(call):
            found.append(call)
    return found


def _no_position_ids(problem: str, found: str, cause: str, hint: str) -> Mistake:
    """A call without position ids, as the recorded calls, an IndexError or the losses show it."""
    return Mistake(
        problem,
        id="no_position_ids",
        expected="the batch's `position_ids`, which restart at 0 for every text",
        found=found,
        cause=cause,
        hint=hint,
    )


def _texts_attend(problem: str, found: str, hint: str) -> Mistake:
    """Logits or losses of one causal mask over the whole row, when the calls do not show why."""
    return Mistake(
        problem,
        id="texts_attend",
        expected="every text kept to itself, as if it were alone",
        found=found,
        cause="a call with a cache (`use_cache`, True by default, in training mode too) or with an attention "
        "mask: masking_utils looks for the texts in the position ids only when the call has neither",
        hint=hint,
    )


def _positions_not_restarting(problem: str, found: str) -> Mistake:
    """A call whose position ids number the row as one text."""
    return Mistake(
        problem,
        id="positions_not_restarting",
        expected="the batch's own `position_ids`, which restart at 0 for every text",
        found=found,
        cause="the model finds where each text begins, and gives each its positions, from where the position ids "
        "restart: position ids that run on make the row one text",
        hint="pass `position_ids=batch['position_ids']`",
    )


def _explain(run: Run, case: Case) -> None:
    """What the run's error shows: ``batch.to(...)`` on the collator's plain dict, or a packed row numbered
    beyond the model's positions because the call had no position ids."""
    error = run.error
    calls = _calls(run)
    if (
        error
        and "IndexError" in error.types
        and "index out of range" in error.message
        and calls
        and not calls[-1].get("position_ids")
    ):
        width = (calls[-1].get("shape") or [0, "?"])[-1]
        raise _no_position_ids(
            f"raised IndexError: {error.message}: the call had no `position_ids`.",
            found=f"a call on a packed row of {width} tokens without position_ids",
            cause="without them the model numbers the row 0, 1, 2, ... as one long text, and a packed row can be "
            "longer than the model's position embeddings (`n_positions`); each text alone never is",
            hint="pass the batch's `position_ids` (or the whole batch: `model(**batch, use_cache=False)`)",
        )
    if (
        error
        and "AttributeError" in error.types
        and "'dict' object has no attribute 'to'" in error.message
    ):
        raise Mistake(
            f"raised AttributeError: {error.message}.",
            id="batch_to",
            found=f"your {error.line}" if error.line else "",
            cause="DataCollatorWithFlattening returns a plain dict, not a BatchEncoding: a dict has no `.to()`",
            hint="move each tensor into a new dict: `{k: v.to(model.device) for k, v in batch.items()}`",
        )


# --- the checker's own decoder ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _own(checkpoint: str, device: str):
    tokenizer, model, _ = load_fresh_decoder(checkpoint, device)
    return tokenizer, model


def decoder():
    """The checker's own (tokenizer, model) of the active decoder, in eval mode."""
    return _own(config.decoder(), resolve_device(config.device_setting()))


@contextmanager
def _checker_calls():
    with torch.inference_mode(), model_calls.unrecorded(), one_thread():
        yield


def starts(position_ids: torch.Tensor) -> list[int]:
    """Where each text of a packed row begins: the columns whose position id is 0."""
    return (position_ids.reshape(-1) == 0).nonzero().flatten().tolist()


def pieces(position_ids: torch.Tensor) -> list[tuple[int, int]]:
    """Each text's (start, end) in a packed row."""
    begins = starts(position_ids)
    return list(zip(begins, begins[1:] + [int(position_ids.shape[-1])]))


def _key(batch: dict) -> tuple:
    return tuple(batch["input_ids"].reshape(-1).tolist())


@functools.lru_cache(maxsize=32)
def _truths(
    checkpoint: str, device: str, ids: tuple, positions: tuple
) -> dict[str, torch.Tensor | None]:
    """The logits of a packed row computed three ways: each text alone (the truth); with one causal mask over the
    whole row and the positions restarting (a cache, or an attention mask); and with the positions 0, 1, 2, ...
    over the whole row (no position ids)."""
    _, model = _own(checkpoint, device)
    row = torch.tensor([ids], device=model.device)
    pos = torch.tensor([positions], device=model.device)
    with _checker_calls():
        alone = [
            model(input_ids=row[:, s:e], use_cache=False).logits
            for s, e in pieces(torch.tensor(positions))
        ]
        found = {
            "alone": torch.cat(alone, dim=1).float().cpu(),
            "one mask": model(input_ids=row, position_ids=pos, use_cache=True).logits.float().cpu(),
            "run on": None,  # a row longer than the model's positions has none: IndexError
        }
        if len(ids) <= getattr(model.config, "n_positions", len(ids)):
            found["run on"] = model(input_ids=row, use_cache=False).logits.float().cpu()
        return found


def truths(batch: dict) -> dict[str, torch.Tensor | None]:
    return _truths(
        config.decoder(),
        resolve_device(config.device_setting()),
        _key(batch),
        tuple(batch["position_ids"].reshape(-1).tolist()),
    )


def _tolerance(value: torch.Tensor) -> compare.Tolerance:
    """This course's tolerance (section 3), the looser of the answer's device and the configured one."""
    device = resolve_device(config.device_setting())
    here = compare.tolerance(torch.float32, device)
    found = compare.tolerance_for(value)
    return found if found.atol > here.atol else here


# --- pack(sequences): DataCollatorWithFlattening by hand ---------------------------------------------------------


def _ids(*lengths: int, start: int = 300) -> list[list[int]]:
    """Lists of ids of these lengths (distinct, plausible ids of a 4,096-token vocabulary)."""
    found, next_id = [], start
    for n in lengths:
        found.append([(next_id + 37 * k) % 4000 + 20 for k in range(n)])
        next_id += 101
    return found


PACK_CASES = [
    Case("three texts of 5, 2 and 7 tokens", (_ids(5, 2, 7),)),
    Case("a text of one token between two others", (_ids(4, 1, 3, start=900),)),
    Case(
        "an empty text in the middle of the batch", ([*_ids(3, start=50), [], *_ids(4, start=70)],)
    ),
    Case("a batch of one text", (_ids(6, start=1200),)),
]

PACK_MUTATION = (
    "`seq[0] = -100` (or `+=`, `.insert`) on a text changes the caller's list: `labels = seq` is that same list, "
    "not a copy; and `sequences[:] = ...`, `.remove` or `del` on the list of texts itself changes the caller's "
    "list of texts (skip the empty ones in the loop instead)",
    "build new lists: `labels += [-100] + seq[1:]`; leave `sequences` as it is",
)


def _as_mapping(result: Any) -> Any:
    if result is None:
        raise gates.returned_none(
            "pack", "a dict with the keys 'input_ids', 'position_ids' and 'labels'"
        )
    if isinstance(result, (tuple, list)) and not hasattr(result, "keys"):
        raise Mistake(
            f"`pack` returned a {type(result).__name__} of {len(result)} values, not a dict.",
            id="returned_tuple",
            expected="a dict, as the collator returns: `{'input_ids': ..., 'position_ids': ..., 'labels': ...}`",
            found=compare.describe(result),
            cause="the model takes them by name: `model(**packed)` needs a dict",
        )
    if not (hasattr(result, "keys") and callable(result.keys) and hasattr(result, "__getitem__")):
        raise Mistake(
            "`pack` did not return a dict.",
            id="not_a_dict",
            expected="a dict with the keys 'input_ids', 'position_ids' and 'labels'",
            found=compare.describe(result),
        )
    return result


def _pack_keys(result: Any) -> None:
    keys = [str(k) for k in list(result.keys())[:10]]
    if "attention_mask" in keys:
        raise Mistake(
            "`pack` returns an `attention_mask` too.",
            id="returns_attention_mask",
            expected="only 'input_ids', 'position_ids' and 'labels', as DataCollatorWithFlattening returns",
            found=f"keys {keys}",
            cause="`model(**packed)` would pass the mask along, and with a mask the model no longer looks for the "
            "texts in the position ids (masking_utils does that only when `attention_mask is None`): every "
            "text would attend to the texts before it",
        )
    missing = [k for k in KEYS if k not in keys]
    if missing:
        raise Mistake(
            f"`pack`'s dict has no {' and no '.join(repr(k) for k in missing)}.",
            id="missing_key",
            expected="the keys 'input_ids', 'position_ids' and 'labels'",
            found=f"keys {keys}",
        )
    extra = [k for k in keys if k not in KEYS]
    if extra:
        raise Mistake(
            f"`pack`'s dict has keys the collator does not return: {extra[:3]}.",
            id="extra_key",
            expected="exactly 'input_ids', 'position_ids' and 'labels'",
            found=f"keys {keys}",
        )


def _pack_tensor(value: Any, key: str) -> torch.Tensor:
    name = f"pack(...)['{key}']"
    mistake = gates.not_a_tensor(
        value,
        name,
        "a torch tensor of dtype torch.int64, shape (1, total tokens)",
        cause={"list": "the model takes tensors"},
        hint={
            "list": "wrap each list in a batch dimension and make it a tensor: `torch.tensor([input_ids])`"
        },
    )
    if mistake:
        raise mistake
    return compare.id_tensor(
        value, name
    )  # floats, booleans and other dtypes than int64 named there


def _pack_shape(found: dict, expected: dict, sequences) -> None:
    total = int(expected["input_ids"].shape[1])
    texts = [s for s in sequences if len(s)]
    empty = len(sequences) - len(texts)
    for key in KEYS:
        tensor, name = found[key], f"pack(...)['{key}']"
        if tuple(tensor.shape) == (1, total):
            continue
        if tensor.dim() == 1 and tensor.shape[0] == total:
            raise Mistake(
                f"`{name}` has no batch dimension.",
                id="no_batch_dim",
                expected=f"shape (1, {total}): one row that holds every text",
                found=f"shape {tuple(tensor.shape)}",
                cause="the model takes (batch, tokens); the packed batch is one row",
                hint="`torch.tensor([input_ids])`, or `[None]` on a 1-D tensor",
            )
        longest = max((len(s) for s in texts), default=0)
        if tensor.dim() == 2 and tensor.shape[0] == len(texts) > 1 and tensor.shape[1] == longest:
            raise Mistake(
                f"`{name}` has one row per text, padded to the longest.",
                id="padded",
                expected=f"shape (1, {total}): every text in one row, one after the other, no padding",
                found=f"shape {tuple(tensor.shape)}",
                cause="that is the padded batch of the earlier sections; packing puts the texts end to end",
            )
        if key == "labels" and empty and tuple(tensor.shape) == (1, total + empty):
            raise Mistake(
                f"`{name}` has {total + empty} entries for {total} tokens.",
                id="empty_text_label",
                expected=f"shape (1, {total}): one label per token",
                found=f"shape {tuple(tensor.shape)}",
                cause="an empty text added its -100 with no token to go with it: skip empty texts, as the collator "
                "does (it drops every feature whose input_ids are empty)",
                hint="`if not seq: continue` at the top of the loop",
            )
        if (
            key == "input_ids"
            and len(texts) > 1
            and tuple(tensor.shape) == (1, total + len(texts) - 1)
        ):
            between = tensor[0].tolist()
            starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
            if all(between[start : start + len(t)] == list(t) for start, t in zip(starts, texts)):
                raise Mistake(
                    f"`{name}` has a token between each two texts: shape {tuple(tensor.shape)}.",
                    id="separator_added",
                    expected=f"shape (1, {total}): the texts' own tokens, one text right after the other",
                    found=f"{len(texts) - 1} extra tokens, one between each two texts",
                    cause="DataCollatorWithFlattening adds no token between the texts: the position ids, which "
                    "restart at 0, mark where each text begins (its `separator_id` goes into the labels only)",
                )
        raise Mistake(
            f"`{name}` has shape {tuple(tensor.shape)}.",
            id="wrong_shape",
            expected=f"shape (1, {total}): the {total} tokens of the non-empty texts in one row",
            found=f"shape {tuple(tensor.shape)}",
        )


def _per_text(sequences, make) -> torch.Tensor:
    row = [x for s in sequences if len(s) for x in make(list(s))]
    return torch.tensor([row], dtype=torch.long)


def _pack_positions(found: torch.Tensor, expected: torch.Tensor) -> None:
    if torch.equal(found, expected):
        return
    name = "pack(...)['position_ids']"
    if torch.equal(found, torch.arange(found.shape[1])[None]):
        raise Mistake(
            f"`{name}` counts 0, 1, 2, ... over the whole row.",
            id="positions_run_on",
            expected="positions that restart at 0 at the first token of every text",
            found=f"0 to {found.shape[1] - 1} without a break",
            cause="the restarts are how the model finds where each text begins (`find_packed_sequence_indices` "
            "cuts the row wherever a position id is not the one before plus 1), and each text's tokens get the "
            "position embeddings they get alone",
            hint="`list(range(len(seq)))` for each text",
        )
    if torch.equal(found, expected + 1):
        raise Mistake(
            f"`{name}` counts each text from 1.",
            id="positions_from_one",
            expected="0 for the first token of every text: position 0",
            found="1 there",
            cause="a text alone gets positions 0, 1, 2, ...: counted from 1, every token gets the position embedding "
            "of the token after it",
            hint="`range(len(seq))` starts at 0",
        )
    column = int((found != expected).reshape(-1).nonzero()[0])
    raise Mistake(
        f"`{name}` is wrong at column {column}.",
        id="positions_differ",
        expected="0, 1, 2, ... within each text, restarting at 0 for the next",
        found=f"{int(found[0, column])} there, {int(expected[0, column])} expected",
    )


def _pack_labels(found: torch.Tensor, expected: torch.Tensor, ids: torch.Tensor, sequences) -> None:
    if torch.equal(found, expected):
        return
    name = "pack(...)['labels']"
    if torch.equal(found, ids):
        raise Mistake(
            f"`{name}` are the input ids, with no -100 at the start of each text.",
            id="labels_no_boundary",
            expected="the ids, with -100 at the first position of every text",
            found="the ids unchanged",
            cause="the model shifts the labels itself: the label at a text's first position is what the last token "
            "of the text before must predict, so without -100 there the model learns to guess the first token of "
            "the next text from a text it has nothing to do with",
            hint="`[-100] + seq[1:]` for each text",
        )
    if torch.equal(found, torch.cat([torch.tensor([[-100]]), ids[:, 1:]], dim=1)):
        raise Mistake(
            f"`{name}` has -100 only at the first position of the row.",
            id="boundary_only_first",
            expected="-100 at the first position of every text",
            found="the packed row's ids, with -100 at column 0 only",
            cause="the labels were made from the packed row as if it were one text: the first label of every later "
            "text is then what the last token of the text before must predict, across the boundary",
            hint="build the labels text by text, with the ids: `labels += [-100] + seq[1:]`",
        )
    if torch.equal(found, _per_text(sequences, lambda s: s[1:] + [-100])):
        raise Mistake(
            f"`{name}` are shifted by hand: each label is the next token.",
            id="labels_shifted",
            expected="the ids themselves at their own positions (-100 at each text's first position)",
            found="each position labelled with the token after it",
            cause="the model shifts the labels itself (GPT-2's docs: the labels are shifted inside the model), so "
            "shifted here they are shifted twice: each token would learn to predict the one two places ahead",
            hint="`[-100] + seq[1:]` for each text: the same positions as the ids",
        )
    if torch.equal(found, _per_text(sequences, lambda s: s[:-1] + [-100])):
        raise Mistake(
            f"`{name}` has -100 on each text's last token instead of its first.",
            id="boundary_at_end",
            expected="-100 at each text's first position",
            found="-100 at each text's last position",
            cause="the model shifts the labels: the label of a text's first position is the one the previous text's "
            "last token would predict across the boundary; that is the one to hide",
            hint="`[-100] + seq[1:]`",
        )
    column = int((found != expected).reshape(-1).nonzero()[0])
    raise Mistake(
        f"`{name}` is wrong at column {column}.",
        id="labels_differ",
        expected="each text's ids, with -100 at its first position",
        found=f"{int(found[0, column])} there, {int(expected[0, column])} expected",
    )


@function_exercise(
    "Pack a batch by hand",
    cases=PACK_CASES,
    mutation=PACK_MUTATION,
    hints=(
        "Three lists that grow text by text: the ids, the positions `0, 1, ..., len(seq) - 1`, and the labels "
        "`[-100] + seq[1:]`. Skip empty texts.",
        "At the end make each list a tensor with a batch dimension: `torch.tensor([input_ids])`, and return "
        "`{'input_ids': ..., 'position_ids': ..., 'labels': ...}`.",
    ),
)
def pack(result, case: Case) -> None:
    """`pack(sequences)` returns what `DataCollatorWithFlattening()` returns for `[{'input_ids': s} for s in
    sequences]`: a dict of int64 tensors of shape (1, total), input_ids one text after the other, position_ids
    restarting at 0 for each text, labels the ids with -100 at each text's first position; empty texts skipped."""
    (sequences,) = case.args
    expected = collated(sequences)
    mapping = _as_mapping(result)
    _pack_keys(mapping)
    found = {key: _pack_tensor(mapping[key], key) for key in KEYS}
    _pack_shape(found, expected, sequences)
    if not torch.equal(found["input_ids"], expected["input_ids"]):
        column = int((found["input_ids"] != expected["input_ids"]).reshape(-1).nonzero()[0])
        raise Mistake(
            f"`pack(...)['input_ids']` is wrong at column {column}.",
            id="ids_differ",
            expected="the texts' ids one after the other, in order, nothing between them",
            found=f"{int(found['input_ids'][0, column])} there",
        )
    _pack_positions(found["position_ids"], expected["position_ids"])
    _pack_labels(found["labels"], expected["labels"], found["input_ids"], sequences)


# --- unpack(logits, position_ids): the packed row cut back into texts ---------------------------------------------


def _unpack_case(description: str, lengths: list[int], seed: int, vocab: int = 6) -> Case:
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(1, sum(lengths), vocab, generator=generator)
    positions = torch.tensor([[p for n in lengths for p in range(n)]])
    return Case(description, (logits, positions))


UNPACK_CASES = [
    _unpack_case("three texts of 4, 2 and 5 tokens", [4, 2, 5], 1),
    _unpack_case("a text of one token between two others", [3, 1, 2], 2),
    _unpack_case("a row of one text", [5], 3),
]


def _unpack_pieces(result: Any, expected: list[torch.Tensor]) -> list:
    if result is None:
        raise gates.returned_none("unpack", f"a list of {len(expected)} tensors, one per text")
    if isinstance(result, torch.Tensor):
        if result.dim() == 3 and result.shape[0] == len(expected) > 1:
            raise Mistake(
                f"`unpack` returned one tensor of shape {tuple(result.shape)}.",
                id="stacked",
                expected=f"a list of {len(expected)} tensors of their own lengths",
                found=compare.describe(result),
                cause="stacking pads the shorter texts: the pieces must keep their own lengths",
            )
        raise Mistake(
            "`unpack` returned one tensor.",
            id="one_tensor",
            expected=f"a list of {len(expected)} tensors, one per text",
            found=compare.describe(result),
        )
    if not isinstance(result, (list, tuple)):
        raise Mistake(
            "`unpack` did not return a list.",
            id="not_a_list",
            expected=f"a list of {len(expected)} tensors, one per text",
            found=compare.describe(result),
            cause="a generator or `map` object: wrap it in `list(...)`"
            if hasattr(result, "__next__")
            else "",
        )
    if result and all(isinstance(p, numbers.Number) for p in result):
        raise Mistake(
            "`unpack` returned numbers.",
            id="returned_lengths",
            expected="the slices of the logits, one per text",
            found=compare.describe(result),
            cause="those look like the lengths of the texts: use them to cut slices of the logits",
        )
    return list(result)


def _unpack_count(found: list, expected: list[torch.Tensor]) -> None:
    def same(piece, want) -> bool:
        return (
            isinstance(piece, torch.Tensor)
            and piece.shape == want.shape
            and torch.equal(piece.detach().cpu(), want)
        )

    if len(found) == len(expected) - 1 and all(same(p, w) for p, w in zip(found, expected)):
        raise Mistake(
            f"`unpack` returned {len(found)} pieces for {len(expected)} texts: the last text is missing.",
            id="last_dropped",
            expected=f"{len(expected)} pieces, the last one from the last start to the end of the row",
            found=f"{len(found)} pieces",
            cause="a loop that closes a piece only when the next text starts never closes the last one",
        )
    if (
        len(found) == len(expected) + 1
        and isinstance(found[0], torch.Tensor)
        and found[0].numel() == 0
    ):
        raise Mistake(
            "`unpack` returned an empty piece before the first text.",
            id="empty_first",
            expected=f"{len(expected)} pieces, the first from column 0",
            found=f"{len(found)} pieces, the first of them empty",
            cause="the first text starts at column 0: it is the first start, not the end of a piece",
        )
    if len(found) != len(expected):
        raise Mistake(
            f"`unpack` returned {len(found)} pieces.",
            id="piece_count",
            expected=f"{len(expected)}: one per text, a text starting wherever the position id is 0",
            found=f"{len(found)} pieces",
        )


@run_exercise(
    "Cut the packed logits back into texts",
    cases=UNPACK_CASES,
    explain=lambda run, case: _explain_split(run),
    hints=(
        "The texts start where `position_ids[0] == 0`: `(position_ids[0] == 0).nonzero().flatten().tolist()`.",
        "Each piece runs from one start to the next (the last to `logits.shape[1]`): `logits[0, start:end]`.",
    ),
)
def unpack(result, case: Case, run: Run) -> None:
    """`unpack(logits, position_ids)` returns a list (or tuple) of tensors, one per text of the packed row, in order:
    `logits[0, start:end]` from each text's start (where its position id is 0) to the next one's."""
    logits, positions = case.args
    expected = [logits[0, s:e] for s, e in pieces(positions)]
    found = _unpack_pieces(result, expected)
    if found and all(
        isinstance(p, torch.Tensor) and p.dim() == 3 and p.shape[0] == 1 for p in found
    ):
        raise Mistake(
            f"each piece has shape {tuple(found[0].shape)}: the batch dimension is still there.",
            id="batch_dim_kept",
            expected=f"pieces of shape (tokens, {logits.shape[-1]}): the row's own logits, `logits[0, start:end]`",
            found=compare.describe(found[0]),
            cause="`logits[:, start:end]` keeps the batch dimension of the packed row",
            hint="`logits[0, start:end]`",
        )
    if (
        found
        and all(isinstance(p, torch.Tensor) and p.dim() == 3 for p in found)
        and all(tuple(p.shape[1:]) == tuple(logits.shape[1:]) for p in found)
    ):
        raise Mistake(
            f"the pieces have shapes {[tuple(p.shape) for p in found][:4]}: slices of the batch axis, not of the row.",
            id="sliced_batch_axis",
            expected=f"pieces of shape (tokens, {logits.shape[-1]}): the row's own logits, `logits[0, start:end]`",
            found=f"pieces of shapes {[tuple(p.shape) for p in found][:4]}",
            cause="`logits[start:end]` slices the first dimension, the batch of one row, not the tokens",
            hint="`logits[0, start:end]`",
        )
    for index, piece in enumerate(found):
        mistake = gates.not_a_tensor(
            piece,
            f"unpack(...)[{index}]",
            f"a tensor of shape (tokens, {logits.shape[-1]}), a slice of the logits",
            hint={
                "list": "return the slices themselves, `logits[0, start:end]`, without `.tolist()`"
            },
        )
        if mistake:
            raise mistake
    _both_dimensions(found, logits, positions, len(expected))
    _one_token_text_missed(found, logits, positions, len(expected))
    _unpack_count(found, expected)
    lengths = [e - s for s, e in pieces(positions)]
    got = [p.detach().cpu() for p in found]
    if [tuple(p.shape[:1]) for p in got] != [(n,) for n in lengths]:
        shifted = [
            n + (1 if i == 0 else 0) - (1 if i == len(lengths) - 1 else 0)
            for i, n in enumerate(lengths)
        ]
        overlapping = [n + 1 for n in lengths[:-1]] + lengths[
            -1:
        ]  # `end + 1`: the last piece stops at the row's end
        if [p.shape[0] if p.dim() else -1 for p in got] in (shifted, overlapping):
            raise Mistake(
                "each piece ends one token late: it takes the first token of the next text.",
                id="off_by_one",
                expected=f"pieces of {lengths} tokens",
                found=f"pieces of {[int(p.shape[0]) for p in got]} tokens",
                cause="a text begins at its position 0, so the piece before it ends just before that column",
            )
        raise Mistake(
            "the pieces do not have the texts' lengths.",
            id="wrong_lengths",
            expected=f"pieces of {lengths} tokens, cut where the position ids restart at 0",
            found=f"pieces of shapes {[tuple(p.shape) for p in got][:6]}",
        )
    for index, (piece, want) in enumerate(zip(got, expected)):
        if piece.shape != want.shape or not torch.allclose(piece.double(), want.double()):
            raise Mistake(
                f"piece {index} is not text {index}'s slice of the logits.",
                id="values_differ",
                expected=f"`logits[0, {pieces(positions)[index][0]}:{pieces(positions)[index][1]}]`",
                found=compare.describe(piece),
            )


def _both_dimensions(
    found: list, logits: torch.Tensor, positions: torch.Tensor, texts: int
) -> None:
    """The pieces cut at ``(position_ids == 0).nonzero().flatten()``: a (row, column) pair per start, flattened."""
    starts = (positions == 0).nonzero().flatten().tolist()
    ends = starts[1:] + [int(logits.shape[1])]
    if len(found) == len(starts) != texts and [tuple(p.shape) for p in found] == [
        tuple(logits[0, s:e].shape) for s, e in zip(starts, ends)
    ]:
        raise Mistake(
            f"`unpack` returned {len(found)} pieces for {texts} texts: the starts hold a row index too.",
            id="starts_of_both_dimensions",
            expected=f"{texts} pieces, cut at the columns where the position id is 0",
            found=f"pieces cut at {starts[:8]}",
            cause="`(position_ids == 0).nonzero()` on the (1, tokens) tensor gives a (row, column) pair for each "
            "start; flattened, the row index 0 stands among the columns",
            hint="look in the row itself: `(position_ids[0] == 0).nonzero().flatten()`",
        )


def _one_token_text_missed(
    found: list, logits: torch.Tensor, positions: torch.Tensor, texts: int
) -> None:
    """The pieces cut where a position id is smaller than the one before: a start right after a one-token text
    (a 0 after a 0) is missed."""
    row = positions.reshape(-1).tolist()
    cuts = [0] + [i for i in range(1, len(row)) if row[i] < row[i - 1]] + [len(row)]
    if len(cuts) - 1 == texts or len(found) != len(cuts) - 1:
        return
    if [tuple(p.shape) for p in found] == [
        tuple(logits[0, a:b].shape) for a, b in zip(cuts, cuts[1:])
    ]:
        raise Mistake(
            f"`unpack` returned {len(found)} pieces for {texts} texts: a one-token text was not cut from the "
            "next one.",
            id="one_token_text_missed",
            expected=f"{texts} pieces, a new one at every position id 0",
            found=f"pieces cut at {cuts[:-1][:8]}, where a position id drops",
            cause="a one-token text has the positions [0], so the next text's 0 comes right after a 0: not a drop "
            "(`pos[i] < pos[i - 1]` misses it); a text starts wherever the position id is 0",
            hint="`(position_ids[0] == 0).nonzero().flatten()`",
        )


def _explain_split(run: Run) -> None:
    error = run.error
    if error and "split_with_sizes" in error.message:
        raise Mistake(
            f"raised {error.sentence()}",
            id="fixed_split",
            found=f"your {error.line}" if error.line else "",
            cause="the sizes do not add up to this row: the lengths must come from `position_ids` (a text "
            "starts wherever its position id is 0), not from the notebook's own texts",
        )


# --- packed_logits(batch): one call that keeps every text to itself ------------------------------------------------

UNSEEN = [
    ["The soundtrack is lovely.", "My order arrived late and the box was crushed.", "Fine."],
    ["Great hotel, rude staff.", "Awful hotel, lovely staff."],
    ["A batch of one text has nothing to pack."],
]


def packed_case(texts) -> tuple:
    """The arguments of a packed_logits case: the collator's batch of these texts (the active decoder's ids)."""
    tokenizer, _ = decoder()
    from transformers import DataCollatorWithFlattening

    features = [{"input_ids": tokenizer(text)["input_ids"]} for text in texts]
    return (DataCollatorWithFlattening()(features),)


@functools.lru_cache(maxsize=2)
def _packed_cases(checkpoint: str) -> tuple[Case, ...]:
    return (
        Case("three texts the notebook does not show", packed_case(UNSEEN[0])),
        Case("two texts of similar length", packed_case(UNSEEN[1])),
        Case("a batch of one text", packed_case(UNSEEN[2])),
    )


@contextmanager
def _watch_decoder():
    """The forward calls of the notebook's decoder (``load_decoder()``'s model) during one run, one thread."""
    _, model, _ = load_decoder()
    with _recording() as calls, one_thread():
        handle = model.register_forward_pre_hook(_note_call, with_kwargs=True)
        try:
            yield calls
        finally:
            handle.remove()


def _logits_of(result: Any, total: int) -> torch.Tensor:
    if result is None:
        raise gates.returned_none("packed_logits", f"the logits, shape (1, {total}, vocabulary)")
    mistake = gates.whole_output(
        result,
        "packed_logits",
        f"its logits, `model(...).logits`, of shape (1, {total}, vocabulary)",
        returned=True,
        instead="its logits",
    )
    if mistake:
        raise mistake
    if (
        isinstance(result, torch.Tensor)
        and not result.is_floating_point()
        and not result.is_complex()
    ):
        raise Mistake(
            "`packed_logits` returned ids, not logits.",
            id="returned_ids",
            expected=f"float logits, shape (1, {total}, vocabulary)",
            found=compare.describe(result),
            cause="`argmax` turns the logits into predicted ids",
            hint="return the logits themselves",
        )
    return compare.logits_tensor(result, "packed_logits(...)")


def _named_by_calls(calls: list[dict], batches: list[dict]) -> Mistake | None:
    """The mistake the recorded calls show, when the numbers are wrong; None when they show none (``batches``: the
    batch each call in turn was meant for)."""
    cause_mask = (
        "with an attention mask the model builds one causal mask over the whole row: masking_utils looks for "
        "the texts in the position ids only `if position_ids is not None and attention_mask is None and cache "
        "is None`"
    )
    if any(c.get("mask") for c in calls):
        return Mistake(
            "the call was given an attention mask: the texts attended to each other.",
            id="attention_mask_passed",
            expected="no attention mask: the collator's batch has none, and the position ids mark the texts",
            found="`attention_mask=` in the call",
            cause=cause_mask,
            hint="leave `attention_mask` out",
        )
    if any(c.get("cache") for c in calls):
        return Mistake(
            "the call kept a cache (`use_cache` was True): the texts attended to each other.",
            id="cache_on",
            expected="`use_cache=False` in the call",
            found="use_cache True: the config's default, which the model takes when the call does not say, in "
            "training mode too",
            cause="with a cache (even an empty one) masking_utils does not look for the texts in the position "
            "ids (only `if ... cache is None`): one causal mask covers the whole row",
            hint="`model(..., use_cache=False)`",
        )
    if any(not c.get("position_ids") for c in calls):
        return _no_position_ids(
            "the call had no `position_ids`: the model numbered the row 0, 1, 2, ... as if it were one text.",
            found="no position_ids in the call",
            cause="without them every text after the first gets the positions of a long single text, and "
            "`find_packed_sequence_indices` finds one text only",
            hint="pass `position_ids=batch['position_ids']`",
        )
    wanted = [b["position_ids"].reshape(-1).tolist() for b in batches]
    given = [c.get("positions") for c in calls]
    if any(isinstance(p, list) and p != w for p, w in zip(given, wanted)):
        return _positions_not_restarting(
            "the call's position ids do not restart at 0 for each text.",
            "position ids of another shape or numbering",
        )
    return None


@run_exercise(
    "One forward call that keeps every text to itself",
    cases=lambda: _packed_cases(config.decoder()),
    watch=_watch_decoder,
    explain=_explain,
    seconds=10.0,  # it runs the decoder: a loaded machine must not make a right answer time out
    mutation=(
        "`batch.pop(...)`, `del batch[...]` or assigning into `batch` changes the caller's batch",
        "leave the batch as it is: pick the tensors you pass, `model(input_ids=batch['input_ids'], ...)`",
    ),
    hints=(
        "Pass the ids and the position ids, on `model.device`; no attention mask; and switch the cache off.",
        "`model(input_ids=batch['input_ids'].to(model.device), position_ids=batch['position_ids'].to(model.device), "
        "use_cache=False).logits`",
    ),
)
def packed_logits(result, case: Case, run: Run) -> None:
    """`packed_logits(batch)` calls the notebook's decoder once on a packed batch (DataCollatorWithFlattening's output)
    and returns the logits, shape (1, total, vocabulary): each text's logits equal to its logits alone."""
    (batch,) = case.args
    want = truths(batch)
    total = int(batch["input_ids"].shape[1])
    values = _logits_of(result, total)
    if values.dim() == 2 and tuple(values.shape) == tuple(want["alone"].shape[1:]):
        raise Mistake(
            "`packed_logits` returned the logits without their batch dimension.",
            id="logits_without_batch",
            expected=f"shape {tuple(want['alone'].shape)}",
            found=f"shape {tuple(values.shape)}",
            cause="`logits[0]` takes the row out of its batch of one",
            hint="return `model(...).logits` as it is",
        )
    if tuple(values.shape) != tuple(want["alone"].shape):
        raise Mistake(
            f"`packed_logits` returned logits of shape {tuple(values.shape)}.",
            id="wrong_logits_shape",
            expected=f"shape {tuple(want['alone'].shape)}: one row, a vector of the vocabulary for every token",
            found=f"shape {tuple(values.shape)}",
        )
    calls = _calls(run)
    tol = _tolerance(result if isinstance(result, torch.Tensor) else values)
    if compare.close(values, want["alone"], tol):
        texts = len(pieces(batch["position_ids"]))
        whole = [1, total]
        if texts > 1 and len(calls) >= texts and not any(c.get("shape") == whole for c in calls):
            raise Mistake(
                f"the right numbers, but from {len(calls)} calls of the model: the texts ran one at a time.",
                id="texts_one_at_a_time",
                expected="one call on the packed row",
                found=f"{len(calls)} calls, on inputs of shapes {[c.get('shape') for c in calls][:4]}",
                cause="the point of packing is one call without padding: the position ids keep the texts apart",
            )
        return
    named = _named_by_calls(calls, [batch] * len(calls))
    if named is not None:
        raise named
    if compare.close(values, want["one mask"], tol):
        raise _texts_attend(
            "the texts attended to each other: these are the logits of one causal mask over the whole row.",
            "logits equal to a call with a cache (`use_cache`, True by default) or with an attention mask",
            "`model(input_ids=..., position_ids=..., use_cache=False)`, no attention mask",
        )
    if want["run on"] is not None and compare.close(values, want["run on"], tol):
        raise _positions_not_restarting(
            "the positions ran on over the whole row: these are the logits of one long text.",
            "logits equal to a call without `position_ids` (0, 1, 2, ... over the row)",
        )
    worst, where = compare.largest_difference(values, want["alone"])
    raise Mistake(
        f"`packed_logits` differs from each text's logits alone by up to {worst:.3g} (at index {list(where)}).",
        id="differs_from_alone",
        expected=f"within {tol}",
        found=f"a difference of {worst:.3g}",
        cause="the course decoder as loaded, the batch's ids and position ids, no mask, no cache",
    )


# --- train_packed(model, optimizer, batches): section 10's steps, packed ---------------------------------------------


class _Same:
    """Case arguments compared by type: the harness compares the arguments before and after a run to see whether
    they changed, and training a model changes it on purpose."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    __hash__ = object.__hash__


@functools.lru_cache(maxsize=1)
def _case_classes():
    from transformers import GPT2LMHeadModel

    class SmallDecoder(_Same, GPT2LMHeadModel):
        __hash__ = torch.nn.Module.__hash__

    class SGD(_Same, torch.optim.SGD):
        pass

    class AdamW(_Same, torch.optim.AdamW):
        pass

    return SmallDecoder, SGD, AdamW


def _small_decoder(seed: int):
    """A one-layer GPT-2, seeded, in eval mode (as `load_decoder()` returns the course decoder), whose forward
    calls are recorded; dropout 0.2, so that training mode shows in the losses; `use_cache` True, GPT-2's default."""
    from transformers import GPT2Config

    SmallDecoder, _, _ = _case_classes()
    settings = GPT2Config(
        vocab_size=40,
        n_positions=16,
        n_embd=8,
        n_layer=1,
        n_head=2,
        n_inner=16,
        resid_pdrop=0.2,
        embd_pdrop=0.2,
        attn_pdrop=0.0,
        initializer_range=0.5,
        bos_token_id=0,
        eos_token_id=0,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = SmallDecoder(settings).eval()
    model.register_forward_pre_hook(_note_call, with_kwargs=True)
    return model


def _packed_batches(seed: int, count: int, texts: int) -> list[dict]:
    generator = torch.Generator().manual_seed(seed)
    found = []
    for _ in range(count):
        lengths = torch.randint(2, 9, (texts,), generator=generator).tolist()
        sequences = [torch.randint(1, 40, (n,), generator=generator).tolist() for n in lengths]
        found.append(dict(collated(sequences)))
    return found


@functools.lru_cache(maxsize=1)
def _train_cases() -> tuple[Case, ...]:
    _, SGD, AdamW = _case_classes()
    first, second, third = _small_decoder(1), _small_decoder(2), _small_decoder(3)
    return (
        Case(
            "three packed batches, plain SGD",
            (first, SGD(first.parameters(), lr=0.5), _packed_batches(21, 3, 3)),
        ),
        Case(
            "one packed batch of four texts",
            (second, SGD(second.parameters(), lr=0.5), _packed_batches(22, 1, 4)),
        ),
        Case(
            "four packed batches, AdamW",
            (third, AdamW(third.parameters(), lr=0.05), _packed_batches(23, 4, 3)),
        ),
    )


@contextmanager
def _seeded():
    """Each run starts from the same random state (dropout) and records its model calls; the learner's generator is
    left as it was; one thread."""
    with _recording() as calls, one_thread(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        yield calls


def simulate(
    case: Case,
    *,
    cache: bool = False,
    positions: bool = True,
    labels: bool = True,
    train: bool = True,
    zero: bool = True,
    update: bool = True,
    shifted: bool = True,
) -> list[float]:
    """The losses of ``case`` trained one way: the right way, or with a cache, without position ids, with the ids
    as labels (no -100 between the texts), in eval mode, without zero_grad, without updates, or with a loss of
    one's own that scores each position's logits against its own label (not shifted by one)."""
    model, optimizer, batches = copy.deepcopy(case.args)
    losses = []
    with model_calls.unrecorded(), one_thread(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model.train(train)
        for batch in batches:
            inputs = (
                dict(batch)
                if positions
                else {k: v for k, v in batch.items() if k != "position_ids"}
            )
            if not labels:
                inputs["labels"] = inputs["input_ids"]
            if shifted:
                loss = model(**inputs, use_cache=cache).loss
            else:
                logits = model(
                    **{k: v for k, v in inputs.items() if k != "labels"}, use_cache=cache
                ).logits
                loss = torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]),
                    inputs["labels"].reshape(-1),
                    ignore_index=-100,
                )
            if update:
                loss.backward()
                optimizer.step()
            if zero:
                optimizer.zero_grad()
            losses.append(loss.item())
    return losses


#: The ways of training that a wrong answer's losses can match, by the settings of :func:`simulate`.
TRAINING_WAYS = {
    "right": {},
    "eval": {"train": False},
    "no zero_grad": {"zero": False},
    "no update": {"update": False},
    "cache": {"cache": True},
    "no positions": {"positions": False},
    "ids as labels": {"labels": False},
    "unshifted": {"shifted": False},
    "eval, cache": {"train": False, "cache": True},
}

#: The ways of the training steps themselves gone wrong: the mistake's id, what it did, and why.
STEP_MISTAKES = {
    "eval": (
        "eval_mode",
        "the model trained in eval mode: dropout was off.",
        "the model comes in eval mode; call `model.train()` before the loop",
    ),
    "no zero_grad": (
        "no_zero_grad",
        "the gradients were never cleared: each step added this batch's gradients to all earlier ones.",
        "call `optimizer.zero_grad()` once per step",
    ),
    "ids as labels": (
        "labels_across_texts",
        "the losses of labels without -100 between the texts: each text's first token was learned from the text "
        "before it.",
        "`labels=batch['input_ids']` (the usual causal-LM recipe) has no -100 at each text's start, so the model "
        "learns to guess the first token of the next text from a text it has nothing to do with; the collator's "
        "`labels` have the -100s",
    ),
    "no update": (
        "no_update",
        "the model never changed: every loss is the untrained model's.",
        "`loss.backward()` computes the gradients and `optimizer.step()` applies them: call both, in that order, "
        "for every batch (a `zero_grad()` between them wipes the gradients before the step)",
    ),
    "unshifted": (
        "labels_not_shifted",
        "the losses of a loss computed by hand with the labels not shifted: each position's logits were scored "
        "against its own token.",
        "a causal LM's logits at position t predict the token at t + 1; the model's own `.loss` shifts the labels "
        "(`ForCausalLMLoss`): use `model(**batch, use_cache=False).loss`, or score `logits[:, :-1]` against "
        "`labels[:, 1:]`",
    ),
}


@functools.lru_cache(maxsize=8)
def _runs_of(description: str) -> dict[str, list[float] | None]:
    """Each way's losses; None for a way that cannot run (without position ids a packed row longer than the
    model's positions has no embedding for its last columns: IndexError, as the learner's run gets)."""
    case = next(c for c in _train_cases() if c.description == description)
    found: dict[str, list[float] | None] = {}
    for name, settings in TRAINING_WAYS.items():
        try:
            found[name] = simulate(case, **settings)
        except IndexError:
            found[name] = None
    return found


def _close(found: list[float], expected: list[float] | None) -> bool:
    return (
        expected is not None
        and len(found) == len(expected)
        and all(math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-5) for a, b in zip(found, expected))
    )


def _returned_losses(result: Any, count: int) -> list[float]:
    if result is None:
        raise gates.returned_none("train_packed", f"a list of {count} losses (floats)")
    return gates.losses(result, "train_packed", count)


@run_exercise(
    "Training steps on packed batches",
    cases=_train_cases,
    watch=_seeded,
    explain=_explain,
    seconds=10.0,  # it trains a model: a loaded machine must not make a right answer time out
    mutation=(
        "`batch.pop(...)`, `del batch[...]` or assigning into a batch changes the caller's batches",
        "leave the batches as they are: build a new dict when you move them, `{k: v.to(model.device) ...}`",
    ),
    hints=(
        "The loop of section 10's `train_steps` (given there), with two changes: the collator's batch is a plain "
        "dict (move each tensor to `model.device`), and the call needs `use_cache=False`.",
        "`model.train()`; then per batch the loss of `model(**batch, use_cache=False)`, `loss.backward()`, "
        "`optimizer.step()`, `optimizer.zero_grad()`, and keep `loss.item()`.",
    ),
)
def train_packed(result, case: Case, run: Run) -> None:
    """`train_packed(model, optimizer, batches)` puts the model in training mode and, for each packed batch, computes
    its loss with every text kept to itself (no cache, no mask, the batch's position ids), backpropagates, steps and
    clears the gradients; it returns the losses as a list of floats."""
    runs = _runs_of(case.description)
    found = _returned_losses(result, len(case.args[2]))
    if _close(found, runs["right"]):
        return
    named = _named_by_calls(_calls(run), list(case.args[2]))
    if named is not None:
        if _close(found, runs["eval, cache"]):
            named.cause += "; and the model ran in eval mode: call `model.train()` before the loop"
        raise named
    for name, (mistake_id, problem, cause) in STEP_MISTAKES.items():
        if _close(found, runs[name]):
            raise Mistake(
                problem,
                id=mistake_id,
                expected="the losses of training steps on these packed batches",
                found=f"losses {[round(v, 4) for v in found]}",
                cause=cause,
            )
    if _close(found, runs["cache"]) or _close(found, runs["eval, cache"]):
        raise _texts_attend(
            "the texts of each batch attended to each other: these are the losses of one causal mask over each "
            "whole row.",
            f"losses {[round(v, 4) for v in found]}",
            "`model(**batch, use_cache=False)`",
        )
    if _close(found, runs["no positions"]):
        raise _no_position_ids(
            "the losses of batches without their position ids.",
            found=f"losses {[round(v, 4) for v in found]}",
            cause="without `position_ids` the model numbers the row 0, 1, 2, ... and sees one long text",
            hint="pass the whole batch: `model(**batch, use_cache=False)`",
        )
    raise Mistake(
        "the losses differ from training steps on these packed batches.",
        id="losses_differ",
        expected="one forward call per batch (no cache, no mask, its position ids and labels), then "
        "`loss.backward()`, `optimizer.step()`, `optimizer.zero_grad()`, with the optimizer you were given",
        found=f"losses {[round(v, 4) for v in found]}",
        cause="the first loss is right, so each batch reached the model; the update between batches differs"
        if _close(found[:1], runs["right"][:1])
        else "the first loss, before any update, is not the model's loss on the first batch: check what the call "
        "was given, and do not seed the random generator inside the function (the check seeds it)",
    )

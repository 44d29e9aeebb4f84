"""What the section modules share: the active tokenizer and model, the seed's ids, checking logits.

The first checks on any answer (None, a list or an array where a tensor belongs, the tokenizer's whole output)
are :mod:`checker.gates`; :func:`token_ids` is :func:`checker.diagnose.token_ids` with the active tokenizer's
pad id; :func:`logits_from_one_call` names every way of getting logits other than one batched model call. Each
mistake here has its id once (``no_model_call``, ``typed_in``, ``call_shape``, ...): a section must not reuse it
for another mistake (tests/checker/test_mistake_ids.py).
"""

from __future__ import annotations

import torch

from .. import config, diagnose, references
from ..compare import Tolerance
from ..model import load_model
from ..model_calls import ModelCall
from ..outcome import Mistake


def tokenizer():
    return load_model().tokenizer


def manual_ids(text: str) -> list[int]:
    """The seed's manual tokenization: tokenize() then convert_tokens_to_ids(), no special tokens."""
    tok = tokenizer()
    return tok.convert_tokens_to_ids(tok.tokenize(text))


def seed_manual_ids() -> list[int]:
    return manual_ids(references.SEED_TEXT)


def token_ids(found, expected: torch.Tensor, name: str, tok=None) -> torch.Tensor:
    """:func:`checker.diagnose.token_ids` with the pad id of ``tok`` (the active tokenizer by default), whose
    tokens also name the ids in the message."""
    tok = tok or tokenizer()
    return diagnose.token_ids(found, expected, pad_id=tok.pad_token_id, tokenizer=tok, name=name)


def tokenizer_ids(texts, **kwargs) -> torch.Tensor:
    return tokenizer()(texts, return_tensors="pt", **kwargs)["input_ids"]


def reference_logits(
    value,
    name: str,
    reference: str,
    known: tuple[tuple[str, str, str], ...] = (),
    tol: Tolerance | None = None,
    computed: dict[str, tuple[torch.Tensor, str]] | None = None,
) -> torch.Tensor:
    """Check logits against the stored reference ``reference``; each ``(label, reference name, cause)`` of
    ``known`` is a wrong computation to name when the answer matches it (other checkpoints are always named), and
    so is each ``label: (logits, cause)`` of ``computed``."""
    _distilbert_typed_in(value, name, reference)
    alternatives = {label: (references.get(ref), cause) for label, ref, cause in known}
    alternatives.update(computed or {})
    alternatives.update(references.other_checkpoints(reference))
    return diagnose.logits(
        value, references.get(reference), tol, name=name, alternatives=alternatives
    )


def _distilbert_typed_in(value, name: str, reference: str) -> None:
    """The original course's DistilBERT numbers, which the notebooks quote, written in by hand: at their printed
    precision, they are typed (DistilBERT's own float32 logits are not rounded to four decimals)."""
    published = references.DISTILBERT_PUBLISHED.get(reference)
    if published is None or config.checkpoint() == config.DISTILBERT_SST2:
        return
    quoted = torch.tensor(published)
    if not isinstance(value, torch.Tensor) or value.shape != quoted.shape:
        return
    close = bool(((value.detach().double().cpu() - quoted.double()).abs() <= 1e-6).all())
    if close and typed_decimals(value) is not None:
        raise _typed_in(
            f"`{name}` holds the original course's DistilBERT numbers, typed in.",
            expected="the logits this notebook's model computes",
            found=f"{published}, as the text quotes them",
            cause="these numbers were printed by another model (DistilBERT, in the original course); this "
            "notebook's model gives other logits for the same ids",
            hint="compute them: call `model` on the ids and take `.logits`",
        )


def computed_in_one_call(
    call: ModelCall | None,
    name: str,
    *,
    batch: int,
    width: int,
    masked: bool | None = None,
    how: str,
) -> None:
    """Right numbers must also come from one call of the model on the whole batch (``how`` says which call)."""
    if call is None:
        raise _no_call(
            name,
            f"the `.logits` of one call on the whole batch: {how}",
            cause="rows computed one at a time and joined (`torch.cat`), numbers typed in, or the logits "
            "of another model object: the exercise is about what one batched call gives",
        )
    _wrong_call(call, name, batch=batch, width=width, masked=masked, how=how)


def _no_call(name: str, expected: str, *, cause: str = "", hint: str = "") -> Mistake:
    """Right numbers that no recorded call of the course model returned."""
    return Mistake(
        f"`{name}` has the right numbers, but no call of the course model in this notebook returned "
        "exactly this tensor.",
        id="no_model_call",
        expected=expected,
        found="numbers that no single model call returned",
        cause=cause,
        hint=hint,
    )


def _typed_in(problem: str, *, expected: str, found: str, cause: str, hint: str) -> Mistake:
    """Numbers on a print's grid of decimals: typed in or copied, not computed."""
    return Mistake(problem, id="typed_in", expected=expected, found=found, cause=cause, hint=hint)


# --- logits that must be the output of one model call (added for sections 3 and 5) ---------------------

from .. import compare, model_calls  # noqa: E402  (for the helpers below, kept apart from the ones above)

#: An entry counts as written with few decimals when it lies this close (times max(1, |x|)) to such a number.
TYPED_SLACK = 2e-6


def typed_decimals(values: torch.Tensor, most: int = 4) -> int | None:
    """The fewest decimals (at most ``most``) every entry of ``values`` is written with, else None.

    Logits copied from a print are rounded to 4 decimals or fewer; a model's own float32 logits almost never
    are (for four entries, about one chance in ten million).
    """
    flat = values.detach().double().reshape(-1)
    if flat.numel() == 0:
        return None
    slack = TYPED_SLACK * flat.abs().clamp(min=1)
    for decimals in range(most + 1):
        if bool(((flat - flat.round(decimals=decimals)).abs() <= slack).all()):
            return decimals
    return None


def logits_from_one_call(
    value,
    call: ModelCall | None,
    name: str,
    reference: str,
    *,
    batch: int,
    width: int,
    how: str,
    point: str,
    masked: bool | None = None,
    known: tuple[tuple[str, str, str], ...] = (),
    computed: dict[str, tuple[torch.Tensor, str]] | None = None,
) -> torch.Tensor:
    """Logits that must be ``.logits`` of ONE call of the course model on the batch of shape (batch, width).

    ``how`` is that call (`model(batched_ids).logits`); ``point`` says in a sentence why the exercise needs it.
    Every other way of getting the numbers is named by what the evidence shows: a call on another batch or
    with(out) a mask (the recorded call), rows of separate calls joined (the calls of this kernel), numbers
    typed in from a print (their decimals); where nothing shows how, it says so without guessing.
    """
    values = compare.logits_tensor(value, name)
    expected = references.get(reference)
    _distilbert_typed_in(value, name, reference)
    alternatives = {label: (references.get(ref), cause) for label, ref, cause in known}
    alternatives.update(
        computed or {}
    )  # wrong computations the exercise computes itself (label: logits, cause)
    alternatives.update(_other_transforms(expected))
    alternatives.update(references.other_checkpoints(reference))
    if values.shape == expected.shape:  # a wrong shape is named by diagnose.logits below
        if call is None:
            _not_one_call(values, name, expected, alternatives, how=how, point=point)
        else:
            _wrong_call(call, name, batch=batch, width=width, masked=masked, how=how)
    elif call is not None and (call.batch, call.width) != (batch, width):
        _wrong_call(call, name, batch=batch, width=width, masked=masked, how=how)
    elif values.dim() == 1 and values.shape == expected.shape[1:]:
        _one_row_taken(values, name, expected, how)
    try:
        values = diagnose.logits(values, expected, name=name, alternatives=alternatives)
    except Mistake as mistake:
        if call is not None and mistake.problem.startswith(f"`{name}` differs from the reference"):
            mistake.cause = _why_a_right_call_differs(how)
        raise
    if call is None:
        raise _no_call(
            name,
            f"the `.logits` of one call on the whole batch: {how}",
            hint=f"assign the call's output: `{name} = {how.strip('`')}`",
        )
    return values


def _other_transforms(expected: torch.Tensor) -> dict[str, tuple[torch.Tensor, str]]:
    found = {
        "sigmoid probabilities": (
            torch.sigmoid(expected),
            "`torch.sigmoid` turns the logits into probabilities; the task asks for the raw logits",
        ),
        "log-probabilities (`log_softmax`)": (
            torch.log_softmax(expected, dim=-1),
            "the task asks for the raw logits, before any softmax",
        ),
    }
    if expected.dim() == 2 and expected.shape[0] == expected.shape[1]:
        found["the logits transposed"] = (
            expected.T.contiguous(),
            "`.T` swaps rows and columns: one row per sequence, one column per label",
        )
    return found


def _not_one_call(
    values: torch.Tensor,
    name: str,
    expected: torch.Tensor,
    alternatives: dict,
    *,
    how: str,
    point: str,
) -> None:
    """No recorded call returned ``values``: name how they were made where the evidence shows it."""
    # A row of an unpadded sequence can be bit-equal in a batch of one and in a batch (on one thread it is):
    # all rows from one batched call are a slice of it; else rows that each have a call on a batch of one
    # were computed one at a time, whatever came later.
    sources = model_calls.row_sources(values)
    one_batch = (
        bool(sources)
        and sources[0] is not None
        and sources[0].batch > 1
        and all(source is sources[0] for source in sources)
    )
    if not one_batch:
        alone = model_calls.row_sources(values, batch_of_one=True)
        if alone and all(source is not None for source in alone):
            sources = alone
    if sources and all(source is not None for source in sources):
        raise _assembled(name, sources, how, point)
    decimals = typed_decimals(values)
    if decimals is None:
        return
    tol = compare.tolerance_for(values)
    if compare.close(values, expected, tol):
        match = ": the right logits, as a print shows them"
    else:
        match = next(
            (
                f": {label}"
                for label, (alternative, _) in alternatives.items()
                if alternative.shape == values.shape and compare.close(values, alternative, tol)
            ),
            "",
        )
    raise _typed_in(
        f"`{name}` holds numbers typed in, not the tensor a model call returned.",
        expected=f"the `.logits` of one call on the whole batch: {how}",
        found=f"numbers written with at most {decimals} decimals{match}; no call of the course model "
        "returned them",
        cause="a model's float32 logits have about seven significant digits; a print shows four decimals: "
        f"these were copied (or made up), not computed. {point}",
        hint=f"assign the call's output itself: `{name} = {how.strip('`')}`",
    )


def _assembled(name: str, sources: list[ModelCall], how: str, point: str) -> Mistake:
    calls: list[ModelCall] = []
    for source in sources:
        if not any(source is seen for seen in calls):
            calls.append(source)
    expected = f"the `.logits` of one call on the whole batch: {how}"
    if len(calls) == 1:
        (one,) = calls
        if one.batch == 1:
            return Mistake(
                f"`{name}` is built from the row of a model call on a batch of one (shape (1, {one.width})), "
                "not returned by one call on the batch.",
                id="row_of_batch_of_one",
                expected=expected,
                found=f"all {len(sources)} rows equal to that call's row",
                cause="the rows were copied or joined after calls on one sequence (`torch.cat`, `torch.stack`, "
                f"`repeat`). {point}",
            )
        return Mistake(
            f"`{name}` takes its rows from a model call on a batch of shape ({one.batch}, {one.width}).",
            id="rows_of_another_call",
            expected=expected,
            found="each row equal to a row of that call's logits, not the tensor it returned",
            cause=f"rows picked from a call on another batch (a slice such as `[:2]`, or indexing). {point}",
        )
    rows = "; ".join(
        f"row {i} from a call on shape ({s.batch}, {s.width})" for i, s in enumerate(sources)
    )
    alone = all(c.batch == 1 for c in calls)
    return Mistake(
        f"`{name}` was put together from {len(calls)} separate model calls.",
        id="joined_calls",
        expected=expected,
        found=rows,
        cause=(
            "each row was computed by its own call on a batch of one, and the rows were "
            "joined (`torch.cat`, `torch.stack`). "
            if alone
            else "rows of different calls were joined. "
        )
        + point,
    )


def _wrong_call(
    call: ModelCall, name: str, *, batch: int, width: int, masked: bool | None, how: str
) -> None:
    """The recorded call that returned the answer is not the call the task asks for."""
    if (call.batch, call.width) != (batch, width):
        cause = ""
        if call.batch == batch and call.width == width + 2:
            cause = (
                "two ids more per row: `[CLS]` and `[SEP]`, which `tokenizer(...)` adds; this exercise calls the "
                "model on the ids as they are"
            )
        elif call.batch == 1 and batch > 1:
            cause = "that is a batch of one sequence; the exercise calls the model once on the whole batch"
        raise Mistake(
            f"`{name}` comes from a model call on a batch of shape ({call.batch}, {call.width}).",
            id="call_shape",
            expected=f"a call on the batch of shape ({batch}, {width}): {how}",
            found=f"a call on shape ({call.batch}, {call.width})",
            cause=cause,
        )
    if masked is not None and call.masked != masked:
        if call.masked:
            ones = all(n == call.width for n in call.lengths)
            found = "a call with `attention_mask=`" + (
                " (all ones: it masks nothing, but the task asks for no mask)" if ones else ""
            )
        else:
            found = "a call without `attention_mask=`"
        raise Mistake(
            f"`{name}` comes from a call {'with' if call.masked else 'without'} an attention mask.",
            id="call_mask",
            expected=f"a call {'with' if masked else 'without'} one: {how}",
            found=found,
        )


def _one_row_taken(values: torch.Tensor, name: str, expected: torch.Tensor, how: str) -> None:
    (source,) = model_calls.row_sources(values[None]) or [None]
    raise Mistake(
        f"`{name}` has no batch dimension: it is one row.",
        id="one_row_taken",
        expected=f"shape {tuple(expected.shape)}, one row per sequence",
        found=f"shape {tuple(values.shape)}",
        cause=f"one row of the logits of a call on shape ({source.batch}, {source.width}) was taken "
        "(`logits[i]`); keep the whole tensor"
        if source is not None
        else "",
        hint=f"`{name} = {how.strip('`')}`",
    )


def _why_a_right_call_differs(how: str) -> str:
    """A call of the right shape (and mask) gave other numbers: only its input or the model's mode can differ."""
    if load_model().model.training:
        return (
            "the model is in training mode (`model.train()`): dropout changes every call's numbers; "
            "call `model.eval()` and run the model again"
        )
    return (
        f"a call of the shape the task asks for gave other numbers: its ids were not the ones of {how}, or the "
        "model was in training mode (dropout) when it ran"
    )


def looks_typed(value: torch.Tensor, decimals: int = 4) -> bool:
    """Every number has at most ``decimals`` decimals, as a print shows them: typed in or copied, not computed."""
    scaled = value.detach().double().reshape(-1) * 10**decimals
    return scaled.numel() > 0 and bool(((scaled - scaled.round()).abs() < 0.02).all())


def not_from_one_call(value, name: str, *, batch: int, width: int, how: str) -> Mistake:
    """Why right numbers that no single model call returned are refused, as far as the evidence shows it:
    rows from separate calls on batches of one (seen in this kernel), numbers on a print's 4-decimal grid, or
    neither (then no cause is guessed)."""
    from ..model_calls import row_calls

    expected = (
        f"the `.logits` of one call on the whole padded batch, shape ({batch}, {width}): {how}"
    )
    rows = row_calls(value)
    if rows:
        shapes = ", ".join(f"({c.batch}, {c.width})" for c in rows)
        return Mistake(
            f"`{name}` was computed one sequence at a time: its rows are the logits of {len(rows)} separate "
            "model calls on batches of one, joined together.",
            id="one_at_a_time",
            expected=expected,
            found=f"{len(rows)} calls, on shapes {shapes}",
            cause="`torch.cat` (or `torch.stack`) of sequences run alone gives the same numbers up to "
            "rounding, but this exercise is about the one batched call that gives them",
            hint=f"call the model once on the padded batch with its mask: {how}",
        )
    if isinstance(value, torch.Tensor) and looks_typed(value):
        return _typed_in(
            f"`{name}` holds numbers with at most 4 decimals, as a print shows them: they were typed in "
            "or rounded, not returned by the model.",
            expected=expected,
            found="numbers no model call returned, all on a 4-decimal grid",
            cause="a printed tensor is rounded to 4 decimals; the answer is the tensor the model returns",
            hint=f"assign the model's output itself: {how}",
        )
    return _no_call(name, expected, hint=f"assign the logits of the call itself: {how}")


#: What a padding function that changes the caller's lists is told (sections 4 and 6).
PADDING_MUTATION = (
    "`.append`, `.extend` or `+=` on a sequence change the caller's list in place (`list(sequences)` "
    "and `sequences[:]` copy only the outer list, not the sequences in it)",
    "build new lists: `seq + [pad_id] * (width - len(seq))`",
)


def overlap(first: list[int], second: list[int]) -> int:
    """How many tokens at the end of ``first`` start ``second`` (windows with a stride, sections 7 and 9)."""
    for k in range(min(len(first), len(second)), 0, -1):
        if first[-k:] == second[:k]:
            return k
    return 0

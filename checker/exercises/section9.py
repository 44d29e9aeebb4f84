"""Section 9, notebook ``09_pairs_of_sequences.ipynb``: two texts in one sequence, truncated and windowed.

Five exercises: ``pair`` (the tokenizer's output for a pair of texts), ``token_types`` (a function that
builds ``token_type_ids`` from a pair's ids), ``qa_inputs`` (a function that truncates only the context of a
question and a context), ``qa_windows`` (overflowing windows over the contexts of several pairs, with their
offsets) and ``answer_text`` (a function that maps a window's tokens back to the characters of the context).
The function exercises run on pairs the notebook does not show.
"""

from __future__ import annotations

import numbers
from contextlib import contextmanager
from typing import Any

import torch

from .. import compare, diagnose, gates
from ..data import read_examples
from ..exercise import function_exercise, value_exercise
from ..harness import Case
from ..outcome import Mistake
from . import _shared

#: The pair of the first Try it!
FIRST = "The room was small and the walls were thin."
SECOND = "The view of the harbour made up for it."
#: qa_windows: one question for each of the two longest reviews of the course data, and the window settings.
QUESTIONS = ("Why did the family choose this resort?", "How long did the work on the kitchen take?")
WINDOW_LENGTH, WINDOW_STRIDE = 128, 32


def long_reviews() -> tuple[str, str]:
    """The two reviews of the course data with the most words (ties: the first), the contexts of ``qa_windows``."""
    examples = read_examples("train") + read_examples("heldout")
    ranked = sorted(range(len(examples)), key=lambda i: (-len(examples[i].text.split()), i))
    return examples[ranked[0]].text, examples[ranked[1]].text


def _has_types(tok) -> bool:
    return "token_type_ids" in tok.model_input_names


# --- pair: the tokenizer's output for two texts ----------------------------------------------------


def _encoding(value: Any, name: str, call: str) -> Any:
    """The learner's tokenizer output (a mapping with input_ids), or a Mistake saying what it is instead."""
    if (
        isinstance(value, (list, tuple))
        and value
        and all(hasattr(v, "keys") and "input_ids" in v.keys() for v in value)
    ):
        raise Mistake(
            f"`{name}` is a list of {len(value)} tokenizer outputs, not one.",
            id="separate_outputs",
            expected=f"the whole output of one call, `{call}`",
            found=compare.describe(value),
            cause="the tokenizer was called once per item: one call on the lists batches them all, and its "
            "`overflow_to_sample_mapping` says which item each row comes from",
            hint=f"one call on the lists: `{call}`",
        )
    if (
        isinstance(value, torch.Tensor)
        or hasattr(value, "shape")
        or isinstance(value, (list, tuple))
    ):
        raise Mistake(
            f"`{name}` is a single tensor or list, not the tokenizer's output.",
            id="single_tensor",
            expected=f"the whole output of `{call}`: input_ids, token_type_ids and attention_mask together",
            found=compare.describe(value),
            cause="`['input_ids']` (or `tokenizer.encode`) keeps only the ids; the model needs the other "
            "fields too",
            hint="keep what the tokenizer returns, without `['input_ids']`",
        )
    if not hasattr(value, "keys") or not callable(getattr(value, "keys", None)):
        raise Mistake(
            f"`{name}` is not the tokenizer's output.",
            id="not_tokenizer_output",
            expected=f"what `{call}` returns",
            found=compare.describe(value),
        )
    if "input_ids" not in value.keys():
        raise Mistake(
            f"`{name}` has no `input_ids`.",
            id="no_input_ids",
            expected=f"the output of `{call}`",
            found=f"keys {list(value.keys())[:6]}",
        )
    return value


def _field_tensor(value: Any, name: str) -> torch.Tensor:
    """One field of a tokenizer output that the task wants as a PyTorch tensor."""
    mistake = gates.not_a_tensor(
        value,
        name,
        "PyTorch tensors",
        cause=gates.TOKENIZER_FIELDS,
        hint=gates.RETURN_TENSORS,
        kinds=("list", "numpy"),
    )
    if mistake is not None:
        raise mistake
    return compare.id_tensor(value, name)


def _pair_variants(tok) -> dict[str, tuple[list[int], str, str]]:
    """Wrong ways to encode the pair: their ids (one row), what they are, and why."""
    return {
        "joined": (
            tok(FIRST + " " + SECOND)["input_ids"],
            "one sequence: the two texts were joined into one string",
            "`first + ' ' + second` is one text, so there is no [SEP] between them; give the tokenizer two "
            "arguments, `tokenizer(first, second, ...)`",
        ),
        "swapped": (
            tok(SECOND, FIRST)["input_ids"],
            "the pair in the wrong order: `second` first",
            "the first argument becomes the first sequence (token type 0): `tokenizer(first, second, ...)`",
        ),
        "no_special_tokens": (
            tok(FIRST, SECOND, add_special_tokens=False)["input_ids"],
            "the pair without [CLS] and [SEP]",
            "`add_special_tokens=False` leaves them out, and the model was trained with them",
        ),
        "first_only": (
            tok(FIRST)["input_ids"],
            "only the first text",
            "the second text was never passed",
        ),
        "second_only": (
            tok(SECOND)["input_ids"],
            "only the second text",
            "the first text was never passed",
        ),
    }


@value_exercise(
    "Encode a pair of texts",
    hints=(
        "Give the tokenizer both texts as two arguments: it builds one sequence of the pair.",
        '`tokenizer(first, second, return_tensors="pt")`',
    ),
)
def pair(pair) -> None:
    """`pair` is the tokenizer's output for (`first`, `second`) as one pair, PyTorch tensors (a batch of one)."""
    tok = _shared.tokenizer()
    expected = tok(FIRST, SECOND, return_tensors="pt")
    call = 'tokenizer(first, second, return_tensors="pt")'
    encoding = _encoding(pair, "pair", call)
    ids = _field_tensor(encoding["input_ids"], "pair['input_ids']")
    want = expected["input_ids"]
    if ids.dim() == 2 and ids.shape[0] == 2:
        two = tok([FIRST, SECOND], padding=True, return_tensors="pt")["input_ids"]
        if ids.shape == two.shape and torch.equal(ids, two):
            raise Mistake(
                "`pair` is a batch of two separate sequences, not one pair.",
                id="two_sequences",
                expected=f"one sequence for the pair: shape {tuple(want.shape)}",
                found=f"shape {tuple(ids.shape)}: each text in its own row",
                cause="a list `[first, second]` is a batch of two texts; two arguments make a pair",
                hint=f"`{call}`",
            )
    if ids.dim() == 2 and ids.shape[0] > 1:
        raise Mistake(
            f"`pair` holds {ids.shape[0]} sequences.",
            id="pair_sequence_count",
            expected=f"one sequence for the pair: shape {tuple(want.shape)}",
            found=f"shape {tuple(ids.shape)}",
            cause="a list of texts (or of tokens) is a batch: each of its items becomes a row of its own",
            hint=f"pass the two strings as two arguments: `{call}`",
        )
    if (
        ids.dim() == 2
        and ids.shape[0] == 1
        and ids.shape[1] > want.shape[1]
        and ids.shape[1] == tok.model_max_length
    ):
        raise Mistake(
            "`pair` is padded to the model's maximum length.",
            id="padded_to_model_max",
            expected=f"shape {tuple(want.shape)}",
            found=f"shape {tuple(ids.shape)}",
            cause="`padding='max_length'` pads to 512 tokens; one pair needs no padding",
            hint="leave out `padding` (or use `padding=True`)",
        )
    if (
        ids.dim() == 2
        and ids.shape[0] == 1
        and not (ids.shape == want.shape and torch.equal(ids, want))
    ):
        row = ids[0].tolist()
        for mistake_id, (variant, what, cause) in _pair_variants(tok).items():
            if row == variant:
                raise Mistake(
                    f"`pair` holds {what}.",
                    id=mistake_id,
                    expected=f"[CLS] first [SEP] second [SEP]: {want.shape[1]} ids",
                    found=f"{len(row)} ids: {gates.token_text(tok, row[:8])} …",
                    cause=cause,
                    hint=f"`{call}`",
                )
    _shared.token_ids(ids, want, "pair['input_ids']", tok)
    if _has_types(tok):
        if "token_type_ids" not in encoding.keys():
            raise Mistake(
                "`pair` has no `token_type_ids`.",
                id="no_token_type_ids",
                expected="token_type_ids: 0 for the first text, 1 for the second",
                found=f"keys {list(encoding.keys())[:6]}",
                cause="`return_token_type_ids=False`, or only some fields were kept",
                hint="leave out `return_token_type_ids`: this tokenizer returns them by default",
            )
        types = _field_tensor(encoding["token_type_ids"], "pair['token_type_ids']")
        want_types = expected["token_type_ids"]
        if types.shape == want_types.shape and not torch.equal(types, want_types):
            if not types.any():
                typed = torch.equal(
                    _field_tensor(encoding["input_ids"], "pair['input_ids']"), expected["input_ids"]
                )
                raise Mistake(
                    "`pair['token_type_ids']` is all 0: the tokenizer saw one sequence, not a pair."
                    if not typed
                    else "`pair['token_type_ids']` is all 0, beside the pair's right ids.",
                    id="types_of_one_sequence",
                    expected="0 for [CLS], the first text and its [SEP]; 1 for the second text and its [SEP]",
                    found="0 everywhere",
                    cause="the ids are the pair's: a `[SEP]` typed into one text gives them too, with token types "
                    "all 0, and so does setting the token types to 0 afterwards; the model reads the second "
                    "text by its token type 1",
                    hint=f"pass the texts as two arguments and keep what it returns: `{call}`",
                )
            position = int((types != want_types).nonzero()[0][1])
            raise Mistake(
                f"`pair['token_type_ids']` differs from the tokenizer's at position {position}.",
                id="wrong_token_type",
                expected=f"token type {int(want_types[0, position])}",
                found=f"{int(types[0, position])}",
                cause="let the tokenizer make the token types of the pair",
            )
        if types.shape != want_types.shape:
            raise Mistake(
                "`pair['token_type_ids']` does not have the shape of the ids.",
                id="types_shape",
                expected=f"shape {tuple(want_types.shape)}",
                found=compare.describe(types),
            )
    if "attention_mask" not in encoding.keys():
        raise Mistake(
            "`pair` has no `attention_mask`.",
            id="no_attention_mask",
            expected="the mask the tokenizer returns with the ids",
            found=f"keys {list(encoding.keys())[:6]}",
            cause="`return_attention_mask=False`, or only the ids were kept",
        )
    diagnose.attention_mask(
        _field_tensor(encoding["attention_mask"], "pair['attention_mask']"),
        expected["attention_mask"],
        name="pair['attention_mask']",
    )


# --- token_types(input_ids): token_type_ids by hand -----------------------------------------------


def reference_token_types(ids: list[int], sep_id: int, pad_id: int) -> list[int]:
    """0 up to and including the first [SEP], 1 after it; 0 on the padding."""
    types, seps = [], 0
    for token in ids:
        types.append(0 if token == pad_id or seps == 0 else 1)
        seps += token == sep_id
    return types


def _type_variants(
    ids: list[int], sep_id: int, pad_id: int
) -> list[tuple[str, list[int], str, str]]:
    right = reference_token_types(ids, sep_id, pad_id)
    first_sep = ids.index(sep_id) if sep_id in ids else len(ids)
    pads = [token == pad_id for token in ids]
    last_sep = max((i for i, t in enumerate(ids) if t == sep_id and not pads[i]), default=-1)
    real_one = [i for i, t in enumerate(right) if t == 1]
    return [
        (
            "first_sep_type_one",
            [1 if i == first_sep else t for i, t in enumerate(right)],
            "the first [SEP] has token type 1",
            "the [SEP] after the first text closes the first sequence: it gets 0, and the 1s start after it",
        ),
        (
            "padding_type_one",
            [1 if pads[i] and real_one else t for i, t in enumerate(right)],
            "the padding has token type 1",
            "padded positions get token type 0 (`tokenizer.pad_token_type_id`), like the first sequence",
        ),
        (
            "last_sep_type_zero",
            [0 if i == last_sep and real_one else t for i, t in enumerate(right)],
            "the [SEP] that ends the second text has token type 0",
            "the final [SEP] belongs to the second sequence: it gets 1",
        ),
        (
            "types_inverted",
            [1 - t if not pads[i] else 0 for i, t in enumerate(right)],
            "the token types are inverted",
            "the first sequence ([CLS], the first text, its [SEP]) is 0; the second is 1",
        ),
        (
            "types_all_zero",
            [0] * len(ids),
            "every token type is 0",
            "the tokens after the first [SEP] are the second sequence: they get 1",
        ),
    ]


def _returned_list(result: Any, name: str, what: str) -> list:
    if result is None:
        raise gates.returned_none(name, what)
    if isinstance(result, torch.Tensor) or type(result).__module__.startswith("numpy"):
        raise Mistake(
            f"`{name}` returned {compare.describe(result)}.",
            id="returned_tensor",
            expected=what,
            found=compare.describe(result),
            cause="the task asks for a Python list",
            hint="build a list, or call `.tolist()` on the tensor",
        )
    if isinstance(result, tuple):
        raise Mistake(
            f"`{name}` returned a tuple.",
            id="returned_tuple",
            expected=what,
            found=compare.describe(result),
            hint="return a list: `list(...)` or a list comprehension",
        )
    if not isinstance(result, list):
        raise Mistake(
            f"`{name}` did not return a list.",
            id="returned_not_a_list",
            expected=what,
            found=compare.describe(result),
        )
    return result


def _types_cases() -> list[Case]:
    tok = _shared.tokenizer()
    padded = tok(
        ["The soup was cold.", "Loved it!"], ["We sent it back twice.", "Yes"], padding=True
    )["input_ids"]
    single = tok(["A quiet, friendly place with great coffee.", "Too loud."], padding=True)[
        "input_ids"
    ]
    return [
        Case(
            "a pair of two sentences, no padding",
            (
                tok("Is the museum open on Mondays?", "It opens every day except Tuesday.")[
                    "input_ids"
                ],
            ),
        ),
        Case("the shorter pair of a padded batch of two pairs", (padded[1],)),
        Case("the longer pair of that batch (no padding in its row)", (padded[0],)),
        Case("a single sentence (one [SEP]), padded", (single[1],)),
        Case("a single sentence, no padding", (single[0],)),
    ]


@function_exercise(
    "Token type ids by hand",
    cases=_types_cases,
    hints=(
        "Walk along the ids with a flag that turns on once you have passed the first [SEP] "
        "(`tokenizer.sep_token_id`).",
        "Each id gets 0 while the flag is off, 1 once it is on, and 0 if it is `tokenizer.pad_token_id`; "
        "turn the flag on after handling the [SEP], so that the [SEP] itself still gets 0.",
    ),
    mutation=(
        "assigning into `input_ids` (`input_ids[i] = ...`) or `.append` on it changes the caller's list",
        "build a new list of token types and return it",
    ),
)
def token_types(result, case: Case) -> None:
    """`token_types(input_ids)` returns a new list: 0 through the first [SEP], 1 after it, 0 on the padding."""
    tok = _shared.tokenizer()
    (ids,) = case.args
    expected = reference_token_types(ids, tok.sep_token_id, tok.pad_token_id)
    found = _returned_list(result, "token_types", f"a list of {len(ids)} token types (0 or 1)")
    odd = [t for t in found if isinstance(t, bool) or not isinstance(t, numbers.Integral)]
    if odd:
        raise Mistake(
            f"`token_types` returned a list that holds {type(odd[0]).__name__} values.",
            id="types_not_ints",
            expected="a list of the ints 0 and 1",
            found=compare.describe(found),
            cause="`True`/`False` are not token type ids" if isinstance(odd[0], bool) else "",
        )
    if len(found) != len(ids):
        raise Mistake(
            f"`token_types` returned {len(found)} values for {len(ids)} ids.",
            id="types_count",
            expected="one token type per id, padding included",
            found=f"{len(found)} values",
        )
    found = [int(t) for t in found]
    if found == expected:
        return
    for mistake_id, variant, what, cause in _type_variants(ids, tok.sep_token_id, tok.pad_token_id):
        if found == variant:
            raise Mistake(
                f"{what}.",
                id=mistake_id,
                expected="0 for [CLS], the first text and its [SEP]; 1 for the second text "
                "and its [SEP]; 0 for [PAD]",
                found=what,
                cause=cause,
            )
    position = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
    raise Mistake(
        f"the token type at position {position} ({gates.token_text(tok, [ids[position]])}) is wrong.",
        id="wrong_type_at",
        expected=f"{expected[position]}",
        found=f"{found[position]}",
        cause="0 up to and including the first [SEP], 1 after it, 0 for [PAD]",
    )


# --- qa_inputs(question, context, max_length): cut only the context ---------------------------------


def _returned_ids(result: Any, name: str) -> list[int]:
    output = gates.whole_output(
        result,
        name,
        "the list of input ids",
        returned=True,
        instead="its list of ids",
        hint={"tokenizer": "return its `['input_ids']`"},
    )
    if output is not None:
        raise output
    found = _returned_list(result, name, "the list of input ids")
    if found and all(isinstance(t, str) for t in found):
        raise Mistake(
            f"`{name}` returned tokens (strings), not ids.",
            id="tokens_not_ids",
            expected="the list of input ids",
            found=f"tokens such as {found[:3]}",
            cause="`tokenizer.tokenize()` gives token strings",
            hint="call the tokenizer itself on the pair (or convert them with `convert_tokens_to_ids`)",
        )
    odd = [t for t in found if isinstance(t, bool) or not isinstance(t, numbers.Integral)]
    if odd:
        raise Mistake(
            f"`{name}` returned a list that holds {type(odd[0]).__name__} values.",
            id="ids_not_ints",
            expected="a list of int ids",
            found=compare.describe(found),
        )
    return [int(t) for t in found]


@contextmanager
def _tokenizer_panics():
    """A tokenizer panic (``pyo3_runtime.PanicException``, not an ``Exception``) becomes a RuntimeError that the
    harness reports with the learner's line, instead of escaping the check."""
    try:
        yield []
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise RuntimeError(
            f"the tokenizer panicked: {str(error).splitlines()[0][:160]}"
        ).with_traceback(error.__traceback__) from None


def _encoded(tok, *texts: str, **options) -> list[int] | None:
    """The ids of ``texts`` with ``options``, or None where the tokenizer refuses (a strategy that cannot cut)."""
    try:
        return tok(*texts, **options)["input_ids"]
    except Exception:  # that strategy fails on this pair: it cannot be what the learner returned
        return None


def qa_variants(
    tok, question: str, context: str, max_length: int
) -> list[tuple[str, list[int], str, str]]:
    """Wrong ways to fit a question and a context into max_length tokens: (mistake id, ids, what, why)."""

    def ids(*texts, **options):
        return _encoded(tok, *texts, **options)

    whole = ids(question, context)
    found = [
        (
            "question_cut",
            ids(question, context, truncation="longest_first", max_length=max_length),
            "the question was cut too",
            "`truncation=True` is `longest_first`: it takes tokens from the longer text until both are the same length, "
            "then from both; `truncation='only_second'` cuts only the context",
        ),
        (
            "sep_cut_by_hand",
            whole[:max_length] if whole else None,
            "the ids were cut by hand and lost the final [SEP]",
            "`ids[:max_length]` cuts off the end, and [SEP] is the last id; let the tokenizer truncate",
        ),
        (
            "not_truncated",
            whole,
            "the pair is not truncated",
            "the tokenizer truncates only when asked: "
            "`truncation='only_second', max_length=max_length`",
        ),
        (
            "context_first",
            ids(context, question, truncation="only_first", max_length=max_length),
            "the context comes first",
            "the question is the first text and the context the second: `tokenizer(question, context, ...)`",
        ),
        (
            "context_first",
            ids(context, question, truncation=True, max_length=max_length),
            "the context comes first",
            "the question is the first text and the context the second: `tokenizer(question, context, ...)`",
        ),
        (
            "joined_string",
            ids(question + " " + context, truncation=True, max_length=max_length),
            "one sequence: question and context joined into one string",
            "a joined string has no [SEP] between them; give the tokenizer two texts",
        ),
        (
            "padded_to_max_length",
            ids(
                question,
                context,
                truncation="only_second",
                max_length=max_length,
                padding="max_length",
            ),
            "the ids are padded to max_length",
            "the task asks for the ids without padding (no `padding=`)",
        ),
        (
            "characters_cut",
            ids(question, context[:max_length]),
            "the context was cut to max_length characters",
            "`context[:max_length]` counts characters; `max_length` counts tokens, and the tokenizer counts them",
        ),
    ]
    return [(mid, v, what, why) for mid, v, what, why in found if v is not None]


def _qa_cases() -> list[Case]:
    return [
        Case(
            "a short question and a long context, max_length=32",
            (QA_QUESTIONS[0], QA_CONTEXTS[0], 32),
        ),
        Case(
            "a long question and a long context, max_length=40 (the question must stay whole)",
            (QA_QUESTIONS[1], QA_CONTEXTS[1], 40),
        ),
        Case("a pair that already fits in max_length=64", (QA_QUESTIONS[2], QA_CONTEXTS[2], 64)),
        Case(
            "a short question and a long context, max_length=24",
            (QA_QUESTIONS[2], QA_CONTEXTS[0], 24),
        ),
    ]


#: Questions and contexts the notebook does not show.
QA_QUESTIONS = (
    "Who cooked the dinner?",
    "After everything the reviewer says about the noise, the prices and the staff, would they stay at this "
    "hotel again?",
    "Was the film too long?",
)
QA_CONTEXTS = (
    "We booked the tasting menu for my father's birthday. The chef, a quiet man called Tomas, cooked every course "
    "himself and came out to explain the sauces. The lamb was perfect, the dessert less so, and the wine list was "
    "far too expensive for what it offered.",
    "The hotel sits above a bar that stays open until three in the morning, so the first two nights we barely slept. "
    "The prices were fair for the city, and the staff moved us to a quieter room without any fuss once we asked. "
    "Breakfast was generous. Would I come back? Yes, but only with a room at the back.",
    "Not at all: two hours went by quickly.",
)


@function_exercise(
    "Truncate only the context",
    cases=_qa_cases,
    watch=_tokenizer_panics,
    hints=(
        "A pair is two arguments to the tokenizer: the question first, then the context.",
        "`truncation='only_second'` cuts only the second text; `max_length` counts every token of the pair.",
        "`return tokenizer(question, context, truncation='only_second', max_length=max_length)['input_ids']`",
    ),
)
def qa_inputs(result, case: Case) -> None:
    """`qa_inputs(question, context, max_length)` returns the list of ids of the pair (question first), at most
    max_length long, with the question whole and only the context cut; a pair that fits is unchanged, unpadded."""
    tok = _shared.tokenizer()
    question, context, max_length = case.args
    expected = tok(question, context, truncation="only_second", max_length=max_length)["input_ids"]
    if (
        isinstance(result, list)
        and result
        and all(isinstance(r, list) for r in result)
        and result[0] == expected
    ):
        raise Mistake(
            f"`qa_inputs` returned {len(result)} window{'s' if len(result) != 1 else ''}: a list of lists of ids.",
            id="windows_returned",
            expected=f"one list of {len(expected)} ids",
            found=f"a list of {len(result)} lists of lengths {[len(r) for r in result][:5]}",
            cause="`return_overflowing_tokens=True` makes one list of ids per window; the first of them is the "
            "pair truncated, which is what the task asks for",
            hint="leave out `return_overflowing_tokens` (and `stride`): truncation alone",
        )
    found = _returned_ids(result, "qa_inputs")
    if found == expected:
        return
    for mistake_id, variant, what, why in qa_variants(tok, question, context, max_length):
        if found == variant:
            raise Mistake(
                f"{what}.",
                id=mistake_id,
                expected=f"{len(expected)} ids: [CLS] the whole question [SEP] the context, "
                "cut where it does not fit [SEP]",
                found=f"{len(found)} ids: {gates.token_text(tok, found[:6])} …",
                cause=why,
            )
    if 3 <= len(found) < len(expected) and found == _encoded(
        tok, question, context, truncation="only_second", max_length=len(found)
    ):
        raise Mistake(
            f"the pair was cut to {len(found)} ids.",
            id="cut_too_short",
            expected=f"{len(expected)} ids: max_length = {max_length}",
            found=f"{len(found)} ids",
            cause="`max_length` already counts [CLS] and the two "
            "[SEP]s: pass `max_length=max_length` as it is",
        )
    if len(found) > max_length:
        raise Mistake(
            f"the result has {len(found)} ids.",
            id="qa_wrong_length",
            expected=f"at most max_length = {max_length}",
            found=f"{len(found)} ids",
            cause="`max_length` counts every id of the pair, the special tokens too",
        )
    position = next(
        (i for i, (a, b) in enumerate(zip(found, expected)) if a != b),
        min(len(found), len(expected)),
    )
    raise Mistake(
        f"the result differs from the tokenizer's at position {position}.",
        id="qa_wrong_token",
        expected=f"{len(expected)} ids, token {gates.token_text(tok, expected[position : position + 1]) or 'none'} there",
        found=f"{len(found)} ids, token {gates.token_text(tok, found[position : position + 1]) or 'none'} there",
        cause="encode the pair itself (question, context), cutting only the context",
    )


# --- qa_windows: overflowing windows over several pairs ------------------------------------------------


def expected_windows(tok=None):
    """The tokenizer's windows over the two reviews, one question each, only the contexts cut."""
    tok = tok or _shared.tokenizer()
    return tok(
        list(QUESTIONS),
        list(long_reviews()),
        truncation="only_second",
        max_length=WINDOW_LENGTH,
        stride=WINDOW_STRIDE,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding=True,
        return_tensors="pt",
    )


def _context_of(row: list[int], tok) -> list[int]:
    """The context tokens of one window: between the first [SEP] and the next one."""
    sep = tok.sep_token_id
    if sep not in row:
        return []
    start = row.index(sep) + 1
    end = row.index(sep, start) if sep in row[start:] else len(row)
    return row[start:end]


def _contains(row: list[int], part: list[int]) -> bool:
    return any(row[i : i + len(part)] == part for i in range(len(row) - len(part) + 1))


@value_exercise(
    "Windows over the contexts of several pairs",
    hints=(
        "One tokenizer call: the list of questions, the list of contexts, and the window settings.",
        "`truncation='only_second'`, `max_length`, `stride`, `return_overflowing_tokens=True`, "
        "`return_offsets_mapping=True`, `padding=True`, `return_tensors='pt'`.",
    ),
)
def qa_windows(qa_windows) -> None:
    """`qa_windows` is the tokenizer's output for the pairs (questions[i], contexts[i]): windows of 128 tokens whose
    contexts overlap by 32, the questions whole, with overflow_to_sample_mapping and offset_mapping, as tensors."""
    tok = _shared.tokenizer()
    expected = expected_windows(tok)
    encoding = _encoding(qa_windows, "qa_windows", "tokenizer(questions, contexts, ...)")
    ids = _field_tensor(encoding["input_ids"], "qa_windows['input_ids']")
    want = expected["input_ids"]
    if ids.dim() != 2:
        raise Mistake(
            f"`qa_windows['input_ids']` has {ids.dim()} dimension(s).",
            id="window_dimensions",
            expected="a 2-D batch: (windows, tokens)",
            found=compare.describe(ids),
        )
    rows = ids.tolist()
    mapping = (
        encoding["overflow_to_sample_mapping"]
        if "overflow_to_sample_mapping" in encoding.keys()
        else None
    )
    if mapping is None and ids.shape[0] > len(QUESTIONS):
        raise Mistake(
            "`qa_windows` has no `overflow_to_sample_mapping`.",
            id="no_sample_mapping",
            expected="for each window, the index of the pair it came from",
            found=f"keys {list(encoding.keys())[:7]}",
            cause="it was removed (`.pop(...)`) or not kept: the task asks for the tokenizer's whole output",
            hint="keep the output as the tokenizer returns it; copy it before removing a field for the model",
        )
    if mapping is None or ids.shape[0] <= len(QUESTIONS):
        raise Mistake(
            "`qa_windows` holds one window per pair: the rest of each context was dropped.",
            id="one_window_per_pair",
            expected=f"{want.shape[0]} windows for {len(QUESTIONS)} pairs, with `overflow_to_sample_mapping`",
            found=f"{ids.shape[0]} rows",
            cause="without `return_overflowing_tokens=True` the tokenizer "
            "truncates and throws the overflow away",
            hint="add `return_overflowing_tokens=True`",
        )
    samples = (
        compare.integer_ids(mapping, "qa_windows['overflow_to_sample_mapping']")
        .reshape(-1)
        .tolist()
    )
    question_ids = [tok(q, add_special_tokens=False)["input_ids"] for q in QUESTIONS]
    if len(set(samples)) == 1 and len(QUESTIONS) > 1:
        raise Mistake(
            "`qa_windows` covers only one pair.",
            id="one_pair_only",
            expected=f"windows of all {len(QUESTIONS)} pairs: "
            "`overflow_to_sample_mapping` from 0 to 1",
            found=f"every window from pair {samples[0]}",
            cause="pass the lists `questions` and `contexts`, not one question and one context",
        )
    for row, sample in zip(rows, samples):
        question = question_ids[sample] if 0 <= sample < len(QUESTIONS) else []
        if question and row[1 : 1 + len(question)] != question:
            context_first = _contains(
                row[row.index(tok.sep_token_id) + 1 :] if tok.sep_token_id in row else [], question
            )
            raise Mistake(
                "Some windows do not start with their whole question.",
                id="question_not_whole",
                expected="[CLS] the question [SEP] a piece of the context [SEP] in every window",
                found=f"a window starting {gates.token_text(tok, row[:6])} …",
                cause="the context comes first: the question is the first text, "
                "`tokenizer(questions, contexts, ...)`"
                if context_first
                else "the question was cut: `truncation='only_second'` cuts only the contexts",
            )
    if ids.shape[1] > WINDOW_LENGTH:
        raise Mistake(
            f"The windows are {ids.shape[1]} tokens long.",
            id="window_length",
            expected=f"at most max_length = {WINDOW_LENGTH}",
            found=f"shape {tuple(ids.shape)}",
            cause="`max_length` is the length of each window, question and special tokens included",
        )
    overlaps = [
        _shared.overlap(_context_of(a, tok), _context_of(b, tok))
        for (a, s), (b, t) in zip(zip(rows, samples), zip(rows[1:], samples[1:]))
        if s == t
    ]
    if overlaps and set(overlaps) != {WINDOW_STRIDE}:
        found_overlap = max(set(overlaps), key=overlaps.count)
        raise Mistake(
            f"Consecutive windows of a pair share {found_overlap} context tokens.",
            id="overlap",
            expected=f"an overlap of stride = {WINDOW_STRIDE} tokens",
            found=f"{found_overlap} tokens, {ids.shape[0]} windows",
            cause="`stride` is the number of context tokens that consecutive windows share, not the step "
            "between them"
            if found_overlap > WINDOW_STRIDE
            else f"set `stride={WINDOW_STRIDE}`: each window repeats that many tokens of the one before",
        )
    if ids.shape[0] != want.shape[0]:
        raise Mistake(
            f"`qa_windows` holds {ids.shape[0]} windows.",
            id="window_count",
            expected=f"{want.shape[0]} windows",
            found=f"shape {tuple(ids.shape)}",
            cause=f"use `max_length={WINDOW_LENGTH}, stride={WINDOW_STRIDE}` on the two pairs",
        )
    if samples != expected["overflow_to_sample_mapping"].tolist():
        raise Mistake(
            "`overflow_to_sample_mapping` does not match the windows.",
            id="wrong_sample_mapping",
            expected="for each window, the index of its pair",
            found=f"{samples[:10]}",
            cause="keep the mapping the tokenizer returns",
        )
    _shared.token_ids(ids, want, "qa_windows['input_ids']", tok)
    if "offset_mapping" not in encoding.keys():
        raise Mistake(
            "`qa_windows` has no `offset_mapping`.",
            id="no_offset_mapping",
            expected="each token's (start, end) characters in its text",
            found=f"keys {list(encoding.keys())[:7]}",
            cause="the tokenizer returns offsets only when asked",
            hint="add `return_offsets_mapping=True`",
        )
    offsets = compare.to_tensor(encoding["offset_mapping"], "qa_windows['offset_mapping']")
    if offsets.shape != expected["offset_mapping"].shape or not torch.equal(
        offsets.long(), expected["offset_mapping"]
    ):
        raise Mistake(
            "`qa_windows['offset_mapping']` is not the tokenizer's.",
            id="wrong_offsets",
            expected=f"shape "
            f"{tuple(expected['offset_mapping'].shape)}: the offsets of these windows",
            found=compare.describe(offsets),
            cause="keep the offsets of the same tokenizer call",
        )
    if _has_types(tok) and "token_type_ids" in encoding.keys():
        types = compare.to_tensor(encoding["token_type_ids"], "qa_windows['token_type_ids']")
        if types.shape != want.shape or not torch.equal(types.long(), expected["token_type_ids"]):
            raise Mistake(
                "`qa_windows['token_type_ids']` is not the tokenizer's.",
                id="wrong_window_types",
                expected="0 for each question, 1 for each piece of context",
                found=compare.describe(types),
            )
    if "attention_mask" not in encoding.keys():
        raise Mistake(
            "`qa_windows` has no `attention_mask`.",
            id="no_window_mask",
            expected="the mask of the padded windows",
            cause="the last window of each pair is padded: the model needs the mask",
        )
    diagnose.attention_mask(
        encoding["attention_mask"], expected["attention_mask"], name="qa_windows['attention_mask']"
    )


# --- answer_text(context, offsets, start, end): tokens back to characters -------------------------------


def _context_start(offsets: list) -> int:
    """The index of a window's first context token: after [CLS], the question and [SEP] (offsets (0, 0))."""
    specials = [i for i, (a, b) in enumerate(offsets) if a == 0 and b == 0]
    return specials[1] + 1 if len(specials) > 1 else 0


def text_variants(
    context: str, offsets: list, start: int, end: int
) -> list[tuple[str, str, str, str]]:
    """Wrong readings of tokens start..end of a window: (mistake id, text, what, why)."""
    first = offsets[_context_start(offsets)][0]
    spans = [
        (
            "token_positions_as_characters",
            context[start : end + 1],
            "the token positions were used as character positions",
            "`start` and `end` count tokens; `offsets[start][0]` and `offsets[end][1]` are the characters",
        ),
        (
            "token_positions_as_characters",
            context[start:end],
            "the token positions were used as character positions",
            "`start` and `end` count tokens; `offsets[start][0]` and `offsets[end][1]` are the characters",
        ),
        (
            "stops_before_last_token",
            context[offsets[start][0] : offsets[end][0]],
            "the text stops before the last token",
            "`offsets[end][0]` is where the last token starts; it ends at `offsets[end][1]`",
        ),
        (
            "stops_before_last_token",
            context[offsets[start][0] : offsets[end - 1][1]],
            "the text stops before the last token",
            "`end` is included: the text runs to `offsets[end][1]`",
        ),
        (
            "misses_first_token",
            context[offsets[start + 1][0] : offsets[end][1]] if start + 1 < len(offsets) else None,
            "the text misses the first token",
            "`start` is included: the text begins at `offsets[start][0]`",
        ),
        (
            "offsets_from_window",
            context[offsets[start][0] - first : offsets[end][1] - first],
            "the offsets were taken as counting from the start of the window",
            "offsets count characters from the start of the whole context, in every window: use them as they are",
        ),
        (
            "one_character_too_far",
            context[offsets[start][0] : offsets[end][1] + 1],
            "the text runs one character too far",
            "`offsets[end][1]` is already one past the last character, as in a slice",
        ),
    ]
    right = context[offsets[start][0] : offsets[end][1]]
    pieces = [context[a:b] for a, b in offsets[start : end + 1]]
    spans += [
        (
            "words_as_tokens",
            " ".join(context.split()[start : end + 1]),
            "the token positions were used as word positions",
            "`start` and `end` count the window's tokens ([CLS] and the question first, words split into "
            "pieces), not the words of the context",
        ),
        (
            "pieces_joined_with_spaces",
            " ".join(pieces),
            "each token's characters were joined with a space",
            "tokens are pieces of words and punctuation: a space after every piece splits words "
            "that the context writes whole",
        ),
        (
            "pieces_joined",
            "".join(pieces),
            "the tokens' characters were joined with nothing between them",
            "the spaces between words lie between the tokens' offsets: they are lost when each token's "
            "characters are joined",
        ),
    ]
    tok = _shared.tokenizer()
    for special in (False, True):
        ids = tok(context, add_special_tokens=special)["input_ids"]
        spans.append(
            (
                "context_tokens_decoded",
                tok.decode(ids[start : end + 1]),
                "the text is decoded from the tokens of the context alone, not of the window",
                "`start` and `end` count the window's tokens, which begin with [CLS] and the question: "
                "in the context's own tokens they point elsewhere (and decoding lowercases)",
            )
        )
    spans.append(
        (
            "lowercased",
            right.lower(),
            "the text is lowercased",
            "the tokens are lowercase, but the offsets point into the original text: slice `context` itself",
        )
    )
    return [
        (mid, text, what, why)
        for mid, text, what, why in spans
        if text is not None and text != right
    ]


def _answer_cases() -> list[Case]:
    tok = _shared.tokenizer()
    cases = []
    for description, question, context, answer, length, stride in ANSWER_SETUPS:
        windows = tok(
            question,
            context,
            truncation="only_second",
            max_length=length,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        begin = context.index(answer)
        window, start, end = locate(windows, begin, begin + len(answer))
        cases.append(
            Case(description, (context, list(windows["offset_mapping"][window]), start, end))
        )
    return cases


def locate(windows, begin: int, stop: int) -> tuple[int, int, int]:
    """The last window whose context holds characters begin..stop, and the first and last token covering them."""
    found = None
    for w in range(len(windows["input_ids"])):
        sequence = windows.sequence_ids(w)
        spans = [
            (i, s, e)
            for i, ((s, e), q) in enumerate(zip(windows["offset_mapping"][w], sequence))
            if q == 1
        ]
        if spans and spans[0][1] <= begin and spans[-1][2] >= stop:
            start = next(i for i, s, e in spans if e > begin)
            end = max(i for i, s, e in spans if s < stop)
            found = (w, start, end)
    if found is None:
        raise ValueError("no window holds that span")
    return found


#: answer_text's public cases: (description, question, context, answer, max_length, stride).
ANSWER_SETUPS = (
    (
        "a several-token answer in a later window",
        "Where did we find the best almond cake?",
        "Our guide, Marta, met us at the harbour at seven. She led the walk through the Old Town, told stories about "
        "every church, and found us a tiny café that served the best almond cake in Lisbon. By noon we had climbed to "
        "the castle, where the views over the river were worth every step.",
        "a tiny café",
        32,
        8,
    ),
    (
        "a one-token answer",
        "Who met us at the harbour?",
        "Our guide, Marta, met us at the harbour at seven. She led the walk through the Old Town.",
        "Marta",
        24,
        4,
    ),
    (
        "an answer with capital letters and a number, far into the context",
        "Which platform did the train leave from?",
        "The ticket office opened late, the machines took only coins, and the announcements were in three languages at "
        "once. When we finally reached the right hall, the Intercity to Porto left from Platform 12B, on time to the "
        "minute.",
        "Platform 12B",
        28,
        6,
    ),
    (
        "an answer split into several word pieces",
        "What did the shop sell?",
        "At the end of the street there was a shop that sold nothing but handmade harmonicas and sheet music.",
        "handmade harmonicas",
        64,
        16,
    ),
)


@function_exercise(
    "From tokens back to the text",
    cases=_answer_cases,
    hints=(
        "`offsets[i]` is `(first character, one past the last character)` of token i in the context.",
        "The span starts where token `start` starts and ends where token `end` ends.",
        "`return context[offsets[start][0]:offsets[end][1]]`",
    ),
)
def answer_text(result, case: Case) -> None:
    """`answer_text(context, offsets, start, end)` returns the characters of `context` that tokens start..end (both
    included) of a window cover: `context[offsets[start][0]:offsets[end][1]]`, original case and spacing."""
    context, offsets, start, end = case.args
    expected = context[offsets[start][0] : offsets[end][1]]
    if (
        isinstance(result, (tuple, list))
        and len(result) == 2
        and all(isinstance(v, numbers.Integral) for v in result)
    ):
        raise Mistake(
            "`answer_text` returned two numbers.",
            id="positions_not_text",
            expected="the text itself (a string)",
            found=f"{tuple(result)}",
            cause="those are character positions",
            hint="slice the context with them: `context[a:b]`",
        )
    if result is None:
        raise gates.returned_none("answer_text", "a string")
    if not isinstance(result, str):
        raise Mistake(
            "`answer_text` did not return a string.",
            id="not_a_string",
            expected="the text of the tokens, a string",
            found=compare.describe(result),
        )
    if result == expected:
        return
    for mistake_id, text, what, why in text_variants(context, offsets, start, end):
        if result == text:
            raise Mistake(
                f"{what}.",
                id=mistake_id,
                expected=f"{len(expected)} characters of the context",
                found=f"{result[:40]!r}",
                cause=why,
            )
    if result.strip() == expected:
        raise Mistake(
            "the text has spaces around it.",
            id="spaces_around",
            expected="exactly the characters of the tokens",
            found=f"{result[:40]!r}",
            cause="slice the context: `context[offsets[start][0]:offsets[end][1]]`",
        )
    if result and result not in context:
        raise Mistake(
            "the text does not occur in the context at all.",
            id="text_not_from_context",
            expected=f"{len(expected)} characters cut from `context`",
            found=f"{result[:40]!r}, which `context` does not contain",
            cause="the answer is a slice of the context the function is given; a text written in, or built "
            "from elsewhere, fits one context only",
            hint="`context[offsets[start][0]:offsets[end][1]]`",
        )
    raise Mistake(
        "the text is not the characters of those tokens.",
        id="wrong_text",
        expected=f"{len(expected)} characters of the context",
        found=f"{result[:40]!r}",
        cause="slice the original context with the offsets: `context[offsets[start][0]:offsets[end][1]]`",
    )

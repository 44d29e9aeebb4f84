"""Fast, exact batched inference: classify many texts of any length at once.

:func:`classify` tokenizes every text once (truncated at the model's limit, or cut into
overlapping windows), sorts the sequences by length, groups them into batches padded only to
their own longest member and bounded by a budget of padded tokens, runs the model in
``torch.inference_mode`` and puts the logits back in input order. Padding on the right with an
attention mask changes nothing for a BERT-style model, so every row matches running that text
alone (within 1e-4 in fp32).

Which lengths share a batch is decided by :func:`plan_batches`: a small dynamic program over the
sorted lengths that weighs the padding a merge costs against the fixed cost of one more forward
call. With ``overhead_tokens=0`` it groups sequences of exactly equal length, the no-padding bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import torch

from checker.padding import pad_rows, right_pad

#: Padded tokens per batch (batch size × longest member), by device type. On the 2-core CPU of the
#: course, budgets from 1024 to 8192 ran within 5 % of each other on the benchmark corpus
#: (``python -m benchmarks.batching``) and 16384 was slower. The CUDA value is an estimate (no GPU
#: was at hand to tune it): GPUs need far larger batches to be busy.
DEFAULT_MAX_TOKENS = {"cpu": 4096, "cuda": 32768}
#: The fixed cost of one more forward call, counted in padded tokens: on that CPU a call costs about
#: as much as a few dozen tokens (16 to 128 made no measurable difference); on a GPU the kernel
#: launches of a call are worth thousands of tokens (again an estimate).
DEFAULT_OVERHEAD_TOKENS = {"cpu": 32, "cuda": 2048}
#: ``progress=None`` shows a progress bar from this many texts on.
PROGRESS_MIN_TEXTS = 256
#: Tokens of overlap between consecutive windows when ``window=True``.
DEFAULT_STRIDE = 128


class Classified(NamedTuple):
    """Logits (``(len(texts), num_labels)``, float32 on the CPU) and predicted labels, in input order."""

    logits: torch.Tensor
    labels: list[str]


class Encoded(NamedTuple):
    """Token sequences without padding; ``owners[i]`` is the index of the text sequence ``i`` came from."""

    sequences: list[dict[str, list[int]]]
    owners: list[int]


def classify(
    texts: Sequence[str],
    tokenizer: Any = None,
    model: Any = None,
    *,
    max_tokens: int | None = None,
    max_length: int | None = None,
    window: bool = False,
    stride: int = DEFAULT_STRIDE,
    overhead_tokens: int | None = None,
    progress: bool | None = None,
    device: str | torch.device | None = None,
) -> Classified:
    """Classify ``texts`` (a list of strings of any lengths) in length-sorted, token-budgeted batches.

    ``tokenizer``/``model`` default to the course's (:func:`checker.load_model`).
    ``max_tokens`` bounds every batch's padded size (batch size × its longest sequence).
    ``max_length`` defaults to the model's limit. Texts longer than that are truncated, or with
    ``window=True`` cut into windows of ``max_length`` tokens overlapping by ``stride`` tokens, whose
    logits are averaged. ``progress``: a tqdm bar (``None``: only for long lists).
    ``device``: where to run (the model is moved there); default the model's own device.
    """
    texts = check_texts(texts)
    if (tokenizer is None) != (model is None):
        raise ValueError("pass both tokenizer and model, or neither (for the course's own)")
    if model is None:
        from checker import load_model

        tokenizer, model, _ = load_model()
    device = _device(model, device)
    max_length = _check_length(max_length, tokenizer, model)
    max_tokens = _positive(
        "max_tokens", max_tokens, DEFAULT_MAX_TOKENS.get(device.type, DEFAULT_MAX_TOKENS["cuda"])
    )
    overhead = _positive(
        "overhead_tokens",
        overhead_tokens,
        DEFAULT_OVERHEAD_TOKENS.get(device.type, DEFAULT_OVERHEAD_TOKENS["cuda"]),
        zero=True,
    )
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(
            f"progress must be True, False or None (automatic), not {type(progress).__name__}"
        )

    encoded = encode(texts, tokenizer, max_length, window=window, stride=stride)
    lengths = [len(s["input_ids"]) for s in encoded.sequences]
    if max(lengths) > max_tokens:
        raise ValueError(
            f"max_tokens={max_tokens} is smaller than the longest sequence ({max(lengths)} tokens): "
            f"raise it to at least {max(lengths)}, or lower max_length"
        )
    batches = plan_batches(lengths, max_tokens, overhead)
    show = len(texts) >= PROGRESS_MIN_TEXTS if progress is None else progress
    logits = _run(model, tokenizer, encoded.sequences, batches, device, show)
    logits = _combine(logits, encoded.owners, len(texts))
    names = getattr(model.config, "id2label", None) or {}
    return Classified(logits, [names.get(int(i), str(int(i))) for i in logits.argmax(dim=-1)])


def check_texts(texts: Any) -> list[str]:
    """``texts`` as a list of strings, or a TypeError/ValueError that says what is wrong."""
    if texts is None:
        raise TypeError(
            "texts is None: pass a list of strings, e.g. classify(['a text', 'another'])"
        )
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts is a single string: pass a list of strings, e.g. classify([text])")
    if isinstance(texts, Mapping) or not isinstance(texts, Iterable):
        raise TypeError(f"texts must be a list of strings, not a {type(texts).__name__}")
    texts = list(texts)
    if not texts:
        raise ValueError("texts is empty: there is nothing to classify")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"texts[{index}] is a {type(text).__name__}, not a string: every item must be a text"
            )
    return texts


def model_max_length(tokenizer: Any, model: Any) -> int:
    """The longest input the model takes: the tokenizer's ``model_max_length`` or the model's position table."""
    limits = [
        getattr(tokenizer, "model_max_length", None),
        getattr(model.config, "max_position_embeddings", None),
    ]
    limits = [int(v) for v in limits if isinstance(v, int) and 0 < v < 1_000_000]
    if not limits:
        raise ValueError("cannot tell the model's maximum length: pass max_length")
    return min(limits)


def encode(
    texts: list[str],
    tokenizer: Any,
    max_length: int,
    *,
    window: bool = False,
    stride: int = DEFAULT_STRIDE,
) -> Encoded:
    """Tokenize every text once, without padding: truncated at ``max_length``, or cut into windows."""
    keep = [k for k in getattr(tokenizer, "model_input_names", ["input_ids", "attention_mask"])]
    if not window:
        out = tokenizer(texts, truncation=True, max_length=max_length, padding=False)
        owners = list(range(len(texts)))
    else:
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError(
                "window=True needs a fast tokenizer (return_overflowing_tokens with a sample mapping)"
            )
        room = max_length - tokenizer.num_special_tokens_to_add()
        if not isinstance(stride, int) or isinstance(stride, bool) or not 0 <= stride < room:
            raise ValueError(
                f"stride must be an int from 0 to {room - 1} (tokens of overlap between windows of "
                f"{max_length} tokens), not {stride!r}"
            )
        out = tokenizer(
            texts,
            truncation=True,
            max_length=max_length,
            stride=stride,
            return_overflowing_tokens=True,
            padding=False,
        )
        owners = list(out["overflow_to_sample_mapping"])
    names = [k for k in keep if k in out]
    sequences = [{k: out[k][i] for k in names} for i in range(len(out["input_ids"]))]
    return Encoded(sequences, owners)


def plan_batches(
    lengths: Sequence[int], max_tokens: int, overhead_tokens: int = 0
) -> list[list[int]]:
    """Split sequence indices into batches, longest first, each with ``len(batch) * longest <= max_tokens``.

    The lengths are sorted (descending) and cut into runs that minimise, over all batches,
    ``overhead_tokens + batch size × its longest``: padding is merged in only where it is cheaper
    than one more forward call. ``overhead_tokens=0`` gives batches of exactly equal lengths.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    if lengths.size == 0:
        return []
    if lengths.min() < 1 or lengths.max() > max_tokens:
        raise ValueError(f"every length must be from 1 to max_tokens={max_tokens}")
    order = np.argsort(-lengths, kind="stable")
    values, counts = np.unique(lengths[order], return_counts=True)
    values, counts = values[::-1], counts[::-1]  # distinct lengths, longest first
    before = np.concatenate([[0], np.cumsum(counts)])  # sequences in the groups before group g
    cost = np.zeros(len(values) + 1)
    start = np.zeros(len(values) + 1, dtype=np.int64)
    capacity = np.maximum(
        1, max_tokens // values
    )  # sequences per batch when padded to group g's length
    for end in range(1, len(values) + 1):  # a run of groups first..end-1, padded to values[first]
        n = before[end] - before[:end]
        total = cost[:end] + overhead_tokens * np.ceil(n / capacity[:end]) + n * values[:end]
        first = int(np.argmin(total))
        cost[end], start[end] = total[first], first
    runs, end = [], len(values)
    while end > 0:
        runs.append((before[start[end]], before[end]))
        end = start[end]
    batches: list[list[int]] = []
    for lo, hi in reversed(runs):
        batches += _chunk(order[lo:hi].tolist(), lengths, max_tokens)
    return batches


def _chunk(indices: list[int], lengths: np.ndarray, max_tokens: int) -> list[list[int]]:
    """Cut a run (longest first) into batches whose padded size stays within the budget."""
    batches: list[list[int]] = []
    for i in indices:
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def pad(
    sequences: list[dict[str, list[int]]], tokenizer: Any, device: torch.device | str = "cpu"
) -> dict[str, torch.Tensor]:
    """Pad a batch on the right to its own longest sequence: the pad id, mask 0, token type 0."""
    pad_id = tokenizer.pad_token_id
    if pad_id is None:
        raise ValueError("the tokenizer has no pad token: set tokenizer.pad_token first")
    fill = {
        "input_ids": pad_id,
        "attention_mask": 0,
        "token_type_ids": getattr(tokenizer, "pad_token_type_id", 0),
    }
    width = max(len(s["input_ids"]) for s in sequences)
    batch = {
        key: torch.tensor(
            pad_rows([s[key] for s in sequences], fill.get(key, 0), width),
            dtype=torch.long,
            device=device,
        )
        for key in sequences[0]
    }
    if (
        "attention_mask" not in batch
    ):  # a tokenizer that returns no mask still needs one when padding
        batch["attention_mask"] = torch.tensor(
            right_pad([s["input_ids"] for s in sequences], pad_id)[1],
            dtype=torch.long,
            device=device,
        )
    return batch


def padding_efficiency(attention_masks: Iterable[torch.Tensor]) -> float:
    """Real tokens over all tokens processed, for the attention masks of the batches that were run."""
    real = total = 0
    for mask in attention_masks:
        mask = torch.as_tensor(mask)
        real += int(mask.sum())
        total += mask.numel()
    if total == 0:
        raise ValueError("no tokens: pass the attention masks of at least one batch")
    return real / total


def _run(model, tokenizer, sequences, batches, device, show: bool) -> torch.Tensor:
    from tqdm.auto import tqdm

    was_training = model.training
    model.eval()  # dropout off: the logits must not depend on the batch
    out = None
    try:
        with (
            torch.inference_mode(),
            # leave=True: in a notebook tqdm.auto is tqdm.notebook (an ipywidgets bar), which with
            # leave=False closes and hides its widget at the end and leaves an empty output behind.
            tqdm(
                total=len(sequences), disable=not show, unit="seq", desc="classifying", leave=True
            ) as bar,
        ):
            for batch in batches:
                logits = model(
                    **pad([sequences[i] for i in batch], tokenizer, device)
                ).logits.float()
                if out is None:
                    out = torch.empty(len(sequences), logits.shape[-1], device=device)
                out[torch.tensor(batch, device=device)] = logits
                bar.update(len(batch))
    finally:
        model.train(was_training)
    return out.cpu()


def _combine(logits: torch.Tensor, owners: list[int], count: int) -> torch.Tensor:
    """One row per text: its sequence's logits, or the mean over its windows."""
    if len(owners) == count:
        return logits
    index = torch.tensor(owners)
    sums = torch.zeros(count, logits.shape[-1]).index_add_(0, index, logits)
    return sums / torch.bincount(index, minlength=count).unsqueeze(-1)


def _device(model, device) -> torch.device:
    current = next(model.parameters()).device
    if device is None:
        return current
    wanted = torch.device(device)
    if wanted.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={str(device)!r}, but this machine has no CUDA device: use 'cpu'")
    if wanted != current:
        model.to(wanted)
        wanted = next(model.parameters()).device
    return wanted


def _check_length(max_length, tokenizer, model) -> int:
    limit = model_max_length(tokenizer, model)
    if max_length is None:
        return limit
    if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 3:
        raise ValueError(f"max_length must be an int of at least 3 tokens, not {max_length!r}")
    if max_length > limit:
        raise ValueError(f"max_length={max_length} is beyond the model's limit of {limit} tokens")
    return max_length


def _positive(name: str, value, default: int, zero: bool = False) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if zero else 1):
        raise ValueError(
            f"{name} must be a {'non-negative' if zero else 'positive'} int, not {value!r}"
        )
    return value


__all__ = [
    "Classified",
    "Encoded",
    "check_texts",
    "classify",
    "encode",
    "model_max_length",
    "pad",
    "padding_efficiency",
    "plan_batches",
]

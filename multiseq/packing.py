"""Packed against padded batches for training a decoder: the batches, the work each computes, and its time.

Used by section 12's notebook (64 texts) and by ``python -m benchmarks.packing`` (as many as you ask for). The
three ways batch the same texts: random batches padded to their longest, batches grouped by length (the order of
transformers' ``get_length_grouped_indices`` over the whole data set, as in section 10) padded to their longest,
and the random batches of the first way packed into one row each by ``DataCollatorWithFlattening``.
"""

from __future__ import annotations

import copy
import time
from typing import Any, NamedTuple

import torch


class Work(NamedTuple):
    """What a set of batches makes the model compute: per head and layer for the attention scores."""

    real: int  # real tokens
    positions: int  # positions computed, real or pad
    scores: int  # attention scores: rows x width² per batch
    within: int  # of them, between two real tokens of one text (the ones that matter)


def batchings(
    features: list[dict], tokenizer: Any, batch_size: int = 8, seed: int = 0
) -> dict[str, list[dict]]:
    """The three ways, each a list of batches (``features``: dicts with ``input_ids``; the tokenizer pads)."""
    from torch.utils.data import DataLoader
    from transformers import DataCollatorForLanguageModeling, DataCollatorWithFlattening
    from transformers.trainer_pt_utils import get_length_grouped_indices

    pad = DataCollatorForLanguageModeling(tokenizer, mlm=False)  # pads, and labels the pads -100
    lengths = [len(feature["input_ids"]) for feature in features]
    grouped = get_length_grouped_indices(
        lengths,
        batch_size,
        mega_batch_mult=len(lengths) // batch_size + 1,  # one mega-batch: the whole data set sorted
        generator=torch.Generator().manual_seed(seed),
    )
    loaders = {
        "random, padded": DataLoader(
            features,
            batch_size=batch_size,
            shuffle=True,
            collate_fn=pad,
            generator=torch.Generator().manual_seed(seed),
        ),
        "grouped by length, padded": DataLoader(
            features, batch_size=batch_size, sampler=grouped, collate_fn=pad
        ),
        "random, packed": DataLoader(
            features,
            batch_size=batch_size,
            shuffle=True,
            collate_fn=DataCollatorWithFlattening(),
            generator=torch.Generator().manual_seed(seed),
        ),
    }
    return {way: list(loader) for way, loader in loaders.items()}


def text_lengths(batch: dict) -> list[int]:
    """The real tokens of each text of a batch: from the mask of a padded one, the position ids of a packed one."""
    if "attention_mask" in batch:
        return [int(n) for n in batch["attention_mask"].sum(dim=1).tolist()]
    starts = (batch["position_ids"][0] == 0).nonzero().flatten().tolist()
    starts.append(int(batch["input_ids"].shape[1]))
    return [end - start for start, end in zip(starts, starts[1:])]


def work(batches: list[dict]) -> Work:
    return Work(
        real=sum(sum(text_lengths(batch)) for batch in batches),
        positions=sum(batch["input_ids"].numel() for batch in batches),
        scores=sum(
            batch["input_ids"].shape[0] * batch["input_ids"].shape[1] ** 2 for batch in batches
        ),
        within=sum(n * n for batch in batches for n in text_lengths(batch)),
    )


def train_epoch(model: Any, batches: list[dict], lr: float = 1e-3) -> tuple[list[float], float]:
    """One step per batch on a fresh copy of ``model`` (AdamW, training mode, no cache): the losses and the
    seconds the steps took."""
    trained = copy.deepcopy(model).train()
    optimizer = torch.optim.AdamW(trained.parameters(), lr=lr)
    losses, started = [], time.perf_counter()
    for batch in batches:
        inputs = {key: value.to(trained.device) for key, value in batch.items()}
        loss = trained(**inputs, use_cache=False).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses, time.perf_counter() - started


def fastest_epochs(model: Any, runs: dict[str, list[dict]], repeats: int = 2) -> dict[str, float]:
    """For each way, the fastest of ``repeats`` epochs, in seconds (other work on a machine slows some runs)."""
    return {
        way: min(train_epoch(model, batches)[1] for _ in range(repeats))
        for way, batches in runs.items()
    }

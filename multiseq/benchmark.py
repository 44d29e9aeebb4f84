"""Measuring batched inference: a mixed-length corpus, six ways to classify it, a table and a plot.

Used by ``python -m benchmarks.batching`` (the full run quoted in the README) and by section 8's
notebook (a small run). Every way returns logits in input order; a forward pre-hook on the model
counts the real and padded tokens each one actually sent through the model.

The corpus is real English text written for this course: the hand-written sentences and longer
reviews of ``checker/data/sentences.jsonl``, plus longer documents made by joining
reviews of the same label (so that some exceed the model's 512 tokens). It is seeded.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from checker import references
from checker.data import DATA_FILE

from . import batching

CORPUS_SOURCE = (
    "the course's hand-written sentences and reviews (checker/data/sentences.jsonl), "
    "and documents joined from reviews of the same label"
)


def build_corpus(
    size: int = 320, seed: int = 0, joined_share: float = 1 / 3, words: tuple[int, int] = (60, 700)
) -> list[str]:
    """``size`` texts: entries of the course's data file, and a share of documents joined from same-label entries.

    A joined document keeps adding random entries of one label until it reaches a word count drawn
    log-uniformly from ``words``; 700 words is well beyond 512 tokens.
    """
    import json

    if size < 1:
        raise ValueError("size must be at least 1")
    rows = [
        json.loads(line)
        for line in DATA_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_label: dict[int, list[str]] = {}
    for row in rows:
        by_label.setdefault(int(row["label"]), []).append(row["text"])
    rng = random.Random(seed)
    texts = []
    for _ in range(size):
        if rng.random() >= joined_share:
            texts.append(rng.choice(rows)["text"])
            continue
        pool = by_label[rng.choice(sorted(by_label))]
        target = math.exp(rng.uniform(math.log(words[0]), math.log(words[1])))
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < target:
            parts.append(rng.choice(pool))
        texts.append(" ".join(parts))
    return texts


# --- the ways to classify a list of texts; each returns (len(texts), num_labels) logits in input order ---


def one_at_a_time(texts, tokenizer, model, *, max_length: int, **_) -> torch.Tensor:
    """Each text alone: no padding at all, one forward call per text (the exactness reference)."""
    return references.each_alone(tokenizer, model, texts, max_length)


def with_pipeline(
    texts, tokenizer, model, *, max_length: int, batch_size: int = 32, **_
) -> torch.Tensor:
    """``transformers.pipeline("text-classification", batch_size=batch_size)`` (32 unless told otherwise),
    with truncation at ``max_length``, raw logits out."""
    from transformers import pipeline

    pipe = pipeline(
        "text-classification",
        model=model,
        tokenizer=tokenizer,
        batch_size=batch_size,
        device=model.device,
    )
    results = pipe(
        list(texts), truncation=True, max_length=max_length, top_k=None, function_to_apply="none"
    )
    label2id = {label: int(i) for i, label in model.config.id2label.items()}
    logits = torch.empty(len(texts), len(label2id))
    for row, scores in enumerate(results):
        for score in scores:
            logits[row, label2id[score["label"]]] = score["score"]
    return logits


def _fixed_batches(
    texts, tokenizer, model, padding, max_length: int, batch_size: int
) -> torch.Tensor:
    rows = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            inputs = tokenizer(
                texts[start : start + batch_size],
                padding=padding,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            ).to(model.device)
            rows.append(model(**inputs).logits.float().cpu())
    return torch.cat(rows)


def padded_to_max_length(
    texts, tokenizer, model, *, max_length: int, batch_size: int = 32, **_
) -> torch.Tensor:
    """Batches of ``batch_size`` (32 unless told otherwise) in input order, every one padded to ``max_length``
    (the benchmark passes the model's maximum; section 8's small run, 64)."""
    return _fixed_batches(texts, tokenizer, model, "max_length", max_length, batch_size)


def padded_to_longest(
    texts, tokenizer, model, *, max_length: int, batch_size: int = 32, **_
) -> torch.Tensor:
    """Batches of ``batch_size`` (32 unless told otherwise) in input order (unsorted), each padded to its own
    longest member."""
    return _fixed_batches(texts, tokenizer, model, "longest", max_length, batch_size)


def reference(
    texts, tokenizer, model, *, max_length: int, max_tokens: int | None = None, **_
) -> torch.Tensor:
    """The course's reference solution, :func:`multiseq.batching.classify`."""
    return batching.classify(
        texts, tokenizer, model, max_length=max_length, max_tokens=max_tokens, progress=False
    ).logits


def no_padding_bound(
    texts, tokenizer, model, *, max_length: int, max_tokens: int | None = None, **_
) -> torch.Tensor:
    """The same truncated sequences in batches of exactly equal length (``overhead_tokens=0``), same budget."""
    return batching.classify(
        texts,
        tokenizer,
        model,
        max_length=max_length,
        max_tokens=max_tokens,
        overhead_tokens=0,
        progress=False,
    ).logits


BASELINE, PIPELINE, MAX_LENGTH, LONGEST, REFERENCE, BOUND = (
    "one-at-a-time",
    "pipeline",
    "padded-to-max-length",
    "padded-to-longest",
    "reference",
    "no-padding-bound",
)
METHODS: dict[str, Callable[..., torch.Tensor]] = {
    BASELINE: one_at_a_time,
    PIPELINE: with_pipeline,
    MAX_LENGTH: padded_to_max_length,
    LONGEST: padded_to_longest,
    REFERENCE: reference,
    BOUND: no_padding_bound,
}
LABELS = {
    BASELINE: "one at a time",
    PIPELINE: "pipeline, batch_size={batch_size}",
    MAX_LENGTH: "batches of {batch_size}, padded to max length",
    LONGEST: "batches of {batch_size}, padded to longest",
    REFERENCE: "reference (sorted, token budget)",
    BOUND: "no-padding bound",
}


@dataclass
class Row:
    key: str
    method: str
    seconds: float
    texts_per_second: float
    padding_efficiency: float
    max_difference: float
    forward_calls: int


class TokenCounter:
    """A forward pre-hook that adds up the real and the processed tokens of every call to the model."""

    def __init__(self, model):
        self.real = self.total = self.calls = 0
        self._handle = model.register_forward_pre_hook(self._count, with_kwargs=True)

    def _count(self, module, args, kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        mask = kwargs.get("attention_mask")
        self.calls += 1
        self.total += ids.numel()
        self.real += int(mask.sum()) if mask is not None else ids.numel()

    def remove(self):
        self._handle.remove()


def measure(
    texts: list[str],
    tokenizer,
    model,
    *,
    methods: dict[str, Callable] | None = None,
    max_length: int | None = None,
    max_tokens: int | None = None,
    batch_size: int = 32,
    repeats: int = 1,
    report: Callable[[Row], Any] | None = None,
) -> list[Row]:
    """Run each method on ``texts`` (best time of ``repeats`` rounds) and compare its logits with one-at-a-time.

    ``methods`` maps keys of :data:`METHODS` (or new names) to functions; ``batch_size`` is the fixed batch
    size of the pipeline and the fixed-batch ways; ``max_tokens`` the reference's budget.
    """
    methods, repeats = dict(methods or METHODS), max(1, repeats)
    if BASELINE not in methods:
        raise ValueError(
            f"the methods must include {BASELINE!r}, the reference for the logit differences"
        )
    max_length = max_length or batching.model_max_length(tokenizer, model)
    options = {"max_length": max_length, "max_tokens": max_tokens, "batch_size": batch_size}
    batching.classify(texts[:8], tokenizer, model, max_length=max_length, progress=False)  # warm up
    order = [BASELINE] + [m for m in methods if m != BASELINE]
    best = {name: math.inf for name in order}
    tokens: dict[str, tuple[int, int, int]] = {}
    logits: dict[str, torch.Tensor] = {}
    for round_ in range(repeats):  # rounds over all methods, so a busy moment hits them alike
        for name in order:
            counter = TokenCounter(model)
            try:
                started = time.perf_counter()
                logits[name] = methods[name](texts, tokenizer, model, **options)
                best[name] = min(best[name], time.perf_counter() - started)
            finally:
                counter.remove()
            tokens[name] = (counter.real, counter.total, counter.calls)
            if report and round_ == repeats - 1:
                report(
                    _row(
                        name,
                        best[name],
                        len(texts),
                        tokens[name],
                        logits[name],
                        logits[BASELINE],
                        batch_size,
                    )
                )
    return [
        _row(name, best[name], len(texts), tokens[name], logits[name], logits[BASELINE], batch_size)
        for name in order
    ]


def _row(name, seconds, count, tokens, logits, baseline, batch_size) -> Row:
    real, total, calls = tokens
    label = LABELS.get(name, name).format(batch_size=batch_size)
    return Row(
        name,
        label,
        seconds,
        count / seconds,
        real / total,
        float((logits - baseline).abs().max()),
        calls,
    )


def table(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    lines = [
        "| method | texts/s | seconds | padding efficiency | max logit difference | forward calls |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.method} | {r.texts_per_second:.1f} | {r.seconds:.2f} | {r.padding_efficiency:.1%} | "
        f"{r.max_difference:.1e} | {r.forward_calls} |"
        for r in rows
    ]
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    """The reference's targets: ≥ 2× the pipeline, ≥ 95 % padding efficiency, ≥ 85 % of the no-padding bound."""
    by = {r.key: r for r in rows}
    if REFERENCE not in by:
        return []
    ref, lines = by[REFERENCE], []

    def line(text, value, goal, ok):
        lines.append(f"{'met' if ok else 'MISSED'}: {text} {value} (target {goal})")

    if PIPELINE in by:
        ratio = ref.texts_per_second / by[PIPELINE].texts_per_second
        line("reference / pipeline throughput", f"{ratio:.2f}×", "≥ 2×", ratio >= 2)
    line(
        "reference padding efficiency",
        f"{ref.padding_efficiency:.1%}",
        "≥ 95 %",
        ref.padding_efficiency >= 0.95,
    )
    if BOUND in by:
        share = ref.texts_per_second / by[BOUND].texts_per_second
        line("reference / no-padding bound throughput", f"{share:.0%}", "≥ 85 %", share >= 0.85)
    worst = max(r.max_difference for r in rows if r.key in (REFERENCE, BOUND))
    line("largest logit difference of the reference", f"{worst:.1e}", "≤ 1e-4", worst <= 1e-4)
    return lines


def plot(
    rows: list[Row],
    path: str | Path | None = None,
    title: str = "Classifying a mixed-length corpus",
):
    """Throughput and padding efficiency side by side; saved to ``path`` when given.

    Returns the figure, closed (like :mod:`multiseq.plots`): Jupyter shows it once, as the cell's value.
    """
    import matplotlib.pyplot as plt

    names = [r.method for r in rows][::-1]
    colors = [
        "tab:green" if r.key == REFERENCE else "tab:gray" if r.key == BOUND else "tab:blue"
        for r in rows
    ][::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.55 * len(rows) + 1.6), sharey=True)
    speed = [r.texts_per_second for r in rows][::-1]
    left.barh(names, speed, color=colors)
    left.set_xlabel("texts per second (higher is better)")
    for y, value in enumerate(speed):
        left.text(value, y, f" {value:.1f}", va="center")
    left.set_xlim(0, max(speed) * 1.2)
    efficiency = [100 * r.padding_efficiency for r in rows][::-1]
    right.barh(names, efficiency, color=colors)
    right.set_xlabel("padding efficiency: real tokens / tokens processed (%)")
    right.set_xlim(0, 115)
    for y, value in enumerate(efficiency):
        right.text(value, y, f" {value:.0f}%", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120)
    plt.close(fig)
    return fig

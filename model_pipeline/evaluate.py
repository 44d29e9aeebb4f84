"""Held-out accuracy of the course model: ``python -m model_pipeline accuracy``.

Every accuracy is printed with its count and a 95 % Wilson score interval, so that a reader of the
model card can tell a difference between domains (18 sentences each) from the noise of a small sample.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import NamedTuple

from checker.data import Example

SEED_SENTENCES = {
    "I've been waiting for a HuggingFace course my whole life.": "POSITIVE",
    "I hate this so much!": "NEGATIVE",
}
#: The two-sided 95 % quantile of the standard normal distribution.
Z95 = 1.959963984540054


class Accuracy(NamedTuple):
    """``correct`` of ``total``, with the 95 % Wilson interval of the true accuracy."""

    correct: int
    total: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.correct / self.total

    def __str__(self) -> str:
        return (
            f"{self.value:6.1%} ({self.correct:>3}/{self.total:<3}; 95 % interval "
            f"{self.low:.1%} to {self.high:.1%})"
        )


def wilson_interval(correct: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (Wilson 1927; Newcombe 1998, method 3).

    Written out rather than taken from scipy (``scipy.stats.binomtest(...).proportion_ci(method="wilson")``
    gives the same): scipy is no dependency of the course. The tests check it against Newcombe's table and
    against the equation that defines the bounds.
    Unlike the textbook ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and is not empty at 0 or n.
    """
    if not 0 <= correct <= total or total < 1:
        raise ValueError(f"need 0 <= correct <= total and total >= 1, not {correct}/{total}")
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    # At 0 and n the bounds are exactly 0 and 1; computed, they miss by a rounding error.
    low = 0.0 if correct == 0 else centre - half
    high = 1.0 if correct == total else centre + half
    return low, high


def accuracy_of(hits: list[bool]) -> Accuracy:
    correct, total = sum(hits), len(hits)
    return Accuracy(correct, total, *wilson_interval(correct, total))


def predict(texts: list[str], batch_size: int = 32) -> list[int]:
    """Predicted label ids for ``texts``, each truncated at the model's limit."""
    import torch

    from checker.model import load_model

    tokenizer, model, _ = load_model()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    predictions = [0] * len(texts)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = tokenizer(
                [texts[i] for i in idx], padding=True, truncation=True, return_tensors="pt"
            )
            for i, label in zip(idx, model(**enc.to(model.device)).logits.argmax(-1).tolist()):
                predictions[i] = label
    return predictions


def accuracy(examples: list[Example]) -> tuple[Accuracy, dict[str, Accuracy]]:
    """Overall accuracy and accuracy per domain, each with its count and 95 % interval."""
    predicted = predict([e.text for e in examples])
    per_domain: dict[str, list[bool]] = defaultdict(list)
    for example, label in zip(examples, predicted):
        per_domain[example.domain].append(example.label == label)
    hits = [h for group in per_domain.values() for h in group]
    return accuracy_of(hits), {d: accuracy_of(h) for d, h in sorted(per_domain.items())}


def report(examples: list[Example], trained_length: int) -> float:
    """Print the held-out figures; ``trained_length`` is the recipe's truncation (``train_classifier.MAX_LENGTH``)."""
    from checker import config
    from checker.model import load_model

    overall, per_domain = accuracy(examples)
    tokenizer = load_model().tokenizer
    lengths = [len(ids) for ids in tokenizer([e.text for e in examples])["input_ids"]]
    print(f"held-out accuracy: {overall}")
    print(
        f"  texts of {min(lengths)} to {max(lengths)} tokens (the model was fine-tuned on at most "
        f"{trained_length}; it accepts {tokenizer.model_max_length})"
    )
    for domain, value in per_domain.items():
        print(f"  {domain:<12} {value}")
    print(
        "  (95 % intervals: Wilson score; each domain's sample is small, so its interval is wide)"
    )
    labels = [config.ID2LABEL[i] for i in predict(list(SEED_SENTENCES))]
    for (text, expected), got in zip(SEED_SENTENCES.items(), labels):
        print(f"  {got:<8} (expected {expected}) {text}")
    return overall.value

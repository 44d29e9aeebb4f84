"""Held-out accuracy of the course model: ``python -m model_pipeline accuracy``."""

from __future__ import annotations

from collections import defaultdict

from checker.data import Example

SEED_SENTENCES = {
    "I've been waiting for a HuggingFace course my whole life.": "POSITIVE",
    "I hate this so much!": "NEGATIVE",
}


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


def accuracy(examples: list[Example]) -> tuple[float, dict[str, float]]:
    """Overall accuracy and accuracy per domain."""
    predicted = predict([e.text for e in examples])
    per_domain: dict[str, list[bool]] = defaultdict(list)
    for example, label in zip(examples, predicted):
        per_domain[example.domain].append(example.label == label)
    hits = [h for group in per_domain.values() for h in group]
    return sum(hits) / len(hits), {d: sum(h) / len(h) for d, h in sorted(per_domain.items())}


def report(examples: list[Example]) -> float:
    from checker import config

    overall, per_domain = accuracy(examples)
    print(f"held-out accuracy: {overall:.1%} on {len(examples)} sentences")
    for domain, value in per_domain.items():
        print(f"  {domain:<12} {value:.1%}")
    labels = [config.ID2LABEL[i] for i in predict(list(SEED_SENTENCES))]
    for (text, expected), got in zip(SEED_SENTENCES.items(), labels):
        print(f"  {got:<8} (expected {expected}) {text}")
    return overall

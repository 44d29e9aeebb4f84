"""Train the course model's head: the last two encoder layers, the pooler and the classifier.

Seeded and deterministic on the CPU: ``python -m model_pipeline train-classifier`` rewrites
``checker/course_model/head.safetensors`` from the ``train`` split of ``checker/data/sentences.jsonl`` and prints the held-out
accuracy. The lower four layers stay as shipped in the base package (a head on the frozen pooler
alone stays near 70 % accuracy).
"""

from __future__ import annotations

import random
import time

from checker import config  # noqa: F401  (quiets transformers before it is imported)
from checker.course_model import build
from checker.data import DATA_FILE, read_examples

SEED = 1234
TRAINABLE = ("bert.encoder.layer.4.", "bert.encoder.layer.5.", "bert.pooler.", "classifier.")
FROZEN_LAYERS = 4  # layers 0-3 stay as shipped
EPOCHS = 6
BATCH_SIZE = 16
LEARNING_RATE = 5e-5
MAX_LENGTH = 256  # long reviews carry their verdict early and late; 256 tokens keep training quick


def seeded_model():
    import torch
    from transformers import BertForSequenceClassification

    torch.manual_seed(SEED)
    model = BertForSequenceClassification(build.model_config())  # seeded classifier init
    missing, unexpected = model.load_state_dict(_base_only_state(), strict=False)
    assert set(missing) == {"classifier.weight", "classifier.bias"} and not unexpected, (
        missing,
        unexpected,
    )
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith(TRAINABLE)
    return model


def _base_only_state() -> dict:
    from safetensors.torch import load_file

    base = load_file(str(build.base_model_dir() / "model.safetensors"))
    return {f"bert.{k}": v for k, v in base.items() if not k.endswith("position_ids")}


def batches(examples, tokenizer, generator):
    """Batches of similar length (little padding), in a seeded random order."""
    import torch

    noise = torch.rand(len(examples), generator=generator).tolist()
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i].text) // 40, noise[i]))
    chunks = [order[s : s + BATCH_SIZE] for s in range(0, len(order), BATCH_SIZE)]
    for c in torch.randperm(len(chunks), generator=generator).tolist():
        chunk = [examples[i] for i in chunks[c]]
        enc = tokenizer(
            [e.text for e in chunk],
            padding=True,
            truncation=True,
            max_length=MAX_LENGTH,
            return_tensors="pt",
        )
        yield enc, torch.tensor([e.label for e in chunk])


def train(epochs: int = EPOCHS) -> dict:
    import torch
    from safetensors.torch import save_file
    from transformers import AutoTokenizer

    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    tokenizer = AutoTokenizer.from_pretrained(str(build.base_model_dir()))
    model = seeded_model()
    examples = read_examples("train")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    generator = torch.Generator().manual_seed(SEED)
    for epoch in range(epochs):
        model.train()
        for layer in model.bert.encoder.layer[:FROZEN_LAYERS]:
            layer.eval()  # frozen layers: no dropout, as at inference
        model.bert.embeddings.eval()
        started, total, seen = time.time(), 0.0, 0
        for enc, labels in batches(examples, tokenizer, generator):
            loss = model(**enc, labels=labels).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            seen += len(labels)
        print(
            f"epoch {epoch + 1}/{epochs}: loss {total / seen:.4f} ({time.time() - started:.0f} s)",
            flush=True,
        )
    # Stored in float16 to stay under 10 MB; loaded back as float32, the rounding does not change a prediction.
    head = {
        k: v.detach().to(torch.float16).contiguous()
        for k, v in model.state_dict().items()
        if k.startswith(TRAINABLE)
    }
    save_file(
        head,
        str(build.HEAD_FILE),
        metadata={"seed": str(SEED), "epochs": str(epochs), "data_file": DATA_FILE.name},
    )
    return head


def main(epochs: int = EPOCHS) -> None:
    train(epochs)
    print(f"wrote {build.HEAD_FILE} ({build.HEAD_FILE.stat().st_size / 1e6:.1f} MB)")
    from .evaluate import report

    report(read_examples("heldout"), MAX_LENGTH)

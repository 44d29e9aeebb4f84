"""Train the course decoder: a GPT-2 style byte-level BPE tokenizer and a small ``GPT2LMHeadModel``.

Seeded and deterministic on the CPU: ``python -m model_pipeline train-decoder`` trains both on all
the texts of ``checker/data/sentences.jsonl`` (each followed by ``<|endoftext|>``; the decoder is
not evaluated on a held-out split, so it reads both), prints the loss of every epoch and a few greedy
continuations, and rewrites the committed files of ``checker/course_decoder/``: ``tokenizer.json``,
``tokenizer_config.json``, ``config.json`` and ``decoder.safetensors`` (float16, tied embeddings).

The recipe (the constants below): seed 1234; byte-level BPE of 4,096 tokens (58,643 tokens of course
text, 1,248 sequences once the long reviews are cut at 256); GPT-2 with 2 layers, width 128, 4 heads,
256 positions, no dropout (0.95 M parameters, 1.9 MB in float16); AdamW (betas 0.9/0.95, weight
decay 0.1), lr 5e-3 with 100 warm-up steps and cosine decay to a tenth, batches of 8 sequences of
similar length, 32 epochs, one thread. Final training loss 2.40 nats per token (a bigram table
memorizes the same text at 3.05; the unigram entropy is 6.67). On this 2-core machine, shared with
other work at a load average of 5-6, it took 539 s of wall clock and 299 s of CPU (so about 5 minutes
on an idle core: an estimate). Wider or deeper models (3-4 layers, width 192-256) learnt far less in
the time they could be given, and a vocabulary of 2,048 made up more words.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from checker import config  # noqa: F401  (quiets transformers before it is imported)
from checker.course_decoder import build
from checker.data import read_examples

SEED = 1234
EOS = "<|endoftext|>"  # GPT-2's one special token: bos, eos and unk; there is no pad token
VOCAB_SIZE = 4096
N_POSITIONS = 256
N_LAYER = 2
N_EMBD = 128
N_HEAD = 4
DROPOUT = 0.0  # the model is meant to recall the course's sentences
EPOCHS = 32
BATCH_SIZE = 8
LEARNING_RATE = 5e-3
WARMUP_STEPS = 100
WEIGHT_DECAY = 0.1
# One thread: float sums depend on the thread count, and two threads on two cores shared with other
# work slowed an epoch ten-fold (busy-waiting), while one thread slowed it less than two-fold.
THREADS = 1
#: The committed run: seconds of wall clock at a load average of 5-6 on 2 shared cores (299 s of CPU).
TRAINED_SECONDS = 539
SAMPLE_PROMPTS = (
    "The food was",
    "This film",
    "I loved",
    "The battery",
    "Honestly, the service",
    "An absolute joy from start",
    "The cast has wonderful",
)


def texts() -> list[str]:
    """Every course text, in file order."""
    return [e.text for split in ("train", "heldout") for e in read_examples(split)]


def train_tokenizer(corpus: list[str]):
    """A byte-level BPE ``GPT2TokenizerFast`` with ``<|endoftext|>`` as its only special token (no pad)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import GPT2TokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    backend.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=[EOS],
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    backend.train_from_iterator(
        corpus, trainer
    )  # deterministic: byte-level BPE has no hash-ordered ids
    return GPT2TokenizerFast(
        tokenizer_object=backend,
        bos_token=EOS,
        eos_token=EOS,
        unk_token=EOS,
        model_max_length=N_POSITIONS,
    )


def model_config(tokenizer):
    from transformers import GPT2Config

    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    return GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=N_POSITIONS,
        n_embd=N_EMBD,
        n_layer=N_LAYER,
        n_head=N_HEAD,
        resid_pdrop=DROPOUT,
        embd_pdrop=DROPOUT,
        attn_pdrop=DROPOUT,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        tie_word_embeddings=True,
        architectures=["GPT2LMHeadModel"],
    )


def sequences(corpus: list[str], tokenizer) -> list[list[int]]:
    """Each text's ids and ``<|endoftext|>``, cut into pieces of at most ``N_POSITIONS`` tokens."""
    pieces = []
    for text in corpus:
        ids = tokenizer(text)["input_ids"] + [tokenizer.eos_token_id]
        pieces += [
            ids[s : s + N_POSITIONS] for s in range(0, len(ids), N_POSITIONS) if len(ids) - s >= 2
        ]
    return pieces


def batches(pieces: list[list[int]], eos_id: int, generator):
    """Right-padded batches of similar length in a seeded random order; padding is masked out of the loss."""
    import torch

    noise = torch.rand(len(pieces), generator=generator).tolist()
    order = sorted(range(len(pieces)), key=lambda i: (len(pieces[i]) // 8, noise[i]))
    chunks = [order[s : s + BATCH_SIZE] for s in range(0, len(order), BATCH_SIZE)]
    for c in torch.randperm(len(chunks), generator=generator).tolist():
        rows = [pieces[i] for i in chunks[c]]
        width = max(map(len, rows))
        ids = torch.full((len(rows), width), eos_id)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, row in enumerate(rows):
            ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
        yield ids, mask, ids.masked_fill(mask == 0, -100)


def schedule(step: int, total: int) -> float:
    """Linear warm-up, then cosine decay to a tenth of the learning rate."""
    import math

    if step < WARMUP_STEPS:
        return (step + 1) / WARMUP_STEPS
    progress = (step - WARMUP_STEPS) / max(1, total - WARMUP_STEPS)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))


def train_model(tokenizer, corpus: list[str], epochs: int = EPOCHS):
    import torch
    from transformers import GPT2LMHeadModel

    torch.manual_seed(SEED)
    model = GPT2LMHeadModel(model_config(tokenizer))
    pieces = sequences(corpus, tokenizer)
    steps_per_epoch = -(-len(pieces) // BATCH_SIZE)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY, betas=(0.9, 0.95)
    )
    lr_schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: schedule(s, epochs * steps_per_epoch)
    )
    generator = torch.Generator().manual_seed(SEED)
    print(
        f"{len(pieces)} sequences, {sum(map(len, pieces))} tokens, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters",
        flush=True,
    )
    for epoch in range(epochs):
        model.train()
        started, total, seen = time.time(), 0.0, 0
        for ids, mask, labels in batches(pieces, tokenizer.eos_token_id, generator):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            lr_schedule.step()
            predicted = int((labels[:, 1:] != -100).sum())
            total, seen = total + loss.item() * predicted, seen + predicted
        print(
            f"epoch {epoch + 1}/{epochs}: loss {total / seen:.4f} ({time.time() - started:.1f} s)",
            flush=True,
        )
    return model.eval()


def continuations(model, tokenizer, prompts=SAMPLE_PROMPTS, new_tokens: int = 16) -> list[str]:
    """Greedy continuations, one prompt at a time (no padding)."""
    import torch

    out = []
    with torch.inference_mode():
        for prompt in prompts:
            ids = tokenizer(prompt, return_tensors="pt")
            generated = model.generate(
                **ids,
                max_new_tokens=new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.eos_token_id,
            )
            out.append(tokenizer.decode(generated[0, ids["input_ids"].shape[1] :]))
    return out


def recipe(epochs: int = EPOCHS) -> dict:
    """The numbers the committed weights were trained with (stored in their metadata)."""
    return {
        "seed": SEED,
        "vocab_size": VOCAB_SIZE,
        "n_layer": N_LAYER,
        "n_embd": N_EMBD,
        "n_head": N_HEAD,
        "n_positions": N_POSITIONS,
        "dropout": DROPOUT,
        "epochs": epochs,
        "batch_size": BATCH_SIZE,
        "learning_rate": LEARNING_RATE,
        "warmup_steps": WARMUP_STEPS,
        "weight_decay": WEIGHT_DECAY,
        "threads": THREADS,
    }


def save(tokenizer, model, folder: Path, epochs: int = EPOCHS) -> None:
    """Write the committed files: tokenizer, config, float16 weights without the tied ``lm_head``."""
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(str(folder))
    model.config.to_json_file(str(folder / build.CONFIG_FILE.name))
    weights = {
        k: v.detach().to(torch.float16).contiguous()
        for k, v in model.state_dict().items()
        if k != "lm_head.weight"
    }
    # One metadata key: safetensors writes several in hash order, and the file would differ run to run.
    save_file(
        weights,
        str(folder / build.WEIGHTS_FILE.name),
        metadata={"recipe": json.dumps(recipe(epochs), sort_keys=True)},
    )


def main(epochs: int = EPOCHS, folder: Path = config.COURSE_DECODER_DIR) -> None:
    import torch

    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    started = time.time()
    corpus = texts()
    tokenizer = train_tokenizer(corpus)
    print(f"tokenizer: {len(tokenizer)} tokens ({time.time() - started:.1f} s)", flush=True)
    model = train_model(tokenizer, corpus, epochs)
    print(f"trained in {time.time() - started:.0f} s")
    for prompt, text in zip(SAMPLE_PROMPTS, continuations(model, tokenizer)):
        print(f"  {prompt!r} -> {text!r}")
    save(tokenizer, model, folder, epochs)
    size = (folder / build.WEIGHTS_FILE.name).stat().st_size
    print(f"wrote {folder} ({size / 1e6:.1f} MB of weights)")

"""Packed against padded batches, training the course decoder: ``python -m benchmarks.packing``.

Section 12's measurement (:mod:`multiseq.packing`) on as many course texts as you ask for: for random batches
padded to their longest, batches grouped by length and padded, and the random batches packed into one row, the
share of real tokens, the positions and attention scores computed, and the real tokens per second of a training
epoch (the fastest of ``--repeats``), on the threads you give torch. Prints the load average with every figure.
"""

from __future__ import annotations

import argparse
import os
import random


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--texts", type=int, default=256, help="course training texts, drawn with a seed"
    )
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=256, help="tokens a text is cut at")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (one is the fairest on a shared machine)",
    )
    args = parser.parse_args()

    import torch

    from checker import load_decoder
    from checker.data import read_examples
    from multiseq import packing

    torch.set_num_threads(args.threads)
    tokenizer, model, name = load_decoder()
    tokenizer.pad_token = tokenizer.eos_token
    train = read_examples("train")
    examples = random.Random(0).sample(train, min(args.texts, len(train)))
    encoded = tokenizer([e.text for e in examples], truncation=True, max_length=args.max_length)
    features = [{"input_ids": ids} for ids in encoded["input_ids"]]
    runs = packing.batchings(features, tokenizer, args.batch_size, seed=0)
    print(
        f"{name} on {model.device}, {len(features)} texts ({sum(len(f['input_ids']) for f in features):,} tokens), "
        f"batches of {args.batch_size}, {args.threads} thread(s), load average {os.getloadavg()[0]:.1f}"
    )
    seconds = packing.fastest_epochs(model, runs, args.repeats)
    for way, batches in runs.items():
        work = packing.work(batches)
        print(
            f"{way:26} {work.real / work.positions:6.1%} real {work.positions:>8,} positions "
            f"{work.scores:>12,} attention scores ({work.within / work.scores:4.0%} within one text)  "
            f"{seconds[way]:7.2f} s  {work.real / seconds[way]:>8,.0f} real tokens/s"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

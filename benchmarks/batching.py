"""Fast, exact batched inference against the usual ways: ``python -m benchmarks.batching``.

Classifies one mixed-length corpus of real English text (the course's hand-written sentences and
reviews from ``checker/data/sentences.jsonl``, plus documents joined from reviews of
the same label so that some exceed 512 tokens; seeded) six ways, in one process, on the same model:
one at a time; ``transformers.pipeline(batch_size=32)``; batches of 32 padded to the model's
maximum length; batches of 32 padded to their longest (unsorted); the reference solution
(``multiseq.batching.classify``); and the no-padding bound (batches of equal-length sequences).
Prints texts/s, padding efficiency and the largest logit difference against one-at-a-time, checks
the reference's targets, and saves a plot. A benchmark, not a test: it prints figures.

    python -m benchmarks.batching                 # the full run (about 3 minutes on 2 CPU cores)
    python -m benchmarks.batching --texts 64      # a quick run
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")
from checker import config  # noqa: E402

config.quiet_transformers()

DEFAULT_PLOT = "artifacts/batching.png"


def _load() -> str:
    """The machine's load average: other processes on the cores slow every method down, unevenly."""
    try:
        return "load average {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg())
    except OSError:
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.batching", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--texts", type=int, default=320, help="corpus size (default 320; 64 for a quick run)"
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument(
        "--max-tokens",
        type=int,
        default=None,
        help="the reference's token budget per batch (default: multiseq.batching's for the device)",
    )
    parser.add_argument(
        "--repeats", type=int, default=1, help="best of this many runs per method (default 1)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads (default: torch's own choice, one per core)",
    )
    parser.add_argument(
        "--device", default=None, help="cpu or cuda (default: COURSE_DEVICE, else cpu)"
    )
    parser.add_argument(
        "--plot", default=DEFAULT_PLOT, help=f"where to save the plot (default {DEFAULT_PLOT})"
    )
    args = parser.parse_args(argv)

    import torch

    from checker import load_model
    from multiseq import batching, benchmark

    if args.threads:
        torch.set_num_threads(args.threads)
    started = time.perf_counter()
    tokenizer, model, name = load_model(device=args.device)
    texts = benchmark.build_corpus(args.texts, seed=args.seed)
    lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
    limit = batching.model_max_length(tokenizer, model)
    budget = args.max_tokens or batching.DEFAULT_MAX_TOKENS.get(
        model.device.type, batching.DEFAULT_MAX_TOKENS["cuda"]
    )
    print(
        f"model: {name} on {model.device} ({torch.get_num_threads()} threads, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}); torch {torch.__version__}; {_load()}"
    )
    print(f"corpus: {len(texts)} texts (seed {args.seed}) from {benchmark.CORPUS_SOURCE}")
    print(
        f"tokens per text: {min(lengths)} to {max(lengths)} (median {sorted(lengths)[len(lengths) // 2]}); "
        f"{sum(n > limit for n in lengths)} over the model's {limit}, truncated; reference budget {budget} tokens/batch"
    )

    def report(row):
        print(f"  {row.method:<38} {row.seconds:7.2f} s", file=sys.stderr, flush=True)

    rows = benchmark.measure(
        texts, tokenizer, model, max_tokens=budget, repeats=args.repeats, report=report
    )
    print()
    print(benchmark.table(rows))
    print()
    print("\n".join(benchmark.targets(rows)))
    benchmark.plot(rows, args.plot, title=f"{len(texts)} texts, {name} on {model.device}")
    print(f"\nplot: {args.plot}; total {time.perf_counter() - started:.0f} s; {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

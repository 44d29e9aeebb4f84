"""The learner's command line: ``python -m checker {build-model,progress}``.

The maintainer's commands (training, accuracy, stored references) are ``python -m model_pipeline``."""

from __future__ import annotations

import argparse
import sys


def build_model(_args) -> int:
    """Assemble the course model and the course decoder (cached; each built once)."""
    import time

    from .course_decoder import build as decoder
    from .course_model import build as classifier

    for label, build in (("course model", classifier), ("course decoder", decoder)):
        started, existed = time.time(), build.built_dir().exists()
        path = build.ensure_built()
        state = "up to date" if existed else f"built in {time.time() - started:.1f} s"
        print(f"{label}: {path} ({state})")
    return 0


def progress(args) -> int:
    from .progress import main as run

    return run(args.path)


COMMANDS = {
    "build-model": (build_model, "assemble the embedded course model and decoder (cached)"),
    "progress": (
        progress,
        "run a learner's notebooks and list every exercise: passed, failed, not attempted",
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checker")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (func, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(func=func)
        if name == "progress":
            command.add_argument(
                "path", nargs="?", default="notebooks", help="a notebook or a folder of notebooks"
            )
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

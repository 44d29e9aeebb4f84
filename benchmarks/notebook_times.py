"""How long each solution notebook takes in a kernel: ``python -m benchmarks.notebook_times [NN ...]``.

Each notebook runs top to bottom in a fresh kernel, as ``make notebooks`` and nbval run it (outputs are
discarded; nothing is written). ``--ref REV`` also runs the notebooks as they were at git revision REV,
alternating old and new so that both see the same load; the load average is printed with every figure.
The course's budget is about 30 s a notebook on two cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions" / "multiple_sequences"


def run(path: Path) -> tuple[float, list[str]]:
    """Seconds to execute ``path`` in a fresh kernel, and the names of the errors its cells raised."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, allow_errors=True, resources={"metadata": {"path": str(SOLUTIONS)}}
    )
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    errors = [
        o.get("ename", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    return seconds, errors


def at_revision(rev: str, path: Path, folder: Path) -> Path | None:
    """The notebook ``path`` as it was at ``rev``, written into ``folder`` (None where it did not exist)."""
    relative = path.relative_to(ROOT).as_posix()
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{relative}"], capture_output=True, text=True
    )
    if shown.returncode:
        return None
    copy = folder / path.name
    copy.write_text(shown.stdout)
    return copy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.notebook_times", description=__doc__
    )
    parser.add_argument("numbers", nargs="*", help="notebook numbers (default: all), e.g. 06 07")
    parser.add_argument("--ref", help="also time the notebooks as they were at this git revision")
    args = parser.parse_args(argv)
    paths = sorted(SOLUTIONS.glob("*.ipynb"))
    if args.numbers:
        paths = [p for p in paths if p.name[:2] in {n.zfill(2) for n in args.numbers}]
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            versions = [("now", path)]
            if args.ref and (old := at_revision(args.ref, path, Path(folder))) is not None:
                versions.insert(0, (args.ref[:10], old))
            for label, version in versions:
                seconds, errors = run(version)
                print(
                    f"{path.name:40} {label:10} {seconds:6.1f} s   load {os.getloadavg()[0]:4.1f}"
                    + (f"   errors: {errors}" if errors else ""),
                    flush=True,
                )


if __name__ == "__main__":
    main()

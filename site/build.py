"""Build the course site (`make site`): the released notebooks, executed, as static offline HTML.

    python site/build.py [--out build/site] [--jobs 2]

1. Executes a copy of every released notebook (notebooks/, never solutions/) as a learner first
   runs it: the unanswered exercises say so there, and nothing raises (kept in OUT/executed/).
2. Presents each for reading: an answer cell keeps its stub and a graded cell its call, but what an
   unanswered one prints (the answer's "Not attempted yet", the graded cell's "not attempted" on
   stderr; a stub's NotImplementedError, a graded cell's AssertionError "Not attempted" in a release
   made before stubs stopped raising) becomes a short note that the exercise is done in the notebook; a widget (tqdm's progress bar) becomes a
   line saying so. Any other error stops the build.
   A cell tagged ``timings`` (its output is a speed measured as it runs: section 8's benchmark)
   shows a note instead: a timing taken while the site was built is no result.
3. Renders OUT/src (the sections, named as in notebooks/multiple_sequences/, and site/index.md with
   the README's intro) with Sphinx, myst-nb (no execution) and sphinx-book-theme into OUT/html.
4. Puts each released notebook where the page's download button points (``_sources/NAME.ipynb``),
   and the licence beside the pages.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
RELEASED = ROOT / "notebooks" / "multiple_sequences"
WIDGET = "application/vnd.jupyter.widget-view+json"
ANSWER_NOTE = (
    "Your answer goes here, in the notebook: replace the stub and run the cell. "
    "The check below then tells you how you did."
)
GRADED_NOTE = "This graded cell runs the grader's tests on your answer, in the notebook."
WIDGET_NOTE = "(a progress bar or other widget, live in the notebook)"
TIMINGS = "timings"
TIMINGS_NOTE = (
    "Timings are measured when you run this cell, and depend on the machine and on what else runs "
    "on it, so this page shows none: run it in the notebook to see your figures."
)


class UnexpectedError(RuntimeError):
    """A cell failed where no learner's exercise explains it."""


def quiet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TRANSFORMERS_VERBOSITY", "error")
    env.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    return env


async def execute(source: Path, target: Path, limit: asyncio.Semaphore, timeout: int) -> None:
    from nbclient import NotebookClient

    async with limit:
        nb = nbformat.read(source, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up warnings
            resources={"metadata": {"path": str(target.parent)}},
        )
        await client.async_execute(env=quiet_env())
        nbformat.write(nb, target)


def note(text: str, title: str = "Exercise.", kind: str = "exercise") -> nbformat.NotebookNode:
    html = f'<div class="course-{kind}-note"><b>{title}</b> {text}</div>'
    return nbformat.v4.new_output(
        "display_data", data={"text/html": html, "text/plain": f"{title} {text}"}
    )


def _unanswered(output: nbformat.NotebookNode, grading: dict) -> bool:
    """The line an unanswered exercise's cell prints: the answer cell's preview ("Not attempted yet"), or the
    graded cell's "not attempted" on stderr (:data:`checker.exercise.GRADED_CELL_NOT_ATTEMPTED`)."""
    from checker.exercise import GRADED_CELL_NOT_ATTEMPTED

    text = output.get("text", "")
    if grading.get("solution"):
        return text.startswith("Not attempted yet")
    return (
        bool(grading.get("grade"))
        and output.get("name") == "stderr"
        and (text.startswith(GRADED_CELL_NOT_ATTEMPTED))
    )


def present(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The executed notebook as the site shows it (see the module's docstring)."""
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        grading = cell.metadata.get("nbgrader", {})
        if TIMINGS in cell.metadata.get("tags", []):
            cell.outputs = [note(TIMINGS_NOTE, "Timings.", "timings")]
            continue
        exercise = grading.get("solution") or grading.get("grade")
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream" and _unanswered(output, grading):
                continue  # the note below says it
            if output.output_type == "error":
                expected = (grading.get("solution") and output.ename == "NotImplementedError") or (
                    grading.get("grade")
                    and output.ename == "AssertionError"
                    and "Not attempted" in output.evalue
                )
                if not expected:
                    raise UnexpectedError(
                        f"{name}, cell {index}: {output.ename}: {output.evalue}\n{cell.source[:300]}"
                    )
                continue
            if WIDGET in output.get(
                "data", {}
            ):  # its text is the widget's first state (a bar at 0 %)
                output.data = {"text/plain": WIDGET_NOTE}
            outputs.append(output)
        if exercise:  # one note on every answer and graded cell, whatever its stub printed
            outputs.append(note(ANSWER_NOTE if grading.get("solution") else GRADED_NOTE))
        cell.outputs = outputs
    return nb


def build(out: Path, jobs: int = 2, timeout: int = 300) -> dict[str, float]:
    """Build the site into ``out``; return the seconds each step took."""
    times, started = {}, time.monotonic()
    shutil.rmtree(out, ignore_errors=True)
    executed, src = out / "executed", out / "src"
    src.mkdir(parents=True)
    executed.mkdir()
    names = sorted(p.name for p in RELEASED.glob("*.ipynb"))
    if not names:
        raise SystemExit(f"no released notebooks in {RELEASED}")

    async def run_all() -> None:
        limit = asyncio.Semaphore(max(1, jobs))
        await asyncio.gather(
            *(execute(RELEASED / name, executed / name, limit, timeout) for name in names)
        )

    asyncio.run(run_all())
    times["execute"] = time.monotonic() - started
    for name in names:
        nbformat.write(present(nbformat.read(executed / name, as_version=4), name), src / name)
    shutil.copy(SITE / "index.md", src / "index.md")
    shutil.copy(ROOT / "README.md", src / "_readme.md")
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-W",
            "--keep-going",
            "-c",
            str(SITE),
            str(src),
            str(out / "html"),
        ],
        check=True,
    )
    times["sphinx"] = time.monotonic() - started
    for name in names:  # the download button's file: the notebook to work in, not this page's copy
        shutil.copy(RELEASED / name, out / "html" / "_sources" / name)
    for name in ("LICENSE", "NOTICE"):
        shutil.copy(ROOT / name, out / "html" / f"{name}.txt")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "build" / "site",
        help="output folder (default build/site)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="notebooks executed at once (default 2)"
    )
    args = parser.parse_args(argv)
    try:
        times = build(args.out.resolve(), args.jobs)
    except (UnexpectedError, subprocess.CalledProcessError) as error:
        print(f"site build failed: {error}", file=sys.stderr)
        return 1
    print(
        f"site: {args.out / 'html' / 'index.html'} (executing {times['execute']:.1f} s, Sphinx {times['sphinx']:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

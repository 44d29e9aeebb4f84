"""Helpers for the notebook tests: where the notebooks are, executing them, reading nbgrader cells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from checker import config

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "multiple_sequences"
SOLUTIONS = ROOT / "solutions" / ASSIGNMENT
RELEASED = ROOT / "notebooks" / ASSIGNMENT
BIN = Path(sys.executable).parent
# nbgrader's blocks in solutions/: the answers, and the tests only the grader sees


def notebook_names() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.glob("*.ipynb"))


def tool_env() -> dict[str, str]:
    """nbgrader calls `alembic` and `jupyter` by name: put this environment's bin first."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return config.quiet_transformers(env)


def generate_release(course_dir: Path) -> Path:
    """Run `nbgrader generate_assignment` on a copy of the course; return the release folder."""
    shutil.copytree(ROOT / "solutions", course_dir / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", course_dir / "nbgrader_config.py")
    shutil.copytree(ROOT / "grading", course_dir / "grading")
    subprocess.run(
        [str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
        cwd=course_dir,
        env=tool_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return course_dir / "notebooks" / ASSIGNMENT


def execute(
    path: Path,
    allow_errors: bool = True,
    timeout: int = 120,
    python: Path | None = None,
    env: dict[str, str] | None = None,
):
    """Run the notebook at ``path`` in its folder; in a kernel of ``python`` with ``env`` when given
    (another environment's interpreter: its ipykernel, its packages), else this environment's."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        km=None if python is None else _kernel_manager(python, path.parent),
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # nbclient shuts a kernel down only when it made the kernel manager itself, unless told to
    client.execute(cleanup_kc=True, **({} if env is None else {"env": env}))
    return nb


def _kernel_manager(python: Path, folder: Path):
    """A kernel manager whose only kernel runs ``python -m ipykernel_launcher`` in ``folder``."""
    import json

    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    spec = folder / ".kernels" / "course"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "course",
                "language": "python",
            }
        )
    )
    return AsyncKernelManager(
        kernel_name="course", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)])
    )


def execute_like_colab(
    path: Path, timeout: int = 120, python: Path | None = None, env: dict[str, str] | None = None
):
    """Run the notebook at ``path`` as Colab's Run all does: top to bottom, honouring no cell tag
    (``raises-exception`` included), stopping at the first cell that raises (nbclient's
    ``CellExecutionError`` then names the cell and the error). Returns the executed notebook."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    stripped = path.with_name(f".colab-{path.name}")
    nbformat.write(nb, stripped)
    try:
        return execute(stripped, allow_errors=False, timeout=timeout, python=python, env=env)
    finally:
        stripped.unlink()


def assert_every_exercise_unanswered(nb, name: str) -> None:
    """The rule for an executed released notebook, as a learner first runs it: no cell raised, and every
    exercise says it is not attempted: its answer cell ("Not attempted yet", from ``ex.NAME.preview()``),
    its check cell, and its graded cell, which writes "Not attempted" to stderr (nbgrader's mark for 0
    points) instead of raising."""
    graded = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        meta = nbgrader_meta(cell)
        where = f"{name}, cell {index}:\n{cell.source[:200]}"
        assert not errors, (
            f"unexpected error {[e.ename + ': ' + e.evalue for e in errors]}: {where}"
        )
        if meta.get("solution"):
            assert "Not attempted yet" in text_of(cell.outputs), (
                f"answer cell should say 'Not attempted yet': {where}"
            )
        elif meta.get("grade"):
            graded += 1
            stderr = "".join(
                o.get("text", "")
                for o in cell.outputs
                if o.output_type == "stream" and o.get("name") == "stderr"
            )
            assert "Not attempted" in stderr, (
                f"graded cell should write 'Not attempted' to stderr: {where}"
            )
        elif ".check(" in cell.source:
            assert "Not attempted" in text_of(cell.outputs), (
                f"check should report 'Not attempted': {where}"
            )
    assert graded >= 1


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def text_of(outputs) -> str:
    parts = []
    for out in outputs:
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        if out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)


def words(text: str) -> str:
    """``text`` with every run of whitespace made one space."""
    return " ".join(text.split())


STALE = "the released notebooks are older than solutions/: run `make notebooks`"


def released_cell(name: str, grade_id: str, folder: Path | None = None):
    """The cell ``grade_id`` of the released notebook ``name``; where it is missing, a failure that says the
    release is stale and how to make it again (not a bare StopIteration)."""
    path = (folder or RELEASED) / name
    if not path.exists():
        raise AssertionError(f"{path} is missing: {STALE}")
    for cell in nbformat.read(path, as_version=4).cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell
    raise AssertionError(f"{path.name} has no cell {grade_id!r}: {STALE}")

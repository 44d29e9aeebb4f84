"""Before nbgrader sees a submission: a checked copy of it, matched to the assignment's notebooks.

``make grade`` grades a staged copy of ``submitted/<student>/<assignment>/`` (the instructor's record
stays as it was handed in). Staging:

- refuses symbolic links and anything that is not a plain file (a link could bring in any file);
- matches each notebook of the assignment to the file the student handed in: the right name, else a
  copy with a changed name (``02_models_expect_a_batch (1).ipynb``, ``Copy of ...``, ``...-Copy1``),
  else the one file whose exercise cells are those of that notebook;
- replaces a file that is not a readable notebook (empty, truncated, not JSON, not nbformat 4) by the
  released notebook with a note at the top, so that it is graded (0) and its feedback says why;
- reports every such decision, by student and notebook, for the grading report.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

NOTE_MARK = "grading-note"
#: What nbgrader's exchange puts beside the notebooks (``nbgrader submit``, kept by ``nbgrader collect``):
#: the submission's time, and the secret that names its feedback in the exchange (``release_feedback``
#: reads it from feedback/, which ``autograde`` and ``generate_feedback`` copy it to from here).
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass(frozen=True)
class StageNote:
    student: str
    notebook: str  # the assignment's notebook (file name), or the file the note is about
    status: str  # "renamed", "invalid", "refused", "ignored", "missing"
    text: str


def _normal(name: str) -> str:
    stem = name[: -len(".ipynb")] if name.lower().endswith(".ipynb") else name
    stem = stem.strip().lower()
    stem = re.sub(r"^copy of\s+", "", stem)
    stem = re.sub(r"(\s*\(\d+\)|-copy\d*|\s+copy(\s*\d+)?)$", "", stem)
    return re.sub(r"[\s\-]+", "_", stem)


def _grade_ids(path: Path) -> set[str]:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return set()
    return {
        c.metadata.get("nbgrader", {}).get("grade_id")
        for c in nb.cells
        if isinstance(c.metadata.get("nbgrader"), dict)
    } - {None}


def _readable(path: Path) -> str | None:
    """None when ``path`` is a notebook nbgrader can grade, else why not."""
    try:
        if path.stat().st_size == 0:
            return "the file is empty"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:
        return f"it is not a readable notebook ({type(error).__name__}: {str(error).splitlines()[0][:120]})"
    return None


def stage(submitted: Path, release: Path, dest: Path, student: str) -> list[StageNote]:
    """Copy the student's submission (``submitted``) for grading into ``dest``; the notes say what changed."""
    notes: list[StageNote] = []
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files: dict[str, Path] = {}
    for root, dirs, names in os.walk(submitted):
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                notes.append(
                    StageNote(
                        student, name, "refused", "a symbolic link to a folder was not followed"
                    )
                )
                dirs.remove(name)
        for name in names:
            path = Path(root) / name
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
                notes.append(
                    StageNote(
                        student, name, "refused", "a symbolic link or special file was not used"
                    )
                )
            elif Path(root) == submitted and name in EXCHANGE_FILES:
                shutil.copyfile(path, dest / name, follow_symlinks=False)
            elif name.lower().endswith(".ipynb") and ".ipynb_checkpoints" not in Path(root).parts:
                files.setdefault(name, path)
    expected = sorted(p.name for p in release.glob("*.ipynb"))
    # every notebook handed in under its own name first: only the files left may stand in for another
    found = {name: files.pop(name) for name in expected if name in files}
    for match in (_by_name, _by_cells):
        for name in (n for n in expected if n not in found):
            chosen = match(name, files, release)
            if chosen is not None:
                notes.append(StageNote(student, name, "renamed", f"graded `{chosen}` as `{name}`"))
                found[name] = files.pop(chosen)
    for name in expected:
        path = found.get(name)
        if path is None:
            notes.append(StageNote(student, name, "missing", "not handed in"))
            continue
        why = _readable(path)
        if why:
            notes.append(
                StageNote(student, name, "invalid", f"`{path.name}` could not be graded: {why}")
            )
            _placeholder(release / name, dest / name, f"`{path.name}` could not be graded: {why}.")
        else:
            shutil.copyfile(path, dest / name, follow_symlinks=False)
    for name in files:
        notes.append(StageNote(student, name, "ignored", "not a notebook of this assignment"))
    if expected and not any(
        dest.glob("*.ipynb")
    ):  # nbgrader grades no one without a notebook: give it one
        why = "nothing you handed in could be graded (see the grading report)"
        _placeholder(release / expected[0], dest / expected[0], why[0].upper() + why[1:] + ".")
        notes.append(StageNote(student, expected[0], "invalid", why))
    return notes


def _by_name(name: str, files: dict[str, Path], release: Path) -> str | None:
    """The one handed-in file whose name is this notebook's, saved again (`… (1).ipynb`, `Copy of …`)."""
    by_name = [f for f in files if _normal(f) == _normal(name)]
    return by_name[0] if len(by_name) == 1 else None


def _by_cells(name: str, files: dict[str, Path], release: Path) -> str | None:
    """The handed-in file that is this notebook under another name: most of its exercise cells are this
    notebook's (two notebooks may share an exercise's name, as sections 8 and 11 share `batch`)."""
    wanted = _grade_ids(release / name)
    scored = sorted(((len(_grade_ids(p) & wanted), f) for f, p in files.items()), reverse=True)
    if not scored or not scored[0][0] or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    count, chosen = scored[0]
    return chosen if 2 * count > max(len(wanted), len(_grade_ids(files[chosen]))) else None


def _placeholder(released: Path, dest: Path, why: str) -> None:
    nb = nbformat.read(released, as_version=4)
    note = new_markdown_cell(
        f"**Grading notes.** {why} This is the assignment's blank notebook, graded in its place."
    )
    note.metadata[NOTE_MARK] = True
    nb.cells.insert(0, note)
    nbformat.write(nb, dest)

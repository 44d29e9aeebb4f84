"""Before nbgrader sees a submission: a checked copy of it, matched to the assignment's notebooks.

``make grade`` grades a staged copy of ``submitted/<student>/<assignment>/`` (the instructor's record
stays as it was handed in). Staging:

- refuses symbolic links and anything that is not a plain file (a link could bring in any file);
- reads a notebook saved with a UTF-8 byte order mark (Notepad, PowerShell) as the notebook it is;
- finds, for each notebook of the assignment, every file handed in that is a copy of it, at any depth of
  the submission: the right name, a copy's name (``02_models_expect_a_batch (1).ipynb``, ``Copy of ...``,
  ``...-Copy1``), or, for a file no name matches, the exercises its cells name;
- grades one of them by a rule (:func:`_choose`): the one with the most work in it (code cells that are
  not the released notebook's), then the notebook's own name at the top of the submission, then the latest
  copy (``… (2)`` after ``… (1)``); the others are reported as duplicates;
- replaces a file that is not a readable notebook (empty, truncated, not JSON, not nbformat 4) by the
  released notebook with a note at the top, so that it is graded (0) and its feedback says why;
- reports every such decision, by student and notebook, for the grading report, and puts a note at the
  top of a notebook graded from another file than its own name.
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
BOM = b"\xef\xbb\xbf"
_EXERCISE = re.compile(r"\bex\.([A-Za-z_]\w*)\.(?:check|grade|hint|solution)\(")


@dataclass(frozen=True)
class StageNote:
    student: str
    notebook: str  # the assignment's notebook (file name), or the file the note is about
    status: str  # "renamed", "duplicate", "repaired", "invalid", "refused", "ignored", "missing"
    text: str


@dataclass
class _File:
    """A notebook handed in: where it is, and what staging read of it."""

    relative: str  # its path in the submission
    path: Path
    nb: object = None  # the notebook, when readable
    why: str = ""  # why it is not a readable notebook
    bom: bool = False

    @property
    def name(self) -> str:
        return Path(self.relative).name


def _normal(name: str) -> str:
    stem = name[: -len(".ipynb")] if name.lower().endswith(".ipynb") else name
    stem = stem.strip().lower()
    stem = re.sub(r"^copy of\s+", "", stem)
    stem = re.sub(r"(\s*\(\d+\)|-copy\d*|\s+copy(\s*\d+)?)$", "", stem)
    return re.sub(r"[\s\-]+", "_", stem)


def _copy_number(name: str) -> int:
    """How late a copy's name says it is: ``x.ipynb`` 0, ``x (1).ipynb`` 1, ``x-Copy2.ipynb`` 2."""
    match = re.search(r"(?:\((\d+)\)|-copy(\d*)|\s+copy\s*(\d*))\s*\.ipynb$", name, re.I)
    if not match:
        return 1 if name.lower().startswith("copy of") else 0
    return int(next((g for g in match.groups() if g), "1"))


def _read(file: _File) -> None:
    """Read ``file`` as a notebook (without a byte order mark); set ``why`` when it is not one."""
    try:
        data = file.path.read_bytes()
        if not data:
            file.why = "the file is empty"
            return
        if data.startswith(BOM):
            data, file.bom = data[len(BOM) :], True
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
        file.nb = nb
    except Exception as error:
        first = (str(error).splitlines() or [""])[0][:120]
        file.why = f"it is not a readable notebook ({type(error).__name__}: {first})"


def _exercises(nb) -> set[str]:
    """What a notebook is, by its cells: the exercises its nbgrader cells are for (``pad_batch_answer``,
    ``pad_batch_test``: ``pad_batch``) and those its cells call (``ex.pad_batch.check()``), where the
    metadata was lost."""
    found = set()
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
            found.add(re.sub(r"_(answer|test)$", "", meta["grade_id"]))
        found |= set(_EXERCISE.findall(cell.get("source", "")))
    return found


def _work(nb, release) -> int:
    """The code cells with something in them that the released notebook does not have."""
    released = {c.source.strip() for c in release.cells}
    return sum(
        1
        for c in nb.cells
        if c.cell_type == "code" and c.source.strip() and c.source.strip() not in released
    )


def stage(submitted: Path, release: Path, dest: Path, student: str) -> list[StageNote]:
    """Copy the student's submission (``submitted``) for grading into ``dest``; the notes say what changed."""
    notes: list[StageNote] = []
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    files = _handed_in(submitted, dest, student, notes)
    expected = sorted(p.name for p in release.glob("*.ipynb"))
    released = {name: nbformat.read(release / name, as_version=4) for name in expected}
    candidates = {name: [f for f in files if _normal(f.name) == _normal(name)] for name in expected}
    taken = {id(f) for group in candidates.values() for f in group}
    for name in expected:  # a file no name matches: the notebook whose exercises it has
        if not candidates[name]:
            match = _by_cells(name, [f for f in files if id(f) not in taken], released)
            if match is not None:
                candidates[name], taken = [match], taken | {id(match)}
    for name in expected:
        chosen = _choose(candidates[name], name, released[name])
        if chosen is None:
            notes.append(StageNote(student, name, "missing", "not handed in"))
            continue
        _stage_one(chosen, candidates[name], name, release, dest, student, notes)
    for file in files:
        if id(file) not in taken:
            notes.append(
                StageNote(student, file.relative, "ignored", "not a notebook of this assignment")
            )
    if expected and not any(dest.glob("*.ipynb")):  # nbgrader grades no one without a notebook
        why = "nothing you handed in could be graded (see the grading report)"
        _placeholder(release / expected[0], dest / expected[0], why[0].upper() + why[1:] + ".")
        notes.append(StageNote(student, expected[0], "invalid", why))
    return notes


def _handed_in(submitted: Path, dest: Path, student: str, notes: list[StageNote]) -> list[_File]:
    """Every notebook of the submission, at any depth, read; links and special files refused."""
    files: list[_File] = []
    for root, dirs, names in os.walk(submitted):
        here = Path(root)
        for name in sorted(dirs):
            if os.path.islink(here / name) or name == ".ipynb_checkpoints":
                if os.path.islink(here / name):
                    notes.append(
                        StageNote(
                            student, name, "refused", "a symbolic link to a folder was not followed"
                        )
                    )
                dirs.remove(name)
        dirs.sort()
        for name in sorted(names):
            path = here / name
            mode = os.lstat(path).st_mode
            relative = str(path.relative_to(submitted))
            if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
                notes.append(
                    StageNote(
                        student, relative, "refused", "a symbolic link or special file was not used"
                    )
                )
            elif here == submitted and name in EXCHANGE_FILES:
                shutil.copyfile(path, dest / name, follow_symlinks=False)
            elif name.lower().endswith(".ipynb"):
                file = _File(relative, path)
                _read(file)
                files.append(file)
    return files


def _choose(group: list[_File], name: str, release) -> _File | None:
    """The copy to grade: the most work, then the notebook's own name at the top, then the latest copy."""
    if not group:
        return None

    def rank(file: _File):
        work = _work(file.nb, release) if file.nb is not None else -1
        return (
            work,
            file.relative == name,
            _copy_number(file.name),
            -len(Path(file.relative).parts),
        )

    return max(sorted(group, key=lambda f: f.relative), key=rank)


#: How many of the files that are one notebook a note names.
SHOWN = 5


def _stage_one(chosen, group, name, release, dest, student, notes) -> None:
    others = [f.relative for f in group if f is not chosen]
    told = []
    if chosen.relative != name:
        told.append(f"graded `{chosen.relative}` as `{name}`")
        notes.append(StageNote(student, name, "renamed", told[-1]))
    if others:
        # a hostile folder may hold thousands of copies: name a few and count the rest
        shown = ", ".join(f"`{f.relative}`" for f in group[:SHOWN])
        more = f" and {len(group) - SHOWN} more" if len(group) > SHOWN else ""
        rule = (
            f"{len(group)} files are this notebook ({shown}{more}); "
            f"graded `{chosen.relative}`: the most answers, then the notebook's own name, then the latest copy"
        )
        told.append(rule)
        for other in others:
            notes.append(StageNote(student, other, "duplicate", f"not graded: {rule}"))
    if chosen.nb is None:
        why = f"`{chosen.relative}` could not be graded: {chosen.why}"
        notes.append(StageNote(student, name, "invalid", why))
        _placeholder(release / name, dest / name, why + ".")
        return
    nb = chosen.nb
    if chosen.bom:
        told.append(f"`{chosen.relative}` began with a UTF-8 byte order mark, which was left out")
        notes.append(StageNote(student, name, "repaired", told[-1]))
    if told:
        note = new_markdown_cell("**Grading notes.** " + "; ".join(told) + ".")
        note.metadata[NOTE_MARK] = True
        nb.cells.insert(0, note)
        nbformat.write(nb, dest / name)
    else:
        shutil.copyfile(chosen.path, dest / name, follow_symlinks=False)


def _by_cells(name: str, files: list[_File], released: dict) -> _File | None:
    """The handed-in file that is this notebook under another name: most of its exercises (graded cells, or
    ``ex.NAME`` calls where the metadata was lost) are this notebook's, and fewer of any other's (two
    notebooks may share an exercise's name, as sections 8 and 11 share `batch`)."""
    wanted = _exercises(released[name])
    scored = sorted(
        ((len(_exercises(f.nb) & wanted), f.relative, f) for f in files if f.nb is not None),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    if not scored or not scored[0][0] or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    count, _, chosen = scored[0]
    if 2 * count <= max(len(wanted), len(_exercises(chosen.nb))):
        return None
    # not a better match for another notebook of the assignment
    best_other = max(
        (
            len(_exercises(chosen.nb) & _exercises(nb))
            for other, nb in released.items()
            if other != name
        ),
        default=0,
    )
    return chosen if count > best_other else None


def _placeholder(released: Path, dest: Path, why: str) -> None:
    nb = nbformat.read(released, as_version=4)
    note = new_markdown_cell(
        f"**Grading notes.** {why} This is the assignment's blank notebook, graded in its place."
    )
    note.metadata[NOTE_MARK] = True
    nb.cells.insert(0, note)
    nbformat.write(nb, dest)

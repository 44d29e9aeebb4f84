"""nbgrader plug-ins that make a submission gradable, whatever the student did to its cells.

Both run among nbgrader's sanitizing steps (``c.Autograde.sanitize_preprocessors``), before its own
``OverwriteCells`` and ``CheckCellMetadata``, which would otherwise abort the student's whole grading:

- :class:`DeduplicateIds`: nbgrader's, fixed (a duplicated exercise cell aborted everything,
  jupyter/nbgrader#1083).
- :class:`RepairStructure`: every graded and answer cell of the release is in the submission, once,
  with the release's nbgrader metadata. Edited metadata is reset, and metadata no release cell has is
  removed (the cell then runs as a plain cell). A cell whose metadata was lost (answers pasted into a
  fresh notebook) is found by its content: a graded cell by its source, an answer cell as the last cell
  before that graded cell that sets the exercise's variables. Only what is not there at all is put back
  from the release (an answer cell as its stub, so it scores 0 as unanswered).

Both first drop nbgrader metadata that is not a dict with a string ``grade_id`` (a scratch cell copied
from nbgrader's own cell toolbar, say): nbgrader's ``DeduplicateIds`` raised ``KeyError`` on it and the
whole student's grading stopped.
"""

from __future__ import annotations

import copy
import os

import nbformat
from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from checker import answers
from checker.exercises import catalog, section_of

RESTORED = "grading-restored"  # metadata key on a cell the grader put back
ADOPTED = "grading-adopted"  # metadata key on a cell whose lost metadata the grader gave back


def drop_metadata_without_id(nb) -> None:
    """nbgrader metadata without a string ``grade_id`` makes a cell nothing nbgrader can grade: drop it."""
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if "nbgrader" in cell.get("metadata", {}) and not (
            isinstance(meta, dict) and isinstance(meta.get("grade_id"), str) and meta["grade_id"]
        ):
            del cell.metadata["nbgrader"]


class DeduplicateIds(_DeduplicateIds):
    """nbgrader's ``DeduplicateIds``, fixed: a duplicated exercise cell becomes an ordinary cell.

    When a learner duplicates a cell, nbgrader 0.9.6 keeps the last copy and sets the others'
    metadata to ``nbgrader: {}``; its schema check then reads ``{}`` as an outdated notebook and
    raises ``SchemaTooOldError``, which aborts autograding for every student (jupyter/nbgrader#1083).
    Removing the empty entry lets the copy run as a plain cell and the last copy be graded.
    """

    def preprocess(self, nb, resources):
        drop_metadata_without_id(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


def _ids(cells) -> set[str]:
    return {_grade_id(c) for c in cells} - {None}


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return (
        meta.get("grade_id")
        if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str)
        else None
    )


class RepairStructure(NbGraderPreprocessor):
    """The release's exercise cells, each once and with their metadata, in a submission that lost or changed them."""

    release_dir = Unicode(
        "notebooks", help="Folder of the released notebooks (``<release_dir>/<assignment>/``)."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = os.path.join(self.release_dir, info["assignment"], f"{info['notebook']}.ipynb")
        release = nbformat.read(path, as_version=4)
        drop_metadata_without_id(nb)
        canon = {_grade_id(c): c for c in release.cells if _grade_id(c)}
        order = [_grade_id(c) for c in release.cells if _grade_id(c)]
        kept: list = []
        for cell in nb.cells:
            gid = _grade_id(cell)
            if gid in canon:
                self._reset(cell, canon[gid])
            elif "nbgrader" in cell.get("metadata", {}):
                self.log.warning("Removing nbgrader metadata that no released cell has (%s)", gid)
                del cell.metadata["nbgrader"]
            kept.append(cell)
        self._adopt(kept, release, order, canon, section_of(f"{info['notebook']}.ipynb"))
        nb.cells = self._restore_missing(kept, order, canon)
        return nb, resources

    def _adopt(self, cells: list, release, order: list[str], canon: dict, section) -> None:
        """Give back lost metadata: a graded cell by its exact source, an answer cell by what it sets."""
        present = {_grade_id(c) for c in cells} - {None}
        released = {c.source.strip() for c in release.cells}
        plain = [
            c for c in cells if "nbgrader" not in c.get("metadata", {}) and c.cell_type == "code"
        ]
        for gid in (
            g for g in order if g not in present and canon[g].metadata["nbgrader"].get("grade")
        ):
            match = next((c for c in plain if c.source.strip() == canon[gid].source.strip()), None)
            if match is not None:
                self._give(match, canon[gid], plain)
        for gid in (g for g in order if g not in present and g not in _ids(cells)):
            if not canon[gid].metadata["nbgrader"].get("solution") or not gid.endswith("_answer"):
                continue
            exercise = catalog().get(f"{section}.{gid[: -len('_answer')]}") if section else None
            if exercise is None:
                continue
            wanted = set(exercise.variables)
            graded = next(
                (
                    i
                    for i, c in enumerate(cells)
                    if _grade_id(c) == f"{gid[: -len('_answer')]}_test"
                ),
                len(cells),
            )
            candidates = [
                c
                for c in cells[:graded]
                if c in plain
                and c.source.strip() not in released
                and wanted <= answers.bound_names(c.source)
            ]
            if candidates:
                self._give(candidates[-1], canon[gid], plain)

    def _give(self, cell, released, plain: list) -> None:
        self.log.warning(
            "Found the cell %s by its content: its metadata was lost", _grade_id(released)
        )
        cell.metadata["nbgrader"] = copy.deepcopy(released.metadata["nbgrader"])
        cell.metadata[ADOPTED] = True
        plain.remove(cell)

    def _reset(self, cell, released) -> None:
        if cell.metadata.get("nbgrader") != released.metadata["nbgrader"]:
            self.log.warning("Restoring the nbgrader metadata of %s", _grade_id(released))
            cell.metadata["nbgrader"] = copy.deepcopy(released.metadata["nbgrader"])
        if cell.cell_type != released.cell_type:
            self.log.warning("Restoring the cell type of %s", _grade_id(released))
            source, metadata = cell.source, cell.metadata
            cell.clear()
            cell.update(copy.deepcopy(released))
            cell.source, cell.metadata = source, metadata

    def _restore_missing(self, cells: list, order: list[str], canon: dict) -> list:
        present = {_grade_id(c) for c in cells} - {None}
        for position, gid in enumerate(order):
            if gid in present:
                continue
            self.log.warning("Putting back the cell %s, missing from the submission", gid)
            restored = copy.deepcopy(canon[gid])
            restored.metadata[RESTORED] = True
            earlier = [o for o in order[:position] if o in present]
            if earlier:  # right after the exercise cell that comes before it in the release
                at = next(i for i, c in enumerate(cells) if _grade_id(c) == earlier[-1]) + 1
            else:  # before the first exercise cell there is, else at the end
                at = next((i for i, c in enumerate(cells) if _grade_id(c) in present), len(cells))
            cells.insert(at, restored)
            present.add(gid)
        return cells

    def preprocess_cell(self, cell, resources, index):
        return cell, resources

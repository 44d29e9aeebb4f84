"""nbgrader plug-ins for the course (loaded by ``nbgrader_config.py``; imports nbgrader).

:class:`HideHiddenTests` runs in ``nbgrader generate_feedback``. By default nbgrader's feedback HTML
shows each graded cell as autograded: the restored hidden tests and, when one fails, a traceback
that quotes them. This preprocessor, placed after nbgrader's ``GetGrades``:

- removes the hidden-test regions from graded cells (nbgrader's ``ClearHiddenTests`` logic);
- replaces a graded cell's error with one line and no traceback: the checker's own message when the
  public check failed (the learner saw it already), else "a hidden test failed";
- where an exercise lost points, replaces the earlier "public checks passed" output of its check
  cell, so nothing in the feedback claims the answer passed;
- removes any output, anywhere, that quotes a line of the hidden tests (a learner's cell can print
  ``In``, IPython's input history, after the graded cells ran).
"""
from __future__ import annotations

import re

from nbformat.notebooknode import NotebookNode
from traitlets import List
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds

from checker.feedback import CORRECT_WORDS, HEADLINES

HIDDEN_NOTE = "# (hidden tests ran here; they are not shown)"
QUOTED_NOTE = "[output removed by the grader: it quoted the hidden tests]"
SIGNIFICANT = 12  # hidden-test lines at least this long are looked for in outputs
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _output_text(output: NotebookNode) -> str:
    parts = [output.get("text", ""), output.get("ename", ""), output.get("evalue", "")]
    parts += output.get("traceback", [])
    for value in output.get("data", {}).values():
        parts.append(value if isinstance(value, str) else "\n".join(value) if isinstance(value, list) else "")
    return _ANSI.sub("", "\n".join(str(p) for p in parts))


def _stream(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")


class HideHiddenTests(ClearHiddenTests):
    """Feedback without hidden tests: no source, no traceback, no output that quotes them."""

    # the HTML exporter passes this to every preprocessor; declared so nbgrader does not warn
    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
                                  "image/jpeg", "text/plain"]).tag(config=True)

    def preprocess(self, nb, resources):
        hidden_lines = self._hidden_lines(nb)
        since_last_grade: list[NotebookNode] = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if utils.is_grade(cell) and not utils.is_solution(cell):
                self._remove_hidden_test_region(cell)
                self._summarise_outputs(cell)
                if self._lost_points(cell):
                    for earlier in since_last_grade:
                        self._retract_correct(earlier, cell)
                since_last_grade = []
            else:
                since_last_grade.append(cell)
            cell.outputs = [o if not self._quotes(o, hidden_lines) else _stream(QUOTED_NOTE)
                            for o in cell.get("outputs", [])]
        nb.metadata.pop("celltoolbar", None)
        return nb, resources

    def _hidden_lines(self, nb) -> set[str]:
        """Lines only the hidden tests have (long enough to be telling; none that visible code shares)."""
        hidden, visible = set(), []
        for cell in nb.cells:
            inside = False
            for line in cell.source.splitlines():
                if self.begin_test_delimeter in line:
                    inside = True
                elif self.end_test_delimeter in line:
                    inside = False
                elif inside:
                    hidden.add(line.strip())
                else:
                    visible.append(line)
        shown = "\n".join(visible)
        return {line for line in hidden if len(line) >= SIGNIFICANT and line not in shown}

    def _remove_hidden_test_region(self, cell) -> bool:
        removed = super()._remove_hidden_test_region(cell)
        if removed:
            cell.source = cell.source.rstrip("\n") + "\n" + HIDDEN_NOTE
        return removed

    @staticmethod
    def _lost_points(cell) -> bool:
        meta = cell.metadata.get("nbgrader", {})
        score, points = meta.get("score"), meta.get("points")
        return score is None or points is None or float(score) < float(points)

    @staticmethod
    def _summarise_outputs(cell) -> None:
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                outputs.append(output)
                continue
            ename, evalue = output.get("ename", "Error"), str(output.get("evalue", ""))
            from_checker = any(headline in evalue for headline in HEADLINES.values())
            if ename == "CellTimeoutError":
                evalue = "the cell did not finish within the grader's time limit"
            elif not from_checker:
                ename, evalue = "AssertionError", "a hidden test failed"
            outputs.append(NotebookNode(output_type="error", ename=ename, evalue=evalue,
                                        traceback=[f"{ename}: {evalue}"]))
        cell.outputs = outputs

    @staticmethod
    def _retract_correct(cell, graded) -> None:
        meta = graded.metadata.get("nbgrader", {})
        note = ("✘ Not accepted by the grader: the hidden tests of this exercise failed "
                f"(score {float(meta.get('score') or 0):g} / {float(meta.get('points') or 0):g}). "
                "The check above runs only the public checks; see the graded cell below.")
        if any(CORRECT_WORDS in _output_text(o) for o in cell.get("outputs", [])):
            cell.outputs = [_stream(note) if CORRECT_WORDS in _output_text(o) else o for o in cell.outputs]

    @staticmethod
    def _quotes(output, hidden_lines) -> bool:
        text = _output_text(output)
        return any(line in text for line in hidden_lines)

    def preprocess_cell(self, cell, resources, cell_index):  # all work is done in preprocess()
        return cell, resources


class DeduplicateIds(_DeduplicateIds):
    """nbgrader's ``DeduplicateIds``, fixed: a duplicated exercise cell becomes an ordinary cell.

    When a learner duplicates a cell, nbgrader 0.9.6 keeps the last copy and sets the others'
    metadata to ``nbgrader: {}``; its schema check then reads ``{}`` as an outdated notebook and
    raises ``SchemaTooOldError``, which aborts autograding for every student (jupyter/nbgrader#1083).
    Removing the empty entry lets the copy run as a plain cell and the last copy be graded.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources

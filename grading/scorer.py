"""Deciding the points outside the learner's kernel, from what the kernel reported.

:class:`TrustedScores` runs in ``nbgrader autograde`` right after :class:`grading.execute.GradingExecute`,
in the grader's own process. For each graded cell it takes the kernel's report on that exercise and
judges it with the exercise's own verification (the same code as the public check), plus the hidden
cases' answers, which never entered the kernel. It then replaces everything the graded cell showed
with the verdict: nothing at all when accepted (nbgrader gives the points), one error with the reason
otherwise (nbgrader gives 0). Whatever the notebook printed, raised or hooked in its kernel does not
decide anything; stderr and warnings cost nothing.

A failure on a hidden case is reported by the case's description (which names the property it tests),
the built-in class of an exception it raised and a likely cause that names none of the case's values;
never with the case's values or the learner's output on it. Every other string of a report is made
short and inert before it is judged, and every reason is redacted and cut (:mod:`grading.kernel_text`):
the grader writes its own words, not the kernel's. Where the grader
rejects an exercise whose public check had passed, that check's "passed" is replaced, so the feedback
never claims an answer it did not accept. Incidents of the run (a kernel that died, a cell that did
not stop) come first in the notebook as a note, and everything goes to a per-notebook JSON report.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from nbformat.v4 import new_markdown_cell, new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from checker import harness, serial
from checker.exercises import catalog
from checker.feedback import CORRECT_WORDS

from . import hidden, kernel_text

REJECTED = "Not accepted by the grader"
ACCEPTED = "✔ Accepted by the grader."
NOTE_MARK = "grading-note"  # metadata key of the note cell the grader adds
REPORT_DIR = ".grading-report"  # in the student's autograded folder, one JSON file per notebook


@dataclass(frozen=True)
class Verdict:
    exercise: str
    accepted: bool
    reason: str = ""
    #: The mistake named (``pad_batch.left_padding``): empty when accepted or not attempted.
    mistake: str = ""


PROBLEMS = {  # what execute.py (or a forged report) says went wrong, in the grader's own words
    "crashed": "the grading kernel stopped or hung before this answer was checked",
    "missing": "the grading run reported nothing for this exercise",
    "broken": "the grading kernel could not report on this exercise",
}
UNREADABLE = "the grading kernel's report on this exercise was unreadable"


def judge(key: str, report: dict | None) -> Verdict:
    """The verdict on one exercise from the kernel's report; never raises (a report is the learner's data)."""
    try:
        verdict = _judge(key, report)
    except (
        Exception
    ) as error:  # anything a report can make the checks do must cost only this exercise
        verdict = Verdict(
            key,
            False,
            f"the grader could not check this answer ({kernel_text.error_name(type(error).__name__)})",
            _grader_mistake(key, "unchecked"),
        )
    return Verdict(
        verdict.exercise, verdict.accepted, kernel_text.reason(verdict.reason), verdict.mistake
    )


def _grader_mistake(key: str, what: str) -> str:
    """A rejection that no check of the exercise made (nothing reported, a report that cannot be read)."""
    return f"{key.rsplit('.', 1)[-1]}.{what}"


def _judge(key: str, report: dict | None) -> Verdict:
    exercise = catalog().get(key)
    if exercise is None:
        return Verdict(key, False, "this graded cell is not one of the course's exercises")
    if not report or not isinstance(report, dict):
        return Verdict(key, False, PROBLEMS["missing"], _grader_mistake(key, "no_report"))
    for problem, words in PROBLEMS.items():
        if problem in report:
            return Verdict(key, False, words, _grader_mistake(key, problem))
    report = kernel_text.inert_report(report, exercise.variables)
    if report is None:
        return Verdict(key, False, UNREADABLE, _grader_mistake(key, "unreadable_report"))
    try:
        public = exercise.judge_report(report)
    except (serial.Unreadable, TypeError, ValueError, KeyError, AttributeError):
        return Verdict(key, False, UNREADABLE, _grader_mistake(key, "unreadable_report"))
    if not public.correct:
        return Verdict(key, False, _public_reason(public), public.mistake)
    if exercise.kind != "function":
        return Verdict(key, True)
    return _hidden_verdict(key, exercise, report)


def _public_reason(result) -> str:
    parts = [result.problem] + [
        f"{label}: {value}"
        for label, value in (
            ("Expected", result.expected),
            ("Found", result.found),
            ("Likely cause", result.cause),
        )
        if value
    ]
    return " ".join(p for p in parts if p)


def _hidden_verdict(key: str, exercise, report: dict) -> Verdict:
    cases = hidden.cases_for(key)
    try:
        runs = [harness.decode_run(r) for r in report["report"].get("runs", [])]
    except (serial.Unreadable, TypeError, ValueError, KeyError, AttributeError):
        return Verdict(key, False, UNREADABLE, _grader_mistake(key, "unreadable_report"))
    offset = len(exercise.cases)
    for index, case in enumerate(cases):
        if offset + index >= len(runs):
            return Verdict(
                key,
                False,
                f"`{exercise.name}` was not run on {case.description} (an earlier case did "
                "not finish)",
                exercise.mistake_key("not_run"),
            )
        run = runs[offset + index]
        mistake = exercise.judge_case(run, case)
        if mistake is None:
            continue
        if run.timed_out:
            what = "did not finish within the time limit on"
        elif run.error is not None:
            what = f"raised {kernel_text.error_name(run.error.name)} on"
        elif run.mutated:
            what = "changed its arguments on"
        else:
            what = "gave a wrong result on"
        cause = (
            f" Likely cause: {mistake.cause}"
            if mistake.cause and run.error is None and _may_show(mistake.cause, case)
            else ""
        )
        return Verdict(
            key,
            False,
            f"`{exercise.name}` passes the public checks but {what} {case.description}.{cause}",
            exercise.mistake_key(mistake.id),
        )
    return Verdict(key, True)


def _may_show(cause: str, case) -> bool:
    """A cause the hidden case's author wrote for it (``Case.why``), or one that names none of its values."""
    return kernel_text.fixed_cause(cause, case)


class TrustedScores(NbGraderPreprocessor):
    """After execution: every graded cell shows, and scores, the grader's own verdict."""

    def preprocess(self, nb, resources):
        run = resources.get("grading") or {}
        section = run.get("section")
        reports = run.get("reports", {})
        verdicts: list[Verdict] = []
        since_graded: list = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if utils.is_grade(cell) and not utils.is_solution(cell):
                grade_id = cell.metadata.nbgrader.get("grade_id", "")
                key = (
                    f"{section}.{grade_id[: -len('_test')]}"
                    if section and grade_id.endswith("_test")
                    else grade_id
                )
                verdict = judge(key, reports.get(key))
                verdicts.append(verdict)
                cell.outputs = _outputs(verdict)
                if not verdict.accepted:
                    for earlier in since_graded:
                        _retract(earlier, verdict)
                since_graded = []
            else:
                since_graded.append(cell)
        incidents = run.get("incidents", [])
        if incidents:
            nb.cells.insert(0, _note(incidents))
        _write_report(resources, verdicts, incidents)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):  # all the work is in preprocess()
        return cell, resources


def _outputs(verdict: Verdict) -> list:
    if verdict.accepted:
        return [new_output("stream", name="stdout", text=ACCEPTED + "\n")]
    return [
        new_output(
            "error",
            ename=REJECTED,
            evalue=verdict.reason,
            traceback=[f"{REJECTED}: {verdict.reason}"],
        )
    ]


def _retract(cell, verdict: Verdict) -> None:
    """A check cell's 'public checks passed' before a rejected graded cell."""
    note = (
        f"✘ {REJECTED}: the public checks above passed, but the grader did not accept this exercise "
        "(see the graded cell below)."
    )
    texts = [json.dumps(o) for o in cell.get("outputs", [])]
    if any(CORRECT_WORDS in text for text in texts):
        cell.outputs = [
            new_output("stream", name="stdout", text=note + "\n") if CORRECT_WORDS in text else o
            for o, text in zip(cell.outputs, texts)
        ]


def _note(incidents: list[dict]) -> object:
    lines = ["**Grading notes.** While this notebook was graded:", ""]
    for incident in incidents:
        where = (
            f"cell {incident['cell']}" if incident.get("cell") is not None else "the grading run"
        )
        lines.append(
            f"- {where}: {kernel_text.short(incident['kind'], 40)}: {kernel_text.reason(incident['text'])}"
        )
    cell = new_markdown_cell("\n".join(lines))
    cell.metadata[NOTE_MARK] = True
    return cell


def _write_report(resources, verdicts: list[Verdict], incidents: list[dict]) -> None:
    folder = resources.get("metadata", {}).get("path")
    notebook = resources.get("nbgrader", {}).get("notebook")
    if not folder or not notebook:
        return
    os.makedirs(os.path.join(folder, REPORT_DIR), exist_ok=True)
    with open(os.path.join(folder, REPORT_DIR, f"{notebook}.json"), "w", encoding="utf-8") as out:
        json.dump(
            {
                "notebook": notebook,
                "status": "graded",
                "incidents": incidents,
                "exercises": [asdict(v) for v in verdicts],
            },
            out,
            indent=1,
            ensure_ascii=False,
        )

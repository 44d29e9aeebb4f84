"""Running learners' attempts cell by cell in a real kernel, and judging each one as the check and the grader do.

A section's attempts run in one kernel, in the order a learner makes them, so that state left by an
earlier attempt (a cell that raised, a variable from a previous run) is part of the test. The kernel
first runs the section's solution notebook up to the exercise's answer cell (earlier exercises answered
correctly), then each attempt's cells in turn, each followed by a probe that runs the exercise's check
as the notebook's check cell does and asks for the grading report (:func:`checker.evidence._report_one`,
with the hidden cases' arguments). The report is judged here, outside the kernel, by
:func:`grading.scorer.judge`: the public check and the grader see the same attempt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from checker import evidence
from checker.exercises import section_of
from grading import hidden, scorer
from tests.helpers.notebooks import SOLUTIONS, notebook_names

MARK = "CORPUS-PROBE:"
PROBE_DEF = f"""
def _corpus_probe(name, hidden_json):
    import json as _json, time as _time
    from checker import evidence as _evidence
    _exercise = getattr(ex, name)
    _started = _time.perf_counter()
    _result = _exercise.check_namespace(globals())
    _seconds = _time.perf_counter() - _started
    _evidence.record(_exercise, globals())
    _report = _evidence._report_one(_exercise, _json.loads(hidden_json), globals())
    print({MARK!r} + _json.dumps({{"outcome": _result.outcome.value, "text": str(_result), "seconds": _seconds,
                                   "report": _report}}))
"""


@dataclass(frozen=True)
class Attempt:
    """One thing a learner writes for an exercise, and what the feedback must say about it."""

    exercise: str
    what: str  # the mistake (or the right answer) in words
    cells: tuple[str, ...] | str  # the answer cell's source (or several cells, run in turn)
    expect: str = "incorrect"  # "incorrect", "correct" or "not attempted"
    names: tuple[str, ...] = ()  # words the feedback must contain: it names this mistake
    fresh: bool = False  # in a new kernel (the notebook run up to the answer cell), not after earlier attempts

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.cells,) if isinstance(self.cells, str) else tuple(self.cells)


@dataclass
class Outcome:
    attempt: Attempt
    outcome: str = ""
    text: str = ""
    seconds: float = 0.0
    graded: bool | None = None  # the grader accepted
    grader_reason: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Session:
    """One kernel running one section's notebook, cell by cell."""

    def __init__(self, notebook: str):
        self.path = SOLUTIONS / notebook
        self.section = section_of(notebook)
        self.cells = nbformat.read(self.path, as_version=4).cells
        self.position = 0  # the next notebook cell to run

    def __enter__(self):
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(
            self.nb,
            timeout=120,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(self.path.parent)}},
        )
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        self.position = 0
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)

    def run(self, source: str) -> list:
        cell = new_code_cell(source)
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return cell.outputs

    def run_until(self, grade_id: str) -> None:
        """Run the notebook's cells (solutions included) up to the answer cell ``grade_id`` (not it)."""
        while self.position < len(self.cells):
            cell = self.cells[self.position]
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return
            self.position += 1
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                self.run(cell.source)
                if "from checker.exercises import" in cell.source:
                    self.run(PROBE_DEF)
        raise KeyError(f"{grade_id} is not in {self.path.name}")

    def probe(self, exercise: str) -> dict:
        key = f"{self.section}.{exercise}"
        spec = json.dumps(evidence.hidden_spec({key: hidden.cases_for(key)})[key])
        outputs = self.run(f"_corpus_probe({exercise!r}, {spec!r})")
        for output in outputs:
            for line in output.get("text", "").splitlines():
                if line.startswith(MARK):
                    return json.loads(line[len(MARK) :])
        raise RuntimeError(f"the probe printed nothing: {outputs}")


def judge(session: Session, attempt: Attempt, probe: dict) -> Outcome:
    result = Outcome(attempt, probe["outcome"], probe["text"], probe["seconds"])
    verdict = scorer.judge(
        f"{session.section}.{attempt.exercise}", {"key": attempt.exercise, **probe["report"]}
    )
    result.graded, result.grader_reason = verdict.accepted, verdict.reason
    if result.outcome != attempt.expect:
        result.problems.append(f"expected {attempt.expect}, the check said {result.outcome}")
    for word in attempt.names:
        if word not in result.text:
            result.problems.append(f"the feedback does not name it ({word!r})")
    if verdict.accepted != (attempt.expect == "correct"):
        result.problems.append(
            f"the grader {'accepted' if verdict.accepted else 'rejected'} it: {verdict.reason}"
        )
    return result


def run_section(notebook: str, attempts: list[Attempt]) -> list[Outcome]:
    """Every attempt at the section's exercises, in order; exercises in notebook order."""
    order = [
        c.metadata["nbgrader"]["grade_id"][: -len("_answer")]
        for c in nbformat.read(SOLUTIONS / notebook, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]
    by_exercise = {name: [a for a in attempts if a.exercise == name] for name in order}
    unknown = {a.exercise for a in attempts} - set(order)
    assert not unknown, f"attempts at exercises {notebook} does not have: {unknown}"
    outcomes: list[Outcome] = []
    with Session(notebook) as session:
        for name in order:
            session.run_until(f"{name}_answer")
            solution = session.cells[session.position].source
            for attempt in by_exercise[name]:
                if attempt.fresh:
                    outcomes.append(_fresh(notebook, name, attempt))
                    continue
                for source in attempt.sources:
                    session.run(source)
                outcomes.append(judge(session, attempt, session.probe(name)))
            session.run(solution)  # the next exercises start from a right answer
            session.position += 1
    return outcomes


def _fresh(notebook: str, name: str, attempt: Attempt) -> Outcome:
    with Session(notebook) as session:
        session.run_until(f"{name}_answer")
        for source in attempt.sources:
            session.run(source)
        return judge(session, attempt, session.probe(name))


def notebooks() -> list[str]:
    return notebook_names()

"""``make report``: what the class got wrong, exercise by exercise (``class-mistakes.csv``, ``class-report.html``).

From :mod:`grading.class_results` (the gradebook and the grader's verdicts):

- ``class-mistakes.csv``: one row per exercise and named mistake, ``notebook,exercise,mistake,students``,
  with a row ``correct`` and a row ``not attempted`` for every exercise (0 included), so that an exercise's
  rows add up to the class. In course order of the exercises; within one, by count (most first), then name.
- ``class-report.html``: one page that opens from disk (no script, nothing loaded from anywhere: the plots are
  PNG images inside it), to show or project: the class's outcome on each exercise, the exercises ranked by
  how many students they stopped, each named mistake with its count and one message the grader wrote for it
  (anonymised), and the grading runs' incidents. It names no student: ``grading-report.csv`` says who.

Nothing in either comes from a hidden case or a solution: the grader's reasons are already redacted
(:mod:`grading.kernel_text`) and are redacted again here, with every student's id and name taken out.
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import export, kernel_text
from .class_results import (
    CORRECT,
    NOT_ATTEMPTED,
    SOMEONE,
    STAGING,
    WRONG,
    ClassResults,
    Exercise,
    anonymised,
)

MISTAKES_CSV = "class-mistakes.csv"
REPORT_HTML = "class-report.html"
MISTAKE_COLUMNS = ("notebook", "exercise", "mistake", "students")
TEMPLATES = Path(__file__).parent / "templates"
#: A mistake's stable id, qualified by its exercise (checker/outcome.py's MISTAKE_ID, twice).
MISTAKE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Mistake:
    mistake: str
    students: int
    example: str  # one message the grader wrote for it, anonymised


@dataclass(frozen=True)
class ExerciseSummary:
    exercise: Exercise
    correct: int
    wrong: int
    not_attempted: int
    handed_in: int  # students who handed in its notebook
    mistakes: list[Mistake]  # most common first

    @property
    def students(self) -> int:
        return self.correct + self.wrong + self.not_attempted

    @property
    def stopped(self) -> int:
        """Students who handed in its notebook and did not get it accepted (wrong, or left unanswered)."""
        return self.handed_in - self.correct

    def share(self, count: int) -> float:
        return count / self.students if self.students else 0.0


def _example(reasons: list[str], names: dict[str, list[str]]) -> str:
    """The message most students got for one mistake (ties: the shortest, then the first in order), in the
    grader's vocabulary only (:func:`grader_words`)."""
    counted = Counter()
    for reason, times in Counter(r for r in reasons if r).items():  # each distinct message once
        counted[grader_words(anonymised(reason, names))] += times
    if not counted:
        return ""
    return min(counted, key=lambda text: (-counted[text], len(text), text))


_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: digits, punctuation and spaces are no words


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Every word of the checker's and the grader's string literals, and of Python's exception names."""
    import builtins

    texts = set(kernel_text.checker_words()) | set(kernel_text.grader_literals())
    texts |= {name for name, value in vars(builtins).items() if isinstance(value, type)}
    texts.add(SOMEONE)
    return frozenset(w.casefold() for text in texts for w in _WORD.findall(text))


def grader_words(text: str) -> str:
    """``text`` with every word the checker and the grader never write replaced by "…". A reason quotes
    what the learner's answer held (``Found: a string ('…')``, token strings, a mapping's keys): on the
    class's page, shown or projected to everyone, one student's answer must not speak."""
    vocabulary = _vocabulary()
    kept = _WORD.sub(lambda m: m.group() if m.group().casefold() in vocabulary else "…", text)
    return re.sub(r"…(?:[^\w…]*…)+", "…", kept)


def mistake_label(mistake: str, names: dict[str, list[str]]) -> str:
    """A mistake's stable id as it is (``pad_batch.left_padding``); a problem in words, anonymised."""
    return mistake if MISTAKE_KEY.fullmatch(mistake) else anonymised(mistake, names)


def summarise(results: ClassResults) -> list[ExerciseSummary]:
    """Every exercise's counts, in course order."""
    summaries = []
    for exercise in results.exercises:
        got = [results.outcomes[(s, exercise.notebook, exercise.name)] for s in results.students]
        kinds = Counter(o.kind for o in got)
        by_mistake: dict[str, list[str]] = {}
        for outcome in got:
            if outcome.kind == WRONG:
                label = mistake_label(outcome.mistake, results.names)
                by_mistake.setdefault(label, []).append(outcome.reason)
        mistakes = sorted(
            (Mistake(m, len(rs), _example(rs, results.names)) for m, rs in by_mistake.items()),
            key=lambda m: (-m.students, m.mistake),
        )
        handed_in = sum(1 for s in results.students if (s, exercise.notebook) in results.handed_in)
        summaries.append(
            ExerciseSummary(
                exercise,
                kinds[CORRECT],
                kinds[WRONG],
                kinds[NOT_ATTEMPTED],
                handed_in,
                mistakes,
            )
        )
    return summaries


def mistake_rows(summaries: list[ExerciseSummary]) -> list[dict]:
    """The rows of class-mistakes.csv."""
    rows = []
    for summary in summaries:
        counts = [(m.mistake, m.students) for m in summary.mistakes]
        counts += [(CORRECT, summary.correct), (NOT_ATTEMPTED, summary.not_attempted)]
        for mistake, students in sorted(counts, key=lambda c: (-c[1], c[0])):
            rows.append(
                {
                    "notebook": summary.exercise.notebook,
                    "exercise": summary.exercise.name,
                    "mistake": mistake,
                    "students": students,
                }
            )
    return rows


def ranked(summaries: list[ExerciseSummary]) -> list[ExerciseSummary]:
    """The exercises that stopped the most students first (ties: more wrong answers first, then course order)."""
    order = {id(s): i for i, s in enumerate(summaries)}
    return sorted(summaries, key=lambda s: (-s.stopped, -s.wrong, order[id(s)]))


@dataclass(frozen=True)
class Incident:
    notebook: str
    kind: str
    students: int
    example: str


def incidents(results: ClassResults) -> list[Incident]:
    """The grading runs' incidents (a kernel that died, a cell that did not stop, nbgrader failing), by
    notebook and kind, with how many students each touched (a student counts once per notebook and kind)."""
    who: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], list[str]] = {}
    for row in results.notes:
        if row.get("status") in STAGING or not row.get("status"):
            continue
        key = (row.get("notebook", "") or "(every notebook)", row["status"])
        who.setdefault(key, set()).add(row.get("student", ""))
        texts.setdefault(key, []).append(row.get("reason", ""))
    return [
        Incident(
            notebook,
            kind,
            len(who[(notebook, kind)]),
            _example(texts[(notebook, kind)], results.names),
        )
        for notebook, kind in sorted(who, key=lambda k: (-len(who[k]), k))
    ]


# --- the page ----------------------------------------------------------------------------------------------

COLOURS = {CORRECT: "#2e7d32", WRONG: "#c62828", NOT_ATTEMPTED: "#9e9e9e"}


def _png(figure) -> str:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(out.getvalue()).decode("ascii")


def _label(text: str) -> str:
    """Text as matplotlib draws it literally (a ``$`` would start mathematics)."""
    return text.replace("$", r"\$")


def outcome_plot(summaries: list[ExerciseSummary]) -> str:
    """One bar per exercise, split into the shares correct, wrong and not attempted (base64 PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 0.32 * len(summaries) + 1.2))
    axes = figure.subplots()
    labels = [_label(f"{s.exercise.notebook[:2]} {s.exercise.name}") for s in summaries][::-1]
    left = [0.0] * len(summaries)
    for kind, field in ((CORRECT, "correct"), (WRONG, "wrong"), (NOT_ATTEMPTED, "not_attempted")):
        shares = [100 * s.share(getattr(s, field)) for s in summaries][::-1]
        axes.barh(labels, shares, left=left, color=COLOURS[kind], label=kind)
        left = [a + b for a, b in zip(left, shares)]
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of the class")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    return _png(figure)


def score_plot(results: ClassResults) -> str:
    """How many students reached each total score (base64 PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    possible = sum(results.possible.values())
    totals = [results.total(s) for s in results.students]
    figure = Figure(figsize=(8, 2.6))
    axes = figure.subplots()
    bins = max(1, min(int(possible) + 1, 40))
    axes.hist(totals, bins=bins, range=(0, max(possible, 1)), color="#1565c0", edgecolor="white")
    axes.set_xlabel(f"total score (of {possible:g})")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _png(figure)


def render(results: ClassResults, summaries: list[ExerciseSummary]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    possible = sum(results.possible.values())
    totals = [results.total(s) for s in results.students]
    handed = {
        nb: sum(1 for s in results.students if (s, nb) in results.handed_in)
        for nb in results.notebooks
    }
    return environment.get_template("class-report.html.j2").render(
        students=len(results.students),
        notebooks=results.notebooks,
        handed=handed,
        possible=possible,
        mean=(sum(totals) / len(totals)) if totals else 0.0,
        summaries=summaries,
        ranked=[s for s in ranked(summaries) if s.stopped],
        incidents=incidents(results),
        outcome_png=outcome_plot(summaries) if summaries else "",
        score_png=score_plot(results) if results.students else "",
        labels={CORRECT: "correct", WRONG: "wrong", NOT_ATTEMPTED: "not attempted"},
    )


def write(course: Path, results: ClassResults) -> tuple[Path, Path]:
    """class-mistakes.csv and class-report.html in ``course``."""
    summaries = summarise(results)
    csv_path, html_path = course / MISTAKES_CSV, course / REPORT_HTML
    with open(csv_path, "w", newline="", encoding="utf-8") as out:
        export.write_rows(out, MISTAKE_COLUMNS, mistake_rows(summaries))
    html_path.write_text(render(results, summaries), encoding="utf-8")
    return csv_path, html_path

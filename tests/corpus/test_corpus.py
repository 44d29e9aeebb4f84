"""The rows of learners' attempts that need a real kernel (checker/exercises/attempts), run cell by cell in one.

Every wrong attempt must be refused by the check and by the grader, both naming its mistake (its id and
words); every right one accepted by both. The figures (how many, how long each check took, every message) go
to artifacts/corpus/<section>.json, to read and review. Every row also runs in-process, in
tests/checker/exercises/test_attempts.py.

The odd sections run here and the even ones in test_corpus_even.py: test workers take whole files, and
the corpus is long enough to want both.
"""

from __future__ import annotations

import json

import pytest

from checker.exercises import section_of
from tests.corpus.runner import kernel_rows, run_section
from tests.helpers.notebooks import ROOT, notebook_names

SECTIONS = [(n, section_of(n)) for n in notebook_names() if kernel_rows(section_of(n))]
ODD = [(n, s) for n, s in SECTIONS if int(s.removeprefix("section")) % 2]
EVEN = [(n, s) for n, s in SECTIONS if (n, s) not in ODD]


@pytest.mark.parametrize("notebook,section", ODD, ids=[s for _, s in ODD])
def test_every_attempt_gets_the_feedback_it_deserves(notebook, section):
    judge_section(notebook, section)


def judge_section(notebook: str, section: str) -> None:
    outcomes = run_section(notebook)
    out = ROOT / "artifacts" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{section}.json").write_text(
        json.dumps(
            [
                {
                    "exercise": o.attempt.exercise,
                    "mistake": o.attempt.mistake,
                    "what": o.attempt.what,
                    "outcome": o.seen["outcome"],
                    "named": o.seen["mistake"],
                    "graded": o.seen["accepted"],
                    "seconds": round(o.seen["seconds"], 4),
                    "problems": o.problems,
                    "feedback": o.seen["text"],
                    "grader": o.seen["grader_reason"],
                }
                for o in outcomes
            ],
            indent=1,
            ensure_ascii=False,
        )
    )
    wrong = [
        f"{o.attempt.exercise}: {o.attempt.what}: {'; '.join(o.problems)}\n{o.seen['text']}"
        for o in outcomes
        if not o.ok
    ]
    assert not wrong, "\n\n".join(wrong)

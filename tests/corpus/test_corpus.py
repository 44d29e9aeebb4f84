"""The corpus of learners' attempts (tests/corpus/sectionN.py), each run cell by cell in a real kernel.

Every wrong attempt must be refused by the check with a message that names its mistake, and by the
grader; every right one accepted by both. The figures (how many, how long each check took, every
message) go to artifacts/corpus/<section>.json, to read and review.

The odd sections run here and the even ones in test_corpus_even.py: test workers take whole files, and
the corpus is long enough to want both.
"""

from __future__ import annotations

import importlib
import json

import pytest

from tests.corpus.runner import run_section
from tests.helpers.notebooks import ROOT, notebook_names

SECTIONS = [
    (n, f"section{int(n.split('_')[0])}")
    for n in notebook_names()
    if importlib.util.find_spec(f"tests.corpus.section{int(n.split('_')[0])}")
]
ODD = [(n, s) for n, s in SECTIONS if int(s.removeprefix("section")) % 2]
EVEN = [(n, s) for n, s in SECTIONS if (n, s) not in ODD]


@pytest.mark.parametrize("notebook,section", ODD, ids=[s for _, s in ODD])
def test_every_attempt_gets_the_feedback_it_deserves(notebook, section):
    judge_section(notebook, section)


def judge_section(notebook: str, section: str) -> None:
    attempts = importlib.import_module(f"tests.corpus.{section}").ATTEMPTS
    outcomes = run_section(notebook, attempts)
    out = ROOT / "artifacts" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{section}.json").write_text(
        json.dumps(
            [
                {
                    "exercise": o.attempt.exercise,
                    "what": o.attempt.what,
                    "expect": o.attempt.expect,
                    "outcome": o.outcome,
                    "graded": o.graded,
                    "seconds": round(o.seconds, 4),
                    "problems": o.problems,
                    "feedback": o.text,
                    "grader": o.grader_reason,
                }
                for o in outcomes
            ],
            indent=1,
            ensure_ascii=False,
        )
    )
    wrong = [
        f"{o.attempt.exercise}: {o.attempt.what}: {'; '.join(o.problems)}\n{o.text}"
        for o in outcomes
        if not o.ok
    ]
    assert not wrong, "\n\n".join(wrong)

"""The learner corpus is well-formed data: every attempt is at an exercise of the course, compiles, and a
wrong one says what is wrong with it; every exercise has right and wrong attempts.

Running the attempts takes a kernel and about 20 minutes: ``python -m tests.learner_corpus.evaluate``.
"""

from __future__ import annotations

import json

import pytest

from checker.exercises import catalog
from tests.learner_corpus.attempts import ATTEMPTS
from tests.learner_corpus.evaluate import JUDGEMENTS, key


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a.id for a in ATTEMPTS])
def test_attempt_is_at_a_course_exercise_and_compiles(attempt):
    assert f"section{attempt.section}.{attempt.exercise}" in catalog()
    compile(attempt.code, attempt.id, "exec")
    assert attempt.right == (attempt.mistake is None)


def test_every_exercise_has_right_and_wrong_attempts():
    for name in catalog():
        section, exercise = name.removeprefix("section").split(".")
        mine = [a for a in ATTEMPTS if a.section == int(section) and a.exercise == exercise]
        assert any(a.right for a in mine) and any(not a.right for a in mine), name


def test_attempts_and_judgements_are_keyed_once():
    keys = [key(a) for a in ATTEMPTS]
    assert len(keys) == len(set(keys))
    judged = json.loads(JUDGEMENTS.read_text())
    assert set(judged) <= set(keys), set(judged) - set(keys)
    assert {j["class"] for j in judged.values()} <= {"named", "misleading", "unnamed"}

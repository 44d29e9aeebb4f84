"""The even sections' corpora (see test_corpus.py): a file of their own, for the second test worker."""

from __future__ import annotations

import pytest

from tests.corpus.test_corpus import EVEN, judge_section

pytestmark = pytest.mark.kernel  # every kernel row, in one kernel per section


@pytest.mark.parametrize("notebook,section", EVEN, ids=[s for _, s in EVEN])
def test_every_attempt_gets_the_feedback_it_deserves(notebook, section):
    judge_section(notebook, section)

"""Section 4 (padding): what the rows of checker/exercises/attempts/section4.py cannot say.

Every answer a learner writes (right, wrong, the starter code) is a row there, run by test_attempts.py.
"""

from __future__ import annotations

from checker.exercises import section4 as ex


def test_cases_go_beyond_the_notebook():
    descriptions = " ".join(case.description for case in ex.PAD_CASES)
    assert all(
        words in descriptions
        for words in ("other than 0", "length 1", "one sequence", "empty sequence")
    )
    assert any(case.args[1] != 0 for case in ex.PAD_CASES)

"""Section 6 (attention masks): what the rows of checker/exercises/attempts/section6.py cannot say, and the figure.

Every attempt and the words its feedback must hold is a row there (tests/checker/exercises/test_attempts.py runs
them); these tests pin what a row cannot build: a report edited on its way to the grader, words a message must
not hold, and the mask figure of multiseq.plots.
"""

from __future__ import annotations

import json
from collections import deque

import pytest
import torch

from checker import model_calls, references
from checker.exercises import section6 as ex
from multiseq import plots

MASK = torch.tensor([[1, 1, 1], [1, 1, 0]])


def text(result) -> str:
    return str(result)


@pytest.fixture(autouse=True)
def own_model_calls(monkeypatch):
    """The calls these tests make stay theirs: rows run later in this process see none of them."""
    monkeypatch.setattr(model_calls, "_recent", deque(maxlen=model_calls._recent.maxlen))


# A row cannot send the grader a report without its rows.
def test_the_grader_names_rows_run_alone_from_the_kernels_report(course):
    with torch.no_grad():
        rows = [course.model(torch.tensor([ids])).logits for ids in references.SHORT_IDS]
    collected = json.loads(json.dumps(ex.masked_logits.collect((torch.cat(rows),)), default=list))
    assert len(collected["rows"]["one"]) == 2 and collected["call"] is None
    result = ex.masked_logits.judge(collected)
    assert not result and "one sequence at a time" in text(result)
    result = ex.masked_logits.judge(
        {**collected, "rows": "not a list"}
    )  # a report without them: no cause guessed
    assert not result and "one sequence at a time" not in text(result) and "no call" in text(result)


# A row names words a message holds; this pins one it must not hold (no case where none ran).
def test_pad_and_mask_that_raises_is_named():
    result = ex.pad_and_mask.check(lambda s, p: torch.tensor(s))
    assert not result and "raised" in text(result) and "On the short batch" not in text(result)


# --- the figure helper (not an exercise) ---
def test_mask_figure_has_one_cell_per_position_and_a_label_each():
    fig = plots.attention_mask_figure(MASK, tokens=[["a", "b", "c"], ["a", "b", "[PAD]"]])
    (ax,) = fig.axes
    assert ax.images[0].get_array().shape == (2, 3)
    assert sorted(t.get_text() for t in ax.texts)[0] == "[PAD]\n0"


def test_mask_figure_refuses_a_ragged_mask():
    with pytest.raises(ValueError, match="rectangular"):
        plots.attention_mask_figure([[1, 1], [1]])

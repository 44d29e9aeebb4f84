"""Hidden cases of section 3 (``03_batching_multiple_sequences.ipynb``): more inputs for the properties the
public cases of ``rows_agree`` test (every row and column against the first row, within atol=1e-4, rtol=1e-4 per
entry), never a new property."""

import torch

from checker.harness import Case

_ROW = torch.tensor([[0.25, -1.75, 3.0]])


def _rows(*rows):
    return torch.tensor(rows, dtype=torch.float32)


rows_agree = [
    Case(
        "a hidden case: five identical rows of three labels",
        (_ROW.repeat(5, 1),),
        True,
        why="identical rows agree, however many there are",
    ),
    Case(
        "a hidden case: a single row of three labels",
        (_ROW.clone(),),
        True,
        why="one row agrees with itself",
    ),
    Case(
        "a hidden case: rows that differ only by float rounding",
        (torch.cat([_ROW, _ROW + 2e-6, _ROW - 1e-6]),),
        True,
        why="differences of float rounding are far inside the tolerance: compare within it, not exactly",
    ),
    Case(
        "a hidden case: rows that round apart although they are within the tolerance",
        (_rows([0.35 - 3e-7, 0.0125 + 3e-7], [0.35 + 3e-7, 0.0125 - 3e-7]),),
        True,
        why="rounding and then comparing with `==` is not a tolerance",
    ),
    Case(
        "a hidden case: near-zero rows within the absolute tolerance",
        (_rows([3e-5, -2e-5], [-4e-5, 4e-5]),),
        True,
        why="near 0 the absolute part of the tolerance (atol=1e-4) decides",
    ),
    Case(
        "a hidden case: large logits within the relative tolerance",
        (_rows([-50.0, 40.0], [-50.004, 40.003]),),
        True,
        why="the relative part of the tolerance (rtol=1e-4, times the first row's entry) decides for large "
        "logits",
    ),
    Case(
        "a hidden case: many entries, each within the tolerance",
        (torch.cat([_ROW, _ROW + 7e-5, _ROW - 7e-5, _ROW + 7e-5]),),
        True,
        why="the tolerance applies to every entry on its own, not to a sum or a norm of the differences",
    ),
    Case(
        "a hidden case: the last of several rows different",
        (torch.cat([_ROW, _ROW, _ROW, _ROW * 2]),),
        False,
        why="every row must be compared with the first",
    ),
    Case(
        "a hidden case: one row different in its last column only",
        (torch.cat([_ROW, _ROW + torch.tensor([[0.0, 0.0, 0.01]]), _ROW]),),
        False,
        why="every column must be compared",
    ),
    Case(
        "a hidden case: differences that cancel across a row",
        (_rows([1.0, 1.0, 1.0], [1.2, 0.9, 0.9]),),
        False,
        why="differences of opposite signs cancel in a sum or a mean: the tolerance applies to every entry",
    ),
    Case(
        "a hidden case: one outlier among many agreeing rows",
        (
            torch.cat(
                [_ROW.repeat(11, 1), _ROW + torch.tensor([[0.0, 3e-3, 0.0]]), _ROW.repeat(8, 1)]
            ),
        ),
        False,
        why="one entry outside the tolerance is enough, however small the average difference",
    ),
    Case(
        "a hidden case: rows drifting away from the first by small steps",
        (_rows([0.0, 1.0], [-8e-5, 1.0], [-1.6e-4, 1.0], [-2.4e-4, 1.0], [-3.2e-4, 1.0]),),
        False,
        why="every row must be compared with the first, not with the row before it",
    ),
    Case(
        "a hidden case: large logits outside the relative tolerance",
        (_rows([-50.0, 40.0], [-50.02, 40.0]),),
        False,
        why="the tolerance is atol=1e-4 plus rtol=1e-4 times the first row's entry, no more",
    ),
    Case(
        "a hidden case: near-zero rows outside the absolute tolerance",
        (_rows([2e-5, 0.0], [2.5e-4, 0.0]),),
        False,
        why="near 0 the tolerance is atol=1e-4, no more",
    ),
]

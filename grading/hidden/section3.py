"""Hidden cases of section 3 (``03_batching_multiple_sequences.ipynb``)."""
import torch

from checker.harness import Case

_BASE = torch.tensor([[0.25, -1.75]])

rows_agree = [
    Case("a hidden case: four identical rows", (_BASE.repeat(4, 1),), True,
         why="identical rows agree, however many there are"),
    Case("a hidden case: rows that differ only by float rounding", (torch.cat([_BASE, _BASE + 3e-7, _BASE - 3e-7]),),
         True, why="differences far below the tolerance are rounding: compare within atol=1e-4, rtol=1e-4"),
    Case("a hidden case: a last row that differs in one column by 0.01", (
        torch.cat([_BASE, _BASE, _BASE, _BASE + torch.tensor([[0.0, 0.01]])]),), False,
         why="every row and every column must be compared with the first row"),
    Case("a hidden case: a row that is twice the first", (torch.cat([_BASE, _BASE * 2]),), False,
         why="rows that differ by far more than the tolerance do not agree"),
]

"""Figures the notebooks share: an attention mask drawn as a grid of 1s (attend) and 0s (ignore).

The functions return a matplotlib ``Figure`` (closed, so Jupyter shows it once, as the cell's
value) and never touch the learner's current figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ATTEND_COLOR = "#4c9be8"  # 1: the model attends to this token
IGNORE_COLOR = "#eeeeee"  # 0: padding, ignored


def _as_rows(values: Any) -> list[list[int]]:
    """A 2-D mask (tensor, array or nested list) as a list of rows of ints."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    rows = [list(map(int, row)) for row in values]
    if not rows or len({len(row) for row in rows}) != 1:
        raise ValueError("the mask must be 2-D and rectangular: one row per sequence")
    return rows


def attention_mask_figure(
    attention_mask: Any,
    tokens: Sequence[Sequence[str]] | None = None,
    title: str = "attention_mask: 1 = attend, 0 = ignore (padding)",
):
    """Draw ``attention_mask`` (batch, tokens) as a grid; label each cell with its token when given.

    ``tokens`` holds one list of token strings per row (padding included, e.g. ``[PAD]``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    rows = _as_rows(attention_mask)
    height, width = len(rows), len(rows[0])
    fig, ax = plt.subplots(figsize=(max(4.0, 0.75 * width + 1.5), 0.6 * height + 1.2))
    ax.imshow(
        rows, cmap=ListedColormap([IGNORE_COLOR, ATTEND_COLOR]), vmin=0, vmax=1, aspect="auto"
    )
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            label = str(value) if tokens is None else f"{tokens[r][c]}\n{value}"
            ax.text(
                c,
                r,
                label,
                ha="center",
                va="center",
                fontsize=8 if tokens is not None else 11,
                color="white" if value else "#555555",
            )
    ax.set_xticks(range(width), [str(c) for c in range(width)])
    ax.set_yticks(range(height), [f"sequence {r}" for r in range(height)])
    ax.set_xlabel("position")
    ax.set_xticks([c - 0.5 for c in range(1, width)], minor=True)
    ax.set_yticks([r - 0.5 for r in range(1, height)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig

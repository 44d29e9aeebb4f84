"""Padding rows of ids to one length: the course's one definition of right (and left) padding.

The references, the checks' expected values and the course library's batching all pad with these.
"""

from __future__ import annotations

from collections.abc import Sequence


def pad_rows(
    rows: Sequence[Sequence[int]], fill: int, width: int | None = None, side: str = "right"
) -> list[list[int]]:
    """Every row as a new list of ``width`` items (default: the longest row's length), ``fill`` on ``side``."""
    width = max((len(row) for row in rows), default=0) if width is None else width
    if side == "right":
        return [list(row) + [fill] * (width - len(row)) for row in rows]
    return [[fill] * (width - len(row)) + list(row) for row in rows]


def right_pad(
    sequences: Sequence[Sequence[int]], pad_id: int
) -> tuple[list[list[int]], list[list[int]]]:
    """``(ids, attention_mask)``: each sequence padded at the end with ``pad_id``; 1 on its own tokens, 0 after."""
    return pad_rows(sequences, pad_id), pad_rows([[1] * len(s) for s in sequences], 0)


def left_pad(
    sequences: Sequence[Sequence[int]], pad_id: int
) -> tuple[list[list[int]], list[list[int]]]:
    """``(ids, attention_mask)`` with the padding before each sequence (what decoders use for generation)."""
    return pad_rows(sequences, pad_id, side="left"), pad_rows(
        [[1] * len(s) for s in sequences], 0, side="left"
    )

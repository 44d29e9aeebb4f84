"""The library's own warnings, caught so that a notebook can show them where they teach.

The course keeps transformers quiet (``checker.config.quiet_transformers``: verbosity ``error``), so
that every run of a notebook prints the same. Some of those warnings are the lesson itself (right
padding in a decoder, a sequence longer than the model's maximum, a batch without an attention
mask), so :func:`library_messages` lets one block speak: it collects what transformers logs at
warning level (its ``logging`` module: ``logger.warning``, ``warning_once``) and what anything raises
through Python's ``warnings`` module, prints nothing itself, and restores both afterwards. The caller
prints the collected text, which nbval compares like any other output.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


class _Collect(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(level=logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def library_messages() -> Iterator[list[str]]:
    """Collect transformers' warnings and Python warnings raised in the block, in order of arrival.

    Yields the list they are appended to (logged messages first arrive as they are logged; Python
    warnings are added when the block ends). Nothing reaches stderr meanwhile.
    """
    from transformers.utils import logging as hf_logging

    root = hf_logging.get_logger()  # the "transformers" logger every module's logger propagates to
    collected: list[str] = []
    handler = _Collect(collected)
    saved_level, saved_handlers = root.level, list(root.handlers)
    for existing in saved_handlers:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as raised:
            warnings.simplefilter("always")
            yield collected
        collected.extend(str(w.message) for w in raised)
    finally:
        root.removeHandler(handler)
        for existing in saved_handlers:
            root.addHandler(existing)
        root.setLevel(saved_level)


__all__ = ["library_messages"]

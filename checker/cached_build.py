"""Building a checkpoint folder once, in the cache, safely when several processes ask at the same time."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def ensure_built(dest: Path, marker: str, assemble: Callable[[Path], None]) -> Path:
    """Return ``dest``, first writing it with ``assemble(folder)`` unless ``dest/marker`` is there already.

    The folder is written beside the destination and renamed into place, so that a parallel test worker
    or grading process never sees half a folder; whoever finishes second keeps the first one's (identical)
    folder.
    """
    if (dest / marker).is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=dest.parent))
    try:
        assemble(tmp)
        try:
            os.replace(tmp, dest)
        except OSError:  # another process finished first; its folder is identical
            if not (dest / marker).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest

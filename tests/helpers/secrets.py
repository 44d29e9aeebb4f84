"""What must never reach a student, and the one way tests look for it in what does reach them.

Two kinds of secret: the solutions (the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in
``solutions/`` that no released notebook shows) and the hidden cases (``grading/hidden/``: their texts and
id lists, also base64-, rot13- and hex-encoded, as a hostile notebook might print them).
"""
from __future__ import annotations

import base64
import codecs
import re

import nbformat

from tests.helpers.notebooks import RELEASED, SOLUTIONS, notebook_names, words

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)


def solution_lines() -> dict[str, str]:
    """Each solution line that no released notebook shows (as ``words``), mapped to its notebook."""
    released = words(" ".join(cell.source for name in notebook_names()
                              for cell in nbformat.read(RELEASED / name, as_version=4).cells))
    found = {}
    for name in notebook_names():
        for cell in nbformat.read(SOLUTIONS / name, as_version=4).cells:
            for block in SOLUTION_BLOCK.findall(cell.source):
                for line in map(words, block.splitlines()):
                    # a line without a letter is data (a mask's row), not a way of solving
                    if len(line) >= 8 and re.search("[A-Za-z]", line) and not line.startswith("#") \
                            and line not in released:
                        found[line] = name
    return found


def _encodings(text: str) -> set[str]:
    return {text, base64.b64encode(text.encode()).decode(), codecs.encode(text, "rot13"), text.encode().hex()}


def hidden_markers() -> set[str]:
    """Strings only the hidden cases hold: their texts and longer id lists, plain and encoded."""
    from grading.hidden import all_cases

    found = set()
    for cases in all_cases().values():
        for case in cases:
            for arg in case.args:
                texts = [arg] if isinstance(arg, str) else [a for a in arg if isinstance(a, str)] \
                    if isinstance(arg, list) else []
                for text in texts:
                    found |= {encoded[:40] for encoded in _encodings(text)}
                if isinstance(arg, list) and len(arg) >= 3 and not texts:
                    found |= {repr(arg)[:30], base64.b64encode(repr((arg,)).encode()).decode()[:20]}
    return {marker for marker in found if len(marker) >= 12}


def leaks(text: str, *, solutions: bool = True, hidden: bool = True, markers: bool = True) -> list[str]:
    """The secrets ``text`` contains (solution lines are compared as ``words``; ``markers=False`` for code,
    which may name nbgrader's markers, as checker/solutions.py does)."""
    found = [m for m in MARKERS if m in text] if markers else []
    if solutions:
        flat = words(text)
        found += [line for line in solution_lines() if line in flat]
    if hidden:
        found += [marker for marker in hidden_markers() if marker in text]
    return found

"""What must never reach a student, and the one way tests look for it in what does reach them.

Two kinds of secret: the solutions (the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in
``solutions/`` that no released notebook shows) and the hidden cases (``grading/hidden/``: their texts and
id lists, also base64-, rot13- and hex-encoded, as a hostile notebook might print them).
"""

from __future__ import annotations

import base64
import codecs
import re
from functools import lru_cache

import nbformat

from tests.helpers.notebooks import RELEASED, SOLUTIONS, notebook_names, words

MARKERS = (
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
)
SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)


@lru_cache(maxsize=1)
def solution_blocks() -> list[tuple[str, tuple[str, ...]]]:
    """Each solution region as (notebook, its telling lines as ``words``): the lines no released notebook
    shows, of 8 characters or more, with a letter (a line without one is data, a mask's row), not comments."""
    released = words(
        " ".join(
            cell.source
            for name in notebook_names()
            for cell in nbformat.read(RELEASED / name, as_version=4).cells
        )
    )
    found = []
    for name in notebook_names():
        for cell in nbformat.read(SOLUTIONS / name, as_version=4).cells:
            for block in SOLUTION_BLOCK.findall(cell.source):
                lines = tuple(
                    dict.fromkeys(
                        line
                        for line in map(words, block.splitlines())
                        if len(line) >= 8
                        and re.search("[A-Za-z]", line)
                        and not line.startswith("#")
                        and line not in released
                    )
                )
                if lines:
                    found.append((name, lines))
    return found


def solution_lines() -> dict[str, str]:
    """Each telling solution line, mapped to its notebook."""
    return {line: name for name, lines in solution_blocks() for line in lines}


def leaked_solution(flat: str, lines: tuple[str, ...], *, code: bool = False) -> list[str]:
    """The lines of one solution that ``flat`` (as ``words``) gives away. In text a learner reads (a notebook,
    a page, feedback): a one-line solution when it holds that line, a longer one when it holds at least half
    of its lines and two or more (one line of a longer solution is what a last hint may show). In code (the
    student edition's modules): at least half of the solution's lines and three or more, since a checker
    that computes the truth repeats a line or two of any solution (`return losses`, the tokenizer call a
    one-line solution is): the README says so, and that a value exercise's check knows its answer."""
    present = [line for line in lines if line in flat]
    half = (len(lines) + 1) // 2
    enough = max(3, half) if code else (1 if len(lines) == 1 else max(2, half))
    return present if len(present) >= enough else []


def _encodings(text: str) -> set[str]:
    return {
        text,
        base64.b64encode(text.encode()).decode(),
        codecs.encode(text, "rot13"),
        text.encode().hex(),
    }


@lru_cache(maxsize=1)
def hidden_markers() -> set[str]:
    """Strings only the hidden cases hold: their texts and longer id lists, plain and encoded."""
    from grading.hidden import all_cases

    found = set()
    for cases in all_cases().values():
        for case in cases:
            for arg in case.args:
                texts = (
                    [arg]
                    if isinstance(arg, str)
                    else [a for a in arg if isinstance(a, str)]
                    if isinstance(arg, list)
                    else []
                )
                for text in texts:
                    found |= {encoded[:40] for encoded in _encodings(text)}
                if isinstance(arg, list) and len(arg) >= 3 and not texts:
                    # the whole list, plain and as the start of an encoded tuple (``repr((arg, ...))``, cut
                    # to whole base64 groups): a prefix of it could be a public case's list
                    start = ("(" + repr(arg) + ",").encode()
                    if len(repr(arg)) >= 20:  # a list as short as [101, 7, 102] is anybody's
                        found |= {
                            repr(arg),
                            base64.b64encode(start[: len(start) // 3 * 3]).decode(),
                        }
    return {marker for marker in found if len(marker) >= 12}


def leaks(
    text: str,
    *,
    solutions: bool = True,
    hidden: bool = True,
    markers: bool = True,
    code: bool = False,
) -> list[str]:
    """The secrets ``text`` contains (solution lines are compared as ``words``; ``markers=False`` for code,
    which may name nbgrader's markers, as checker/solutions.py does; ``code=True`` for modules, see
    :func:`leaked_solution`)."""
    found = [m for m in MARKERS if m in text] if markers else []
    if solutions:
        flat = words(text)
        found += [
            line
            for _, lines in solution_blocks()
            for line in leaked_solution(flat, lines, code=code)
        ]
    if hidden:
        found += [marker for marker in hidden_markers() if marker in text]
    return found

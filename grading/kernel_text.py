"""Text that came from a grading kernel, in the only forms the grader writes it.

A grading kernel runs the learner's code, and once the report cell runs, the hidden cases' arguments
are in that code's reach: any string of a report (an exception's class name or message, a source line,
a value's type name, a "crashed" field) may carry them, or anything else the learner wants printed in
the feedback, the grading report or a spreadsheet. So the grader writes its own fixed words, and of the
kernel's only:

- an exception's class when it is one of Python's built-in exceptions (``ValueError``); a class of the
  learner's own is named only by its built-in base ("an exception of its own class");
- a note on a known trap only when it is one of the checker's own notes, word for word;
- messages and source lines cut to :data:`MESSAGE_CHARS` printable characters, type names only when
  they are short identifiers, and every verdict cut to :data:`REASON_CHARS`;
- nothing that spells a hidden case's arguments, plain or encoded (:func:`redact`);
- the likely cause of a hidden case's failure only when it is one of the checker's fixed sentences
  (:func:`fixed_cause`): a cause built from values may quote the case's.

:func:`inert_report` applies the first three to a report before it is judged; the scorer applies
:func:`reason` (redaction and the length limit) to every reason it writes.
"""

from __future__ import annotations

import base64
import builtins
import codecs
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker import harness

OWN_CLASS = "an exception of its own class"
MESSAGE_CHARS = 80  # an exception's message or a source line, as the grader may quote it
NAME_CHARS = 40  # a type's name
REASON_CHARS = 400  # a whole verdict
WINDOW = 16  # a run of this many characters of a hidden case's arguments is redacted
SHORTEST = 12  # a shorter secret is redacted only as part of a longer one
REDACTED = "[…]"

BUILTIN_ERRORS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _known_notes() -> frozenset[str]:
    """Every note :func:`checker.harness.known_trap` can give, from the errors that give them."""
    empty = AttributeError()
    empty.__context__ = KeyError("size")
    errors = [
        empty,
        TypeError("new(): invalid data type 'str'"),
        AttributeError("'list' object has no attribute 'size'"),
        AttributeError("'tuple' object has no attribute 'size'"),
        ValueError("expected sequence of length 3 at dim 1 (got 2)"),
    ]
    notes = {harness.known_trap(error) for error in errors}
    notes |= {meaning for _, meaning in harness.MORE_TRAPS}
    return frozenset(note for note in notes if note)


KNOWN_NOTES = _known_notes()


def short(text: Any, limit: int = MESSAGE_CHARS) -> str:
    """One line of printable characters, at most ``limit`` of them."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def error_name(name: Any) -> str:
    """A built-in exception's name as it is; anything else as :data:`OWN_CLASS`."""
    return name if isinstance(name, str) and name in BUILTIN_ERRORS else OWN_CLASS


def type_name(name: Any) -> str:
    """A type's name when it is a short identifier; "object" otherwise."""
    text = str(name)
    return text if len(text) <= NAME_CHARS and _IDENTIFIER.fullmatch(text) else "object"


def known_note(note: Any) -> str:
    return note if isinstance(note, str) and note in KNOWN_NOTES else ""


def _error_types(types: Any) -> list[str]:
    """The class and its bases, built-in ones only; a class of the learner's own first as :data:`OWN_CLASS`."""
    names = [str(t) for t in types] if isinstance(types, list) else []
    kept = [name for name in names if name in BUILTIN_ERRORS]
    if names and names[0] not in BUILTIN_ERRORS:
        kept.insert(0, OWN_CLASS)
    return kept or [OWN_CLASS]


def _inert_run(run: dict) -> dict:
    error = run.get("error")
    if isinstance(error, list) and len(error) == 4:
        types, message, line, note = error
        run = {**run, "error": [_error_types(types), short(message), short(line), known_note(note)]}
    return run


def _inert_value(data: Any, depth: int = 0) -> Any:
    """An encoded value (:mod:`checker.serial`) or any part of a report, with its strings made inert."""
    if depth > 200:
        return None
    if isinstance(data, list):
        return [_inert_value(v, depth + 1) for v in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1 and "$opaque" in data and isinstance(data["$opaque"], list):
        body = data["$opaque"]
        if len(body) == 4:
            return {"$opaque": [type_name(body[0]), type_name(body[1]), "", bool(body[3])]}
    if len(data) == 1 and "$mapping" in data and isinstance(data["$mapping"], list):
        body = data["$mapping"]
        if len(body) == 3:
            name, module, items = body
            return {
                "$mapping": [type_name(name), type_name(module), _inert_value(items, depth + 1)]
            }
    data = {k: _inert_value(v, depth + 1) for k, v in data.items()}
    if "error" in data and "timed_out" in data:  # a run of the learner's function
        data = _inert_run(data)
    return data


def inert_report(report: dict, variables: tuple[str, ...]) -> dict | None:
    """``report`` with every string the grader may repeat made inert; None when it names an answer the
    exercise does not have (a forged report)."""
    if "failed_run" in report:
        entry = report["failed_run"]
        if not isinstance(entry, list) or len(entry) != 6 or entry[0] not in variables:
            return None
        name, error_type, _message, kept, unset, note = entry
        error = error_name(error_type)
        return {**report, "failed_run": [name, error, error, kept, unset, known_note(note)]}
    return _inert_value(report)


# --- redaction: nothing that spells a hidden case's arguments ---------------------------------------------


def _numeric(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_numeric(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _secrets(value: Any) -> list[str]:
    """What spells a hidden case's arguments: the reprs of its lists of numbers and its texts (the keys of
    its mappings are the public names of a tokenizer's outputs)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        found = [repr(list(value))] if value and _numeric(value) else []
        for item in value:
            found += _secrets(item)
        return found
    return []


def _encodings(text: str) -> list[str]:
    raw = text.encode()
    return [text, base64.b64encode(raw).decode(), codecs.encode(text, "rot13"), raw.hex()]


@lru_cache(maxsize=1)
def _windows() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every run of :data:`WINDOW` characters of every hidden case's secrets, plain and encoded, and the
    secrets shorter than that but long enough to tell (:data:`SHORTEST` characters or more), whole."""
    from .hidden import all_cases

    runs: set[str] = set()
    whole: set[str] = set()
    for cases in all_cases().values():
        for case in cases:
            for secret in _secrets(case.args):
                for encoded in _encodings(secret):
                    lowered = encoded.lower()
                    if len(lowered) < WINDOW:
                        whole.update([lowered] if len(lowered) >= SHORTEST else [])
                        continue
                    runs.update(lowered[i : i + WINDOW] for i in range(len(lowered) - WINDOW + 1))
    return frozenset(runs), tuple(sorted(whole))


def redact(text: str) -> str:
    """``text`` with every run of characters that spells part of a hidden case's arguments replaced."""
    windows, whole = _windows()
    lowered = text.lower()
    hidden = [False] * len(text)
    for i in range(len(text) - WINDOW + 1):
        if lowered[i : i + WINDOW] in windows:
            hidden[i : i + WINDOW] = [True] * WINDOW
    for secret in whole:
        start = lowered.find(secret)
        while start >= 0:
            hidden[start : start + len(secret)] = [True] * len(secret)
            start = lowered.find(secret, start + 1)
    if not any(hidden):
        return text
    out, i = [], 0
    while i < len(text):
        if hidden[i]:
            while i < len(text) and hidden[i]:
                i += 1
            out.append(REDACTED)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def reason(text: str) -> str:
    """A verdict as the grader writes it: one line, redacted, at most :data:`REASON_CHARS` characters."""
    return short(redact(short(text, 4 * REASON_CHARS)), REASON_CHARS)


# --- causes of a hidden case's failure ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def checker_words() -> frozenset[str]:
    """Every string the checker's source writes as it is (its literals): its fixed vocabulary."""
    import checker

    return _literals(Path(checker.__file__).parent)


def _literals(folder: Path) -> frozenset[str]:
    import ast

    words: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                words.add(node.value)
    return frozenset(words)


@lru_cache(maxsize=1)
def grader_literals() -> frozenset[str]:
    """Every string the grader's own source writes as it is (``passes the public checks but``)."""
    return _literals(Path(__file__).parent)


_DIGIT = re.compile(r"\d")


def fixed_cause(cause: str, case: harness.Case) -> bool:
    """Whether a cause may be shown for a hidden case: the case's own ``why`` (its author wrote it for
    learners), one of the checker's fixed sentences, or a sentence with no number and nothing of a hidden
    case's arguments in it. A cause built from values (``f"... {n} ..."``) may quote the hidden case."""
    if cause == case.why or cause in checker_words():
        return True
    return not _DIGIT.search(cause) and redact(cause) == cause

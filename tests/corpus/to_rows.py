"""Turn a corpus file of the old style (``tests/corpus/sectionN.py``: ``ATTEMPTS = [Attempt(exercise, what, cells,
expect=..., names=...), ...]``) into rows (``checker/exercises/attempts/sectionN.py``).

Each attempt runs in this process as the rows do (tests/helpers/attempts.py); the id of the mistake its check names
becomes the row's mistake, so write the check's ``Mistake(..., id=...)`` first. An attempt that only worked after an
earlier one (its words say "earlier run") gets a right answer as its first cell. What does not pass is printed: fix
the check or the row by hand. Then delete the old file. A migration aid for corpus files written before the rows
(section 12, from another branch):

    .venv/bin/python -m tests.corpus.to_rows section12 [OUTPUT]
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from checker import config
from checker.exercises.attempts import CORRECT, NOT_ATTEMPTED, Attempt
from tests.helpers.attempts import Notebook, answer_order
from tests.helpers.notebooks import ROOT

DEF = re.compile(r"def (\w+\([^)]*\)):\n")


@dataclass(frozen=True)
class OldAttempt:
    """The corpus's attempt before the rows: what ``from tests.corpus.runner import Attempt`` gave."""

    exercise: str
    what: str
    cells: tuple[str, ...] | str
    expect: str = "incorrect"
    names: tuple[str, ...] = ()
    fresh: bool = False


def old_attempts(section: str) -> list[OldAttempt]:
    import tests.corpus.runner as runner

    runner.Attempt = OldAttempt  # the old files import it from there
    return importlib.import_module(f"tests.corpus.{section}").ATTEMPTS


def convert(section: str) -> tuple[list[Attempt], list[str]]:
    """The rows, with the id each check names, and what did not pass."""
    notebook, rows, problems = Notebook(section), [], []
    old = old_attempts(section)
    for name in answer_order(section):
        mine = [a for a in old if a.exercise == name]
        right = next((a.cells for a in mine if a.expect == "correct"), None)
        for a in mine:
            mistake = {"correct": CORRECT, "not attempted": NOT_ATTEMPTED}.get(a.expect, "?")
            row = Attempt(a.exercise, mistake, a.what, a.cells, tuple(a.names))
            if any("earlier run" in word for word in a.names) and right is not None:
                row = Attempt(
                    name,
                    mistake,
                    a.what + ", after a right answer ran",
                    (right, a.cells),
                    row.names,
                )
            seen = notebook.attempt(row).seen
            if mistake == "?":
                row = Attempt(
                    name, seen["mistake"].partition(".")[2] or "?", row.what, row.cells, row.names
                )
            left = notebook.attempt(row).problems if mistake == "?" else []
            problems += [f"{name} | {row.what} | {p}" for p in left]
            rows.append(row)
    notebook.close()
    return rows, problems


def dq(text: str) -> str:
    found = repr(text)
    if found.startswith("'") and '"' not in text:
        return '"' + found[1:-1].replace("\\'", "'") + '"'
    return found


def lines_of(text: str, indent: str) -> str:
    parts = text.splitlines(keepends=True)
    if len(parts) <= 1:
        return dq(text)
    return "(\n" + "".join(f"{indent}    {dq(p)}\n" for p in parts) + f"{indent})"


def source(text: str, indent: str) -> str:
    """A learner's source as Python: a ``function(signature, body)`` call for one def, else literal lines."""
    match, head = DEF.match(text), ""
    if not match:
        later = re.search(r"(?m)^def (\w+\([^)]*\)):\n", text)
        if later and not any(
            line.startswith((" ", "\t")) for line in text[: later.start()].splitlines()
        ):
            head, text = text[: later.start()], text[later.start() :]
            match = DEF.match(text)
    if match:
        body = text[match.end() :].splitlines()
        if (
            body
            and all(line.startswith("    ") or not line.strip() for line in body)
            and text.endswith("\n")
        ):
            call = f"function({dq(match.group(1))}, " + lines_of(
                "\n".join(l[4:] for l in body), indent + "    "
            )
            return (lines_of(head, indent) + " + " if head else "") + call + ")"
    return lines_of(head + text, indent)


def emit(rows: list[Attempt], doc: str) -> str:
    names = list(dict.fromkeys(row.exercise for row in rows))
    out = [f'"""{doc}"""', "", "from . import CORRECT, NOT_ATTEMPTED, Rows, function", ""]
    out += [f"{name} = Rows({name!r})" for name in names]
    out += [
        "",
        "# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.",
    ]
    out += ["# fmt: off", "ATTEMPTS = ["]
    current, indent = None, "        "
    for row in rows:
        if row.exercise != current:
            current = row.exercise
            out.append(f"    # --- {current} ---")
        mistake = {CORRECT: "CORRECT", NOT_ATTEMPTED: "NOT_ATTEMPTED"}.get(
            row.mistake, dq(row.mistake)
        )
        cells = ", ".join(source(c, indent) for c in row.sources)
        cells = cells if isinstance(row.cells, str) else f"({cells},)"
        words = ", ".join(dq(n) for n in row.names)
        one = (
            f"    {row.exercise}({mistake}, {dq(row.what)}, {cells}"
            + (f", {words}" if words else "")
            + "),"
        )
        if "\n" not in one and len(one) <= 110:
            out.append(one)
            continue
        out += [
            f"    {row.exercise}({mistake}, {dq(row.what)},",
            f"{indent}{cells}" + ("," if words else "),"),
        ]
        if words:
            out.append(f"{indent}{words}),")
    return "\n".join(out + ["]", "# fmt: on"]) + "\n"


def main(section: str, out: str | None = None) -> int:
    config.quiet_transformers()
    rows, problems = convert(section)
    old: types.ModuleType = sys.modules[f"tests.corpus.{section}"]
    doc = (old.__doc__ or f"What learners write for {section}.").strip().splitlines()[0]
    path = Path(out) if out else ROOT / "checker" / "exercises" / "attempts" / f"{section}.py"
    path.write_text(emit(rows, doc))
    print(f"{path}: {len(rows)} rows, {len(problems)} to fix by hand")
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

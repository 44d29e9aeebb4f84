"""Every mistake has an id, written at its declaration, and one id names one declaration per exercise.

The grader's report and the class report count mistakes by these ids (``pad_batch.left_padding``), so an
id must not be built from the message (which is reworded), must not be missing, and must not name two
different mistakes an exercise can make. An exercise reaches the mistakes of its own section module and of
the shared modules (everything else in ``checker/``): an id is declared once among those.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from checker import config
from checker.outcome import MISTAKE_ID

PACKAGE = config.PACKAGE_DIR
SECTIONS = sorted((PACKAGE / "exercises").glob("section*.py"))
SHARED = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if p not in SECTIONS and "attempts" not in p.relative_to(PACKAGE).parts
)


def declarations(path: Path) -> list[tuple[str | None, int]]:
    """Each ``Mistake(...)`` call (and each INCORRECT result an exercise makes without one) in ``path``: its id
    when it is a string literal, else None, and its line. An id given by a variable comes from a table of
    variants whose rows each carry a literal id (section 9): those rows declare it, and the attempts that
    name each one pin it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        callee = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if callee == "Mistake":
            given = next((k.value for k in node.keywords if k.arg == "id"), None)
        elif callee == "_outcome" and "INCORRECT" in ast.unparse(node.args[0]):
            given = node.args[2] if len(node.args) > 2 else None
        else:
            continue
        if isinstance(
            given, ast.Name
        ):  # an id from a table of wrong variants: each row names its own
            continue
        literal = isinstance(given, ast.Constant) and isinstance(given.value, str)
        found.append((given.value if literal else None, node.lineno))
    return found


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE) else path}:{line}"


@pytest.mark.parametrize("path", SECTIONS + SHARED, ids=lambda p: p.name)
def test_every_mistake_is_declared_with_a_literal_id(path):
    missing = [where(path, line) for mistake_id, line in declarations(path) if mistake_id is None]
    assert not missing, f'a Mistake without a literal `id="..."` at {missing}'
    malformed = [i for i, _ in declarations(path) if not MISTAKE_ID.fullmatch(i)]
    assert not malformed, f"ids must be slugs such as 'left_padding': {malformed}"


def sites(paths: list[Path]) -> dict[str, list[str]]:
    by_id: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for mistake_id, line in declarations(path):
            by_id[mistake_id].append(where(path, line))
    return by_id


def test_a_shared_id_is_declared_once():
    twice = {i: s for i, s in sites(SHARED).items() if len(s) > 1}
    assert not twice, f"one id, several declarations: {twice}"


@pytest.mark.parametrize("path", SECTIONS, ids=lambda p: p.stem)
def test_an_id_names_one_declaration_of_an_exercise(path):
    shared = sites(SHARED)
    own = sites([path])
    twice = {i: s for i, s in own.items() if len(s) > 1}
    assert not twice, f"one id, several declarations: {twice}"
    clash = {i: own[i] + shared[i] for i in own if i in shared}
    assert not clash, f"a section's id that a shared mistake already has: {clash}"


def test_the_scan_sees_every_kind_of_declaration(tmp_path):
    """The test above can fail: a Mistake without an id, with an id built from text, declared twice."""
    module = tmp_path / "section99.py"
    module.write_text(
        "raise Mistake('a', id='left_padding')\n"
        "raise Mistake('b')\n"
        "raise Mistake('c', id=text.lower())\n"
        "raise Mistake('d', id='left_padding')\n"
        "return self._outcome(Outcome.INCORRECT, 'e')\n"
        "raise Mistake(what, id=mistake_id)\n"
    )
    found = declarations(module)
    assert [i for i, _ in found] == ["left_padding", None, None, "left_padding", None]
    assert len(sites([module])["left_padding"]) == 2

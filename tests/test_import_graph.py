"""Imports flow one way: from the learner's cell down to the model, never back up, never in a loop.

Every import counts, also the ones inside functions: a lazy import is still a dependency.

Written by hand rather than as import-linter contracts: its ``forbidden`` contracts would say the audiences
and the leaves, but a cycle anywhere in the course's modules (not only between siblings, its
``acyclic_siblings``) needs this walk anyway, and the whole check is these 100 lines of ``ast``, where
import-linter would add two pinned packages (it and grimp, a compiled extension) and a configuration.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.notebooks import ROOT

PACKAGES = ("checker", "multiseq", "grading", "model_pipeline")
#: Which package may import which: the learner's runtime imports none of the others.
ALLOWED = {
    "checker": {"checker"},
    "multiseq": {"checker", "multiseq"},
    "grading": {"checker", "grading"},
    "model_pipeline": {"checker", "model_pipeline"},
}
#: Leaves of the runtime: imported by everything, importing nothing of the checker (feedback only for outcome).
LEAVES = {
    "checker.feedback": set(),
    "checker.serial": set(),
    "checker.config": set(),
    "checker.padding": set(),
    "checker.outcome": {"checker.feedback"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The course modules ``path`` imports, resolved to module names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    modules = {module_name(p) for p in files()}
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules
            found |= submodules
            if len(submodules) < len(node.names):  # names defined in ``base`` itself
                found.add(base)
    return {m for m in found if m in modules and m != name}


def files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in files()}


def test_packages_import_only_what_their_audience_allows():
    wrong = {
        m: sorted(d for d in deps if d.split(".")[0] not in ALLOWED[m.split(".")[0]])
        for m, deps in graph().items()
    }
    assert not {m: d for m, d in wrong.items() if d}


def test_the_leaves_import_nothing_above_them():
    g = graph()
    for leaf, allowed in LEAVES.items():
        assert g[leaf] <= allowed, (leaf, g[leaf])


def test_there_is_no_import_cycle():
    g = graph()
    # a package's __init__ importing its own submodules is not a cycle of logic: leave those edges out
    edges = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in g.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                return path + [node, dep]
            if dep not in state and (cycle := visit(dep, path + [node])):
                return cycle
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node, [])):
            raise AssertionError(f"import cycle: {' -> '.join(cycle[cycle.index(cycle[-1]) :])}")

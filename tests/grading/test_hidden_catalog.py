"""The hidden cases and the catalog agree: a typo in a name, or a function exercise left without hidden cases,
fails here instead of grading silently on the public cases alone (grading/hidden/__init__.py reads them by name)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import grading.hidden
from checker.exercises import catalog, exercises_of, sections
from checker.harness import Case

FUNCTIONS = sorted(k for k, e in catalog().items() if e.kind == "function")


def hidden_lists(section: str) -> dict[str, list]:
    """The lists of cases ``grading/hidden/<section>.py`` declares, by name ({} without such a module)."""
    try:
        module = importlib.import_module(f"grading.hidden.{section}")
    except ModuleNotFoundError:
        return {}
    return {
        name: list(value)  # a list, or cases made when first asked for (section 11's `_Made`)
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, (type, types.ModuleType, types.FunctionType))
        and hasattr(value, "__iter__")
        and not isinstance(value, (str, bytes, dict))
    }


def test_every_hidden_module_is_a_section():
    modules = [m.name for m in pkgutil.iter_modules(grading.hidden.__path__)]
    assert set(modules) <= set(sections()), (
        f"hidden cases of no section: {set(modules) - set(sections())}"
    )


@pytest.mark.parametrize("section", sections())
def test_every_list_of_hidden_cases_is_named_after_a_function_exercise(section):
    functions = {n for n, e in exercises_of(section).items() if e.kind == "function"}
    unknown = set(hidden_lists(section)) - functions
    assert not unknown, (
        f"grading/hidden/{section}.py has cases for {sorted(unknown)}, which are not function exercises "
        f"of {section} ({sorted(functions)}): a typo gives those exercises no hidden cases"
    )


@pytest.mark.parametrize("key", FUNCTIONS)
def test_every_function_exercise_has_hidden_cases(key):
    section, name = key.split(".")
    declared = hidden_lists(section)
    assert name in declared, f"grading/hidden/{section}.py declares no `{name} = [...]`"
    cases = declared[name]
    assert all(isinstance(c, Case) for c in cases)
    if not cases:  # only where the module says why (its arguments cannot travel into the kernel)
        module = importlib.import_module(f"grading.hidden.{section}")
        assert f"``{name}`` has none" in (module.__doc__ or ""), (
            f"{key}: no hidden cases, no reason"
        )


def test_the_guard_sees_a_misspelt_name(monkeypatch):
    module = importlib.import_module("grading.hidden.section4")
    monkeypatch.setattr(module, "pad_bacth", module.pad_batch, raising=False)
    monkeypatch.delattr(module, "pad_batch")
    with pytest.raises(AssertionError, match="pad_bacth"):
        test_every_list_of_hidden_cases_is_named_after_a_function_exercise("section4")
    with pytest.raises(AssertionError, match="declares no `pad_batch"):
        test_every_function_exercise_has_hidden_cases("section4.pad_batch")

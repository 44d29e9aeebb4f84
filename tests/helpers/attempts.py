"""Running the rows of ``checker/exercises/attempts`` as a learner's notebook does, and judging each one as the
public check and the grader do.

A section's solution notebook runs cell by cell in an IPython shell (:class:`Notebook`, in this process; the
kernel corpus runs the same steps in a Jupyter kernel), up to the answer cell of an exercise. What the notebook
holds then is kept (:class:`Snapshot`): every row starts from it, so that rows are independent of each other and
of their order. A row's cells run; then the probe asks the exercise's check (as the notebook's check cell does)
and the report a grading kernel would send, judged by :func:`grading.scorer.judge` (:func:`probe`). The rows'
expectations are compared by one function for both lanes (:func:`problems`).
"""

from __future__ import annotations

import copy
import json
import os
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from checker import answers, evidence, generation_calls, model_calls
from checker.exercises import exercises_of
from checker.exercises.attempts import Attempt

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions" / "multiple_sequences"
#: Names IPython keeps in a shell's namespace: never copied, never compared.
_SHELL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def notebook_of(section: str) -> Path:
    number = int(section.removeprefix("section"))
    (path,) = [p for p in SOLUTIONS.glob("*.ipynb") if int(p.name.split("_")[0]) == number]
    return path


def answer_order(section: str) -> list[str]:
    """The section's exercises, in the order its notebook asks them (its answer cells)."""
    cells = nbformat.read(notebook_of(section), as_version=4).cells
    return [
        c.metadata["nbgrader"]["grade_id"].removesuffix("_answer")
        for c in cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]


def answer_cell(cells: list, exercise: str) -> int:
    """The index of ``exercise``'s answer cell among ``cells``."""
    for index, cell in enumerate(cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == f"{exercise}_answer":
            return index
    raise KeyError(f"{exercise}_answer is not among the cells")


def needs_kernel(section: str, attempt: Attempt) -> bool:
    """A row runs in a Jupyter kernel where the kernel is what it tests: cells run in turn (a cell that raised
    leaves a stale answer), model calls traced by the kernel's records, or rows marked ``kernel=True``."""
    exercise = exercises_of(section)[attempt.exercise]
    traced = getattr(exercise, "observe", False)
    return attempt.kernel or traced or len(attempt.sources) > 1 or attempt.mistake == "cell_raised"


# --- what a row starts from ------------------------------------------------------------------------------


class Snapshot:
    """A notebook's namespace and the checker's records of its cells and model calls, to start each row from.

    Data (lists, dicts, tensors, tokenizer outputs) is copied, so that a row that changes `batched_ids` in place
    does not change the next row's; models, tokenizers and modules are shared, with their training mode and their
    config's ``use_cache`` put back (a row may switch the cache off there: ``model.config.use_cache = False``).
    """

    def __init__(self, namespace: dict):
        self.tokenizers = [(t, _state(t)) for t in _tokenizers(namespace)]
        self.modules = _modules(namespace)
        self.training = [(m, m.training) for m in self.modules]
        self.use_cache = [(m.config, m.config.use_cache) for m in self.modules if _has_use_cache(m)]
        # a snapshot the kernel holds as `_snapshot` is never part of what it restores (the current one must stay)
        kept = {k: v for k, v in namespace.items() if not isinstance(v, Snapshot)}
        self.values = _copied(kept, self.modules)
        self.answers = (dict(answers._last_run), dict(answers._bound_in), answers._cell)
        self.recorded = dict(evidence._recorded)
        self.calls = list(model_calls._recent)
        self.generation = (
            list(generation_calls._forward),
            list(generation_calls._generate),
            list(generation_calls._returned),
        )

    def intact(self) -> bool:
        """Whether the shared objects rows cannot be given copies of (the tokenizers the checker uses too) are
        as the snapshot found them: a row that sets a pad token or adds one spoils them for the next rows."""
        return all(_state(t) == state for t, state in self.tokenizers)

    def restore(self, namespace: dict) -> None:
        for name in [n for n in namespace if not _shell_name(n)]:
            del namespace[name]
        namespace.update(_copied(self.values, self.modules))
        for module, training in self.training:
            module.train(training)
        for settings, use_cache in self.use_cache:
            settings.use_cache = use_cache
        answers._last_run.clear()
        answers._last_run.update(self.answers[0])
        answers._bound_in.clear()
        answers._bound_in.update(self.answers[1])
        evidence._recorded.clear()
        evidence._recorded.update(self.recorded)
        for records, kept in (
            (model_calls._recent, self.calls),
            (generation_calls._forward, self.generation[0]),
            (generation_calls._generate, self.generation[1]),
            (generation_calls._returned, self.generation[2]),
        ):
            records.clear()
            records.extend(kept)


class Borrowed:
    """What a notebook held before the kernel corpus borrowed its kernel from nbval, given back when the rows are
    done, so that nbval's next cells run and print as if no row had run: its objects themselves (the rows worked
    on copies), ``sys.path`` (less ``added_path``, put there to import this), the random generators' states, the
    models' weights, gradients and ``requires_grad``, the warnings shown once (transformers' and Python's) and the
    warning filters. What cannot be given back (a model's config, dtype or device) is compared, and a row that
    changed it fails its item: such a row belongs in a kernel of its own."""

    def __init__(self, namespace: dict, added_path: str | None = None):
        import random
        import sys
        import warnings

        import numpy
        import torch

        self.values = dict(namespace)
        self.path = list(sys.path)
        if added_path in self.path:
            self.path.remove(added_path)
        self.filters = list(warnings.filters)
        self.version = _filters_version()
        self.random = (random.getstate(), numpy.random.get_state(), torch.get_rng_state())
        self.modules = _modules(namespace)
        tensors = {id(t): t for m in self.modules for t in [*m.parameters(), *m.buffers()]}
        self.weights = [
            (t, t.detach().clone(), t.requires_grad, None if t.grad is None else t.grad.clone())
            for t in tensors.values()
        ]
        self.settings = _settings(self.modules)
        self.once = [(log, set(log.shown)) for log in _OnceLog.installed()]
        self.registries = _warning_registries(namespace)

    def give_back(self, namespace: dict, snapshot: Snapshot) -> None:
        import random
        import sys
        import warnings

        import numpy
        import torch

        snapshot.restore(
            namespace
        )  # the checker's records, training modes and `use_cache` as they were
        for name in [n for n in namespace if n not in self.values]:
            del namespace[name]
        namespace.update(self.values)
        sys.path[:] = self.path
        # in place: Python's count of filter changes stays where the rows left it
        warnings.filters[:] = self.filters
        random.setstate(self.random[0])
        numpy.random.set_state(self.random[1])
        torch.set_rng_state(self.random[2])
        with torch.no_grad():
            for tensor, kept, requires_grad, grad in self.weights:
                if tensor.shape == kept.shape and tensor.dtype == kept.dtype:
                    tensor.copy_(kept)
                tensor.requires_grad_(requires_grad)
                tensor.grad = grad
        for log, shown in self.once:
            log.forget_since(shown)
        kept_registries = {id(registry) for registry, _ in self.registries}
        version = _filters_version()
        for registry, kept in self.registries:
            registry.clear()
            registry.update(kept)
            if (
                kept.get("version") == self.version
            ):  # valid before the rows: valid under the same filters again
                registry["version"] = version
        for registry, _ in _warning_registries(namespace):
            if id(registry) not in kept_registries:  # a module that first warned in a row
                registry.clear()
        now = _settings(self.modules)
        changed = [what for what, before in self.settings.items() if now.get(what) != before]
        if changed:
            raise RuntimeError(
                f"a row changed {', '.join(changed)}, which the notebook cannot get back: run that row in a "
                "kernel of its own (tests/corpus/runner.py, Session)"
            )


def _filters_version() -> int:
    """How many times Python's warning filters have changed (the count a registry is valid for), read without
    changing it or showing anything: a filter put first in place, and a warning it ignores."""
    import warnings

    registry: dict = {}
    warnings.filters.insert(0, ("ignore", None, Warning, None, 0))
    try:
        warnings.warn_explicit("", UserWarning, "<version>", 0, registry=registry)
    finally:
        del warnings.filters[0]
    return registry["version"]


def _settings(modules: list) -> dict[str, Any]:
    """What a row may change in a model and the corpus cannot restore: its configs, its tensors' dtypes and
    devices."""
    found: dict[str, Any] = {}
    for index, module in enumerate(modules):
        name = f"{type(module).__name__} #{index}"
        for field_name in ("config", "generation_config"):
            settings = getattr(module, field_name, None)
            if hasattr(settings, "to_dict"):
                found[f"{name}.{field_name}"] = repr(
                    {k: v for k, v in settings.to_dict().items() if k != "use_cache"}
                )
        found[f"{name}'s dtypes and devices"] = sorted(
            {(str(t.dtype), str(t.device)) for t in [*module.parameters(), *module.buffers()]}
        )
    return found


class _OnceLog:
    """transformers' ``Logger.warning_once`` (and ``info_once``), forgetful on demand: a row that is the first to
    warn must not keep the notebook's next cell from printing that warning, as it does in a kernel of its own.
    transformers keeps what it showed in an ``lru_cache``, which can be asked (a miss) but not told to forget; the
    keys it learned from a row are shown by this wrapper itself from then on."""

    def __init__(self, name: str):
        import logging

        self.name, self.original = name, getattr(logging.Logger, name)
        self.shown: set = set()
        self.learned: set = set()  # in the original's cache since a row showed them
        self.fresh: set = set()  # shown for the first time in this kernel since the wrapper came
        log = self

        def once(logger, *args, **kwargs):
            log.call(logger, args, kwargs)

        setattr(logging.Logger, name, once)

    @classmethod
    def installed(cls) -> list[_OnceLog]:
        import logging

        logs = []
        for name in ("warning_once", "info_once"):
            if not hasattr(logging.Logger, name):
                continue
            log = getattr(logging.Logger, name).__dict__.get("once_log") or cls(name)
            getattr(logging.Logger, name).once_log = log
            logs.append(log)
        return logs

    def call(self, logger, args: tuple, kwargs: dict) -> None:
        key = (logger, args, tuple(sorted(kwargs.items())))
        if key in self.shown:
            return
        self.shown.add(key)
        if key in self.learned:
            getattr(logger, self.name.removesuffix("_once"))(*args, **kwargs)
            return
        misses = self.original.cache_info().misses
        self.original(logger, *args, **kwargs)
        if self.original.cache_info().misses > misses:
            self.fresh.add(key)

    def forget_since(self, shown: set) -> None:
        self.learned |= (self.shown - shown) & self.fresh
        self.shown = set(shown)


def _warning_registries(namespace: dict) -> list[tuple[dict, dict]]:
    """Python's record of the warnings each module (and the notebook) has shown once, with a copy."""
    import sys

    holders = [getattr(m, "__dict__", None) or {} for m in list(sys.modules.values())] + [namespace]
    found = {}
    for holder in holders:
        registry = holder.get("__warningregistry__")
        if isinstance(registry, dict):
            found[id(registry)] = registry
    return [(r, dict(r)) for r in found.values()]


def _has_use_cache(module) -> bool:
    return hasattr(getattr(module, "config", None), "use_cache")


def _tokenizers(namespace: dict) -> list:
    found = [v for v in namespace.values() if hasattr(v, "convert_ids_to_tokens")]
    return list({id(t): t for t in found}.values())


def _state(tokenizer) -> str:
    """What a row can change in a tokenizer: its special tokens, vocabulary size and padding and truncation."""
    return repr(
        (
            sorted(tokenizer.special_tokens_map.items()),
            len(tokenizer),
            tokenizer.padding_side,
            tokenizer.truncation_side,
            tokenizer.model_max_length,
        )
    )


def _shell_name(name: str) -> bool:
    return name.startswith("_") or name in _SHELL_NAMES


def _modules(namespace: dict) -> list:
    import torch

    from checker.model import load_model

    found = [v for v in namespace.values() if isinstance(v, torch.nn.Module)]
    found.append(load_model().model)  # the course model, however the notebook holds it
    return list({id(m): m for m in found}.values())


def _copied(namespace: dict, modules: list) -> dict:
    """A copy of the notebook's data; shared objects (models, their parameters, tokenizers, functions) kept."""
    memo: dict[int, Any] = {}
    for module in modules:
        memo[id(module)] = module
        for tensor in [*module.parameters(), *module.buffers()]:
            memo[id(tensor)] = tensor
    copied = {}
    for name, value in namespace.items():
        if _shell_name(name) or isinstance(
            value, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)
        ):
            copied[name] = value
            continue
        if hasattr(
            value, "convert_ids_to_tokens"
        ):  # a tokenizer: large, and nothing a row may change
            memo[id(value)] = value
            copied[name] = value
            continue
        try:
            copied[name] = copy.deepcopy(value, memo)
        except Exception:  # something that cannot be copied (an open file, a generator): shared
            copied[name] = value
    return copied


# --- running a section's notebook in this process --------------------------------------------------------


class Notebook:
    """A section's solution notebook, run cell by cell in an IPython shell in this process."""

    def __init__(self, section: str):
        self.section = section
        self.path = notebook_of(section)
        self.cells = nbformat.read(self.path, as_version=4).cells
        self.shell = None
        self.position = 0
        self.exercise: str | None = None
        self.snapshot: Snapshot | None = None

    def start(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell

        from checker import model

        model._load.cache_clear()  # the notebook's own model and tokenizer, as a kernel has: never the tests'
        InteractiveShell.clear_instance()
        self.shell = InteractiveShell.instance()
        self.position, self.exercise, self.snapshot = 0, None, None

    def close(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell

        from checker import model

        InteractiveShell.clear_instance()
        model._load.cache_clear()  # what the notebook changed (a pad token, training mode) stays with it
        self.shell = None

    def run(self, source: str) -> None:
        with _in(self.path.parent):
            self.shell.run_cell(source, store_history=True)
        answers.track()  # the cell that imports the exercises starts following this shell

    def at(self, exercise: str) -> dict:
        """The namespace at ``exercise``'s answer cell, as every row of it starts (earlier answers right)."""
        index = answer_cell(self.cells, exercise)
        if self.shell is None or index < self.position:
            self.start()
        if self.exercise == exercise:
            self.snapshot.restore(self.shell.user_ns)
            return self.shell.user_ns
        if self.snapshot is not None:  # the next answer cell runs after the right answer
            self.snapshot.restore(self.shell.user_ns)
        while self.position < index:
            cell = self.cells[self.position]
            self.position += 1
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                self.run(cell.source)
        self.exercise, self.snapshot = exercise, Snapshot(self.shell.user_ns)
        return self.shell.user_ns

    def attempt(self, attempt: Attempt) -> Outcome:
        namespace = self.at(attempt.exercise)
        for source in attempt.sources:
            self.run(source)
        outcome = judged(attempt, probe(self.section, attempt.exercise, namespace))
        if not self.snapshot.intact():  # the next row starts from the notebook run again
            self.shell, self.exercise, self.snapshot = None, None, None
        return outcome


@contextmanager
def _in(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


# --- the probe and the verdict ----------------------------------------------------------------------------


def probe(section: str, name: str, namespace: dict) -> dict:
    """What the notebook's check cell shows and what the grader decides, as plain data."""
    return verdict(section, name, seen(section, name, namespace))


def seen(section: str, name: str, namespace: dict) -> dict:
    """What the check says of the answer in ``namespace``, and the report a grading kernel sends (run where the
    notebook runs: in this process, or in the kernel)."""
    import time

    from grading import hidden

    exercise = exercises_of(section)[name]
    key = f"{section}.{name}"
    started = time.perf_counter()
    result = exercise.check_namespace(namespace)
    seconds = time.perf_counter() - started
    evidence.record(exercise, namespace)
    spec = json.loads(json.dumps(evidence.hidden_spec({key: hidden.cases_for(key)})[key]))
    return {
        "outcome": result.outcome.value,
        "text": str(result),
        "mistake": result.mistake,
        "seconds": seconds,
        "report": json.loads(json.dumps(evidence._report_one(exercise, spec, namespace))),
    }


def verdict(section: str, name: str, seen: dict) -> dict:
    """``seen`` with the grader's verdict on its report, judged here, outside any kernel."""
    from grading import scorer

    key = f"{section}.{name}"
    decided = scorer.judge(key, {"key": key, **seen["report"]})
    return {
        **seen,
        "accepted": decided.accepted,
        "grader_reason": decided.reason,
        "grader_mistake": decided.mistake,
    }


@dataclass
class Outcome:
    attempt: Attempt
    seen: dict
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def judged(attempt: Attempt, seen: dict) -> Outcome:
    """What is wrong with the feedback ``seen`` (:func:`probe`) for ``attempt``: nothing, for a right row.

    The grader must name the row's mistake too: it judges only the report (the calls the kernel found behind
    the answer travel in it), never the model calls of the process it runs in."""
    outcome = Outcome(attempt, seen)
    problems = outcome.problems
    right = attempt.expect == "correct"
    if seen["outcome"] != attempt.expect:
        problems.append(f"expected {attempt.expect}, the check said {seen['outcome']}")
    elif (
        attempt.expect == "incorrect" and seen["mistake"] != f"{attempt.exercise}.{attempt.mistake}"
    ):
        problems.append(f"the check named {seen['mistake']!r}, not {attempt.mistake!r}")
    for word in attempt.names:
        if word not in seen["text"]:
            problems.append(f"the feedback does not name it ({word!r})")
    if seen["accepted"] != right:
        problems.append(
            f"the grader {'accepted' if seen['accepted'] else 'rejected'} it: {seen['grader_reason']}"
        )
    elif attempt.expect == "incorrect":
        wanted = f"{attempt.exercise}.{attempt.mistake}"
        if seen["grader_mistake"] != wanted:
            problems.append(f"the grader named {seen['grader_mistake']!r}, not {wanted!r}")
    return outcome

"""The kernel corpus runs inside nbval's solution notebooks (tests/corpus/in_notebooks.py): where its items go,
what a row may change and the notebook gets back, and a row that spoils the tokenizer."""

from __future__ import annotations

import logging
import random
import subprocess
import sys
import time
import warnings

import pytest
import torch

from checker.exercises import section_of
from checker.exercises.attempts import CORRECT, Attempt
from tests.corpus.runner import NotebookKernel, kernel_rows
from tests.helpers.attempts import Borrowed, Snapshot
from tests.helpers.notebooks import ROOT, SOLUTIONS, notebook_names


def collected(*args: str) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_each_exercise_with_kernel_rows_has_one_item_just_before_its_answer_cell():
    import nbformat

    ids = collected(str(SOLUTIONS))
    for name in notebook_names():
        section = section_of(name)
        exercises = {row.exercise for row in kernel_rows(section)}
        mine = [
            i.split("::", 1)[1]
            for i in ids
            if i.startswith(f"solutions/multiple_sequences/{name}::")
        ]
        code = [
            c for c in nbformat.read(SOLUTIONS / name, as_version=4).cells if c.cell_type == "code"
        ]
        answers = {
            c.metadata["nbgrader"]["grade_id"].removesuffix("_answer"): f"Cell {n}"
            for n, c in enumerate(code)
            if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_answer")
        }
        rows = [i for i in mine if i.startswith("Rows of ")]
        assert sorted(rows) == sorted(f"Rows of {e}" for e in exercises), name
        for exercise in exercises:
            at = mine.index(f"Rows of {exercise}")
            assert mine[at + 1] == answers[exercise], (name, mine[at : at + 2])
    # the rows are kernel tests: the fast lane leaves them out
    assert not [i for i in collected("-m", "not kernel", str(SOLUTIONS)) if "::Rows of " in i]


def test_the_notebook_gets_back_what_rows_changed(course, monkeypatch):
    """Objects (not copies), sys.path, random states, weights, gradients and training mode, transformers' warn-once,
    Python's warning registries and filters; a change it cannot give back fails."""
    import types

    import numpy

    for name in (
        "warning_once",
        "info_once",
    ):  # the wrapper stays in this process only for this test
        monkeypatch.setattr(logging.Logger, name, getattr(logging.Logger, name))
    monkeypatch.setattr(sys, "path", list(sys.path))
    log = logging.getLogger("tests.corpus.borrowed")
    shown: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: shown.append(record.getMessage())
    log.addHandler(handler)
    monkeypatch.setattr(log, "propagate", False)
    library = types.ModuleType("tests_corpus_a_library")  # a module that first warns in a row
    exec(
        "import warnings\ndef warn():\n    warnings.warn('a library warned', UserWarning)\n",
        vars(library),
    )
    monkeypatch.setitem(sys.modules, library.__name__, library)
    layer = torch.nn.Linear(
        2, 2
    ).eval()  # the notebook's own module: the course model stays untouched
    namespace: dict = {"__name__": "__main__", "data": [1, 2], "layer": layer}
    exec(
        "import warnings\n"
        "def warn():\n    warnings.warn('a row warned', UserWarning)\n"
        "def warned():\n    warnings.warn('warned before the rows', UserWarning)\n",
        namespace,
    )
    data, before = namespace["data"], layer.weight.detach().clone()
    with warnings.catch_warnings(record=True) as python_warnings:
        warnings.simplefilter("default")
        log.warning_once("shown before the rows")
        namespace["warned"]()
        states = (random.getstate(), numpy.random.get_state()[1].copy(), torch.get_rng_state())
        path, filters = list(sys.path), list(warnings.filters)

        sys.path.insert(0, "/the/corpus")  # as BORROW puts the checkout first
        borrowed = Borrowed(namespace, added_path="/the/corpus")
        snapshot = Snapshot(namespace)
        # a row: works on copies, trains, draws, warns, imports, filters
        snapshot.restore(namespace)
        namespace["data"].append(3)
        namespace["extra"] = 1
        layer.train()
        layer(torch.ones(1, 2)).sum().backward()
        with torch.no_grad():
            layer.weight.add_(1.0)
        layer.bias.requires_grad_(False)
        random.random(), numpy.random.rand(), torch.rand(2)
        warnings.filterwarnings(
            "ignore", message="nothing"
        )  # first: the warnings below are under it
        log.warning_once("first shown by a row")
        log.warning_once("shown before the rows")
        namespace["warn"](), namespace["warned"](), library.warn()
        sys.path.append("/a/row")
        borrowed.give_back(namespace, snapshot)

        assert namespace["data"] is data and data == [1, 2] and "extra" not in namespace
        assert torch.equal(layer.weight, before) and layer.weight.grad is None
        assert layer.bias.requires_grad and not layer.training
        assert random.getstate() == states[0] and torch.equal(torch.get_rng_state(), states[2])
        assert (numpy.random.get_state()[1] == states[1]).all()
        assert sys.path == path and warnings.filters == filters
        log.warning_once("first shown by a row")  # as if no row had shown it
        log.warning_once("shown before the rows")  # still shown once
        namespace["warn"](), namespace["warned"](), library.warn()  # "warned": still shown once

        layer.to(torch.float64)  # a row that changes what cannot be given back
        with pytest.raises(RuntimeError, match="dtypes and devices.*kernel of its own"):
            borrowed.give_back(namespace, snapshot)
    assert shown == ["shown before the rows", "first shown by a row", "first shown by a row"]
    assert (
        [str(w.message) for w in python_warnings]
        == [
            "warned before the rows",
            "a row warned",
            "warned before the rows",  # again in the row: its new filter made Python forget what it had shown
            "a library warned",
            "a row warned",
            "a library warned",
        ]
    )


@pytest.mark.kernel
def test_rows_in_nbval_kernel_restart_time_out_and_fail_loudly(monkeypatch):
    """A row that spoils the tokenizer leaves the next a new kernel; each row is judged; a row that breaks the
    giving back, or runs past the time limit (interrupted, the kernel free again), fails the rows' item."""
    from nbval.kernel import RunningKernel

    from tests.corpus import runner

    class Notebook:  # what the rows need of nbval's IPyNbFile
        path = SOLUTIONS / "02_models_expect_a_batch.ipynb"
        kernel = RunningKernel("python3", cwd=str(SOLUTIONS))

    right = "input_ids = torch.tensor([ids])"
    rows = [
        Attempt(
            "batch_dimension",
            CORRECT,
            "a right answer after adding a pad token",
            (
                "tokenizer.add_special_tokens({'pad_token': '[ANOTHER_PAD]'})",
                right,
            ),
        ),
        Attempt("batch_dimension", CORRECT, "a right answer", right),
        Attempt(
            "batch_dimension",
            CORRECT,
            "a wrong answer the row calls right",
            "input_ids = torch.tensor(ids)",
        ),
    ]
    try:
        kernel = NotebookKernel(
            Notebook, set()
        )  # nothing has run: the rows run the cells above the answer
        outcomes = kernel.rows("batch_dimension", rows)
        after = kernel.run(
            "print(len(tokenizer), tokenizer.pad_token, '_snapshot' in globals(), len(In))"
        )
        with pytest.raises(RuntimeError, match="_borrowed.give_back.*NameError"):
            kernel.rows(
                "batch_dimension",
                [Attempt("batch_dimension", CORRECT, "", (right, "del _borrowed"))],
            )
        monkeypatch.setattr(runner, "TIMEOUT", 3)
        with pytest.raises(RuntimeError, match="ran past 3 s and was interrupted"):
            kernel.rows(
                "batch_dimension",
                [Attempt("batch_dimension", CORRECT, "", "import time; time.sleep(60)")],
            )
        started = time.perf_counter()
        free = kernel.run("print('free')")
        waited = time.perf_counter() - started
    finally:
        Notebook.kernel.stop()
    assert outcomes[1].ok, outcomes[1].problems
    assert not outcomes[2].ok and "the check said incorrect" in " ".join(outcomes[2].problems)
    length, pad, leftover, history = after[0]["text"].split()
    assert (
        pad == "[PAD]" and leftover == "False"
    )  # a new kernel after the first row; the corpus's names gone
    assert (
        int(length) == 30522 and history == "1"
    )  # nothing in nbval's history (`In` holds only '')
    assert free[0]["text"] == "free\n" and waited < 2

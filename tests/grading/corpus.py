"""The submissions the grading test hands in: hostile ones, careless ones, honest odd ones, and controls.

Each :class:`Submission` is one student: the notebooks handed in (built from the RELEASED notebooks, as a
student starts), how they are handed in (zip, tar or folder), and the exact auto score expected for every
graded cell. Attacks that need outside resources (a listening port, a folder outside the course) get them
from :class:`Targets`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from nbformat.v4 import new_code_cell

TAMPER = (
    "from checker.exercise import Exercise\nfrom checker.outcome import Outcome, Result\n"
    "Exercise.grade = lambda self, *answers: None\n"
    "Exercise.check = lambda self, *answers: Result(self.title, Outcome.CORRECT)\n"
)
WRONG_02 = {
    "batch_dimension_answer": "input_ids = torch.zeros(1, len(ids), dtype=torch.int64)",
    "seed_logits_answer": "logits = torch.zeros(1, 2)",
}
SELF_CONTAINED_LOGITS = "logits = model(torch.tensor([ids])).logits\nprint(logits)"
NB02, NB04, NB05 = (
    "02_models_expect_a_batch.ipynb",
    "04_padding.ipynb",
    "05_padding_in_practice.ipynb",
)
NB11 = "11_batches_for_generation.ipynb"
NB12 = "12_packing_sequences.ipynb"
#: Notebook 12 handed in with the mistakes its lesson is about: a pack that drops the id 0 as if it were padding
#: (right on every public case, wrong on a hidden one), and the training loop of section 10 with the cache on.
WRONG_12 = {
    "pack_answer": "def pack(sequences):\n"
    "    kept = [[t for t in s if t != 0] for s in sequences]  # 0 is the pad id, isn't it?\n"
    "    return DataCollatorWithFlattening()([{'input_ids': s} for s in kept])",
    "train_packed_answer": "def train_packed(model, optimizer, batches):\n    model.train()\n    losses = []\n"
    "    for batch in batches:\n"
    "        loss = model(**{k: v.to(model.device) for k, v in batch.items()}).loss\n"
    "        loss.backward()\n        optimizer.step()\n        optimizer.zero_grad()\n"
    "        losses.append(loss.item())\n    return losses",
}


@dataclass
class Targets:
    """What attacks aim at outside the student's folder."""

    outside: Path  # a folder next to the course that nothing may write to
    port: int  # a port the test listens on, on 127.0.0.1
    marker: str  # a unique word: processes and files named with it must not exist after grading
    model_file: Path  # the course model's weights in the cache


@dataclass
class Submission:
    student: str
    notebooks: dict[str, object]  # file name -> NotebookNode, or bytes for a broken file
    expect: dict[tuple[str, str], float]  # (notebook name without .ipynb, grade id) -> auto score
    form: str = "folder"  # "zip", "tar" or "folder"
    why: str = ""
    symlinks: dict[str, Path] = field(
        default_factory=dict
    )  # name in the handed-in folder -> what it points to
    archive_members: dict[str, bytes] = field(
        default_factory=dict
    )  # extra (hostile) zip member names


def graded_points(nb) -> dict[str, float]:
    """The notebook's graded cells and their points."""
    return {
        c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    }


class Corpus:
    def __init__(self, release: dict, answers: dict, targets: Targets):
        self.release, self.answers, self.t = release, answers, targets

    # --- building notebooks --------------------------------------------------------------------------
    def answered(
        self, name: str, *, skip=(), replace=None, prepend=None, append_cells=(), insert_after=None
    ):
        nb = copy.deepcopy(self.release[name])
        replace = replace or {}
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in replace:
                cell.source = replace[gid]
            elif cell.metadata.get("nbgrader", {}).get("solution") and gid not in skip:
                cell.source = self.answers[name][gid]
            if prepend and gid in prepend:
                cell.source = prepend[gid] + "\n" + cell.source
        for gid, code in (insert_after or {}).items():
            index = next(
                i
                for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == gid
            )
            nb.cells.insert(index + 1, new_code_cell(code))
        nb.cells.extend(new_code_cell(code) for code in append_cells)
        return nb

    def first_cell(self, nb, code: str):
        first = next(c for c in nb.cells if c.cell_type == "code")
        first.source = code + "\n" + first.source
        return nb

    def scores(self, name: str, share: float = 1.0, **override: float) -> dict:
        """Every graded cell of notebook ``name`` at ``share`` of its points (``exercise=share`` for some)."""
        stem = name[: -len(".ipynb")]
        return {
            (stem, gid): points * override.get(gid.removesuffix("_test"), share)
            for gid, points in graded_points(self.release[name]).items()
        }

    def everything(self, student: str, why: str, form: str = "zip", names=None) -> Submission:
        names = [name for name in self.release if names is None or name in names]
        notebooks = {name: self.answered(name) for name in names}
        expect = {k: v for name in names for k, v in self.scores(name).items()}
        return Submission(student, notebooks, expect, form, why)

    def one(
        self, student: str, why: str, nb, expect: dict, name: str = NB02, form: str = "folder", **kw
    ) -> Submission:
        return Submission(student, {name: nb}, expect, form, why, **kw)

    # --- the corpus ----------------------------------------------------------------------------------
    def build(self) -> list[Submission]:
        t, S = self.t, self.scores
        subs = [
            self.everything("aaa-control-first", "control, graded first"),
            # after every attack: the notebooks the attacks aimed at, and the decoder's
            self.everything(
                "zzz-control-last",
                "control, graded last (after every attack)",
                form="folder",
                names=(NB02, NB04, NB05, NB11),
            ),
        ]
        add = subs.append

        # --- points without an answer: whatever the kernel does, the verdict is decided outside it ---
        nbs = {
            name: self.answered(
                name, prepend={gid: TAMPER for gid in self.answers[name]}, skip=self.answers[name]
            )
            for name in (NB02, NB04)
        }
        add(
            Submission(
                "tamper-checker",
                nbs,
                {**S(NB02, 0.0), **S(NB04, 0.0)},
                "zip",
                "Exercise.check/grade replaced, no answers",
            )
        )
        hooks = {
            "input-transformer": "get_ipython().input_transformers_post.append("
            "lambda lines: ['pass\\n'] if any('.grade()' in l for l in lines) else lines)",
            "pre-run-result": "from IPython.display import publish_display_data\n"
            "def _fake(info):\n    get_ipython().display_pub.publish({'text/plain': '1.0'})\n"
            "    get_ipython().displayhook(1.0)\n"
            "get_ipython().events.register('pre_run_cell', _fake)",
            "fake-ex": "get_ipython().ast_node_interactivity = 'all'\nclass _Fake:\n"
            "    def __getattr__(self, name):\n        return self\n"
            "    def __call__(self, *a, **k):\n        return 1.0\nex = _Fake()",
            "load-fresh-replaced": "import checker.model, checker.references\n"
            "checker.model.load_fresh = checker.model.load_model = lambda *a, **k: None\n"
            "checker.references.get = lambda name, *a: torch.zeros(1, 2)",
            "fake-torch-import": "import builtins, types\n_real = builtins.__import__\n"
            "def _imp(name, *a, **k):\n"
            "    if name.startswith(('torch', 'checker')):\n"
            "        return types.SimpleNamespace(equal=lambda *a: True, evidence=None)\n"
            "    return _real(name, *a, **k)\nbuiltins.__import__ = _imp",
            "shadowed-builtins": "int = lambda *a, **k: 0\nlist = tuple\nisinstance = lambda *a: True\n"
            "len = lambda *a: 14",
            "torch-patched": "torch.equal = lambda *a: True\ntorch.allclose = lambda *a, **k: True\n"
            "torch.testing.assert_close = lambda *a, **k: None\n"
            "_t = torch.tensor\ntorch.as_tensor = lambda x, **k: _t([[1045, 1005]])",
            "fake-reports": "from IPython.display import display\nfrom checker import evidence\n"
            "def _forge(*a, **k):\n"
            "    display({evidence.MIME: {'key': 'section2.seed_logits', 'report': {'values': [0.0]}}},"
            " raw=True)\n"
            "    display({evidence.MIME: {'key': 'section2.batch_dimension', 'report': 'x'}}, raw=True)\n"
            "evidence.report = _forge\n_forge()",
        }
        for name, hook in hooks.items():
            nb = self.answered(NB02, replace=WRONG_02, prepend={"batch_dimension_answer": hook})
            add(self.one(name, f"wrong answers and {name}", nb, S(NB02, 0.0)))

        # --- damage to shared state: refused by the sandbox, and nothing changes for anyone ---
        attacks = {
            "gradebook-sqlite": "import sqlite3\ntry:\n    db = sqlite3.connect('../../../gradebook.db')\n"
            "    db.execute('UPDATE grade SET manual_score = 0'); db.commit()\n"
            "except Exception as e:\n    print('refused', type(e).__name__)",
            "gradebook-torch-save": "try:\n    torch.save({'x': 1}, '../../../gradebook.db')\n"
            "except Exception as e:\n    print('refused', type(e).__name__)",
            "model-overwrite": f"from safetensors.torch import save_file\ntry:\n"
            f"    save_file({{'x': torch.zeros(1)}}, {str(t.model_file)!r})\n"
            "except Exception as e:\n    print('refused', type(e).__name__)",
            "writes-outside": f"import os, ctypes\nfor attempt in [lambda: open('../../escaped-{t.marker}.txt', 'w'),\n"
            f"    lambda: open({str(t.outside / ('rel-' + t.marker))!r}, 'w'),\n"
            f"    lambda: torch.save(1, {str(t.outside / ('torch-' + t.marker))!r}),\n"
            f"    lambda: os.open('escaped-{t.marker}', os.O_CREAT | os.O_WRONLY, "
            f"dir_fd=os.open({str(t.outside)!r}, os.O_RDONLY)),\n"
            f"    lambda: ctypes.CDLL(None).creat({str(t.outside / ('ctypes-' + t.marker)).encode()!r}, 0o644),\n"
            f"    lambda: open('/tmp/host-{t.marker}', 'w').write('x')]:\n"
            "    try:\n        print(attempt())\n    except Exception as e:\n"
            "        print('refused', type(e).__name__)",
            "fork-setsid": f"import ctypes, os\nlibc = ctypes.CDLL(None)\npid = libc.fork()\nif pid == 0:\n"
            f"    libc.setsid()\n    os.execv('/bin/sleep', ['sleep', '600', '{t.marker}'])\n"
            f"import subprocess\nsubprocess.Popen(['sleep', '601', '{t.marker}'], start_new_session=True)",
            "rmtree-course": "import shutil\nshutil.rmtree('../../..', ignore_errors=True)",
            "read-solutions": "import glob, os\nfor path in glob.glob('/*/solutions/*/*.ipynb') + "
            "glob.glob('/work/*/solutions/*/*.ipynb') + "
            "['../../../solutions/multiple_sequences/02_models_expect_a_batch.ipynb']:\n"
            "    try:\n        print(open(path).read()[:2000])\n"
            "    except Exception as e:\n        print('refused', type(e).__name__)\n"
            "print(ex.batch_dimension.solution())",
            "network": f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {t.port}), timeout=2)\n"
            "    print('connected')\nexcept Exception as e:\n    print('refused', type(e).__name__)",
            "grading-package": "try:\n    import grading.hidden\n    print(grading.hidden.all_cases())\n"
            "except Exception as e:\n    print('refused', type(e).__name__)",
        }
        readers = (
            "read-solutions",
            "grading-package",
        )  # with no answers of their own: any solution in the feedback leaked
        for name, attack in attacks.items():
            if name in readers:
                nb = self.answered(
                    NB02, replace=WRONG_02, prepend={"batch_dimension_answer": attack}
                )
                add(self.one(name, f"{name}, no answers of its own", nb, S(NB02, 0.0)))
            else:
                nb = self.answered(NB02, prepend={"batch_dimension_answer": attack})
                add(self.one(name, f"{name}, right answers", nb, S(NB02)))

        # --- hidden cases: their arguments enter the kernel only for its report, and nothing of it goes back ---
        leak = (
            "import base64, codecs, sys\n_seen = []\n"
            "def pad_batch(sequences, pad_id):\n"
            "    text = repr((sequences, pad_id))\n    _seen.append(text)\n"
            "    print(text, base64.b64encode(text.encode()), codecs.encode(text, 'rot13'), text.encode().hex())\n"
            "    print(text, file=sys.stderr)\n"
            "    try:\n        update_display(text, display_id='board')\n    except Exception:\n        pass\n"
            "    open('stash.txt', 'a').write(text)\n"
            "    width = max(len(s) for s in sequences)\n"
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
        )
        nb04 = self.answered(
            NB04,
            replace={"pad_batch_answer": leak},
            prepend={
                "padded_ids_answer": "from IPython.display import display, update_display\n"
                "display('board', display_id='board')"
            },
        )
        nb05 = self.answered(
            NB05, prepend={"padded_logits_answer": "print(open('stash.txt').read())"}
        )
        add(
            Submission(
                "leak-hidden-args",
                {NB04: nb04, NB05: nb05},
                {**S(NB04), **S(NB05, padded_logits=0.0)},
                "zip",
                "a right pad_batch that prints, encodes, displays and stashes its hidden arguments",
            )
        )
        honest = (
            "import sys, warnings\ndef pad_batch(sequences, pad_id):\n"
            "    print('padding', len(sequences), 'sequences', file=sys.stderr)\n"
            "    warnings.warn('this is only a warning')\n"
            "    width = max(len(s) for s in sequences)\n"
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
        )
        add(
            self.one(
                "honest-stderr",
                "a right function that prints to stderr and warns",
                self.answered(NB04, replace={"pad_batch_answer": honest}),
                S(NB04),
                name=NB04,
            )
        )
        wrong_hidden = (
            "def pad_batch(sequences, pad_id):\n    width = max(len(s) for s in sequences)\n"
            "    return torch.tensor([s + [pad_id if pad_id in (0, 1) else 0] * (width - len(s)) "
            "for s in sequences])"
        )
        add(
            self.one(
                "hidden-fail",
                "passes the public cases, fails a hidden one",
                self.answered(NB04, replace={"pad_batch_answer": wrong_hidden}),
                S(NB04, pad_batch=0.0),
                name=NB04,
            )
        )

        add(
            self.one(
                "packing-mistakes",
                "notebook 12: a pack that fails a hidden case, and training with the cache on",
                self.answered(NB12, replace=WRONG_12),
                S(NB12, pack=0.0, train_packed=0.0),
                name=NB12,
            )
        )

        # --- honest students with odd files ---
        add(
            self.one(
                "misnamed",
                "02 saved as '02_models_expect_a_batch (1).ipynb'",
                self.answered(NB02),
                S(NB02),
                name="02_models_expect_a_batch (1).ipynb",
            )
        )
        add(
            Submission(
                "copy-and-original",
                {
                    NB02: self.answered(NB02, replace=WRONG_02),
                    "Copy of 02_models_expect_a_batch.ipynb": self.answered(NB02),
                },
                S(NB02, 0.0),
                "folder",
                "the original is graded, not the copy",
            )
        )
        add(
            self.one(
                "renamed-homework",
                "02 saved under another name entirely",
                self.answered(NB02),
                S(NB02),
                name="my homework.ipynb",
            )
        )
        killers = {
            "os-exit": "import os\nos._exit(1)",
            "exit": "exit()",
            "alarm": "import signal, time\nsignal.alarm(1)\ntime.sleep(5)",
            "sigint-ignored-loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
            "deep-recursion": "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\nf(0)",
            "memory-bomb": "try:\n    x = bytearray(16 * 2**30)\nexcept MemoryError:\n    print('MemoryError')",
        }
        for name, code in killers.items():
            nb = self.answered(NB02, insert_after={"batch_dimension_test": code})
            add(
                self.one(
                    name,
                    f"{name} in a cell of its own; the answers around it are right",
                    nb,
                    S(NB02),
                )
            )
        add(self.one("empty-file", "an empty notebook file", b"", S(NB02, 0.0)))
        add(
            Submission(
                "invalid-file",
                {NB02: b'{"cells": [', NB04: self.answered(NB04)},
                {**S(NB02, 0.0), **S(NB04)},
                "zip",
                "a truncated notebook beside a good one",
            )
        )
        nb = self.answered(NB02)
        test = next(
            c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") == "batch_dimension_test"
        )
        test.metadata.nbgrader.update(points=100, grade=False, locked=False)
        test.source = "pass"
        add(self.one("edited-metadata", "graded cell's metadata and source edited", nb, S(NB02)))
        nb = self.answered(NB02)
        nb.cells = [
            c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") != "seed_logits_test"
        ]
        add(self.one("deleted-test-cell", "a graded cell deleted", nb, S(NB02)))
        nb = self.answered(NB02, replace={"seed_logits_answer": SELF_CONTAINED_LOGITS})
        nb.cells = [
            c
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") != "batch_dimension_answer"
        ]
        add(
            self.one(
                "deleted-answer-cell", "an answer cell deleted", nb, S(NB02, batch_dimension=0.0)
            )
        )
        nb = self.answered(NB02)
        at = next(
            i
            for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == "batch_dimension_answer"
        )
        nb.cells[at:at] = [copy.deepcopy(nb.cells[at]), copy.deepcopy(nb.cells[at + 2])]
        add(self.one("duplicated-cells", "answer and graded cells duplicated", nb, S(NB02)))
        add(
            self.one(
                "syntax-error",
                "a syntax error in one answer",
                self.answered(
                    NB02, replace={"seed_logits_answer": "logits = model(input_ids.logits\n"}
                ),
                S(NB02, seed_logits=0.0),
            )
        )
        add(
            self.one(
                "endless-loop",
                "an answer that loops (and obeys the interrupt)",
                self.answered(
                    NB02, replace={"seed_logits_answer": "logits = None\nwhile True:\n    pass"}
                ),
                S(NB02, seed_logits=0.0),
            )
        )
        add(
            self.one(
                "import-error",
                "the first cell cannot import",
                self.first_cell(self.answered(NB02), "import nonexistent_module"),
                S(NB02, 0.0),
            )
        )

        # --- one file must not stop the class ---
        members = {
            "../../escape-zip.ipynb": b"{}",
            "/abs-escape.ipynb": b"{}",
            "a/../../up.ipynb": b"{}",
        }
        add(
            self.one(
                "zip-traversal",
                "a zip with '..', absolute and symlink members beside a good notebook",
                self.answered(NB02),
                S(NB02),
                form="zip",
                archive_members=members,
            )
        )
        add(
            self.one(
                "tar-links",
                "a tar with links and devices beside a good notebook",
                self.answered(NB02),
                S(NB02),
                form="tar",
            )
        )
        add(
            self.one(
                "folder-symlink",
                "a folder whose notebook is a link to the solutions",
                None,
                S(NB02, 0.0),
                symlinks={NB02: "SOLUTION"},
            )
        )
        for name in ("o'brien", "ann marie", "zoë", "-dash", "semi;colon"):
            add(self.one(name, "an unusual student id", self.answered(NB02), S(NB02), form="zip"))
        return subs

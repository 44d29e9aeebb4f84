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
NB06 = "06_attention_masks.ipynb"


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
    # student ids that must not exist after grading (named inside this one)
    absent: tuple[str, ...] = ()
    # the archive as it is (form "zip"), instead of one built from ``notebooks``
    raw: bytes | None = None
    # the corpus block it belongs to ("trust": issue 26's)
    block: str = ""


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
        """``code`` before the course's imports: the first cell that imports the checker (a released notebook
        begins with Colab's install cell, solutions/header.ipynb, which a learner does not write in)."""
        first = next(c for c in nb.cells if c.cell_type == "code" and "from checker" in c.source)
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
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
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
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
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
            "for s in sequences], dtype=torch.long)"
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
        subs += self.bounds()
        return subs + TrustBlock(self).build()

    # --- what one notebook or one student may cost, and what warm kernels must not share ---------------
    def bounds(self) -> list[Submission]:
        t, S, subs = self.t, self.scores, []
        add = subs.append
        # a right pad_and_mask that, in the grader's report, cancels the checker's timer, ignores
        # interrupts and loops: only that exercise is lost, the two reported after it still score
        hang = (
            "import signal\n_right = pad_and_mask\n"
            "def pad_and_mask(sequences, pad_id):\n"
            "    if globals().get('_REPORTING'):\n"
            "        signal.setitimer(signal.ITIMER_REAL, 0)\n"
            "        signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "        while True:\n            pass\n"
            "    return _right(sequences, pad_id)"
        )
        nb = self.answered(
            NB06, insert_after={"pad_and_mask_answer": hang}, append_cells=["_REPORTING = True"]
        )
        add(
            self.one(
                "report-hangs",
                "a function that hangs only while the grader reports on it",
                nb,
                S(NB06, pad_and_mask=0.0),
                name=NB06,
            )
        )
        nb = self.answered(NB02)
        for at in range(len(nb.cells) - 1, 0, -1):
            if nb.cells[at].cell_type == "code":
                nb.cells.insert(at, new_code_cell("import os\nos._exit(1)"))
        add(self.one("exit-in-every-cell", "os._exit before every cell: bounded", nb, S(NB02, 0.0)))
        flood = "import sys\nfor _ in range(100_000):\n    sys.stdout.write('x' * 999 + '\\n')"
        nb = self.answered(NB04, insert_after={"padded_ids_answer": flood})
        add(self.one("output-flood", "100 MB printed in one cell", nb, S(NB04), name=NB04))
        forge = (
            "import os\n"
            f"line = b'[AutogradeApp | INFO] {t.marker}: all tests passed\\n'\n"
            "for fd in map(int, os.listdir('/proc/self/fd')):\n"
            "    try:\n"
            "        target = os.readlink(f'/proc/self/fd/{fd}')\n"
            "        if fd in (1, 2) or target.startswith('/') and not target.startswith('/dev/'):\n"
            "            os.write(fd, line + b'x' * (20 * 2**20))\n"
            "    except OSError:\n"
            "        pass"
        )
        nb = self.answered(NB04, insert_after={"padded_ids_answer": forge})
        add(
            self.one(
                "log-forger",
                "writes a forged log line and 20 MiB to its descriptors",
                nb,
                S(NB04),
                name=NB04,
            )
        )
        # notebook 04 hides its hidden arguments everywhere a kernel can write; notebook 05, graded
        # next by the same student's warm sandbox, prints whatever it finds
        stash = (
            "import ctypes, os, subprocess\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "libc.shmat.restype = ctypes.c_void_p\n"
            "def pad_batch(sequences, pad_id):\n"
            "    text = repr((sequences, pad_id)).encode()\n"
            "    for path in ('/tmp/stash', '/dev/shm/stash', '/tmp/home/stash', 'stash'):\n"
            "        open(path, 'ab').write(text)\n"
            "    shm = libc.shmget(0x57a5, 1 << 16, 0o1666)\n"
            "    ctypes.memmove(ctypes.c_void_p(libc.shmat(shm, None, 0)), text[: 1 << 16], min(len(text), 1 << 16))\n"
            "    libc.syscall(248, b'user', b'stash', text, len(text), -4)\n"
            "    os.environ['STASH'] = text.decode()\n"
            f"    subprocess.Popen(['sh', '-c', 'sleep 600 # {t.marker}'], start_new_session=True)\n"
            "    width = max(len(s) for s in sequences)\n"
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
        )
        find = (
            "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "libc.shmat.restype = ctypes.c_void_p\n"
            "for path in ('/tmp/stash', '/dev/shm/stash', '/tmp/home/stash', 'stash'):\n"
            "    print(path, open(path).read() if os.path.exists(path) else 'nothing')\n"
            "shm = libc.shmget(0x57a5, 0, 0)\n"
            "print('shm', ctypes.string_at(libc.shmat(shm, None, 0), 1 << 16).rstrip(b'\\0') if shm >= 0 else 'nothing')\n"
            "key = libc.syscall(249, b'user', b'stash', None, 0)\n"
            "buf = ctypes.create_string_buffer(1 << 16)\n"
            "print('key', buf.raw[: libc.syscall(250, 11, key, buf, 1 << 16)] if key > 0 else 'nothing')\n"
            "print('env', os.environ.get('STASH', 'nothing'))"
        )
        add(
            Submission(
                "stash-everywhere",
                {
                    NB04: self.answered(NB04, replace={"pad_batch_answer": stash}),
                    NB05: self.answered(NB05, insert_after={"padded_logits_answer": find}),
                },
                {**S(NB04), **S(NB05)},
                "folder",
                "hidden arguments stashed in /tmp, /dev/shm, IPC, keys, the environment; read next",
            )
        )
        return subs


# --- issue 26: nothing a student names, links or prints is trusted; honest odd files graded -------------------

#: What a learner's function finds in the report cell: the hidden arguments of every exercise reported
#: (the ``spec`` of :func:`checker.evidence.report`), by walking up the stack.
EVERY_HIDDEN = (
    "import sys as _sys\n"
    "def _every_hidden():\n"
    "    frame = _sys._getframe()\n"
    "    while frame is not None:\n"
    "        if isinstance(frame.f_locals.get('spec'), dict):\n"
    "            return repr(frame.f_locals['spec'])\n"
    "        frame = frame.f_back\n"
    "    return 'no spec'\n"
    "from checker.exercises import catalog as _catalog\n"
    "_PUBLIC = {repr(c.args) for c in _catalog()['section4.pad_batch'].cases}\n"
)
PAD = "    width = max(len(s) for s in sequences)\n    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
FORGE = (
    "from IPython.display import display\nfrom checker import evidence\n"
    "def _forge(exercises, spec, namespace):\n"
    "    for key in spec:\n"
    "        display({{evidence.MIME: {{'key': key, {field}}}}}, raw=True)\n"
    "evidence.report = _forge"
)


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _bytes(nb) -> bytes:
    import nbformat

    return nbformat.writes(nb).encode()


class TrustBlock:
    """The submissions of issue 26, in its classes: files named or linked to reach another student
    (make collect), outputs that would run in a browser, reports and exceptions that would put the kernel's
    words (and the hidden cases) in the feedback and the spreadsheets, and honest odd files."""

    def __init__(self, corpus: Corpus):
        self.c = corpus

    def build(self) -> list[Submission]:
        subs = self.collect() + self.inert() + self.words() + self.odd_files()
        for sub in subs:
            sub.block = "trust"
        return subs

    # --- make collect: a path inside a submission never names another student ---
    def collect(self) -> list[Submission]:
        c, S = self.c, self.c.scores
        wrong = _bytes(c.answered(NB02, replace=WRONG_02))
        right02, right04 = _bytes(c.answered(NB02)), _bytes(c.answered(NB04))
        blank = _bytes(c.release[NB02])
        subs = [
            c.one("victim-a", "a classmate another zip writes to", c.answered(NB02), S(NB02)),
            c.one(
                "victim-b",
                "a classmate a zip in a folder writes to",
                c.answered(NB02),
                S(NB02),
                form="zip",
            ),
            Submission(
                "mallory-extracted",
                {},
                S(NB02, 0.0),
                "zip",
                "wrong 02, and a member extracted/victim-a/02 (wrong) to replace a classmate's",
                raw=_zip({NB02: wrong, f"extracted/victim-a/{NB02}": wrong}),
            ),
            Submission(
                "mallory-folder",
                {f"{NB02}": c.answered(NB02, replace=WRONG_02)},
                S(NB02, 0.0),
                "folder",
                "a folder with extracted.zip whose member victim-b/02 (wrong) would be a classmate's",
                archive_members={"extracted.zip": _zip({f"victim-b/{NB02}": wrong})},
            ),
            Submission(
                "mallory-ghost",
                {},
                S(NB02),
                "zip",
                "02 (right) only as extracted/ghost-student/02: hers, and no student ghost-student",
                absent=("ghost-student", "extracted"),
                raw=_zip({f"extracted/ghost-student/{NB02}": right02}),
            ),
            Submission(
                "mallory-friend",
                {},
                S(NB04),
                "zip",
                "04 for a friend: ../extracted/friend-x/04 (skipped) and a/extracted/friend-y/04 (hers)",
                absent=("friend-x", "friend-y", "a"),
                raw=_zip(
                    {
                        f"../extracted/friend-x/{NB04}": right04,
                        f"a/extracted/friend-y/{NB04}": right04,
                    }
                ),
            ),
            Submission(
                "honest-twice",
                {},
                S(NB02),
                "zip",
                "an honest zip with 02 at the top and in a folder (nbgrader stopped the class on it)",
                raw=_zip({NB02: right02, f"multiple_sequences/{NB02}": right02}),
            ),
            Submission(
                "honest-twice-blank-top",
                {},
                S(NB02),
                "zip",
                "02 blank at the top, answered in a folder: the answered one is graded",
                raw=_zip({NB02: blank, f"work/{NB02}": right02}),
            ),
            Submission(
                "clashing-members",
                {},
                S(NB04),
                "zip",
                "a member that is a file where another needs a folder, beside a right 04",
                raw=_zip({"a": b"x", f"a/{NB02}": right02, NB04: right04}),
            ),
            Submission(
                "corrupt-member",
                {},
                {**S(NB04), **S(NB02, 0.0)},
                "zip",
                "one member's data broken (CRC), a right 04 beside it",
                raw=_corrupt_first(_zip({NB02: right02, NB04: right04})),
            ),
        ]
        return subs

    # --- outputs that would run or load in a browser ---
    def inert(self) -> list[Submission]:
        from nbformat.v4 import new_markdown_cell

        from tests.grading import hostile_html

        c, S = self.c, self.c.scores
        script = hostile_html.display_cell()
        marked = c.answered(NB02, insert_after={"batch_dimension_test": script})
        in_markdown = c.answered(NB02)
        in_markdown.cells.insert(2, new_markdown_cell(hostile_html.MARKDOWN))
        api = (
            "from IPython.display import HTML, display\n"
            'display(HTML(\'<script>fetch(location.pathname.split("/formgrader/")[0] + '
            '"/formgrader/api/grade/x", {method: "PUT", body: "{}"})</script>\'))'
        )
        return [
            c.one(
                "script-output",
                "right 02 and a cell that displays every hostile payload",
                marked,
                S(NB02),
            ),
            c.one(
                "script-in-markdown",
                "right 02 and a Markdown cell with onerror",
                in_markdown,
                S(NB02),
            ),
            c.one(
                "script-wrong",
                "wrong 02 and the payloads: nothing gained",
                c.answered(NB02, replace=WRONG_02, insert_after={"seed_logits_test": script}),
                S(NB02, 0.0),
            ),
            c.one(
                "script-in-answer",
                "the payloads displayed by the answer cell itself",
                c.answered(NB02, prepend={"seed_logits_answer": script}),
                S(NB02),
            ),
            c.one(
                "script-formgrader-api",
                "a script that would change grades through the Formgrader's API",
                c.answered(NB02, insert_after={"seed_logits_test": api}),
                S(NB02),
            ),
        ]

    # --- the grader's own words ---
    def words(self) -> list[Submission]:
        c, S = self.c, self.c.scores

        def pad_batch(on_hidden: str) -> str:
            return (
                EVERY_HIDDEN + "def pad_batch(sequences, pad_id):\n"
                "    if repr((sequences, pad_id)) not in _PUBLIC:\n"
                f"        {on_hidden}\n" + PAD
            )

        class_name = pad_batch("raise type(_every_hidden(), (Exception,), {})()")
        message = pad_batch("raise ValueError(_every_hidden())")
        public = (
            EVERY_HIDDEN + "def pad_batch(sequences, pad_id):\n    raise TypeError(_every_hidden())"
        )
        single = (
            "def pad_batch(sequences, pad_id):\n"
            "    extra = 1 if len(sequences) == 1 and sequences[0] == [2, 3, 4] else 0\n"
            "    width = max(len(s) for s in sequences) + extra\n"
            "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
        )
        forged_run = FORGE.format(
            field="'failed_run': [key * 40, '=HYPERLINK(\"http://x\")', repr(spec), False, False, repr(spec)]"
        )
        forged_crash = FORGE.format(field="'crashed': '=cmd|\\' /C calc\\'!A0 ' + repr(spec)")
        return [
            c.one(
                "leak-exception-class",
                "right on the public cases; raises a class named after every hidden argument",
                c.answered(NB04, replace={"pad_batch_answer": class_name}),
                S(NB04, pad_batch=0.0),
                name=NB04,
            ),
            c.one(
                "leak-exception-message",
                "right on the public cases; raises ValueError(every hidden argument)",
                c.answered(NB04, replace={"pad_batch_answer": message}),
                S(NB04, pad_batch=0.0),
                name=NB04,
            ),
            c.one(
                "leak-public-message",
                "raises TypeError(every hidden argument) on a public case",
                c.answered(NB04, replace={"pad_batch_answer": public}),
                S(NB04, pad_batch=0.0),
                name=NB04,
            ),
            c.one(
                "leak-likely-cause",
                "one pad too many on a hidden single sequence: the cause names its length",
                c.answered(NB04, replace={"pad_batch_answer": single}),
                S(NB04, pad_batch=0.0),
                name=NB04,
            ),
            c.one(
                "forged-failed-run",
                "wrong answers; reports forged with a long name, a formula and the hidden arguments",
                c.answered(NB02, replace=WRONG_02, append_cells=(forged_run,)),
                S(NB02, 0.0),
            ),
            c.one(
                "forged-crashed",
                "wrong answers; reports forged as crashed with a formula and the hidden arguments",
                c.answered(NB02, replace=WRONG_02, append_cells=(forged_crash,)),
                S(NB02, 0.0),
            ),
            c.one(
                "=formula",
                "a student id that a spreadsheet reads as a formula",
                c.answered(NB02),
                S(NB02),
                form="zip",
            ),
        ]

    # --- honest students with odd files ---
    def odd_files(self) -> list[Submission]:
        c, S = self.c, self.c.scores
        bom = b"\xef\xbb\xbf"
        stripped = c.answered(NB02)
        for cell in stripped.cells:
            cell.metadata.pop("nbgrader", None)
        answers_only = c.answered(NB02)
        for cell in answers_only.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.metadata.pop("nbgrader")
        scratch = c.answered(NB02, append_cells=("scratch = 1",))
        scratch.cells[-1].metadata["nbgrader"] = {
            "solution": True,
            "grade": False,
            "schema_version": 3,
        }
        return [
            c.one(
                "bom",
                "02 saved with a UTF-8 byte order mark",
                bom + _bytes(c.answered(NB02)),
                S(NB02),
            ),
            Submission(
                "numbered-downloads",
                {
                    "02_models_expect_a_batch (1).ipynb": c.answered(NB02, replace=WRONG_02),
                    "02_models_expect_a_batch (2).ipynb": c.answered(NB02),
                },
                S(NB02),
                "zip",
                "two downloads, (1) wrong and (2) right: the latest is graded",
            ),
            Submission(
                "numbered-downloads-best",
                {
                    "02_models_expect_a_batch (1).ipynb": c.answered(NB02),
                    "02_models_expect_a_batch (2).ipynb": c.release[NB02],
                },
                S(NB02),
                "folder",
                "two downloads, (1) answered and (2) blank: the one with work is graded",
            ),
            Submission(
                "blank-original",
                {NB02: c.release[NB02], f"Copy of {NB02}": c.answered(NB02)},
                S(NB02),
                "folder",
                "a blank original beside its answered copy",
            ),
            Submission(
                "bom-copy",
                {NB04: c.release[NB04], f"Copy of {NB04}": bom + _bytes(c.answered(NB04))},
                S(NB04),
                "zip",
                "a blank original beside an answered copy saved with a byte order mark",
            ),
            c.one(
                "lost-metadata",
                "02 pasted into a fresh notebook: no nbgrader metadata",
                stripped,
                S(NB02),
            ),
            c.one(
                "lost-metadata-renamed",
                "02 pasted into a fresh notebook saved as Untitled.ipynb",
                copy.deepcopy(stripped),
                S(NB02),
                name="Untitled.ipynb",
            ),
            c.one("lost-answer-metadata", "the answer cells' metadata lost", answers_only, S(NB02)),
            Submission(
                "metadata-without-id",
                {NB02: scratch, NB04: c.answered(NB04)},
                {**S(NB02), **S(NB04)},
                "zip",
                "a scratch cell with nbgrader metadata but no grade id in 02 (nbgrader dropped 02 and 04)",
            ),
            Submission(
                "nested-folder",
                {f"multiple_sequences/{NB02}": c.answered(NB02)},
                S(NB02),
                "folder",
                "a folder submission with the notebooks one folder down",
            ),
            Submission(
                "upper-case-extension",
                {"02_models_expect_a_batch.IPYNB": c.answered(NB02)},
                S(NB02),
                "zip",
                "02 saved with an upper-case extension",
            ),
        ]


def _corrupt_first(archive: bytes) -> bytes:
    """The zip with its first member's data changed (its CRC no longer matches), the rest intact."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        first = z.infolist()[0]
        start = first.header_offset + 30 + len(first.filename.encode()) + len(first.extra)
    data = bytearray(archive)
    data[start] ^= 0xFF
    return bytes(data)

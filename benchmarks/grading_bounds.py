"""What the worst submissions cost the grader: ``python -m benchmarks.grading_bounds``.

Grades, with :class:`grading.execute.GradingExecute` in the warm sandbox (as ``make grade`` does), one
notebook at a time: a control (notebook 02, every answer right), notebook 02 with ``os._exit`` before
every cell, notebook 06 whose function hangs while the grader reports on it (timer cancelled, SIGINT
ignored), and notebook 04 with a cell that prints 100 MB. Prints the seconds each took, what it scored
and the incidents, with the load average (1, 5, 15 minutes) before and after. ``--cold`` starts every
kernel in a sandbox of its own instead (what grading did before warm kernels).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from nbformat.v4 import new_code_cell
from traitlets.config import Config

from grading.execute import GradingExecute
from grading.sandbox import SandboxKernelManager
from grading.scorer import judge
from tests.grading.test_execute import FLOOD, NB02, answered
from tests.helpers.notebooks import ROOT

HANG = """import signal
_right = pad_and_mask
def pad_and_mask(sequences, pad_id):
    if globals().get("_REPORTING"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while True:
            pass
    return _right(sequences, pad_id)
"""


def exit_in_every_cell():
    nb = answered(NB02)
    for at in range(len(nb.cells) - 1, 0, -1):
        if nb.cells[at].cell_type == "code":
            nb.cells.insert(at, new_code_cell("import os\nos._exit(1)"))
    return nb


SUBMISSIONS = {
    "first notebook (02; starts the sandbox)": (NB02, lambda: answered(NB02)),
    "control (02, all right)": (NB02, lambda: answered(NB02)),
    "os._exit before every cell (02)": (NB02, exit_in_every_cell),
    "a report that hangs (06)": (
        "06_attention_masks.ipynb",
        lambda: answered(
            "06_attention_masks.ipynb",
            after={"pad_and_mask_answer": HANG},
            append=["_REPORTING = True"],
        ),
    ),
    "100 MB printed (04)": (
        "04_padding.ipynb",
        lambda: answered("04_padding.ipynb", after={"padded_ids_answer": FLOOD}),
    ),
}


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="a new sandbox for every kernel")
    args = parser.parse_args()
    config = Config({"SandboxProvisioner": {"warm": not args.cold}})
    work = Path(tempfile.mkdtemp(prefix="grading-bounds-", dir="/var/tmp"))
    try:
        for what, (name, build) in SUBMISSIONS.items():
            execute = GradingExecute(
                kernel_manager_class=SandboxKernelManager,
                timeout=30,
                shutdown_kernel="immediate",
                config=config,
            )
            resources = {
                "nbgrader": {"notebook": name[: -len(".ipynb")], "student": what},
                "metadata": {"path": str(work)},
            }
            before, started = load(), time.monotonic()
            _, resources = execute.preprocess(build(), resources)
            seconds = time.monotonic() - started
            run = resources["grading"]
            accepted = sum(judge(k, r).accepted for k, r in run["reports"].items())
            kinds = [i["kind"] for i in run["incidents"]]
            print(
                f"{what:40} {seconds:6.1f} s  {accepted}/{len(run['reports'])} accepted  "
                f"incidents {kinds}  (load average {before} before, {load()} after)"
            )
    finally:
        shutil.rmtree(work)
    print(f"{'warm' if not args.cold else 'cold'} kernels, {os.cpu_count()} CPUs, from {ROOT}")


if __name__ == "__main__":
    main()

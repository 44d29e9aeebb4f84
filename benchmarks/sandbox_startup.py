"""What the grading sandbox costs a kernel: ``python -m benchmarks.sandbox_startup [--runs N]``.

Starts a kernel through nbclient, as nbgrader does, and runs one cell that imports torch and the
checker and loads the course model, with jupyter_client's ``AsyncKernelManager`` ("plain"), with
``grading.sandbox.SandboxKernelManager`` starting every kernel in a sandbox of its own ("cold") and
forking it from the warm sandbox of the folder ("warm", what grading uses), in turn (so load changes
hit all alike). Prints the median kernel start, the median cell and the median total of each, with the
load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time

from checker import config

config.quiet_transformers()
CELL = "import torch, checker\nfrom checker import load_model\n_ = load_model()"


def one_run(manager, workdir: str, config=None) -> tuple[float, float]:
    """(kernel start, cell) seconds for one fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    client = NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=manager,
        timeout=120,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": workdir}},
        **({"config": config} if config else {}),
    )
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        client.execute_cell(nb.cells[0], 0)
        done = time.perf_counter()
    errors = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{errors[0].ename}: {errors[0].evalue}")
    return ready - start, done - ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from jupyter_client.manager import AsyncKernelManager

    from grading.sandbox import SandboxKernelManager, sandbox_available

    ok, why = sandbox_available()
    if not ok:
        raise SystemExit(why)
    from traitlets.config import Config

    kinds = {
        "plain": (AsyncKernelManager, None),
        "cold": (SandboxKernelManager, Config({"SandboxProvisioner": {"warm": False}})),
        "warm": (SandboxKernelManager, None),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    workdir = tempfile.mkdtemp(prefix="sandbox-bench-", dir="/var/tmp")
    loads = [os.getloadavg()]
    try:
        one_run(SandboxKernelManager, workdir)  # the page cache, and the warm sandbox's one start
        for _ in range(args.runs):
            for name, (manager, config) in kinds.items():
                times[name].append(one_run(manager, workdir, config))
            loads.append(os.getloadavg())
    finally:
        shutil.rmtree(workdir)
    print(
        f"{args.runs} runs each, {os.cpu_count()} CPUs; load average (1 min) "
        f"{min(l[0] for l in loads):.2f}-{max(l[0] for l in loads):.2f} during the runs"
    )
    for name, figures in times.items():
        start = statistics.median(r[0] for r in figures)
        cell = statistics.median(r[1] for r in figures)
        total = statistics.median(r[0] + r[1] for r in figures)
        print(
            f"{name:8s} kernel start {start:5.2f} s   import + load_model {cell:5.2f} s   total {total:5.2f} s"
        )


if __name__ == "__main__":
    main()

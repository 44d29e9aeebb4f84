"""nbgrader's Validate button and the server around it, measured: ``python -m benchmarks.validate_blocking``.

Starts a Jupyter server (this environment's, on 127.0.0.1) twice, once with nbgrader's own
``validate_assignment`` extension and once with the classroom's ``classroom_validate``
(classroom/classroom_validate.py), validates a released notebook (02 by default) through
``POST /assignments/validate``, and meanwhile asks the server for a file listing every half second.
Prints how long Validate took and how many listings were answered while it ran (nbgrader's own
handler validates on the server's event loop: none are). A benchmark, not a test; the load average
is printed with each figure, since other work on the machine slows every one of them down.

    python -m benchmarks.validate_blocking [--notebook 04_padding.ipynb]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.helpers.jupyter import free_port
from tests.helpers.notebooks import RELEASED, ROOT

EXTENSIONS = {
    "nbgrader's validate_assignment": {"nbgrader.server_extensions.validate_assignment": True},
    "classroom_validate": {
        "nbgrader.server_extensions.validate_assignment": False,
        "classroom_validate": True,
    },
}


def measure(extensions: dict[str, bool], notebook: Path, folder: Path) -> dict:
    config, root = folder / "config", folder / "root"
    config.mkdir(parents=True)
    root.mkdir()
    shutil.copy(notebook, root / notebook.name)
    (config / "jupyter_server_config.py").write_text(
        f"c.ServerApp.jpserver_extensions = {extensions!r}\n"
    )
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_PATH=str(config),
        PYTHONPATH=str(ROOT / "classroom"),  # classroom_validate, as make hub-env installs it
        TRANSFORMERS_VERBOSITY="error",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
    )
    command = [sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}"]
    command += ["--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root}"]
    command += [f"--IdentityProvider.token={token}"]
    command += ["--allow-root"] if os.geteuid() == 0 else []
    with open(folder / "server.log", "w") as log:
        server = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url, auth = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}
    session = requests.Session()
    session.trust_env = False
    try:
        for _ in range(240):
            try:
                if session.get(f"{url}/api/status", headers=auth, timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        answer: dict = {}

        def validate() -> None:
            started = time.monotonic()
            reply = session.post(
                f"{url}/assignments/validate",
                data={"path": notebook.name},
                headers=auth,
                timeout=900,
            )
            answer.update(status=reply.status_code, seconds=time.monotonic() - started)
            answer["done"] = time.monotonic()

        load_before = os.getloadavg()[0]
        thread = threading.Thread(target=validate)
        thread.start()
        time.sleep(2)
        listed = []
        while thread.is_alive():
            session.get(f"{url}/api/contents/", headers=auth, timeout=900)
            listed.append(time.monotonic())
            time.sleep(0.5)
        thread.join()
        answer["answered while validating"] = sum(1 for t in listed if t < answer["done"] - 2)
        answer["load"] = (load_before, os.getloadavg()[0])
        return answer
    finally:
        server.terminate()
        server.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="02_models_expect_a_batch.ipynb")
    args = parser.parse_args(argv)
    for name, extensions in EXTENSIONS.items():
        with tempfile.TemporaryDirectory(prefix="msq-validate-") as folder:
            seen = measure(extensions, RELEASED / args.notebook, Path(folder))
        print(
            f"{name}: Validate of {args.notebook} answered {seen['status']} in {seen['seconds']:.1f} s;"
            f" file listings answered meanwhile: {seen['answered while validating']}"
            f" (load average {seen['load'][0]:.1f} -> {seen['load'][1]:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make course` (the README's first command) starts JupyterLab on the first notebook, on localhost."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

from tests.helpers.notebooks import ROOT, RELEASED, tool_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_make_course_serves_the_first_notebook_on_localhost(tmp_path):
    port, token = free_port(), secrets.token_hex(8)
    log = tmp_path / "jupyter.log"
    env = tool_env()
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")  # no user settings leak in
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    with open(log, "w") as out:
        server = subprocess.Popen(["make", "--no-print-directory", "course", f"PORT={port}",
                                   f"JUPYTER_ARGS=--IdentityProvider.token={token}"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.time() + 90, None
        while time.time() < deadline and server.poll() is None:
            try:
                status, body = get(f"http://127.0.0.1:{port}/api/status?token={token}")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, f"JupyterLab did not answer; log:\n{log.read_text()[-2000:]}"
        assert "started" in json.loads(body)
        first = sorted(p.name for p in RELEASED.glob("*.ipynb"))[0]
        status, body = get(f"http://127.0.0.1:{port}/api/contents/{first}?token={token}")  # root: the notebooks
        assert status == 200 and json.loads(body)["type"] == "notebook"
        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/lab" in printed and first in printed
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

"""The classroom's JupyterHub for tests: classroom/jupyterhub_config.py on 127.0.0.1, driven through its REST API.

:class:`Hub` starts ``jupyterhub`` (as root: it starts each single-user server as that user's Unix
account) from the environment of ``make hub-env``, with a service token, and talks to it as that service:
start a user's server, issue a token for the user, then call the user's server through the hub's proxy
with that token (``/user/<name>/...``), as the user's browser would. :meth:`Hub.stop` stops the hub,
which stops every single-user server and the proxy; what is still running after that is killed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.helpers.notebooks import ROOT
from tests.helpers.postgres import free_port

CONFIG = ROOT / "classroom" / "jupyterhub_config.py"
HUB_ENV = Path(os.environ.get("HUB_ENV", "/opt/multiseq-course/env"))
IP = "127.0.0.1"
#: ``make hub-env`` installs the hub's proxy (configurable-http-proxy) with npm.
needs_npm = pytest.mark.skipif(
    shutil.which("npm") is None and not (HUB_ENV / "proxy").is_dir(),
    reason="needs npm for configurable-http-proxy (Debian: apt-get install npm)",
)


class HubError(AssertionError):
    pass


def build_hub_env() -> Path:
    """``make hub-env``: built once per set of inputs, seconds when they are unchanged. Every test module that
    needs it asks for it, whichever runs first on a fresh machine (classroom/build-env.sh holds a lock, so a
    second worker waits for the first one's build)."""
    ran = subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "hub-env", f"HUB_ENV={HUB_ENV}"],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert ran.returncode == 0, f"make hub-env failed:\n{ran.stdout[-3000:]}{ran.stderr[-3000:]}"
    return HUB_ENV


class Hub:
    def __init__(
        self,
        state: Path,
        *,
        exchange: Path,
        course: Path,
        instructors: list[str],
        students: list[str],
        env: Path = HUB_ENV,
        config: Path = CONFIG,
    ):
        self.state, self.env, self.config = state, env, config
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.token = secrets.token_hex(32)
        self.url = f"http://{IP}:{self.port}"
        self.log_path = state / "jupyterhub.log"
        self.environ = {
            "PATH": f"{env}/bin:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(state),
            "CLASSROOM_ENV": str(env),
            "CLASSROOM_STATE": str(state),
            "CLASSROOM_EXCHANGE": str(exchange),
            "CLASSROOM_COURSE": str(course),
            "CLASSROOM_INSTRUCTORS": " ".join(instructors),
            "CLASSROOM_STUDENTS": " ".join(students),
            "CLASSROOM_IP": IP,
            "CLASSROOM_PORT": str(self.port),
            "CLASSROOM_HUB_PORT": str(self.hub_port),
            "CLASSROOM_PROXY_API_PORT": str(self.proxy_api_port),
            "CLASSROOM_SERVICE_TOKEN": self.token,
        }
        self.process: subprocess.Popen | None = None
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy from the environment: 127.0.0.1 only

    # --- the hub's life ------------------------------------------------------------------------------
    def start(self, timeout: float = 90) -> None:
        self.state.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [str(self.env / "bin" / "jupyterhub"), "-f", str(self.config)],
                cwd=self.state,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"jupyterhub exited with {self.process.returncode}:\n{self.log()}")
            try:
                if self.session.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise HubError(f"jupyterhub did not answer within {timeout} s:\n{self.log()}")

    def stop(self, timeout: float = 60) -> None:
        """Stop the hub (it stops the servers and the proxy it started); kill whatever is left of its session."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:  # the proxy and anything else the hub started in its session (as root; servers are the users')
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        pid_file = self.state / "jupyterhub-proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        self.session.close()

    def log(self, tail: int = 8000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:] if self.log_path.exists() else ""

    # --- the REST API, as the classroom service --------------------------------------------------------
    def api(self, method: str, path: str, expect: tuple[int, ...] = (200, 201, 202, 204), **kw):
        response = self.session.request(
            method,
            f"{self.url}/hub/api{path}",
            timeout=60,
            headers={"Authorization": f"token {self.token}"},
            **kw,
        )
        if response.status_code not in expect:
            raise HubError(
                f"{method} /hub/api{path}: {response.status_code} {response.text[:500]}\n{self.log()}"
            )
        return response.json() if response.content else None

    def start_servers(self, users: list[str], timeout: float = 180) -> None:
        """POST /hub/api/users/<u>/server for each, then wait until every server is ready. Side by side: the hub
        answers each POST only when that server is up or after its slow_spawn_timeout (10 s)."""
        with ThreadPoolExecutor(max_workers=len(users)) as pool:
            list(pool.map(lambda user: self.api("POST", f"/users/{user}/server"), users))
        deadline = time.monotonic() + timeout
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in sorted(waiting):
                model = self.api("GET", f"/users/{user}")
                server = model.get("servers", {}).get("")
                if server and server.get("ready"):
                    waiting.discard(user)
                elif not model.get("pending") and not server:
                    raise HubError(f"{user}'s server failed to start:\n{self.log()}")
            time.sleep(0.5)
        if waiting:
            raise HubError(f"servers not ready within {timeout} s: {sorted(waiting)}\n{self.log()}")

    def user_token(self, user: str) -> str:
        """POST /hub/api/users/<u>/tokens: a token that may use only this user's server."""
        return self.api(
            "POST",
            f"/users/{user}/tokens",
            json={
                "note": "classroom test",
                "expires_in": 3600,
                "scopes": [f"access:servers!user={user}"],
            },
        )["token"]

    # --- a user's server, through the proxy ---------------------------------------------------------------
    def as_user(self, user: str, token: str) -> UserClient:
        return UserClient(self, user, token)


class UserClient:
    """Requests to ``/user/<name>/...`` with one user's token, as that user's browser sends them."""

    def __init__(self, hub: Hub, user: str, token: str):
        self.hub, self.user, self.token = hub, user, token

    def request(self, method: str, path: str, server: str | None = None, **kw) -> requests.Response:
        url = f"{self.hub.url}/user/{server or self.user}/{path.lstrip('/')}"
        return self.hub.session.request(
            method,
            url,
            timeout=120,
            allow_redirects=False,
            headers={"Authorization": f"token {self.token}"},
            **kw,
        )

    def assignment_action(self, action: str, course_id: str, assignment_id: str) -> list[dict]:
        """POST /user/<u>/assignments/<fetch|submit|fetch_feedback>: nbgrader's Assignments tab does this."""
        response = self.request(
            "POST",
            f"assignments/{action}",
            data={"course_id": course_id, "assignment_id": assignment_id},
        )
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            or response.text.startswith(("{", "["))
            else None
        )
        if (
            response.status_code != 200
            or body is None
            or (isinstance(body, dict) and not body.get("success", True))
        ):
            raise HubError(f"{self.user}: {action}: {response.status_code} {response.text[:3000]}")
        return body["value"] if isinstance(body, dict) else body

    def put_notebook(self, path: str, nb) -> None:
        """Save a notebook through the contents API, as JupyterLab saves it."""
        response = self.request(
            "PUT",
            f"api/contents/{path}",
            data=json.dumps({"type": "notebook", "format": "json", "content": nb}),
        )
        if response.status_code not in (200, 201):
            raise HubError(
                f"{self.user}: saving {path}: {response.status_code} {response.text[:500]}"
            )

    def delete(self, path: str) -> None:
        response = self.request("DELETE", f"api/contents/{path}")
        if response.status_code != 204:
            raise HubError(
                f"{self.user}: deleting {path}: {response.status_code} {response.text[:500]}"
            )

    def get_contents(self, path: str, server: str | None = None) -> requests.Response:
        return self.request("GET", f"api/contents/{path}", server=server, params={"content": "1"})


def run_in_terminal(
    hub_url: str, user: str, token: str, script: Path, log: Path, timeout: float = 1800
) -> int:
    """Type ``bash -e SCRIPT`` into a new terminal of the user's JupyterLab on the hub (the Terminals API and
    its websocket, as JupyterLab's terminal does) and wait for it to end; its exit status. Everything the
    terminal showed is written to ``log``."""
    import re

    import websocket

    session = requests.Session()
    session.trust_env = False
    auth = {"Authorization": f"token {token}"}
    base = f"{hub_url}/user/{user}"
    created = session.post(f"{base}/api/terminals", headers=auth, timeout=60)
    if created.status_code != 200:
        raise HubError(f"{user}: a terminal: {created.status_code} {created.text[:500]}")
    name = created.json()["name"]
    shown = ""
    socket = websocket.create_connection(
        f"{base.replace('http://', 'ws://', 1)}/terminals/websocket/{name}",
        header=[f"Authorization: token {token}"],
        timeout=timeout,
    )
    try:
        socket.send(json.dumps(["stdin", f"bash -e {script}; echo __EXIT__$?\r"]))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(socket.recv())
            if message[0] == "stdout":
                shown += message[1]
                done = re.search(r"__EXIT__(\d+)", shown)
                if done:
                    return int(done.group(1))
            elif message[0] == "disconnect":
                raise HubError(f"{user}'s terminal closed:\n{shown[-3000:]}")
        raise HubError(f"{user}'s terminal: no end within {timeout} s:\n{shown[-3000:]}")
    finally:
        socket.close()
        log.write_text(shown)
        session.delete(f"{base}/api/terminals/{name}", headers=auth, timeout=60)
        session.close()

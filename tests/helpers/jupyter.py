"""JupyterLab and Chromium for the browser tests, every process stopped, also on failure.

- ``jupyterlab(home, command, cwd)``: a JupyterLab server (started by ``lab_command(root)`` or
  ``make_course_command()``) on a free 127.0.0.1 port with a random token, its config, data,
  runtime, settings and workspace folders under ``home`` (no "Jupyter news" pop-up); ready when its
  API answers; stopped with every kernel it started.
- ``find_chromium()``: Debian's ``/usr/bin/chromium``, installed with apt as root where missing;
  the test is skipped (with the reason) only where that is impossible.
- ``browser(chromium, profile, allowed)``: Playwright driving that Chromium (never a browser of
  its own) with ``CHROMIUM_FLAGS`` and a new profile; only requests under ``allowed`` load, every
  other one is refused and listed in ``foreign``; Chromium is stopped on exit.
- ``screenshots(name)``: an emptied ``artifacts/browser/<name>/`` folder (git-ignored).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from checker import config

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
# The flags this machine's closed network needs (see /work/shared/TOOLCHAIN.md); Playwright adds
# its own --remote-debugging-pipe and the new, empty --user-data-dir given to it.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only 127.0.0.1 resolves: nothing else is looked up, let alone contacted.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 60_000
Command = Callable[[int, str], list[str]]


# ---------------------------------------------------------------------------------------------
# Processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``, children first."""
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(pid: int) -> bool:
    """The process runs (a zombie has exited; it only waits to be reaped)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def processes_naming(text: str) -> list[int]:
    """Processes whose command line contains ``text`` (a test's own profile or folder)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if text in "\0".join(process.info["cmdline"] or ()):
            found.append(process.pid)
    return found


# ---------------------------------------------------------------------------------------------
# JupyterLab


def lab_command(root: Path) -> Command:
    """This environment's JupyterLab serving ``root``."""

    def command(port: int, token: str) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={token}",
        ]
        return argv + (["--allow-root"] if os.geteuid() == 0 else [])

    return command


def make_course_command() -> Command:
    """The README's `make course`, on the given port and token."""

    def command(port: int, token: str) -> list[str]:
        return [
            "make",
            "--no-print-directory",
            "course",
            f"PORT={port}",
            f"JUPYTER_ARGS=--IdentityProvider.token={token}",
        ]

    return command


def lab_env(home: Path) -> dict[str, str]:
    """This environment's bin first, quiet transformers, and every Jupyter folder under ``home``."""
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    # No "Jupyter news" pop-up, no update check: the page looks as a learner's does.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "IPYTHONDIR": str(home / "ipython"),
            "PYTHONUNBUFFERED": "1",
            **config.QUIET_ENV,
        }
    )
    return env


class Lab:
    """A JupyterLab server for one test; ``stop()`` ends it and every kernel it started."""

    def __init__(self, home: Path, command: Command, cwd: Path):
        self.root, self.port, self.token = cwd, free_port(), secrets.token_hex(16)
        self.log_path = home / "jupyterlab.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command(self.port, self.token),
            cwd=cwd,
            env=lab_env(home),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children: set[int] = set()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET", timeout: float = 5):
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read()
        return json.loads(body) if body else None

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.process.returncode}):\n{self.log()}")
            try:
                self.api("status", timeout=1)
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise TimeoutError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")

    def log(self, tail: int | None = 4000) -> str:
        """What the server printed (its last ``tail`` characters)."""
        self._log.flush()
        text = self.log_path.read_text()
        return text if tail is None else text[-tail:]

    def remember_children(self) -> None:
        """Note the kernels (and their children) now running, to end them even if the server dies."""
        if self.process.poll() is None:
            self.children.update(descendants(self.process.pid))

    def stop(self) -> None:
        self.remember_children()
        if self.process.poll() is None:
            try:  # the clean way: the server shuts its kernels down, then itself
                self.api("shutdown", method="POST", timeout=10)
                self.process.wait(timeout=15)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: only what it started
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in sorted(self.children):  # kernels start in sessions of their own
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self._log.close()

    def leftovers(self) -> list[int]:
        return [pid for pid in sorted(self.children | {self.process.pid}) if alive(pid)]


@contextmanager
def jupyterlab(home: Path, command: Command, cwd: Path, ready_timeout: float = 90) -> Iterator[Lab]:
    """A ready JupyterLab; stopped, with its kernels, when the block ends (also on failure)."""
    home.mkdir(parents=True, exist_ok=True)
    server = Lab(home, command, cwd)
    try:
        server.wait_ready(ready_timeout)
        yield server
    finally:
        server.stop()
    assert not server.leftovers(), f"processes still running after the test: {server.leftovers()}"


# ---------------------------------------------------------------------------------------------
# Chromium, driven by Playwright


def find_chromium() -> Path:
    """Debian's Chromium: found, or installed with apt as root; otherwise the calling test is skipped."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.skip(
            "no Chromium at /usr/bin/chromium and it cannot be installed here (needs root and apt-get): "
            "run `apt-get install -y chromium` (Debian's package), as .ci/run does"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in ([apt, "-qq", "update"], [apt, "-qq", "install", "-y", "chromium"]):
        done = subprocess.run(
            step, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            pytest.skip(
                f"no Chromium at /usr/bin/chromium and `{' '.join(step)}` failed: {done.stderr.strip()[-300:]}"
            )
    if not CHROMIUM.exists():
        pytest.skip("apt-get installed chromium, but /usr/bin/chromium is still missing")
    return CHROMIUM


@dataclass
class Browser:
    context: object
    page: object
    foreign: list[str] = field(default_factory=list)  # requests refused: not under the allowed URL


@contextmanager
def browser(
    chromium: Path,
    profile: Path,
    allowed: str,
    shots: Path | None = None,
    viewport: tuple[int, int] = (1400, 900),
) -> Iterator[Browser]:
    """Chromium with a new ``profile`` that loads only URLs starting with ``allowed``. On failure a
    screenshot goes to ``shots/failure.png``; Chromium is stopped on exit, whatever happened."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(chromium),
                headless=True,
                args=CHROMIUM_FLAGS,
                chromium_sandbox=False,
                viewport={"width": viewport[0], "height": viewport[1]},
            )
            try:
                session = Browser(
                    context, context.pages[0] if context.pages else context.new_page()
                )

                def only_allowed(route):
                    if route.request.url.startswith(allowed):
                        route.continue_()
                    else:
                        session.foreign.append(route.request.url)
                        route.abort()

                context.route("**/*", only_allowed)
                session.page.set_default_timeout(TIMEOUT_MS)
                try:
                    yield session
                except BaseException:
                    if shots is not None:
                        session.page.screenshot(path=str(shots / "failure.png"))
                    raise
            finally:
                context.close()
    finally:
        for pid in processes_naming(str(profile)):  # normally none: Playwright has closed it
            os.kill(pid, signal.SIGKILL)
    assert not processes_naming(str(profile)), "Chromium is still running"


def screenshots(name: str) -> Path:
    """``artifacts/browser/<name>/``, emptied of an earlier run's screenshots."""
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder

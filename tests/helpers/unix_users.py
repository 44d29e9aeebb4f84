"""Real Unix accounts for a test, as a classroom has them: private homes, removed afterwards, even on failure.

Only root can create accounts (``useradd``); :func:`unavailable` says why not otherwise, for a skip.
Every account gets a unique name (a per-run prefix), so two runs on one machine never share one.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int
    home: Path

    def env(self, base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
        """A login's environment for this account (``base`` first, then its HOME, USER and LOGNAME)."""
        env = (
            {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
            if base is None
            else dict(base)
        )
        env.update(HOME=str(self.home), USER=self.name, LOGNAME=self.name, **extra)
        return env

    def run(
        self, command: Sequence[str], *, env: dict[str, str] | None = None, **kw
    ) -> subprocess.CompletedProcess:
        """``command`` as this account (its uid, its group only), in its home unless ``cwd`` says otherwise."""
        kw.setdefault("cwd", self.home)
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        return subprocess.run(
            list(command),
            user=self.uid,
            group=self.gid,
            extra_groups=[],
            env=self.env() if env is None else env,
            **kw,
        )


def pwd_uid(name: str) -> int | None:
    """The uid of the account ``name``, or None when there is no such account."""
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def set_password(name: str) -> str:
    """A new random password for the account ``name`` (``chpasswd``, as root), for the hub's login form."""
    password = secrets.token_urlsafe(12)
    subprocess.run(
        ["chpasswd"], input=f"{name}:{password}\n", check=True, capture_output=True, text=True
    )
    return password


def unavailable() -> str | None:
    """Why this process cannot create Unix accounts, or None when it can."""
    if os.geteuid() != 0:
        return "creates real Unix accounts (useradd), which needs root"
    missing = [tool for tool in ("useradd", "userdel", "chpasswd") if shutil.which(tool) is None]
    return f"needs {', '.join(missing)}" if missing else None


def unique_prefix() -> str:
    return f"msq{secrets.token_hex(3)}"


def processes_of(uids: set[int]) -> list[int]:
    """Pids of the live processes whose real uid is one of ``uids`` (a zombie is gone, its parent not yet told)."""
    return [
        p.pid
        for p in psutil.process_iter(["uids", "status"])
        if p.info["uids"] is not None
        and p.info["uids"].real in uids
        and p.info["status"] != psutil.STATUS_ZOMBIE
    ]


def stop_processes(uids: set[int], timeout: float = 10) -> list[int]:
    """SIGTERM, then SIGKILL, every process of the accounts ``uids`` (accounts this test made); the pids found."""
    first = processes_of(uids)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(uids):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        while processes_of(uids) and time.monotonic() < deadline:
            time.sleep(0.2)
    return first


@contextmanager
def accounts(names: Sequence[str]) -> Iterator[dict[str, Account]]:
    """Create the accounts ``names`` (homes only they can read); stop their processes and remove them at the end."""
    made: dict[str, Account] = {}
    try:
        for name in names:
            subprocess.run(
                [
                    "useradd",
                    "--create-home",
                    "--user-group",
                    "--shell",
                    "/bin/bash",
                    "-K",
                    "HOME_MODE=0700",
                    name,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            entry = pwd.getpwnam(name)
            made[name] = Account(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))
        yield made
    finally:
        stop_processes({a.uid for a in made.values()})
        for name in made:
            subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)

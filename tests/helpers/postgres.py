"""A throw-away PostgreSQL cluster on 127.0.0.1 for a gradebook: started by the caller, stopped and removed by it.

Debian's PostgreSQL 15 server binaries (``/usr/lib/postgresql/15/bin``, package ``postgresql``) run as
the ``postgres`` account when this process is root, as this process's own account otherwise (initdb
refuses root). Password authentication (scram-sha-256) over TCP on 127.0.0.1 only; the Unix socket lies
in the cluster's own folder. :func:`unavailable` says why a cluster cannot be started here.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Cluster:
    port: int
    password: str
    database: str
    folder: Path
    user: str = "postgres"

    @property
    def url(self) -> str:
        """The gradebook's SQLAlchemy URL, as `make grade DB_URL=...` takes it."""
        return (
            f"postgresql+psycopg2://{self.user}:{self.password}@{HOST}:{self.port}/{self.database}"
        )


def unavailable() -> str | None:
    """Why no cluster can be started here, or None."""
    if not (PG_BIN / "initdb").is_file() or not (PG_BIN / "pg_ctl").is_file():
        return (
            f"needs PostgreSQL's server binaries in {PG_BIN} (Debian: apt-get install postgresql)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "runs PostgreSQL as the 'postgres' account, which does not exist"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "needs psycopg2 (psycopg2-binary, pinned in requirements.txt)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _as_owner(
    command: list[str], owner: pwd.struct_passwd | None, **kw
) -> subprocess.CompletedProcess:
    ids = {} if owner is None else {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": owner.pw_dir if owner else os.environ.get("HOME", "/"),
    }
    return subprocess.run(command, env=env, capture_output=True, text=True, **ids, **kw)


@contextmanager
def cluster(database: str = "gradebook", timeout: int = 120) -> Iterator[Cluster]:
    """A new cluster with an empty ``database``; stopped (fast shutdown) and deleted when the block ends."""
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="msq-pg-", dir="/tmp"))
    data, sockets, logs = folder / "data", folder / "sockets", folder / "logs"
    password = secrets.token_urlsafe(18)
    started = False
    try:
        os.chmod(folder, 0o755)
        data.mkdir(mode=0o700)
        sockets.mkdir()
        logs.mkdir()
        pwfile = folder / "pwfile"  # initdb needs a real file, not a pipe
        pwfile.write_text(password + "\n")
        os.chmod(pwfile, 0o600)
        if owner is not None:
            for path in (data, sockets, logs, pwfile):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        done = _as_owner(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            owner,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")
        pwfile.unlink()
        port = free_port()
        options = f"-c listen_addresses={HOST} -p {port} -c unix_socket_directories={sockets}"
        done = _as_owner(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(logs / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(timeout),
                "start",
            ],
            owner,
            timeout=timeout + 10,
        )
        started = True
        if done.returncode:
            log = (logs / "server.log").read_text() if (logs / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}{done.stderr}{log}")
        import psycopg2

        connection = psycopg2.connect(
            host=HOST, port=port, user="postgres", password=password, dbname="postgres"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        connection.close()
        yield Cluster(port=port, password=password, database=database, folder=folder)
    finally:
        if started:
            _as_owner(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"],
                owner,
                timeout=90,
            )
        shutil.rmtree(folder, ignore_errors=True)

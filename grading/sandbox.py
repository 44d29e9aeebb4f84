"""A bubblewrap sandbox around every grading kernel, and a warm fork server in it.

``nbgrader autograde`` runs a student's notebook in a kernel with the instructor's permissions.
:class:`SandboxKernelManager` starts that kernel inside ``bwrap`` (Debian ``bubblewrap``) instead::

    c.Execute.kernel_manager_class = "grading.sandbox.SandboxKernelManager"   # nbgrader_config.py
    c.SandboxProvisioner.memory_limit = 3 * 2**30                             # traits: see the class

    NotebookClient(nb, kernel_name="python3", kernel_manager_class=SandboxKernelManager,
                   resources={"metadata": {"path": workdir}}).execute()       # nbclient directly

The manager is jupyter_client's own ``AsyncKernelManager`` with its kernel provisioner set to
:class:`SandboxProvisioner` (jupyter_client's API for how a kernel is started, signalled and stopped).

Warm kernels. One sandbox serves one working folder (one student's, in ``nbgrader autograde
--student``): its process 1 is a fork server (:mod:`grading.zygote`) that has imported torch,
transformers, the checker and ipykernel and loaded the course models, and nothing of a student's.
Each notebook's kernel, and each restart of one, is a fork of it: it costs a fork, not a new Python
that imports and loads everything again. Before each fork the sandbox is made as new: every other
process in it is killed, and its ``/tmp``, ``/dev/shm``, IPC objects, keyrings, the working copy
and the connection folder are emptied (:func:`grading.zygote.wipe`, :meth:`Sandbox.prepare`). So a
notebook finds nothing another notebook left, in memory (module globals, ``sys.modules``, torch's
settings, the checker's records, the environment: a fork of the server's, which no notebook ever
touched) or anywhere in the sandbox; another student's folder gets another sandbox. With
``c.SandboxProvisioner.warm = False`` every kernel gets a sandbox of its own and starts cold.

:func:`sandbox_available` says, in one sentence, why this machine cannot sandbox (stop grading then);
:func:`bwrap_command` builds the command line from a :class:`SandboxPolicy` without starting anything.

Threat model: the notebook's code is hostile and runs as whatever user grades (root here).

What it stops
  - Reading the course: the kernel sees its own working folder, the system (``/usr``, a few files
    of ``/etc``), the Python installation and venv, the course model cache and the course libraries
    (``checker/``, ``multiseq/``, mounted read-only at :data:`LIBRARY_DIR`), nothing else: not the
    course folder (``solutions/``, ``gradebook.db``, ``submitted/``, other students, ``grading/``,
    ``nbgrader_config.py``), not the instructor's home, not the host's ``/tmp``. Directory
    descriptors, ``/proc/<pid>/root`` and ctypes see the same tree: it is a mount namespace.
  - Changing the host: everything is read-only except a private ``/tmp`` (a size-capped tmpfs, also
    ``HOME`` and ``TMPDIR``), ``/dev/shm``, the connection folder (:attr:`Sandbox.ipc_dir`) and the
    working folder, which is a throw-away copy bound at the same path: nothing written there reaches
    the host folder. The copy keeps symlinks as links, so a submitted link is resolved inside, and
    leaves out the notebooks and the grader's reports (:attr:`SandboxProvisioner.work_ignore`): while
    ``autograde`` runs notebook 02, the folder already holds notebook 01 as graded, hidden tests and
    all. ``/dev`` is read-only.
  - Reaching the host through a descriptor: the sandbox inherits none of the grader's (its standard
    input is ``/dev/null``; its output goes to a pipe the grader reads and caps, never to the
    grader's log).
  - The network: a network namespace with only a fresh loopback (the kernel talks over IPC sockets).
  - Outliving grading: a PID namespace (``--unshare-pid``, ``--die-with-parent``). When a kernel
    stops, however it stops, the fork server kills every other process of the namespace and reaps
    them, which takes every process the notebook started (fork, ``setsid``, double fork, ctypes) with
    it; when grading ends, the manager kills process 1 and waits until the namespace is gone.
  - Privilege: the kernel is uid 0 only inside its own user namespace, with no capabilities
    (``--cap-drop ALL``), ``no_new_privs``, no nested user namespaces, a new session (no terminal
    injection) and ``/proc/sys`` bound read-only (Linux lets uid 0 write sysctls such as
    ``kernel.core_pattern`` without any capability, and bwrap 0.8 leaves them writable).
  - Reaching the fork server: it is process 1 of the namespace (a signal it does not handle never
    reaches it; it ignores SIGINT), not dumpable (no ``ptrace``, no ``/proc/1/mem``), and its pipes
    are closed in every kernel.
  - Runaway memory in one process: ``prlimit --as`` (default 3 GiB) makes a huge allocation raise
    ``MemoryError`` in the notebook; the kernel lives on.

What it does not stop (do not rely on it for these)
  - Forged results. The kernel sends its outputs over ZeroMQ with the connection key it was given: it
    can print "all tests passed", reply to anything, monkeypatch the checks that run in it. A verdict
    computed in this kernel is only as good as the code that ran there; score in a trusted process.
  - Resources across processes: ``--as`` is per process and uid 0 ignores ``RLIMIT_NPROC``, so a fork
    bomb or many 3 GiB children can still exhaust the machine (no cgroups here); CPU is bounded only by
    the grader's time limits; the working copy lives on the host disk, uncapped.
  - What uid 0 may read without capabilities: root-only files the sandbox shows (``/proc/slabinfo``
    and the like; the venv, the model). An unprivileged host uid would close this and make
    ``RLIMIT_NPROC`` work, but needs the model cache readable by it and, to keep nested user
    namespaces (a large kernel attack surface) closed, a seccomp filter; not done here.
  - Kernel bugs (bwrap shares the host kernel), and reading what the sandbox shows: the venv, the
    model, and the working folder's other files, which ``autograde`` copies there from the student's
    submission and from the source folder (``solutions/<assignment>/``, every file but notebooks).
  - The IPC folder belongs to the kernel (it binds its sockets there): it can swap a socket for a
    symlink to another Unix socket on the host, which a client that reconnects (ZeroMQ does) then
    reaches with Jupyter messages. No reply is trusted from there, but the bytes are sent.
  - When the working folder is itself under ``/tmp``, its parent folders inside the sandbox lie in the
    private tmpfs: writing ``../../x`` succeeds there (and vanishes); elsewhere it fails (EROFS).
  - Sameness that is not state: the kernels of one sandbox share Python's string-hash seed and the
    pid counter of the namespace (a notebook sees how many processes ran before it).

Interrupts are SIGINTs to the kernel's process group, sent by the fork server. A notebook can ignore
them (``signal.signal(SIGINT, SIG_IGN)`` then loop). What nbclient 0.11 does then, with
``interrupt_on_timeout=True`` (measured in tests/grading/test_sandbox.py):

  - without ``error_on_timeout``: waits another ``timeout`` and interrupts again, forever;
  - with it (nbgrader's ``Execute`` sets it): fabricates an error reply, waits ``iopub_timeout`` (4 s)
    for the cell's end and, as nbgrader also sets ``raise_on_iopub_timeout``, raises
    ``CellTimeoutError`` ("Timeout waiting for IOPub output").

So after each interrupt the provisioner also asks for ``kernel_info`` on the shell channel, which the
kernel's main thread answers only once the cell has stopped; without an answer within
:attr:`SandboxProvisioner.interrupt_timeout` (5 s) it kills the kernel and everything it started.
Plain nbclient then raises ``DeadKernelError`` at its next check, one ``timeout`` later; under nbgrader
its ``CellTimeoutError`` usually comes first and the kill only stops the spinning kernel sooner.
Either way the caller gets an exception for that notebook in bounded time (:mod:`grading.execute`
scores it as a cell that cannot be stopped). A cell that honours the interrupt but needs longer than
``interrupt_timeout`` to stop (one long C call) is killed too; raise the trait, or set 0 to switch the
watchdog off.
"""

from __future__ import annotations

import asyncio
import atexit
import getpass
import importlib.util
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
import weakref
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import zmq
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_client.session import Session
from traitlets import Bool, Float, Integer, List, Unicode

from checker import config

from .zygote import empty_folder

GiB = 2**30
#: Where the course libraries are mounted inside; first on ``PYTHONPATH``.
LIBRARY_DIR = "/opt/course-lib"
#: Where the fork server's program (grading/zygote.py) is put inside, read-only; nothing else of grading/.
ZYGOTE_PATH = "/opt/course-sandbox/zygote.py"
#: The kernel's private home, inside its private /tmp.
HOME = "/tmp/home"
#: System folders, bound read-only (or recreated as the symlinks they are on a merged-/usr system).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: The few files of /etc a Python kernel reads (linker, user and group names, time zone, MIME types,
#: fontconfig for matplotlib).
#: Not /etc itself: it holds /etc/shadow, which uid 0 inside could read.
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/hosts",
    "/etc/mime.types",
    "/etc/alternatives",
    "/etc/fonts",
)
#: Host variables the kernel gets when they are set; every other variable is dropped.
PASSED_ENV = (
    "LANG",
    "LC_ALL",
    "COURSE_CHECKPOINT",
    "COURSE_DEVICE",
    "NBGRADER_EXECUTION",
    "OMP_NUM_THREADS",
)
#: Namespaces and privileges: all namespaces new (only a fresh loopback), no capabilities.
ISOLATION = (
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--new-session",
    "--hostname",
    "sandbox",
)


@dataclass(frozen=True)
class SandboxPolicy:
    """What one kernel may see and do; :func:`bwrap_command` turns it into a command line."""

    workdir: str  #: the folder the kernel starts in, at the path the notebook expects
    work_copy: str  #: the throw-away host folder bound read-write at ``workdir``
    ipc_dir: str  #: connection file and IPC sockets, bound read-write at the same path
    readonly: tuple[str, ...] = ()  #: host paths bound read-only at the same path
    libraries: tuple[
        tuple[str, str], ...
    ] = ()  #: (name, host folder), read-only at library_dir/name
    env: tuple[tuple[str, str], ...] = ()  #: the kernel's whole environment
    system: tuple[tuple[str, str | None], ...] = ()  #: (path, symlink target or None to bind it)
    etc: tuple[str, ...] = ETC_FILES  #: bound read-only where they exist
    library_dir: str = LIBRARY_DIR
    memory_limit: int = 3 * GiB  #: address space of each process in bytes; 0 for none
    tmp_size: int = GiB  #: size of the private /tmp and of /dev/shm in bytes
    bwrap: str = "bwrap"


def bwrap_command(
    policy: SandboxPolicy,
    kernel_argv: Sequence[str],
    info_fd: int | None = None,
    *,
    data: Sequence[tuple[int, str]] = (),
    as_pid_1: bool = False,
) -> list[str]:
    """The command line that runs ``kernel_argv`` under ``policy`` (pure: starts and reads nothing).

    ``data``: (descriptor, path) pairs whose content bwrap puts read-only at that path inside.
    ``as_pid_1``: the command is the namespace's process 1 (it must reap what it starts)."""
    cmd = [policy.bwrap, *ISOLATION]
    if as_pid_1:
        cmd.append("--as-pid-1")
    if info_fd is not None:
        cmd += ["--info-fd", str(info_fd)]
    for path, target in policy.system:
        cmd += ["--symlink", target, path] if target else ["--ro-bind", path, path]
    for path in policy.etc:
        cmd += ["--ro-bind-try", path, path]
    size = str(policy.tmp_size)
    # A fresh /proc, its sysctls read-only: bwrap 0.8 leaves them writable, and Linux lets uid 0 write
    # e.g. kernel.core_pattern without any capability (a way out). They are the host's, read-only.
    # /dev read-only (its devices still work): nothing a notebook writes there outlives it.
    cmd += [
        "--proc",
        "/proc",
        "--ro-bind",
        "/proc/sys",
        "/proc/sys",
        "--dev",
        "/dev",
        "--size",
        size,
        "--tmpfs",
        "/dev/shm",
        "--mqueue",
        "/dev/mqueue",
        "--remount-ro",
        "/dev",
        "--size",
        size,
        "--tmpfs",
        "/tmp",
        "--dir",
        HOME,
    ]
    for path in policy.readonly:
        cmd += ["--ro-bind", path, path]
    for name, folder in policy.libraries:
        cmd += ["--ro-bind", folder, f"{policy.library_dir}/{name}"]
    for fd, path in data:
        cmd += ["--ro-bind-data", str(fd), path]
    cmd += [
        "--bind",
        policy.work_copy,
        policy.workdir,
        "--bind",
        policy.ipc_dir,
        policy.ipc_dir,
        "--remount-ro",
        "/",
        "--chdir",
        policy.workdir,
        "--clearenv",
    ]
    for name, value in policy.env:
        cmd += ["--setenv", name, value]
    cmd.append("--")
    if policy.memory_limit:
        cmd += ["prlimit", f"--as={policy.memory_limit}", "--core=0", "--"]
    return cmd + list(kernel_argv)


def sandbox_env(
    host_env: Mapping[str, str], *, cache: str, user: str, library_dir: str = LIBRARY_DIR
) -> dict[str, str]:
    """The kernel's environment: a fixed whitelist, offline, quiet, libraries first on the path."""
    env = {
        "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": HOME,
        "TMPDIR": "/tmp",
        "PYTHONPATH": library_dir,
        "PYTHONNOUSERSITE": "1",
        "USER": user,
        "LOGNAME": user,
        "COURSE_CACHE": cache,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **config.QUIET_ENV,
        # The kernel's parent is the namespace's init, pid 1: ipykernel then neither watches for a
        # parent change (a host pid here would make it exit) nor prints its connection banner.
        "JPY_PARENT_PID": "1",
    }
    env.update({name: host_env[name] for name in PASSED_ENV if name in host_env})
    return env


def host_system(dirs: Iterable[str] = SYSTEM_DIRS) -> tuple[tuple[str, str | None], ...]:
    """The system folders present here, each with its symlink target (or None for a real folder)."""
    return tuple(
        (d, os.readlink(d) if os.path.islink(d) else None) for d in dirs if os.path.lexists(d)
    )


def library_folders(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(name, folder) of each package as this process would import it (without importing it)."""
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(
                f"the sandbox cannot mount the course package {name!r}: not found"
            )
        folders.append((name, os.path.realpath(list(spec.submodule_search_locations)[0])))
    return tuple(folders)


def kernel_policy(
    workdir: str,
    work_copy: str,
    ipc_dir: str,
    *,
    libraries: Iterable[str] = (),
    readonly: Iterable[str] = (),
    memory_limit: int = 3 * GiB,
    tmp_size: int = GiB,
    bwrap: str = "bwrap",
    host_env: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
) -> SandboxPolicy:
    """The course's policy for one kernel, from this host: its Python, venv, model cache, libraries.
    ``env``: the kernel's whole environment, when already made with :func:`sandbox_env`."""
    cache = str(config.cache_dir())
    python = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix]
    paths = [*python, *map(os.path.realpath, python), cache, *readonly]
    mounted = tuple(dict.fromkeys(p for p in paths if os.path.exists(p)))
    if env is None:
        env = sandbox_env(
            os.environ if host_env is None else host_env, cache=cache, user=getpass.getuser()
        )
    return SandboxPolicy(
        workdir=workdir,
        work_copy=work_copy,
        ipc_dir=ipc_dir,
        readonly=mounted,
        libraries=library_folders(libraries),
        env=tuple(env.items()),
        system=host_system(),
        memory_limit=memory_limit,
        tmp_size=tmp_size,
        bwrap=bwrap,
    )


def sandbox_available(bwrap: str = "bwrap") -> tuple[bool, str]:
    """Whether grading kernels can be sandboxed here; the sentence says why not (or what will be used)."""
    exe = shutil.which(bwrap)
    if exe is None:
        return False, (
            f"'{bwrap}' is not installed (Debian: apt-get install bubblewrap), "
            "so grading kernels cannot be sandboxed."
        )
    if shutil.which("prlimit") is None:
        return (
            False,
            "'prlimit' (util-linux) is missing, so the sandbox cannot cap a kernel's memory.",
        )
    with tempfile.TemporaryDirectory(prefix="nbsandbox-probe-") as tmp:
        policy = kernel_policy(tmp, tmp, tmp, bwrap=exe)
        try:
            run = subprocess.run(
                bwrap_command(policy, [sys.executable, "-c", "import encodings"]),
                capture_output=True,
                text=True,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            return False, f"a trial sandbox with {exe} did not finish within 60 s."
    if run.returncode != 0:
        why = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return False, f"{exe} cannot create the grading sandbox here ({why})."
    return True, f"{exe} creates the grading sandbox here."


#: What the fork server imports before any notebook: what the notebooks, the checks and the report import.
#: Not ``checker.exercises``: importing it hooks the IPython shell it runs in (``answers.track``), which
#: only the kernel has. Not matplotlib's pyplot: ipykernel picks its backend when the kernel starts.
PRELOAD = (
    "torch",
    "torch.nn.functional",
    "torch.utils.data",
    "transformers",
    "transformers.data.data_collator",
    "transformers.trainer_pt_utils",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # debugpy: every kernel imports it as it starts (0.6 s)
    "ipykernel.zmqshell",
    "ipykernel_launcher",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "sqlite3",  # IPython's history
    "checker",
    "checker.answers",
    "checker.compare",
    "checker.data",
    "checker.diagnose",
    "checker.evidence",
    "checker.exercise",
    "checker.feedback",
    "checker.generation_calls",
    "checker.harness",
    "checker.model",
    "checker.model_calls",
    "checker.padding",
    "checker.references",
    "checker.serial",
    "checker.threads",
    "multiseq.batching",
    "multiseq.benchmark",
    "multiseq.plots",
)
#: Bytes of what the sandbox's processes write to their stdout and stderr that the grader keeps (for
#: its log, and for the error when a sandbox does not start); the rest is read and dropped.
OUTPUT_KEPT = 64 * 1024
#: Seconds a sandbox may take to import and load everything before its first kernel.
READY_TIMEOUT = 300.0
# bwrap --die-with-parent ties the sandbox to the *thread* that started it (PR_SET_PDEATHSIG): sandboxes
# that serve several notebooks are started from this one thread, which lives as long as the process.
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-spawner")
_PRESTARTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-prestart")


#: Idle warm sandboxes kept for the next kernel (nbgrader grades one notebook at a time per process).
MAX_IDLE = 1
_pool_lock = threading.Lock()
_idle: list[Sandbox] = []
_open: set[Sandbox] = set()
_starting: dict[SandboxSpec, Future] = {}


class SandboxBroken(RuntimeError):
    """The sandbox's fork server is gone or did not answer; a new sandbox is needed."""


@dataclass(frozen=True)
class SandboxSpec:
    """Everything a sandbox is made of: two kernels with equal specs may share one (one at a time)."""

    workdir: str | None
    env: tuple[tuple[str, str], ...]
    libraries: tuple[str, ...] = ("checker", "multiseq")
    readonly: tuple[str, ...] = ()
    memory_limit: int = 3 * GiB
    tmp_size: int = GiB
    bwrap: str = "bwrap"
    preload: tuple[str, ...] = ()  #: modules the fork server imports; () for a cold sandbox
    models: bool = False  #: whether it also loads the course models
    work_ignore: tuple[str, ...] = ()  #: left out of the working folder's copy


class Sandbox:
    """The host side of one sandbox: its staging folder, its fork server (process 1 inside), its pipes.

    One request at a time (:meth:`request`); a reader thread takes the server's answers and its unasked
    ``exited`` notices; another reads what the sandbox prints, keeping :data:`OUTPUT_KEPT` bytes."""

    def __init__(self, spec: SandboxSpec, log=None) -> None:
        self.spec = spec
        self.log = log
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="nbsandbox-"))
        self._remove = weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)
        self.ipc_dir = os.path.join(self.root, "ipc")
        self.work_copy = os.path.join(self.root, "work")
        os.mkdir(self.ipc_dir, 0o700)
        os.mkdir(self.work_copy)
        self.workdir = spec.workdir or self.work_copy
        self.output = bytearray()
        self._replies: queue.Queue[dict] = queue.Queue()
        self._exits: dict[int, int] = {}
        self._lock = threading.Lock()
        self._pidfd: int | None = None
        self._process: subprocess.Popen | None = None
        self.dead = False
        self.ready: dict = {}
        self.pid: int | None = None  #: the host's pid of the sandbox's process 1 (the fork server)
        with _pool_lock:
            _open.add(self)
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    # --- starting ------------------------------------------------------------------------------------

    def _start(self) -> None:
        spec = self.spec
        policy = kernel_policy(
            self.workdir,
            self.work_copy,
            self.ipc_dir,
            libraries=spec.libraries,
            readonly=spec.readonly,
            memory_limit=spec.memory_limit,
            tmp_size=spec.tmp_size,
            bwrap=spec.bwrap,
            env=dict(spec.env),
        )
        program = _zygote_source()
        if len(program) >= 1 << 16:  # written whole into a pipe before bwrap reads it
            raise ValueError("grading/zygote.py outgrew a pipe's buffer: pass it another way")
        commands_r, self._commands = os.pipe()
        self._replies_r, replies_w = os.pipe()
        info_r, info_w = os.pipe()
        program_r, program_w = os.pipe()
        output_r, output_w = os.pipe()
        inherited = (commands_r, replies_w, info_w, program_r, output_w)
        try:
            os.write(program_w, program)
            os.close(program_w)
            options = json.dumps({"preload": list(spec.preload), "models": spec.models})
            argv = [sys.executable, ZYGOTE_PATH, str(commands_r), str(replies_w), options]
            cmd = bwrap_command(
                policy, argv, info_fd=info_w, data=[(program_r, ZYGOTE_PATH)], as_pid_1=True
            )
            self._process = _SPAWNER.submit(
                subprocess.Popen,
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=output_w,
                stderr=output_w,
                pass_fds=(commands_r, replies_w, info_w, program_r),
                env={"PATH": os.environ.get("PATH", os.defpath)},
                cwd="/",
            ).result()
        finally:
            for fd in inherited:
                os.close(fd)
        threading.Thread(
            target=self._drain, args=(output_r,), name="sandbox-output", daemon=True
        ).start()
        self._adopt(info_r)
        threading.Thread(target=self._read, name="sandbox-replies", daemon=True).start()
        self.ready = self._wait("ready", READY_TIMEOUT)
        if self.ready.get("failed") and self.log:
            self.log.warning("The sandbox could not preload %s", self.ready["failed"])

    def _adopt(self, info_fd: int, timeout: float = 30) -> None:
        """Read bwrap's ``--info-fd`` report and hold a pidfd on the namespace's process 1."""
        data = b""
        try:
            while select.select([info_fd], [], [], timeout)[0]:
                chunk = os.read(info_fd, 4096)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(info_fd)
        try:
            pid = json.loads(data)["child-pid"]
        except (ValueError, KeyError) as err:
            raise SandboxBroken(
                "bwrap did not start the sandbox; see grading.sandbox.sandbox_available(): "
                + self.said()
            ) from err
        self._pidfd = os.pidfd_open(pid)
        self.pid = pid

    def _drain(self, fd: int) -> None:
        with open(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                room = OUTPUT_KEPT - len(self.output)
                if room > 0:
                    self.output += chunk[:room]

    def said(self) -> str:
        """The last lines the sandbox printed (bwrap's errors, a traceback of the fork server)."""
        text = self.output.decode("utf-8", "replace").strip()
        return "\n".join(text.splitlines()[-15:]) or "(it printed nothing)"

    def _read(self) -> None:
        with open(self._replies_r, "rb") as pipe:
            for line in pipe:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if message.get("op") == "exited":
                    self._exits[message["pid"]] = int(message["status"])
                else:
                    self._replies.put(message)
        self.dead = True
        self._replies.put({"op": "dead"})

    def _wait(self, op: str, timeout: float) -> dict:
        try:
            message = self._replies.get(timeout=timeout)
        except queue.Empty:
            message = {"op": "timeout"}
        if message.get("op") != op:
            self.kill()
            what = "did not answer in time" if message["op"] == "timeout" else "stopped"
            raise SandboxBroken(f"the sandbox's fork server {what}: {self.said()}")
        return message

    # --- requests ------------------------------------------------------------------------------------

    def request(self, op: str, timeout: float = 60.0, **fields: Any) -> dict:
        """Send one request and wait for its answer; :class:`SandboxBroken` when none comes."""
        with self._lock:
            if self.dead:
                raise SandboxBroken(f"the sandbox's fork server stopped: {self.said()}")
            data = (json.dumps({"op": op, **fields}) + "\n").encode()
            try:
                while data:
                    data = data[os.write(self._commands, data) :]
            except OSError as error:
                self.dead = True
                raise SandboxBroken(f"the sandbox's fork server stopped: {self.said()}") from error
            return self._wait({"start": "started", "signal": "signalled"}.get(op, op), timeout)

    def prepare(self) -> None:
        """Make the sandbox as new for the next kernel: no process but the server's, nothing left in
        its scratch space, a fresh copy of the working folder, an empty connection folder."""
        if not self.request("reset").get("clean"):
            raise SandboxBroken("a process of the sandbox did not end when killed")
        empty_folder(self.ipc_dir, 0o700)
        empty_folder(self.work_copy, 0o755)  # then the working folder's own mode, from the copy
        if self.spec.workdir is not None:
            # symlinks stay links: following them here would copy host files the kernel cannot read
            shutil.copytree(
                self.spec.workdir,
                self.work_copy,
                symlinks=True,
                ignore=shutil.ignore_patterns(*self.spec.work_ignore),
                dirs_exist_ok=True,
            )

    def start_kernel(self, argv: Sequence[str]) -> int:
        """Fork (or, in a cold sandbox, start) a kernel with ``argv``; its pid inside the sandbox."""
        reply = self.request(
            "start",
            argv=list(argv),
            env=dict(self.spec.env),
            cwd=self.workdir,
            fork=bool(self.spec.preload),
        )
        if reply.get("pid") is None:
            raise SandboxBroken(reply.get("error") or "the kernel did not start")
        return int(reply["pid"])

    def exit_status(self, pid: int) -> int | None:
        """None while the kernel ``pid`` runs; its exit status (negative: a signal) once it ended."""
        if pid in self._exits:
            return self._exits[pid]
        return -signal.SIGKILL if self.dead else None

    def signal(self, signum: int) -> None:
        self.request("signal", signum=int(signum))

    def end_kernel(self, pid: int | None = None) -> None:
        """Kill the kernel and everything it started (the server stays); with ``pid``, only while that
        kernel is still the sandbox's (a late watchdog must not kill the next one)."""
        try:
            self.request("reset", only=pid)
        except SandboxBroken:
            self.kill()

    # --- stopping ------------------------------------------------------------------------------------

    def kill(self) -> None:
        """SIGKILL the namespace's process 1: everything in the sandbox dies with it."""
        self.dead = True
        pidfd = self._pidfd
        if pidfd is not None:
            try:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            except (ProcessLookupError, OSError):
                pass

    def close(self, timeout: float = 10) -> bool:
        """Kill the sandbox, wait until no process of it is left, remove its staging folder; False if
        a process outlived ``timeout``."""
        self.kill()
        gone = True
        pidfd, self._pidfd = self._pidfd, None
        if pidfd is not None:
            try:  # readable once process 1 has exited, which the kernel allows only after the rest
                gone = bool(select.select([pidfd], [], [], timeout)[0])
            finally:
                os.close(pidfd)
        if self._process is not None:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                gone = False
        for fd in ("_commands",):
            try:
                os.close(getattr(self, fd))
            except (OSError, AttributeError):
                pass
        self._remove()
        with _pool_lock:
            _open.discard(self)
        return gone


def _zygote_source() -> bytes:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")
    with open(path, "rb") as source:
        return source.read()


# --- warm sandboxes, one kernel at a time each ---------------------------------------------------------


def lease_sandbox(spec: SandboxSpec, log=None) -> Sandbox:
    """A warm sandbox for one kernel: an idle one made for the same spec (the same working folder,
    environment and limits: the same student), else a new one; idle ones for other specs are stopped
    (another student's turn). Give it back with :func:`release_sandbox`."""
    with _pool_lock:
        starting = _starting.get(spec)
    if starting is not None:  # started ahead for this spec (prestart_sandbox): wait for it
        try:
            starting.result()
        except Exception:  # noqa: BLE001  (started again below, and its error said then)
            pass
    with _pool_lock:
        found = next((s for s in _idle if s.spec == spec and not s.dead), None)
        stale = [s for s in _idle if s is not found]
        _idle[:] = []
    if log and found is None and any(s.spec.workdir == spec.workdir for s in stale):
        log.warning("A sandbox started ahead for %s has other settings: not used", spec.workdir)
    for sandbox in stale:
        _close(sandbox)
    if found is not None:
        return found
    return Sandbox(spec, log)


def prestart_sandbox(spec: SandboxSpec, log=None) -> Future:
    """Start a warm sandbox for ``spec`` now, in the background, and keep it idle for the first kernel
    that asks for that spec (nbgrader starts, and sanitizes a notebook, in the meantime)."""

    def start() -> Sandbox:
        try:
            sandbox = Sandbox(spec, log)
            release_sandbox(sandbox)
            return sandbox
        finally:
            with _pool_lock:
                _starting.pop(spec, None)

    with _pool_lock:
        future = _starting[spec] = _PRESTARTER.submit(start)
    return future


def prestart_for(workdir: str, host_env: Mapping[str, str]) -> Future:
    """:func:`prestart_sandbox` for kernels in ``workdir`` with the default settings of
    :class:`SandboxProvisioner` (a sandbox configured otherwise is simply not used, and stopped)."""
    provisioner = SandboxProvisioner()
    return prestart_sandbox(provisioner.spec(os.path.realpath(workdir), host_env), provisioner.log)


def release_sandbox(sandbox: Sandbox) -> None:
    """After its kernel: keep the sandbox for the next kernel of the same spec (or stop it)."""
    if sandbox.dead:
        _close(sandbox)
        return
    with _pool_lock:
        _idle.append(sandbox)
        extra = _idle[:-MAX_IDLE]
        del _idle[:-MAX_IDLE]
    for old in extra:
        _close(old)


def _close(sandbox: Sandbox) -> None:
    sandbox.close()


@atexit.register
def close_sandboxes() -> None:
    """Stop every warm sandbox of this process (at exit, or when no more kernels will come)."""
    with _pool_lock:
        every = list(_open)
        _idle[:] = []
    for sandbox in every:
        _close(sandbox)


class SandboxProvisioner(LocalProvisioner):
    """jupyter_client's kernel provisioner for a kernel in a sandbox: a fork of the sandbox's server.

    ``pre_launch`` finds (or starts) the sandbox for the kernel's working folder and makes it as new;
    ``launch_kernel`` has the server fork the kernel; ``send_signal``, ``kill`` and ``poll`` go through
    the server (the kernel is not the grader's child). Connection files and ports are
    ``LocalProvisioner``'s, over IPC sockets in the sandbox's connection folder."""

    memory_limit = Integer(
        3 * GiB,
        config=True,
        help="Address space of each process in the sandbox, bytes (prlimit --as); 0: none.",
    )
    tmp_size = Integer(
        GiB, config=True, help="Size of the sandbox's private /tmp and /dev/shm, bytes."
    )
    libraries = List(
        Unicode(),
        ["checker", "multiseq"],
        config=True,
        help="Course packages mounted read-only at LIBRARY_DIR, found as this process imports them.",
    )
    readonly_paths = List(
        Unicode(),
        config=True,
        help="More host paths bound read-only at the same path (e.g. a Hugging Face cache).",
    )
    work_ignore = List(
        Unicode(),
        ["*.ipynb", ".ipynb_checkpoints", ".grading-report"],
        config=True,
        help="Glob patterns left out of the working folder's copy. The kernel needs no notebook "
        "file (nbclient sends the cells), and nbgrader autograde leaves the graded output of "
        "the assignment's earlier notebooks, hidden tests included, and the grader's reports on "
        "them (grading.scorer.REPORT_DIR) in that folder.",
    )
    bwrap = Unicode("bwrap", config=True, help="The bubblewrap executable.")
    interrupt_timeout = Float(
        5.0,
        config=True,
        help="Seconds an interrupted kernel has to finish its cell before it is killed (a "
        "notebook can ignore SIGINT); 0: never kill.",
    )
    warm = Bool(
        True,
        config=True,
        help="Fork each kernel from a sandbox that already imported and loaded everything (one per "
        "working folder, made as new before each kernel); False: a new sandbox per kernel.",
    )
    preload = List(
        Unicode(), list(PRELOAD), config=True, help="Modules a warm sandbox imports once."
    )
    load_models = Bool(
        True, config=True, help="Whether a warm sandbox also loads the course models once."
    )

    _sandbox: Sandbox | None = None
    _kernel: int | None = None  # the kernel's pid inside the sandbox

    @property
    def has_process(self) -> bool:
        return self._kernel is not None

    @property
    def sandbox(self) -> Sandbox | None:
        """The sandbox of the kernel, from ``pre_launch`` until ``cleanup``."""
        return self._sandbox

    def spec(self, workdir: str | None, host_env: Mapping[str, str]) -> SandboxSpec:
        env = sandbox_env(host_env, cache=str(config.cache_dir()), user=getpass.getuser())
        return SandboxSpec(
            workdir=workdir,
            env=tuple(sorted(env.items())),
            libraries=tuple(self.libraries),
            readonly=tuple(self.readonly_paths),
            memory_limit=self.memory_limit,
            tmp_size=self.tmp_size,
            bwrap=self.bwrap,
            preload=tuple(self.preload) if self.warm else (),
            models=self.warm and self.load_models,
            work_ignore=tuple(self.work_ignore),
        )

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        km.transport = "ipc"  # no network inside: the kernel binds Unix sockets in the IPC folder
        cwd = kwargs.get("cwd")
        spec = self.spec(os.path.realpath(cwd) if cwd else None, kwargs.get("env", os.environ))
        self._sandbox = await asyncio.to_thread(self._new_sandbox, spec)
        # An absolute ip: client and kernel resolve it alike; both see the folder at the same path.
        km.ip = os.path.join(self._sandbox.ipc_dir, "kernel")
        km.connection_file = os.path.join(self._sandbox.ipc_dir, "kernel.json")
        return await super().pre_launch(**kwargs)

    def _new_sandbox(self, spec: SandboxSpec) -> Sandbox:
        """A sandbox made as new for this kernel (a warm one that broke since its last kernel is
        replaced by a new one, once)."""
        if not self.warm:
            sandbox = Sandbox(spec, self.log)
            try:
                sandbox.prepare()
            except BaseException:
                sandbox.close()
                raise
            return sandbox
        for attempt in (1, 2):
            sandbox = lease_sandbox(spec, self.log)
            try:
                sandbox.prepare()
                return sandbox
            except SandboxBroken:
                _close(sandbox)
                if attempt == 2:
                    raise
            except BaseException:
                _close(sandbox)
                raise
        raise AssertionError("unreachable")

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        assert self._sandbox is not None
        self._kernel = await asyncio.to_thread(self._sandbox.start_kernel, cmd)
        self.pid = self.pgid = self._kernel
        self.cwd = self._sandbox.workdir
        return self.connection_info

    async def poll(self) -> int | None:
        if self._kernel is None or self._sandbox is None:
            return 0
        return self._sandbox.exit_status(self._kernel)

    async def wait(self) -> int | None:
        status = await self.poll()
        while status is None:
            await asyncio.sleep(0.05)
            status = await self.poll()
        self._kernel = None
        return status

    async def send_signal(self, signum: int) -> None:
        if self._kernel is None or self._sandbox is None:
            return
        await asyncio.to_thread(self._sandbox.signal, signum)
        shutting_down = getattr(self.parent, "shutting_down", False)
        if signum == signal.SIGINT and self.interrupt_timeout > 0 and not shutting_down:
            self._watch_interrupt(self._sandbox, self._kernel, self.interrupt_timeout)

    async def kill(self, restart: bool = False) -> None:
        if self._kernel is not None and self._sandbox is not None:
            await asyncio.to_thread(self._sandbox.end_kernel, self._kernel)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is None:
            return
        if self.warm:  # nothing the notebook started outlives its kernel
            await asyncio.to_thread(sandbox.end_kernel)
            release_sandbox(sandbox)
        elif not await asyncio.to_thread(sandbox.close):
            self.log.warning(
                "A sandboxed process outlived its kernel by 10 s (sandbox %s).", sandbox.root
            )

    def _watch_interrupt(self, sandbox: Sandbox, kernel: int, timeout: float) -> None:
        """Ask for kernel_info now (before nbclient sends anything else); kill if no reply in time."""
        info = self.connection_info
        session = Session(key=info["key"], signature_scheme=info["signature_scheme"])
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(_url(info, "shell_port"))
        session.send(sock, "kernel_info_request")
        log = self.log

        def watch() -> None:
            try:
                if not sock.poll(timeout * 1000) and sandbox.exit_status(kernel) is None:
                    log.warning(
                        "The kernel is still busy %.0f s after an interrupt (it may ignore SIGINT): "
                        "killing it.",
                        timeout,
                    )
                    sandbox.end_kernel(kernel)
            finally:
                sock.close()

        threading.Thread(target=watch, name="sandbox-interrupt-watch", daemon=True).start()


def _url(info: Mapping[str, Any], port: str) -> str:
    if info["transport"] == "ipc":
        return f"ipc://{info['ip']}-{info[port]}"
    return f"{info['transport']}://{info['ip']}:{info[port]}"


class SandboxKernelManager(AsyncKernelManager):
    """jupyter_client's ``AsyncKernelManager``, its kernels started by :class:`SandboxProvisioner`.

    jupyter_client finds a kernelspec's provisioner through installed entry points; ``grading/`` is not
    an installed package, so the manager is handed its provisioner (jupyter_client keeps one that is
    set: ``KernelManager.provisioner``). Configure the sandbox on ``SandboxProvisioner``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.kernel_id = self.kernel_id or str(uuid.uuid4())
        self.provisioner = SandboxProvisioner(
            kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
        )

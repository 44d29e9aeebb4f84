"""A bubblewrap sandbox around every grading kernel.

``nbgrader autograde`` runs a student's notebook in a kernel with the instructor's permissions.
:class:`SandboxKernelManager` starts that kernel inside ``bwrap`` (Debian ``bubblewrap``) instead::

    c.Execute.kernel_manager_class = "grading.sandbox.SandboxKernelManager"   # nbgrader_config.py
    c.SandboxKernelManager.memory_limit = 3 * 2**30                           # traits: see the class

    NotebookClient(nb, kernel_name="python3", kernel_manager_class=SandboxKernelManager,
                   resources={"metadata": {"path": workdir}}).execute()       # nbclient directly

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
    ``HOME`` and ``TMPDIR``), the connection folder (:attr:`_Sandbox.ipc_dir`) and the working
    folder, which is a throw-away copy bound at the same path: nothing written there reaches the
    host folder. The copy keeps symlinks as links, so a submitted link is resolved inside, and leaves
    out the notebooks (:attr:`SandboxKernelManager.work_ignore`): while ``autograde`` runs notebook 02,
    the folder already holds notebook 01 as graded, hidden tests and all.
  - The network: a network namespace with only a fresh loopback (the kernel talks over IPC sockets).
  - Outliving grading: a PID namespace (``--unshare-pid``, ``--die-with-parent``). When the kernel
    stops, however it stops, the manager kills the namespace's init and waits until it is gone, which
    takes every process the notebook started (fork, ``setsid``, double fork, ctypes) with it.
  - Privilege: the kernel is uid 0 only inside its own user namespace, with no capabilities
    (``--cap-drop ALL``), ``no_new_privs``, no nested user namespaces, a new session (no terminal
    injection) and ``/proc/sys`` bound read-only (Linux lets uid 0 write sysctls such as
    ``kernel.core_pattern`` without any capability, and bwrap 0.8 leaves them writable).
  - Runaway memory in one process: ``prlimit --as`` (default 3 GiB) makes a huge allocation raise
    ``MemoryError`` in the notebook; the kernel lives on.

What it does not stop (do not rely on it for these)
  - Forged results. The kernel sends its outputs over ZeroMQ with the connection key it was given: it
    can print "all tests passed", reply to anything, monkeypatch the checks that run in it. A verdict
    computed in this kernel is only as good as the code that ran there; score in a trusted process.
  - Resources across processes: ``--as`` is per process and uid 0 ignores ``RLIMIT_NPROC``, so a fork
    bomb or many 3 GiB children can still exhaust the machine (no cgroups here); CPU is bounded only by
    nbclient's cell timeout; the working copy lives on the host disk, uncapped.
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

Interrupts are sent as messages (``interrupt_mode: "message"``: a SIGINT to bwrap would kill the
kernel). A notebook can ignore them (``signal.signal(SIGINT, SIG_IGN)`` then loop). What nbclient 0.11
does then, with ``interrupt_on_timeout=True`` (measured in tests/grading/test_sandbox.py):

  - without ``error_on_timeout``: waits another ``timeout`` and interrupts again, forever;
  - with it (nbgrader's ``Execute`` sets it): fabricates an error reply, waits ``iopub_timeout`` (4 s)
    for the cell's end and, as nbgrader also sets ``raise_on_iopub_timeout``, raises
    ``CellTimeoutError`` ("Timeout waiting for IOPub output"). nbgrader 0.9.6 treats that as any
    other exception: "There was an error processing assignment", the student's ``autograded/``
    folder is removed and ``nbgrader autograde`` exits non-zero; no grade is recorded.

So after each interrupt the manager also asks for ``kernel_info`` on the shell channel, which the
kernel's main thread answers only once the cell has stopped; without an answer within
:attr:`SandboxKernelManager.interrupt_timeout` (5 s) it kills the sandbox. Plain nbclient then raises
``DeadKernelError`` at its next check, one ``timeout`` later; under nbgrader its ``CellTimeoutError``
usually comes first and the kill only stops the spinning kernel sooner. Either way the caller gets an
exception for that notebook in bounded time: score it as a cell that cannot be stopped, do not retry.
A cell that honours the interrupt but needs longer than ``interrupt_timeout`` to stop (one long C
call) is killed too; raise the trait, or set 0 to switch the watchdog off.
"""

from __future__ import annotations

import getpass
import importlib.util
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import Float, Integer, List, Unicode

from checker import config

GiB = 2**30
#: Where the course libraries are mounted inside; first on ``PYTHONPATH``.
LIBRARY_DIR = "/opt/course-lib"
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
    policy: SandboxPolicy, kernel_argv: Sequence[str], info_fd: int | None = None
) -> list[str]:
    """The command line that runs ``kernel_argv`` under ``policy`` (pure: starts and reads nothing)."""
    cmd = [policy.bwrap, *ISOLATION]
    if info_fd is not None:
        cmd += ["--info-fd", str(info_fd)]
    for path, target in policy.system:
        cmd += ["--symlink", target, path] if target else ["--ro-bind", path, path]
    for path in policy.etc:
        cmd += ["--ro-bind-try", path, path]
    size = str(policy.tmp_size)
    # A fresh /proc, its sysctls read-only: bwrap 0.8 leaves them writable, and Linux lets uid 0 write
    # e.g. kernel.core_pattern without any capability (a way out). They are the host's, read-only.
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
) -> SandboxPolicy:
    """The course's policy for one kernel, from this host: its Python, venv, model cache, libraries."""
    cache = str(config.cache_dir())
    python = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix]
    paths = [*python, *map(os.path.realpath, python), cache, *readonly]
    mounted = tuple(dict.fromkeys(p for p in paths if os.path.exists(p)))
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


class _Sandbox:
    """The host side of one kernel's sandbox: its staging folder and its PID namespace's init."""

    def __init__(self) -> None:
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="nbsandbox-"))
        self.ipc_dir = os.path.join(self.root, "ipc")
        os.mkdir(self.ipc_dir, 0o700)
        self._remove = weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)
        self._pidfd: int | None = None
        self._lock = threading.Lock()

    @property
    def work_copy(self) -> str:
        return os.path.join(self.root, "work")

    def fresh_copy(self, workdir: str | None, ignore: Sequence[str] = ()) -> str:
        """A new throw-away copy of ``workdir`` without ``ignore`` (glob patterns); an empty one for None."""
        shutil.rmtree(self.work_copy, ignore_errors=True)
        if workdir is None:
            os.mkdir(self.work_copy)
        else:  # symlinks stay links: following them here would copy host files the kernel cannot read
            shutil.copytree(
                workdir, self.work_copy, symlinks=True, ignore=shutil.ignore_patterns(*ignore)
            )
        return self.work_copy

    def adopt(self, info_fd: int, timeout: float = 30) -> None:
        """Read bwrap's ``--info-fd`` report and hold a pidfd on the namespace's init."""
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
            raise RuntimeError(
                "bwrap did not start the sandbox; see grading.sandbox.sandbox_available()"
            ) from err
        with self._lock:
            self._pidfd = os.pidfd_open(pid)

    def kill(self) -> None:
        """SIGKILL the namespace's init: the kernel and everything it started die with it."""
        with self._lock:
            if self._pidfd is not None:
                try:
                    signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def stop(self, timeout: float = 10) -> bool:
        """Kill the namespace, wait until no process of it is left; False if it outlived ``timeout``."""
        self.kill()
        with self._lock:
            pidfd, self._pidfd = self._pidfd, None
        if pidfd is None:
            return True
        try:  # readable once init has exited, which the kernel allows only after the rest are gone
            return bool(select.select([pidfd], [], [], timeout)[0])
        finally:
            os.close(pidfd)

    def remove(self) -> None:
        self.stop()
        self._remove()


class SandboxKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel runs in bubblewrap (see the module docstring)."""

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
        ["*.ipynb", ".ipynb_checkpoints"],
        config=True,
        help="Glob patterns left out of the working folder's copy. The kernel needs no notebook "
        "file (nbclient sends the cells), and nbgrader autograde leaves the graded output of "
        "the assignment's earlier notebooks, hidden tests included, in that folder.",
    )
    bwrap = Unicode("bwrap", config=True, help="The bubblewrap executable.")
    interrupt_timeout = Float(
        5.0,
        config=True,
        help="Seconds an interrupted kernel has to finish its cell before the sandbox is "
        "killed (a notebook can ignore SIGINT); 0: never kill.",
    )

    _sandbox: _Sandbox | None = None
    _info_fds: tuple[int, int] | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"  # no network inside: the kernel binds Unix sockets in the IPC folder

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    async def _async_pre_start_kernel(self, **kw):
        if self._sandbox is None:
            self._sandbox = _Sandbox()
            # An absolute ip: client and kernel resolve it alike; both are bound at the same path.
            self.ip = os.path.join(self._sandbox.ipc_dir, "kernel")
            self.connection_file = os.path.join(self._sandbox.ipc_dir, "kernel.json")
        cwd = kw.get("cwd")
        workdir = os.path.realpath(cwd) if cwd else None
        work_copy = self._sandbox.fresh_copy(workdir, self.work_ignore)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        policy = kernel_policy(
            workdir or work_copy,
            work_copy,
            self._sandbox.ipc_dir,
            libraries=self.libraries,
            readonly=self.readonly_paths,
            memory_limit=self.memory_limit,
            tmp_size=self.tmp_size,
            bwrap=self.bwrap,
        )
        self._info_fds = read_fd, write_fd = os.pipe()
        kw.update(env={"PATH": os.environ.get("PATH", os.defpath)}, cwd="/", pass_fds=(write_fd,))
        return bwrap_command(policy, cmd, info_fd=write_fd), kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        assert self._sandbox is not None and self._info_fds is not None
        (read_fd, write_fd), self._info_fds = self._info_fds, None
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        self._sandbox.adopt(read_fd)

    _launch_kernel = _async_launch_kernel

    async def _async_interrupt_kernel(self):
        await super()._async_interrupt_kernel()
        if self.interrupt_timeout > 0 and self._sandbox is not None and not self.shutting_down:
            self._watch_interrupt(self._sandbox, self.interrupt_timeout)

    interrupt_kernel = _async_interrupt_kernel

    def _watch_interrupt(self, sandbox: _Sandbox, timeout: float) -> None:
        """Ask for kernel_info now (before nbclient sends anything else); kill if no reply in time."""
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(self._make_url("shell"))
        self.session.send(sock, "kernel_info_request")
        log = self.log

        def watch() -> None:
            try:
                if not sock.poll(timeout * 1000):
                    log.warning(
                        "The kernel is still busy %.0f s after an interrupt (it may ignore SIGINT): "
                        "killing its sandbox.",
                        timeout,
                    )
                    sandbox.kill()
            finally:
                sock.close()

        threading.Thread(target=watch, name="sandbox-interrupt-watch", daemon=True).start()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        sandbox = self._sandbox
        if sandbox is None:
            return
        if not sandbox.stop():
            self.log.warning(
                "A sandboxed process outlived its kernel by 10 s (sandbox %s).", sandbox.root
            )
        if not restart:
            sandbox.remove()
            self._sandbox = None

    cleanup_resources = _async_cleanup_resources

"""The fork server inside one student's sandbox: it imports once, and forks a fresh kernel per notebook.

This file is the program bubblewrap runs as process 1 of the sandbox (:mod:`grading.sandbox` puts it
there read-only; ``grading`` itself is not importable inside). It imports what the notebooks import
(torch, transformers, the checker, ipykernel) and loads the course models, runs nothing of a student's,
and then, on each request of the grader, forks a child that becomes that notebook's IPython kernel.

A child starts from the server's memory, never from another notebook's: nothing of one notebook's
kernel exists in the next one's. Before each fork, and whenever the grader asks, the server ends every
other process of the sandbox and removes what a notebook can leave behind in it: files in ``/tmp`` and
``/dev/shm``, System V and POSIX IPC objects, keys in the user's keyrings (the grader empties the
working copy and the connection folder itself). The server cannot be reached by a notebook: as
process 1 of the namespace it gets no signal it does not handle (it ignores SIGINT), it is not
dumpable (no ``ptrace``, no ``/proc/1/mem``), and its pipes to the grader are closed in every child.

Protocol: one JSON object per line. The grader writes ``{"op": "start", "argv": [...], "env": {...},
"cwd": "..."}``, ``{"op": "signal", "signum": N}`` or ``{"op": "reset"}`` to the command pipe; the
server answers ``ready`` (once, after preloading), ``started`` (with the kernel's pid), ``signalled``,
``reset`` and, unasked, ``exited`` (with the status) when the kernel ends. It exits when the command
pipe closes.

Standard library only at the top: it must start before anything is imported.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import re
import select
import signal
import sys
import time

#: Where a notebook can leave files behind (everything else is read-only or the grader's to empty).
SCRATCH = ("/tmp", "/dev/shm", "/dev/mqueue")
HOME = "/tmp/home"
PR_SET_DUMPABLE = 4
KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_CLEAR, KEYCTL_GET_PERSISTENT = 1, 7, 22
KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING = -4, -5
IPC_RMID = 0
SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}.get(os.uname().machine)
_libc = ctypes.CDLL(None, use_errno=True)


def _keyctl(*args: int) -> int:
    if SYS_KEYCTL is None:
        return -1
    return _libc.syscall(SYS_KEYCTL, *[ctypes.c_long(a) for a in args])


# --- what runs in the server ------------------------------------------------------------------------


#: What every kernel imports as it starts. What importing it wrote into os.environ (debugpy, which ipykernel's
#: debugger imports, sets PYDEVD_USE_FRAME_EVAL where it is unset) each kernel gets where its own environment
#: leaves it unset, as a cold kernel's own imports would. (What the notebook's imports write, checker's or
#: torch's, a cold kernel writes only once the notebook imports them: not given.)
KERNEL_STARTUP = ("ipykernel", "IPython")
STARTUP_SET: dict[str, str] = {}


def preload(modules: list[str], models: bool) -> dict:
    """Import ``modules`` and load the course models; what failed is reported, not fatal (a kernel then
    imports or loads it itself, as a cold one would, and meets the same error)."""
    started, failed = time.monotonic(), {}
    for name in modules:
        before = dict(os.environ)
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001  (reported to the grader's log)
            failed[name] = f"{type(error).__name__}: {error}"[:300]
        if name.startswith(KERNEL_STARTUP):
            STARTUP_SET.update({k: v for k, v in os.environ.items() if before.get(k) != v})
    if models:
        try:
            from checker.model import load_decoder, load_model

            load_model()
            load_decoder()
        except Exception as error:  # noqa: BLE001
            failed["models"] = f"{type(error).__name__}: {error}"[:300]
    return {"seconds": round(time.monotonic() - started, 2), "failed": failed}


def end_all_others(timeout: float = 10.0) -> tuple[list[tuple[int, int]], bool]:
    """SIGKILL every other process of the namespace and reap it; (reaped (pid, status)s, all gone)."""
    reaped: list[tuple[int, int]] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(
                -1, signal.SIGKILL
            )  # all but process 1; a fork racing the kill is caught next round
        except ProcessLookupError:
            pass
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped, True
        if pid:
            reaped.append((pid, status))
        elif time.monotonic() > deadline:
            return reaped, False
        else:
            time.sleep(0.005)


FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def empty_folder(folder: str, mode: int, keep: frozenset[str] = frozenset()) -> None:
    """Remove everything inside ``folder`` but the paths in ``keep`` (mount points) and the folders
    that lead to them, whatever modes a notebook gave it and however deep, without following a link;
    then give the folder ``mode``. Only while no process of the notebook is left (the grader uses it
    too, on the folders it binds in)."""
    keep = frozenset(os.path.normpath(k) for k in keep)
    leading = set()  # the folders on the way to a kept path: emptied, not removed
    for path in keep:
        path = os.path.dirname(path)
        while path not in leading and path != os.path.dirname(path):
            leading.add(path)
            path = os.path.dirname(path)
    os.chmod(folder, 0o700)
    top = os.open(folder, FOLDER)
    try:
        _empty(top, os.path.normpath(folder), keep, leading)
    finally:
        os.close(top)
        os.chmod(folder, mode)


def _empty(top: int, path: str, keep: frozenset[str], leading: set[str]) -> None:
    """Empty the folder open as ``top``: a subfolder's own subfolders are moved up into ``top`` before
    it is removed, so any depth takes two descriptors, and no recursion but along kept paths."""
    moved = 0
    while True:
        again = False
        with os.scandir(top) as entries:
            names = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        for name, is_dir in names:
            full = os.path.join(path, name)
            if full in keep:
                continue
            if not is_dir:
                os.unlink(name, dir_fd=top)
                continue
            os.chmod(name, 0o700, dir_fd=top)
            child = os.open(name, FOLDER, dir_fd=top)
            try:
                if full in leading:
                    _empty(child, full, keep, leading)
                    continue
                with os.scandir(child) as entries:
                    inside = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
                for sub, sub_is_dir in inside:
                    if not sub_is_dir:
                        os.unlink(sub, dir_fd=child)
                        continue
                    os.chmod(sub, 0o700, dir_fd=child)  # moving a folder writes its '..'
                    while True:
                        moved += 1
                        target = f".wiped-{moved}"
                        try:
                            os.stat(target, dir_fd=top, follow_symlinks=False)
                        except FileNotFoundError:
                            break
                    os.rename(sub, target, src_dir_fd=child, dst_dir_fd=top)
                    again = True
            finally:
                os.close(child)
            if full not in leading:
                os.rmdir(name, dir_fd=top)
        if not again:
            return


def mount_points() -> frozenset[str]:
    """Every mount point this process sees (``/proc/self/mountinfo``; octal escapes undone)."""
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as table:
        fields = [line.split()[4] for line in table]
    return frozenset(unescape_mount_point(f) for f in fields)


def unescape_mount_point(field: str) -> str:
    """A mount point as mountinfo writes it: space, tab, newline and backslash as octal escapes
    (``\\040``), every other character as it is (a student folder ``zoë`` stays ``zoë``; decoding the
    line with ``unicode_escape`` made it ``zoÃ«``, so its mount point was not kept and wiping failed)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _remove_sysv_ipc() -> None:
    for kind, remove in (
        ("shm", lambda i: _libc.shmctl(i, IPC_RMID, None)),
        ("sem", lambda i: _libc.semctl(i, 0, IPC_RMID)),
        ("msg", lambda i: _libc.msgctl(i, IPC_RMID, None)),
    ):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            remove(int(row.split()[1]))


def scratch_modes() -> dict[str, int]:
    """The scratch folders as the sandbox made them (before any notebook could change their modes)."""
    return {f: os.stat(f).st_mode & 0o7777 for f in SCRATCH if os.path.isdir(f)}


def wipe(modes: dict[str, int]) -> None:
    """Remove everything a notebook can leave behind in the sandbox (its processes are gone); the
    folders the grader binds into ``/tmp`` (connection, working copy) are the grader's to empty."""
    mounts = mount_points()
    for folder, mode in modes.items():
        empty_folder(folder, mode, keep=mounts)
    os.makedirs(HOME, mode=0o755, exist_ok=True)
    _remove_sysv_ipc()
    for keyring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_USER_SESSION_KEYRING):
        _keyctl(KEYCTL_CLEAR, keyring)
    persistent = _keyctl(KEYCTL_GET_PERSISTENT, -1, 0)
    if persistent > 0:
        _keyctl(KEYCTL_CLEAR, persistent)


# --- what runs in a child: the kernel ----------------------------------------------------------------


def become_kernel(
    argv: list[str], env: dict, cwd: str, server_fds: tuple[int, ...], fork: bool
) -> None:
    """In the forked child: undo everything that is the server's, then run the kernel (in this process
    when ``fork``, else by executing ``argv``); never returns."""
    status = 1
    try:
        signal.set_wakeup_fd(-1)
        for fd in server_fds:
            os.close(fd)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setpgid(0, 0)  # the grader's SIGINT goes to the kernel and what it started
        _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # the kernel is an ordinary process again
        _keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0)  # a session keyring of its own, not the server's
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.environ.clear()
        os.environ.update(env)
        for name, value in STARTUP_SET.items():  # only where unset, as the imports of a cold kernel
            os.environ.setdefault(name, value)
        os.chdir(cwd)
        if not fork:
            os.execvpe(argv[0], argv, env)
        _fresh_random_state()
        status = _run(argv)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _fresh_random_state() -> None:
    """Seeds of its own, as a new process draws them: random, NumPy's and torch's from the OS."""
    import random

    random.seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()
    if "torch" in sys.modules:
        sys.modules["torch"].seed()


def _run(argv: list[str]) -> int:
    """``python -m ipykernel_launcher ARGS`` in this process; any other kernel command is executed."""
    same_python = os.path.realpath(argv[0]) == os.path.realpath(sys.executable)
    if same_python and argv[1:3] == ["-m", "ipykernel_launcher"]:
        import ipykernel_launcher  # noqa: F401  (its file is the kernel's argv[0], as in a new process)
        from ipykernel import kernelapp

        sys.argv = [sys.modules["ipykernel_launcher"].__file__, *argv[3:]]
        kernelapp.launch_new_instance()
        return 0
    os.execvpe(argv[0], argv, os.environ)
    return 127


# --- the server's loop -------------------------------------------------------------------------------


class Server:
    def __init__(self, commands: int, replies: int):
        self.commands, self.replies = commands, replies
        self.modes = scratch_modes()
        self.kernel: int | None = None
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)

    def send(self, **message) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self.replies, data) :]

    def reap(self, reaped=None) -> None:
        if reaped is None:
            reaped = []
            while True:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if not pid:
                    break
                reaped.append((pid, status))
        for pid, status in reaped:
            if pid == self.kernel:
                self.kernel = None
                self.send(op="exited", pid=pid, status=os.waitstatus_to_exitcode(status))

    def reset(self) -> bool:
        reaped, clean = end_all_others()
        self.reap(reaped)
        if self.kernel is not None:  # not reaped (then not clean): the grader stops this sandbox
            self.send(op="exited", pid=self.kernel, status=-9)
            self.kernel = None
        if clean:
            try:
                wipe(self.modes)
            except OSError:  # e.g. a tree too deep to walk: the grader starts a new sandbox
                return False
        return clean

    def handle(self, request: dict) -> None:
        op = request.get("op")
        if op == "start":
            if not self.reset():
                self.send(op="started", pid=None, error="a process of the sandbox did not end")
                return
            pid = os.fork()
            if pid == 0:
                become_kernel(
                    request["argv"],
                    request["env"],
                    request["cwd"],
                    (self.commands, self.replies, self.wake_r, self.wake_w),
                    fork=bool(request.get("fork")),
                )
            self.kernel = pid
            self.send(op="started", pid=pid)
        elif op == "signal":
            if self.kernel is not None:
                try:
                    os.killpg(self.kernel, int(request["signum"]))
                except ProcessLookupError:
                    pass
            self.send(op="signalled")
        elif op == "reset":
            only = request.get("only")
            if only is not None and only != self.kernel:
                self.send(op="reset", clean=True, skipped=True)
            else:
                self.send(op="reset", clean=self.reset())

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        pending = b""
        while True:
            try:
                ready = select.select([self.commands, self.wake_r], [], [])[0]
            except InterruptedError:
                continue
            if self.wake_r in ready:
                os.read(self.wake_r, 4096)
            self.reap()
            if self.commands in ready:
                data = os.read(self.commands, 1 << 16)
                if not data:  # the grader is gone
                    end_all_others()
                    return
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    self.handle(json.loads(line))


def main() -> None:
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # this program's folder is not the kernels' business
    commands, replies = int(sys.argv[1]), int(sys.argv[2])
    options = json.loads(sys.argv[3])
    # Process 1 gets only the signals it handles: Python's SIGINT handler would let a notebook stop it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    os.chdir("/")
    for fd in map(int, os.listdir("/proc/self/fd")):
        if fd > 2 and fd not in (commands, replies):
            try:
                os.close(fd)
            except OSError:
                pass
    server = Server(commands, replies)
    report = preload(options.get("preload", []), options.get("models", False))
    wipe(server.modes)
    server.send(op="ready", pid=os.getpid(), **report)
    server.serve()


if __name__ == "__main__":
    main()

"""The grading sandbox (grading/sandbox.py): its command line, and real kernels in bubblewrap.

The kernels are started through nbclient with :class:`SandboxKernelManager`, in the working folder
of a fake course (``autograded/alice/multiple_sequences`` beside ``solutions/``, ``gradebook.db``,
``nbgrader_config.py``, ``submitted/``, ``feedback/`` and another student). The course lives under
/var/tmp, not /tmp: the sandbox's /tmp is private, which would hide the course for the wrong reason.
One module-scoped kernel (the course model loaded, nbgrader's Execute settings) answers most
questions; the tests that kill, stop or wedge a kernel start their own small ones.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_core.utils import ensure_event_loop
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from traitlets.config import Config

from checker import config
from grading.sandbox import (
    LIBRARY_DIR,
    OUTPUT_KEPT,
    ZYGOTE_PATH,
    Sandbox,
    SandboxKernelManager,
    bwrap_command,
    kernel_policy,
    prestart_for,
    sandbox_available,
)

pytestmark = pytest.mark.kernel  # kernels in the sandbox

ROOT = Path(__file__).resolve().parents[2]
AVAILABLE, WHY = sandbox_available()
needs_bwrap = pytest.mark.skipif(not AVAILABLE, reason=WHY)
ASSIGNMENT = "multiple_sequences"
# What nbgrader 0.9.6's Execute preprocessor sets (nbgrader/preprocessors/execute.py), and the
# immediate shutdown this course's nbgrader_config.py asks for.
NBGRADER = dict(
    timeout=30,
    interrupt_on_timeout=True,
    allow_errors=True,
    raise_on_iopub_timeout=True,
    error_on_timeout={
        "ename": "CellTimeoutError",
        "evalue": "",
        "traceback": ["CellTimeoutError: No reply from kernel before timeout"],
    },
    shutdown_kernel="immediate",
)
IGNORE_SIGINT_LOOP = (
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
)


# --- the command line, without starting anything ------------------------------------------------


def parse(cmd: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """bwrap's options by name, each with its arguments; the kernel's own argv under '--'."""
    arity = {
        "--ro-bind": 2,
        "--ro-bind-try": 2,
        "--bind": 2,
        "--symlink": 2,
        "--setenv": 2,
        "--tmpfs": 1,
        "--dir": 1,
        "--proc": 1,
        "--dev": 1,
        "--remount-ro": 1,
        "--chdir": 1,
        "--size": 1,
        "--cap-drop": 1,
        "--hostname": 1,
        "--info-fd": 1,
    }
    options: dict[str, list[tuple[str, ...]]] = {"order": []}
    i = 1
    while cmd[i] != "--":
        name, n = cmd[i], arity.get(cmd[i], 0)
        options.setdefault(name, []).append(tuple(cmd[i + 1 : i + 1 + n]))
        options["order"].append((name, *cmd[i + 1 : i + 1 + n]))
        i += 1 + n
    options["--"] = [tuple(cmd[i + 1 :])]
    return options


@pytest.fixture
def policy_cmd(tmp_path):
    course = tmp_path / "course"
    workdir = course / "autograded" / "alice" / ASSIGNMENT
    host_env = {
        "LANG": "de_DE.UTF-8",
        "COURSE_DEVICE": "cpu",
        "API_TOKEN": "secret",
        "JPY_PARENT_PID": "42",
        "PYTHONPATH": str(ROOT),
        "HOME": "/root",
        "OMP_NUM_THREADS": "1",
    }
    policy = kernel_policy(
        str(workdir),
        "/tmp/nbsandbox-x/work",
        "/tmp/nbsandbox-x/ipc",
        libraries=["checker", "multiseq"],
        host_env=host_env,
    )
    return (
        course,
        workdir,
        parse(bwrap_command(policy, ["python", "-m", "ipykernel_launcher"], info_fd=7)),
    )


def test_command_binds_python_venv_and_model_cache_read_only(policy_cmd):
    _, _, opts = policy_cmd
    readonly = {src for src, dest in opts["--ro-bind"] if src == dest}
    assert {sys.prefix, sys.base_prefix, str(config.cache_dir())} <= readonly
    assert {"/usr", "/proc/sys"} <= readonly and ("/etc/passwd", "/etc/passwd") in opts[
        "--ro-bind-try"
    ]
    order = [entry[:2] for entry in opts["order"]]
    assert order.index(("--proc", "/proc")) < order.index(("--ro-bind", "/proc/sys")), (
        "sysctls stay read-only"
    )


def test_command_mounts_only_the_course_libraries_from_the_repository(policy_cmd):
    _, _, opts = policy_cmd
    libraries = {dest: src for src, dest in opts["--ro-bind"] if dest.startswith(LIBRARY_DIR)}
    assert libraries == {
        f"{LIBRARY_DIR}/checker": str(ROOT / "checker"),
        f"{LIBRARY_DIR}/multiseq": str(ROOT / "multiseq"),
    }
    mounted = [
        src for name in ("--ro-bind", "--ro-bind-try", "--bind") for src, _ in opts.get(name, [])
    ]
    # the kernel's Python environment may live in the repository (.venv): it is mounted whole, read-only
    inside_repo = {
        src
        for src in mounted
        if (src == str(ROOT) or src.startswith(str(ROOT) + os.sep)) and src != sys.prefix
    }
    assert inside_repo == set(libraries.values()), (
        "nothing else of the repository (grading/, solutions/)"
    )


def test_command_binds_only_the_work_copy_and_ipc_folder_writable(policy_cmd):
    course, workdir, opts = policy_cmd
    assert opts["--bind"] == [
        ("/tmp/nbsandbox-x/work", str(workdir)),
        ("/tmp/nbsandbox-x/ipc", "/tmp/nbsandbox-x/ipc"),
    ]
    assert [d for (d,) in opts["--tmpfs"]] == ["/dev/shm", "/tmp"]
    everything = [arg for entry in opts["order"] for arg in entry[1:]]
    assert not any(
        a == str(course) or (a.startswith(str(course) + os.sep) and not a.startswith(str(workdir)))
        for a in everything
    ), "nothing of the course folder is mounted but the working folder"
    assert ("/etc", "/etc") not in opts["--ro-bind"] + opts["--ro-bind-try"]
    assert not any(src == "/etc/shadow" for src, _ in opts["--ro-bind-try"])
    order = [entry[:2] for entry in opts["order"]]
    assert order.index(("--tmpfs", "/tmp")) < order.index(("--bind", "/tmp/nbsandbox-x/ipc"))
    assert order.index(("--remount-ro", "/")) > max(
        i for i, e in enumerate(order) if "bind" in e[0]
    )
    assert opts["--chdir"] == [(str(workdir),)]


def test_command_isolates_namespaces_and_drops_privileges(policy_cmd):
    _, _, opts = policy_cmd
    for flag in (
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ):
        assert flag in opts, flag
    assert (
        "--share-net" not in opts
        and opts["--cap-drop"] == [("ALL",)]
        and opts["--info-fd"] == [("7",)]
    )


def test_command_environment_is_a_whitelist(policy_cmd):
    _, _, opts = policy_cmd
    env = dict(opts["--setenv"])
    assert set(env) == {
        "PATH",
        "LANG",
        "HOME",
        "TMPDIR",
        "PYTHONPATH",
        "PYTHONNOUSERSITE",
        "USER",
        "LOGNAME",
        "COURSE_CACHE",
        "COURSE_DEVICE",
        "HF_HUB_OFFLINE",
        "TRANSFORMERS_OFFLINE",
        "JPY_PARENT_PID",
        "OMP_NUM_THREADS",
        *config.QUIET_ENV,
    }
    assert (
        env["PYTHONPATH"] == LIBRARY_DIR
        and env["LANG"] == "de_DE.UTF-8"
        and env["COURSE_DEVICE"] == "cpu"
    )
    assert env["OMP_NUM_THREADS"] == "1", (
        "the grader's share of the cores reaches the kernel's torch"
    )
    assert (
        env["HOME"].startswith("/tmp/") and env["TMPDIR"] == "/tmp" and env["HF_HUB_OFFLINE"] == "1"
    )
    assert env["COURSE_CACHE"] == str(config.cache_dir()) and env["JPY_PARENT_PID"] == "1"


def test_command_caps_memory_in_front_of_the_kernel(policy_cmd, tmp_path):
    _, _, opts = policy_cmd
    assert opts["--"] == [
        ("prlimit", f"--as={3 * 2**30}", "--core=0", "--", "python", "-m", "ipykernel_launcher")
    ]
    unlimited = kernel_policy("/w", "/c", "/i", memory_limit=0)
    assert parse(bwrap_command(unlimited, ["python"]))["--"] == [("python",)]


def test_sandbox_available_says_why_not_without_bwrap():
    ok, why = sandbox_available("no-such-bwrap")
    assert not ok and "apt-get install bubblewrap" in why


def test_sandbox_available_says_why_a_trial_sandbox_failed(tmp_path):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    ok, why = sandbox_available(str(fake))
    assert not ok
    assert (
        why
        == f"{fake} cannot create the grading sandbox here (bwrap: No permissions to create new namespace)."
    )


# --- real kernels -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course():
    """A fake course folder (``root``), alice's working folder in it (``work``), a host-only folder in /tmp."""
    course = Path(tempfile.mkdtemp(prefix="sandbox-course-", dir="/var/tmp"))
    host_tmp = Path(tempfile.mkdtemp(prefix="host-only-"))
    work = course / "autograded" / "alice" / ASSIGNMENT
    for folder in (
        work,
        course / "solutions" / ASSIGNMENT,
        course / "submitted" / "alice" / ASSIGNMENT,
        course / "autograded" / "bob" / ASSIGNMENT,
        course / "feedback" / "bob" / ASSIGNMENT,
    ):
        folder.mkdir(parents=True)
    (course / "solutions" / ASSIGNMENT / "01.ipynb").write_text("### BEGIN HIDDEN TESTS secret")
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    (course / "autograded" / "bob" / ASSIGNMENT / "01.ipynb").write_text("bob's answers")
    (course / "feedback" / "bob" / ASSIGNMENT / "01.html").write_text("bob's feedback")
    (course / "submitted" / "alice" / ASSIGNMENT / "01.ipynb").write_text("alice's submission")
    (work / "01.ipynb").write_text("alice's notebook")
    (work / "data.txt").write_text("handed in beside the notebook")
    (work / "00_graded.ipynb").write_text(
        "### BEGIN HIDDEN TESTS of the notebook autograde did before"
    )
    with sqlite3.connect(course / "gradebook.db") as db:
        db.execute("create table grade (student text, score real)")
        db.execute("insert into grade values ('alice', 0)")
    yield SimpleNamespace(root=course, work=work, host_tmp=host_tmp)
    shutil.rmtree(course)
    shutil.rmtree(host_tmp)


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder`` with its content hash and modification time."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir",
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
    }


def run_async(coro, limit: float):
    """Run ``coro`` on the loop nbclient's sync calls use, failing after ``limit`` seconds."""
    return ensure_event_loop().run_until_complete(asyncio.wait_for(coro, limit))


def client(
    nb, workdir: Path, manager=SandboxKernelManager, interrupt_timeout: float = 2, **settings
):
    """An nbclient client that starts (and, owning it, stops) a sandboxed kernel in ``workdir``."""
    return NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=manager,
        config=Config({"SandboxProvisioner": {"interrupt_timeout": interrupt_timeout}}),
        resources={"metadata": {"path": str(workdir)}},
        **settings,
    )


class Kernel:
    """A sandboxed kernel started by nbclient, kept open across cells."""

    def __init__(self, workdir: Path, **settings):
        self.nb = nbformat.v4.new_notebook()
        self.client = client(self.nb, workdir, **{**NBGRADER, **settings})
        self._context = self.client.setup_kernel()
        self._context.__enter__()
        self.km: SandboxKernelManager = self.client.km
        self.sandbox: Sandbox = self.km.provisioner.sandbox

    def cell(self, source: str, timeout: int | None = None):
        """Execute one cell; return its outputs."""
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        saved, self.client.timeout = self.client.timeout, timeout or self.client.timeout
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        finally:
            self.client.timeout = saved
        return cell.outputs

    def value(self, source: str):
        """Execute ``source``, which assigns ``result``; return ``result`` as JSON brings it back."""
        outputs = self.cell(source + "\nimport json as _json; print(_json.dumps(result))")
        errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
        assert not errors, errors
        return json.loads(
            "".join(o.get("text", "") for o in outputs if o.output_type == "stream").splitlines()[
                -1
            ]
        )

    def close(self) -> None:
        self._context.__exit__(None, None, None)


@pytest.fixture(scope="module")
def kernel(course):
    """One sandboxed kernel in alice's working folder, its first cell loading the course model."""
    if not AVAILABLE:
        pytest.skip(WHY)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOST_ONLY_SETTING", "must not reach the kernel")
        k = Kernel(course.work)
    k.first = k.value(
        "import os, time\n"
        "tmp_before = sorted(os.listdir(os.environ['TMPDIR']))\n"
        "start = time.time()\n"
        "import torch\n"
        "from checker import load_model\n"
        "tokenizer, model, name = load_model()\n"
        "labels = [model.config.id2label[int(i)] for i in model(**tokenizer(\n"
        "    ['a wonderful, moving film', 'a dull, boring waste of time'], padding=True,\n"
        "    return_tensors='pt')).logits.argmax(-1)]\n"
        "result = dict(tmp_before=tmp_before, name=name, labels=labels, seconds=time.time() - start)"
    )
    yield k
    k.close()


ATTEMPT = """import errno, os
def attempt(action):
    try:
        action()
        return "ok"
    except OSError as error:
        return errno.errorcode.get(error.errno, str(error))
    except Exception as error:  # torch's and sqlite's own wrappers around a failed open
        return f"{type(error).__name__}: {error}"
"""


@needs_bwrap
def test_model_loads_and_classifies_with_an_empty_tmpdir(kernel):
    first = kernel.first
    assert not any(name.startswith("torchinductor") for name in first["tmp_before"]), first[
        "tmp_before"
    ]
    assert first["name"] == config.COURSE_MODEL_NAME
    assert first["labels"] == ["POSITIVE", "NEGATIVE"]


@needs_bwrap
def test_grading_is_not_importable_and_checker_is_the_read_only_copy(kernel):
    result = kernel.value(
        ATTEMPT + "import checker, importlib.util\n"
        "result = dict(grading=importlib.util.find_spec('grading') is None, file=checker.__file__,\n"
        "              write=attempt(lambda: open(checker.__file__, 'a')))"
    )
    assert result == {
        "grading": True,
        "file": f"{LIBRARY_DIR}/checker/__init__.py",
        "write": "EROFS",
    }
    outputs = kernel.cell("import grading")
    assert [o.ename for o in outputs if o.output_type == "error"] == ["ModuleNotFoundError"]


@needs_bwrap
def test_kernel_environment_is_the_whitelist(kernel):
    env = kernel.value("import os, getpass\nresult = dict(os.environ, getuser=getpass.getuser())")
    assert (
        "HOST_ONLY_SETTING" not in env and "VIRTUAL_ENV" not in env and env["JPY_PARENT_PID"] == "1"
    )
    assert (
        env["HF_HUB_OFFLINE"] == "1"
        and env["PYTHONPATH"] == LIBRARY_DIR
        and env["getuser"] == env["USER"]
    )


@needs_bwrap
def test_kernel_has_no_privileges(kernel):
    result = kernel.value(
        "import ctypes, os\n"
        "status = dict(line.split(':', 1) for line in open('/proc/self/status'))\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "nested = libc.unshare(0x10000000)  # CLONE_NEWUSER\n"
        "def attempt(path):\n"
        "    try:\n"
        "        os.close(os.open(path, os.O_WRONLY))  # opened, never written\n"
        "        return 'ok'\n"
        "    except OSError as error:\n"
        "        return error.strerror\n"
        "result = dict(caps=[status[k].strip() for k in ('CapEff', 'CapPrm', 'CapBnd')],\n"
        "              no_new_privs=status['NoNewPrivs'].strip(), nested_userns=nested,\n"
        "              core_pattern=attempt('/proc/sys/kernel/core_pattern'))"
    )
    assert result == {
        "caps": ["0000000000000000"] * 3,
        "no_new_privs": "1",
        "nested_userns": -1,
        "core_pattern": "Read-only file system",
    }


def secrets_of(course) -> list[str]:
    """Paths that exist on the host and that the kernel must not see."""
    root = course.root
    paths = [
        root / "solutions",
        root / "gradebook.db",
        root / "nbgrader_config.py",
        root / "submitted",
        root / "feedback",
        root / "autograded" / "bob",
        ROOT / "solutions",
        ROOT / "grading",
        ROOT / "nbgrader_config.py",
        Path.home() / ".bashrc",
        course.host_tmp,
    ]
    return [str(p) for p in paths if p.exists()]


@needs_bwrap
def test_course_files_are_invisible_by_path(kernel, course):
    secrets = secrets_of(course)
    assert len(secrets) >= 10
    seen = kernel.value(f"import os\nresult = [p for p in {secrets!r} if os.path.lexists(p)]")
    assert seen == []


@needs_bwrap
def test_course_files_are_invisible_through_a_directory_descriptor(kernel, course):
    result = kernel.value(
        ATTEMPT + f"fd = os.open({str(course.root)!r}, os.O_RDONLY | os.O_DIRECTORY)\n"
        "names = ('solutions', 'gradebook.db', 'nbgrader_config.py', 'autograded/bob')\n"
        "result = dict(listing=os.listdir(fd),\n"
        "              opened={n: attempt(lambda: os.open(n, os.O_RDONLY, dir_fd=fd)) for n in names})"
    )
    assert result["listing"] == ["autograded"]
    assert set(result["opened"].values()) == {"ENOENT"}, result


@needs_bwrap
def test_course_files_are_invisible_through_proc(kernel, course):
    secrets = secrets_of(course)
    result = kernel.value(
        "import os\npids = [p for p in os.listdir('/proc') if p.isdigit()]\n"
        "roots = [f'/proc/{pid}/{link}' for pid in pids + ['self', 'thread-self'] for link in ('root', 'cwd')]\n"
        f"seen = [r + s for r in roots for s in {secrets!r} if os.path.lexists(r + s)]\n"
        "def links(pid):\n"
        "    try:\n"
        "        return [os.readlink(f'/proc/{pid}/fd/{fd}') for fd in os.listdir(f'/proc/{pid}/fd')]\n"
        "    except OSError:\n"
        "        return []\n"
        "result = dict(pids=pids, seen=seen, links=[link for pid in pids for link in links(pid)],\n"
        "              init=open('/proc/1/cmdline').read().split(chr(0))[:2])"
    )
    assert result["seen"] == [] and result["init"][1] == ZYGOTE_PATH and len(result["pids"]) <= 3, (
        result
    )
    course_links = [link for link in result["links"] if link.startswith(str(course.root))]
    assert all(link.startswith(str(course.work)) for link in course_links), course_links


@needs_bwrap
def test_working_folder_is_a_copy_that_never_reaches_the_host(kernel, course):
    before = snapshot(course.root)
    result = kernel.value(
        "result = [open('data.txt').read(), sorted(os.listdir('.'))]\n"
        "open('answer.txt', 'w').write('written inside')\n"
        "open('01.ipynb', 'w').write('overwritten inside')\n"
        "os.remove('data.txt')"
    )
    assert result == ["handed in beside the notebook", ["data.txt"]], "a copy without the notebooks"
    assert snapshot(course.root) == before


#: What torch's and sqlite's wrappers say where Python's open would raise EROFS.
WRAPPED = {
    "torch_save": "open file failed with strerror: Read-only file system",
    "torch_save_elsewhere": "open file failed with strerror: Read-only file system",
    "sqlite": "OperationalError: unable to open database file",
}
WRITES = {
    "relative_open": "open('../../../gradebook.db', 'w')",
    "torch_save": "import torch; torch.save({{'x': 1}}, '{course}/gradebook.db')",
    "torch_save_elsewhere": "import torch; torch.save({{'x': 1}}, '/var/tmp/escaped.pt')",
    "sqlite": "import sqlite3; sqlite3.connect('{course}/gradebook.db').execute('update grade set score = 100')",
    "dir_fd": "os.open('gradebook.db', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, dir_fd=os.open('{course}', os.O_RDONLY))",
    "ctypes_open": (
        "import ctypes; libc = ctypes.CDLL(None, use_errno=True)\n"
        "fd = libc.open(b'{course}/nbgrader_config.py', os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o644)\n"
        "if fd < 0: raise OSError(ctypes.get_errno(), 'libc.open')"
    ),
    "rmtree_course": "import shutil; shutil.rmtree('{course}')",
}


@needs_bwrap
@pytest.mark.parametrize("name", WRITES)
def test_writes_outside_the_working_folder_fail_and_change_nothing(kernel, course, name):
    before = snapshot(course.root)
    code = WRITES[name].format(course=course.root)
    body = "\n".join("    " + line for line in code.splitlines())
    outcome = kernel.value(ATTEMPT + f"def action():\n{body}\nresult = attempt(action)")
    assert outcome in {"EROFS", "ENOENT"} or name in WRAPPED and WRAPPED[name] in outcome, outcome
    assert snapshot(course.root) == before and not Path("/var/tmp/escaped.pt").exists()


@needs_bwrap
def test_no_network_to_the_host(kernel):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        result = kernel.value(
            ATTEMPT + "import socket\n"
            f"connect = lambda: socket.create_connection(('127.0.0.1', {port}), timeout=5)\n"
            "result = [attempt(connect),\n"
            "          [name for _, name in socket.if_nameindex()]]"
        )
        with pytest.raises(BlockingIOError):
            server.accept()
    assert result == ["ECONNREFUSED", ["lo"]]


@needs_bwrap
def test_huge_allocation_raises_memory_error_and_the_kernel_lives_on(kernel):
    outputs = kernel.cell(
        "import resource\nprint(resource.getrlimit(resource.RLIMIT_AS))\nx = bytearray(64 * 2**30)"
    )
    assert [o.ename for o in outputs if o.output_type == "error"] == ["MemoryError"]
    assert outputs[0].text.strip() == f"({3 * 2**30}, {3 * 2**30})"
    assert kernel.value("result = 1 + 1") == 2


@needs_bwrap
def test_loop_is_interrupted_on_timeout_and_the_next_cell_runs(kernel):
    start = time.monotonic()
    outputs = kernel.cell("while True:\n    pass", timeout=2)
    assert [o.ename for o in outputs if o.output_type == "error"] == ["KeyboardInterrupt"]
    assert time.monotonic() - start < 2 + 4
    for watch in [t for t in threading.enumerate() if t.name == "sandbox-interrupt-watch"]:
        watch.join(
            kernel.km.provisioner.interrupt_timeout + 5
        )  # it got the kernel's answer, or it killed the kernel
    assert kernel.value("result = 'still here'") == "still here"


def processes_with(marker: str) -> list[str]:
    """Host processes whose command line contains ``marker`` (zombies have none)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline and pid != str(os.getpid()):
            found.append(f"{pid}: {cmdline}")
    return found


def in_sandbox(sandbox: Sandbox) -> list[int]:
    """Host pids of the processes in the sandbox's PID namespace (its fork server among them)."""
    try:
        namespace = os.readlink(f"/proc/{sandbox.pid}/ns/pid")
    except OSError:
        return []
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/ns/pid") == namespace:
                found.append(int(pid))
        except OSError:
            continue
    return found


def assert_gone(sandbox: Sandbox) -> None:
    """No process of the kernel is left: only the sandbox's fork server, or nothing at all."""
    left = in_sandbox(sandbox)
    assert left in ([], [sandbox.pid]), [processes_with(str(p)) for p in left]


ESCAPES = """import ctypes, subprocess
libc = ctypes.PyDLL(None)  # holds the GIL across fork, so the child can go on
if libc.fork() == 0:  # a daemon: fork, setsid, fork again, wait forever
    libc.setsid()
    if libc.fork() == 0:
        while True:
            libc.pause()
    libc._exit(0)
if libc.fork() == 0:
    libc.setsid()
    while True:
        libc.pause()
subprocess.Popen(['sleep', '{marker}'], start_new_session=True)
"""


@needs_bwrap
@pytest.mark.parametrize("now", [True, False], ids=["now", "graceful"])
def test_no_process_outlives_shutdown(course, now):
    marker = f"4{uuid.uuid4().int % 10**6}.5"
    k = Kernel(course.work)
    try:
        k.cell(ESCAPES.format(marker=marker))
        time.sleep(0.3)
        sandbox = k.sandbox
        assert len(in_sandbox(sandbox)) >= 5 and processes_with(f"sleep {marker}")
        run_async(k.km.shutdown_kernel(now=now), 30)
        assert in_sandbox(sandbox) == [sandbox.pid], "only the fork server is left"
        assert processes_with(f"sleep {marker}") == []
    finally:
        k.close()
    sandbox.close()  # what grading's end does to every sandbox (grading.sandbox.close_sandboxes)
    assert in_sandbox(sandbox) == [] and not Path(sandbox.root).exists(), (
        "when grading ends, the sandbox is gone with its working copy and IPC folder"
    )


def ignoring_kernel(course, **settings) -> tuple[NotebookClient, list[str]]:
    """A client for a notebook whose first cell ignores SIGINT and loops; lists each interrupt's
    connection file (the kernel's marker in the process table)."""
    interrupts: list[Sandbox] = []

    class Counting(SandboxKernelManager):
        async def interrupt_kernel(self):
            interrupts.append(self.provisioner.sandbox)
            await super().interrupt_kernel()

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(IGNORE_SIGINT_LOOP),
            nbformat.v4.new_code_cell("print('after')"),
        ]
    )
    return client(
        nb, course.work, Counting, **{"shutdown_kernel": "immediate", **settings}
    ), interrupts


@pytest.fixture
def idle_sandbox(course):
    """A warm sandbox for alice's folder, idle: the next kernel there is a fork, not a cold start
    (the tests below time what happens after the kernel started)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    run_async(client(nb, course.work, **NBGRADER).async_execute(), 600)


@needs_bwrap
def test_sigint_ignoring_loop_under_nbgrader_settings_raises_cell_timeout(course, idle_sandbox):
    client, interrupts = ignoring_kernel(course, **{**NBGRADER, "timeout": 2})
    start = time.monotonic()
    with pytest.raises(CellTimeoutError, match="Timeout waiting for IOPub output"):
        run_async(client.async_execute(), 60)
    assert time.monotonic() - start < 2 + client.iopub_timeout + 10 and len(interrupts) == 1
    assert_gone(interrupts[0])


@needs_bwrap
def test_sigint_ignoring_loop_is_killed_by_the_interrupt_watchdog(course, idle_sandbox):
    client, interrupts = ignoring_kernel(course, timeout=2, interrupt_on_timeout=True)
    start = time.monotonic()
    with pytest.raises(
        DeadKernelError
    ):  # also what nbclient makes of run_async's cancellation: hence the time
        run_async(client.async_execute(), 30)
    assert time.monotonic() - start < 2 * 2 + 2 + 10 and len(interrupts) <= 2
    assert_gone(interrupts[0])


@needs_bwrap
def test_without_the_watchdog_nbclient_interrupts_an_ignoring_loop_forever(course, idle_sandbox):
    client, interrupts = ignoring_kernel(
        course, timeout=1, interrupt_on_timeout=True, interrupt_timeout=0
    )
    with pytest.raises(DeadKernelError):  # what nbclient turns our cancellation into
        run_async(client.async_execute(), 8)
    assert len(interrupts) >= 3, "nbclient kept interrupting the same cell"
    assert_gone(interrupts[0])


# --- warm kernels: forks of one sandbox's server, and nothing shared -----------------------------

LIBC = "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.shmat.restype = ctypes.c_void_p\n"
#: A notebook that leaves something of itself wherever it can: memory, files, IPC, keys, processes.
LEAVE = (
    LIBC
    + """import json, signal, subprocess, sys, torch, checker, checker.evidence
before = dict(threads=torch.get_num_threads(), dtype=str(torch.get_default_dtype()),
              grad=torch.is_grad_enabled(), seed=torch.initial_seed())
json.MARKER = checker.MARKER = {marker!r}                       # module globals
sys.modules["left_behind"] = sys                                  # a module of its own
checker.evidence._recorded["section2.seed_logits"] = {{"report": {marker!r}}}  # the checker's records
os.environ["LEFT_BEHIND"] = {marker!r}
torch.set_num_threads(1); torch.set_default_dtype(torch.float64); torch.manual_seed(1234)
torch.set_grad_enabled(False)
for path in ("left.txt", "/tmp/left.txt", "/dev/shm/left", "/tmp/home/left"):
    open(path, "w").write({marker!r})
os.makedirs("/tmp/locked/in"); open("/tmp/locked/in/left", "w").write({marker!r})
os.chmod("/tmp/locked/in", 0); os.chmod("/tmp/locked", 0); os.chmod("/tmp", 0)
shm = libc.shmget(0x5eed, 4096, 0o1666)                           # System V shared memory
ctypes.memmove(ctypes.c_void_p(libc.shmat(shm, None, 0)), {marker!r}.encode(), len({marker!r}))
assert libc.mq_open(b"/left", os.O_CREAT | os.O_RDWR, 0o600, None) >= 0   # a POSIX message queue
payload = {marker!r}.encode()
assert libc.syscall(248, b"user", b"left", payload, len(payload), -4) > 0  # a key in the user keyring
subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
result = before
"""
)
FIND = (
    LIBC
    + """import json, sys, torch, checker, checker.evidence
def read(path):
    try:
        return open(path).read()
    except OSError as error:
        return error.strerror
result = dict(
    globals=[getattr(json, "MARKER", None), getattr(checker, "MARKER", None)],
    module="left_behind" in sys.modules, records=dict(checker.evidence._recorded),
    env=os.environ.get("LEFT_BEHIND"),
    torch=dict(threads=torch.get_num_threads(), dtype=str(torch.get_default_dtype()),
               grad=torch.is_grad_enabled(), seed=torch.initial_seed()),
    files={{p: read(p) for p in ("left.txt", "/tmp/left.txt", "/dev/shm/left", "/tmp/home/left")}},
    tmp=sorted(os.listdir("/tmp")), tmp_mode=oct(os.stat("/tmp").st_mode & 0o777),
    shm=libc.shmget(0x5eed, 0, 0), mq=libc.mq_open(b"/left", os.O_RDONLY),
    key=libc.syscall(249, b"user", b"left", None, 0),
    sleeping=[p for p in os.listdir("/proc") if p.isdigit()
              and "{marker}" in open(f"/proc/{{p}}/cmdline").read()],
)
"""
)


def student_folder(course, student: str) -> Path:
    folder = course.root / "autograded" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.txt").write_text(f"{student}'s file")
    return folder


def leave_then_find(first: Path, second: Path) -> tuple[dict, dict, Sandbox, Sandbox]:
    """A kernel in ``first`` leaves everything it can behind; then one in ``second`` looks for it."""
    marker = f"7{uuid.uuid4().int % 10**6}.5"
    k = Kernel(first)
    try:
        before, sandbox = k.value(LEAVE.format(marker=marker)), k.sandbox
        assert len(in_sandbox(sandbox)) >= 3, "the kernel, the sleep and the server"
    finally:
        k.close()
    k = Kernel(second)
    try:
        found, second_sandbox = k.value(FIND.format(marker=marker)), k.sandbox
    finally:
        k.close()
    return before, found, sandbox, second_sandbox


NOTHING_LEFT = {
    "globals": [None, None],
    "module": False,
    "records": {},
    "env": None,
    "files": {
        "left.txt": "No such file or directory",
        "/tmp/left.txt": "No such file or directory",
        "/dev/shm/left": "No such file or directory",
        "/tmp/home/left": "No such file or directory",
    },
    "shm": -1,
    "mq": -1,
    "key": -1,
    "sleeping": [],
}


@needs_bwrap
def test_two_notebooks_of_one_student_share_nothing(course):
    folder = student_folder(course, "carol")
    before, found, first, second = leave_then_find(folder, folder)
    assert second is first and second.pid == first.pid, (
        "the second kernel is a fork of the same server"
    )
    assert {k: found[k] for k in NOTHING_LEFT} == NOTHING_LEFT
    assert found["torch"]["seed"] != 1234 and found["torch"]["seed"] != before["seed"]
    assert {k: found["torch"][k] for k in ("threads", "dtype", "grad")} == {
        k: before[k] for k in ("threads", "dtype", "grad")
    }, "torch's settings are a new process's"
    # the course's Python is bound read-only where it lives: a checkout under /tmp (`mktemp -d`) shows its
    # top folder in the sandbox's /tmp as well, holding that environment and nothing of a notebook's
    environment = Path(sys.prefix)
    bound = [environment.parts[2]] if environment.parts[1:2] == ("tmp",) else []
    home = [name for name in found["tmp"] if not name.startswith("nbsandbox-")]
    assert home == sorted(["home", *bound]) and found["tmp_mode"] == "0o755", found


@needs_bwrap
def test_two_students_share_nothing_and_the_first_ones_sandbox_is_gone(course):
    _, found, first, second = leave_then_find(
        student_folder(course, "dave"), student_folder(course, "erin")
    )
    assert second is not first and in_sandbox(first) == [], "one sandbox per student"
    assert {k: found[k] for k in NOTHING_LEFT} == NOTHING_LEFT


@needs_bwrap
def test_the_fork_server_is_out_of_a_notebooks_reach(course):
    folder = student_folder(course, "frank")
    k = Kernel(folder)
    try:
        result = k.value(
            ATTEMPT + LIBC + "import signal\n"
            "def ptrace():\n"
            "    if libc.ptrace(16, 1, 0, 0) != 0:  # PTRACE_ATTACH\n"
            "        raise OSError(ctypes.get_errno(), 'ptrace')\n"
            "last = max(os.listdir('/proc/1/fd'), key=int)  # its pipes to the grader, by number\n"
            "result = dict(mem=attempt(lambda: open('/proc/1/mem', 'rb').read(1)),\n"
            "              fd=attempt(lambda: os.open(f'/proc/1/fd/{last}', os.O_WRONLY)),\n"
            "              environ=attempt(lambda: open('/proc/1/environ').read()),\n"
            "              ptrace=attempt(ptrace))\n"
            "for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGSTOP, signal.SIGKILL):\n"
            "    os.kill(1, signum)"
        )
        sandbox = k.sandbox
    finally:
        k.close()
    assert result == {"mem": "EACCES", "fd": "EACCES", "environ": "EACCES", "ptrace": "EPERM"}
    k = Kernel(folder)
    try:
        assert k.value("result = 'forked again'") == "forked again" and k.sandbox is sandbox
    finally:
        k.close()


@needs_bwrap
def test_the_kernel_holds_no_descriptor_of_the_host_and_its_output_is_capped(course, capfd):
    marker = f"forged grader log line {uuid.uuid4().hex}"
    k = Kernel(student_folder(course, "gina"))
    try:
        targets = k.value(
            "import os\n"
            "result = sorted({os.readlink(f'/proc/self/fd/{fd}').split(':')[0]\n"
            "                 for fd in os.listdir('/proc/self/fd') if os.path.exists(f'/proc/self/fd/{fd}')})"
        )
        # ipykernel sends what is written to fds 1 and 2 to the notebook and echoes it to the fds it
        # was started with: those must not be the grader's
        k.cell(
            f"os.write(1, b'{marker}\\n'); os.write(2, b'{marker}\\n')\n"
            "os.write(2, b'x' * (20 * 2**20))\nimport time; time.sleep(1)"
        )
        output = bytes(k.sandbox.output)
    finally:
        k.close()
    assert set(targets) <= {"/dev/null", "pipe", "socket", "anon_inode"}, targets
    out, err = capfd.readouterr()
    assert marker not in out + err, "nothing the kernel writes reaches the grader's own output"
    assert len(output) <= OUTPUT_KEPT


@needs_bwrap
def test_a_broken_sandbox_is_replaced(course):
    folder = student_folder(course, "hal")
    k = Kernel(folder)
    try:
        sandbox = k.sandbox
    finally:
        k.close()
    os.kill(sandbox.pid, 9)  # the server dies between two notebooks (memory, a bug)
    k = Kernel(folder)
    try:
        assert k.value("result = 'a new sandbox'") == "a new sandbox"
        assert k.sandbox is not sandbox and in_sandbox(sandbox) == []
    finally:
        k.close()


#: What a kernel can see of its own start: a warm one (a fork) must look like a cold one (a new Python).
LOOK = """import json, os, resource, signal, sys, torch
result = dict(path=sys.path, argv0=sys.argv[0], cwd=os.getcwd(), env=dict(os.environ),
    threads=torch.get_num_threads(), dtype=str(torch.get_default_dtype()), grad=torch.is_grad_enabled(),
    signals={int(s): str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD,
             signal.SIGPIPE, signal.SIGHUP, signal.SIGALRM)},
    limits=[resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CORE, resource.RLIMIT_NOFILE)],
    umask=os.umask(0o22), ppid=os.getppid(), own_group=os.getpgid(0) == os.getpid(),
    main=sys.modules["__main__"].__name__, stdin=os.readlink("/proc/self/fd/0"),
    dumpable=open("/proc/self/status").read().count("NoNewPrivs:\\t1"))
"""


@needs_bwrap
def test_a_warm_kernel_starts_as_a_cold_one_would(course):
    folder = student_folder(course, "ivy")
    looks = {}
    for warm in (True, False):
        nb = nbformat.v4.new_notebook()
        c = NotebookClient(
            nb,
            kernel_name="python3",
            kernel_manager_class=SandboxKernelManager,
            config=Config({"SandboxProvisioner": {"warm": warm}}),
            resources={"metadata": {"path": str(folder)}},
            **NBGRADER,
        )
        k = Kernel.__new__(Kernel)
        k.nb, k.client = nb, c
        with c.setup_kernel():
            looks[warm] = k.value(LOOK)
    assert looks[True] == looks[False]


@needs_bwrap
def test_a_prestarted_sandbox_serves_the_first_kernel(course):
    folder = student_folder(course, "jan")
    future = prestart_for(str(folder), os.environ)  # what each student's grader does as it starts
    k = Kernel(folder)
    try:
        prestarted = future.result()
        assert k.sandbox is prestarted and k.value("result = 'first'") == "first"
    finally:
        k.close()
    k = Kernel(folder)
    try:
        assert k.sandbox is prestarted, "one sandbox for the student, started ahead"
    finally:
        k.close()


def test_a_mount_point_with_a_non_ascii_or_escaped_name_is_read_as_it_is():
    """A student folder ``zoë`` is a mount point in the sandbox: read as ``zoÃ«`` it was not kept, and wiping
    it between notebooks failed (EBUSY), so the student was not graded."""
    from grading.zygote import unescape_mount_point

    assert unescape_mount_point("/x/zoë/multiple_sequences") == "/x/zoë/multiple_sequences"
    assert unescape_mount_point(r"/x/ann\040marie\134b") == "/x/ann marie\\b"

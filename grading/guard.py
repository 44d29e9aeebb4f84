"""A best-effort guard for the autograding kernel: a submission writes only inside its own folder.

``nbgrader autograde`` runs each submitted notebook in a kernel with the instructor's permissions;
nbgrader itself does not sandbox it. ``nbgrader_config.py`` starts every grading kernel with
``import checker.grading_guard as g; g.install(...)``, which adds a Python audit hook (once added,
it cannot be removed) that refuses, with ``PermissionError``:

- writing, creating, deleting, renaming, linking or changing anything outside the kernel's working
  folder (``autograded/<student>/<assignment>/``) and ``/dev/null``;
- reading the course's private files (the source notebooks with solutions and hidden tests, the
  gradebook, other students' folders), given as paths relative to the course folder;
- starting processes (``subprocess``, ``os.system``, ``os.exec*``, ``os.fork``, ``os.posix_spawn``).

It stops accidents and casual tampering: a notebook that writes ``../../escaped.txt``, the gradebook
or ``/tmp/...`` gets an error in that cell and is still graded. It is **not** a security boundary:
code can reach the C library directly (``ctypes``, which torch needs, so it stays allowed), work
through a directory descriptor (``dir_fd``), exhaust memory or monkeypatch the libraries the hidden
tests use. Grade untrusted classes in a container or a throw-away VM.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
#: Audit events whose first argument is a path that is changed.
_CHANGE_EVENTS = {"os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime",
                  "shutil.rmtree", "os.chflags", "os.lchflags", "os.setxattr", "os.removexattr"}
#: Audit events whose first two arguments are paths that are changed (source and destination).
_CHANGE_TWO_EVENTS = {"os.rename", "os.link", "os.symlink", "shutil.move", "shutil.copyfile", "shutil.copytree"}
#: Audit events that read a path (besides ``open``).
_READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.walk"}
_PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn", "os.startfile"}

_installed: str | None = None


def _resolve(path) -> str | None:
    try:
        return os.path.realpath(os.fsdecode(os.fspath(path)))
    except (TypeError, ValueError):
        return None


def _under(resolved: str | None, folder: str) -> bool:
    return resolved is not None and (resolved == folder or resolved.startswith(folder + os.sep))


def _writes(mode, flags) -> bool:
    if isinstance(mode, str) and any(letter in mode for letter in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def course_folder(root: str) -> str | None:
    """``<course>`` when ``root`` is nbgrader's ``<course>/autograded/<student>/<assignment>``, else None."""
    path = Path(root)
    return str(path.parents[2]) if len(path.parents) > 2 and path.parents[1].name == "autograded" else None


def install(root: str | None = None, private: tuple[str, ...] = ()) -> str:
    """Guard this process; writes only under ``root`` (default: the working folder). Returns ``root``.

    ``private``: paths relative to the course folder (found from ``root``) that may not be read;
    ``root`` itself stays readable even when it lies under one of them.
    """
    global _installed
    if _installed is not None:
        return _installed
    root = os.path.realpath(root or os.getcwd())
    course = course_folder(root)
    hidden = [os.path.realpath(os.path.join(course, p)) for p in private] if course else []

    def refuse(what: str) -> None:
        raise PermissionError(f"autograder: {what} is not allowed while grading (a graded notebook may "
                              "write only in its own folder, and may not read the course's private files "
                              "or start processes)")

    def writable(path) -> bool:
        if isinstance(path, int):  # an already-open file descriptor
            return True
        resolved = _resolve(path)
        return _under(resolved, root) or resolved == os.devnull

    def readable(path) -> bool:
        if isinstance(path, int) or not hidden:
            return True
        resolved = _resolve(path)
        if resolved is None or _under(resolved, root):
            return True
        return not any(_under(resolved, p) for p in hidden)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if _writes(mode, flags) and not writable(path):
                refuse(f"writing {path!r}")
            if not readable(path):
                refuse(f"reading {path!r}")
        elif event in _CHANGE_EVENTS:
            if args and not writable(args[0]):
                refuse(f"{event} on {args[0]!r}")
        elif event in _CHANGE_TWO_EVENTS:
            if event == "os.symlink" or any(not writable(p) for p in args[:2]) or not readable(args[0]):
                refuse(f"{event} {tuple(args[:2])!r}")
        elif event in _READ_EVENTS:
            if args and not readable(args[0]):
                refuse(f"{event} on {args[0]!r}")
        elif event in _PROCESS_EVENTS:
            refuse(f"starting a process ({event})")

    sys.addaudithook(hook)
    _installed = root
    return root

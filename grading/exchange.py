"""``nbgrader collect`` from the exchange, trusting nothing a student named or linked there.

A student owns their submission folder in the exchange's ``inbound/`` and everything in it: they can
replace a submitted notebook by a symbolic link to the solutions (which they cannot read, but the
instructor's ``collect`` can), link a folder, add a FIFO or a device, or create folders named after a
classmate (``<classmate>+<assignment>+<time>+<random>``) or not named as nbgrader names them at all.
nbgrader 0.9.6 copies with ``shutil.copytree``, which follows every link; it takes the student id from
the folder's name and only warns when the folder's owner is someone else; and one odd name stops the
collection of the whole class ("Invalid filename").

:class:`SafeCollect` (``c.ExchangeFactory.collect``) is nbgrader's collect with three changes:

- a folder whose name is not nbgrader's, that is itself a link, or (with ``check_owner``, the default)
  whose owner is not the account its name claims, is skipped and reported, never collected;
- files are copied through file descriptors opened without following links (``O_NOFOLLOW``, relative to
  their folder's descriptor): links, hard links, devices and FIFOs are skipped and reported, and a
  file swapped for a link while collect runs is not followed either;
- the exchange's limits (``CourseDirectory.max_file_size``, ``max_dir_size``, ``ignore``, ``include``)
  apply to what is copied, and going past them skips files instead of stopping the class.

What was skipped, and why, goes to ``downloaded/<assignment>/collect-report.txt`` and the log.
With one Unix account for every student (``CLASSROOM_ONE_ACCOUNT``), owners say nothing: set
``c.ExchangeCollect.check_owner = False`` there, and know that any student can then submit as another.
"""

from __future__ import annotations

import fnmatch
import os
import pwd
import stat
import time
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc

from .collect import REPORT

_NEVER = parse_utc(
    "1970-01-01 00:00:00"
)  # the time of a folder that is skipped (nbgrader sorts by time)


class SafeCollect(ExchangeCollect):
    """nbgrader's collect, without following links or trusting names (see the module)."""

    def init_src(self):
        self.skipped: list[str] = []
        super().init_src()

    def _path_to_record(self, path):
        name = os.path.basename(path)
        parts = name.rsplit("+", 3)
        try:
            timestamp = parse_utc(parts[2]) if len(parts) >= 3 else None
        except (ValueError, OverflowError):
            timestamp = None
        if timestamp is None:
            self._skip(
                name, "not a submission nbgrader made (<student>+<assignment>+<time>+<random>)"
            )
            return {"username": None, "filename": name, "timestamp": _NEVER}
        problem = self._folder_problem(path, parts[0])
        if problem:
            self._skip(name, problem)
            return {"username": None, "filename": name, "timestamp": _NEVER}
        return {"username": parts[0], "filename": name, "timestamp": timestamp}

    def _folder_problem(self, path: str, claimed: str) -> str:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            return "not a folder (a link, or a file)"
        if self.check_owner:
            try:
                owner = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                owner = f"uid {info.st_uid}"
            if owner != claimed:
                return f"named for {claimed!r} but made by {owner!r}: not collected"
        return ""

    def copy_files(self):
        # the records init_src made of skipped folders (username None) are dropped before nbgrader sees them
        self.src_records = [r for r in self.src_records if r["username"] is not None]
        try:
            super().copy_files()
        finally:
            self._write_report()

    def do_copy(self, src, dest, log=None):
        """Copy the submission folder ``src`` to ``dest`` without following any link (see the module)."""
        self._size = 0
        try:
            fd = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as error:  # swapped for a link since it was listed
            Path(dest).mkdir(parents=True, exist_ok=True)
            return self._skip(os.path.basename(src), f"not a folder any more ({error.strerror})")
        try:
            self._copy_folder(fd, Path(dest), os.path.basename(src))
        except OSError as error:  # what a student's folder does to collect costs that student only
            self._skip(os.path.basename(src), f"could not be read to the end ({error.strerror})")
        finally:
            os.close(fd)

    def _copy_folder(self, folder: int, dest: Path, where: str) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(folder)):
            here = f"{where}/{name}"
            if any(fnmatch.fnmatch(name, glob) for glob in self.coursedir.ignore):
                continue
            info = os.stat(name, dir_fd=folder, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
                try:
                    self._copy_folder(child, dest / name, here)
                finally:
                    os.close(child)
            elif stat.S_ISREG(info.st_mode):
                self._copy_file(folder, name, dest / name, here)
            else:
                self._skip(
                    here, "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a plain file"
                )

    def _copy_file(self, folder: int, name: str, dest: Path, where: str) -> None:
        include = self.coursedir.include
        if include and not any(fnmatch.fnmatch(name, glob) for glob in include):
            return
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
        except OSError as error:  # a link put there since it was listed (ELOOP), or gone
            return self._skip(where, f"it cannot be opened as a plain file ({error.strerror})")
        with os.fdopen(fd, "rb") as data:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return self._skip(where, "not a plain file")
            if info.st_nlink > 1:
                return self._skip(where, "a hard link (its content may be another file's)")
            if info.st_size > 1000 * self.coursedir.max_file_size:
                return self._skip(where, "larger than CourseDirectory.max_file_size")
            if self._size + info.st_size > 1000 * self.coursedir.max_dir_size:
                return self._skip(where, "past CourseDirectory.max_dir_size for one submission")
            self._size += info.st_size
            with open(dest, "wb") as out:
                while chunk := data.read(1 << 20):
                    out.write(chunk)

    def _skip(self, what: str, why: str) -> None:
        self.log.warning("Skipped %s: %s", what, why)
        self.skipped.append(f"skipped {what}: {why}")

    def _write_report(self) -> None:
        folder = Path(self.coursedir.root) / "downloaded" / self.coursedir.assignment_id
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        lines = [f"nbgrader collect from the exchange, {stamp}:"] + (
            self.skipped or ["nothing skipped"]
        )
        with open(folder / REPORT, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")

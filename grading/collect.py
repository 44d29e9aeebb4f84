"""``make collect``: unpack what students handed in without letting one file stop the class.

:class:`SafeExtractor` is nbgrader's extractor plug-in for ``nbgrader zip_collect``
(``c.ZipCollectApp.extractor_plugin``). It unpacks ``.zip``, ``.tar``, ``.tar.gz`` and ``.tgz`` archives
and copies loose files, but skips, and reports in ``downloaded/<assignment>/collect-report.txt``,
anything that could write outside the extraction folder or bring in another file: absolute paths,
``..`` components, symbolic and hard links (in archives and on disk), device files, and archives that
cannot be read. The default extractor aborted the whole collection on such a member.

:func:`everyone_collected` then gives every student who handed in anything a folder in ``submitted/``,
even when nothing of it could be used, so that ``make grade`` grades them (0) and they are in the gradebook.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from nbgrader.plugins import ExtractorPlugin

MAX_MEMBER_BYTES = 200_000_000  # an unpacked file larger than this is skipped (a zip bomb)
REPORT = "collect-report.txt"


def _macos_metadata(name: str) -> bool:
    """``__MACOSX/._x.ipynb``: what macOS adds to a zip, not something a student handed in."""
    path = PurePosixPath(name.replace("\\", "/"))
    return "__MACOSX" in path.parts or path.name.startswith("._")


def _safe_member(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts or path.parts[0].endswith(":"):
        return None
    return path


class SafeExtractor(ExtractorPlugin):
    """nbgrader's extractor, without the members that escape or link."""

    def extract(self, archive_path: str, extracted_path: str) -> None:
        self.skipped: list[str] = []
        for root, dirs, files in os.walk(archive_path):  # does not follow linked folders
            for name in list(dirs):
                if os.path.islink(os.path.join(root, name)):
                    self._skip(os.path.join(root, name), "a symbolic link to a folder")
                    dirs.remove(name)
            target = os.path.normpath(
                os.path.join(extracted_path, os.path.relpath(root, archive_path))
            )
            for name in files:
                source = os.path.join(root, name)
                info = os.lstat(source)
                if stat.S_ISLNK(info.st_mode):
                    self._skip(source, "a symbolic link")
                elif not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
                    self._skip(
                        source,
                        "not a plain file" if not stat.S_ISREG(info.st_mode) else "a hard link",
                    )
                elif name.endswith((".zip", ".tar", ".tar.gz", ".tgz")):
                    self._unpack(source, os.path.join(target, _stem(name)))
                else:
                    os.makedirs(target, exist_ok=True)
                    shutil.copyfile(source, os.path.join(target, name), follow_symlinks=False)
        self._write_report(os.path.dirname(os.path.normpath(extracted_path)))

    def _unpack(self, archive: str, into: str) -> None:
        try:
            if archive.endswith(".zip"):
                with zipfile.ZipFile(archive) as z:
                    for info in z.infolist():
                        self._zip_member(z, info, archive, into)
            else:
                with tarfile.open(archive) as t:
                    for member in t.getmembers():
                        self._tar_member(t, member, archive, into)
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as error:
            self._skip(archive, f"an archive that cannot be read ({type(error).__name__})")

    def _zip_member(
        self, z: zipfile.ZipFile, info: zipfile.ZipInfo, archive: str, into: str
    ) -> None:
        where = f"{archive}: {info.filename}"
        mode = info.external_attr >> 16
        path = _safe_member(info.filename)
        if info.is_dir() or _macos_metadata(info.filename):
            return
        if path is None:
            return self._skip(where, "a path outside the archive's folder")
        if stat.S_ISLNK(mode):
            return self._skip(where, "a symbolic link")
        if info.file_size > MAX_MEMBER_BYTES:
            return self._skip(where, "too large")
        self._write(os.path.join(into, *path.parts), z.open(info))

    def _tar_member(
        self, t: tarfile.TarFile, member: tarfile.TarInfo, archive: str, into: str
    ) -> None:
        where = f"{archive}: {member.name}"
        path = _safe_member(member.name)
        if member.isdir() or _macos_metadata(member.name):
            return
        if path is None:
            return self._skip(where, "a path outside the archive's folder")
        if not member.isfile():
            return self._skip(where, "a link or special file")
        if member.size > MAX_MEMBER_BYTES:
            return self._skip(where, "too large")
        self._write(os.path.join(into, *path.parts), t.extractfile(member))

    def _write(self, dest: str, source) -> None:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.lexists(dest) and not self.force:
            return
        with source, open(dest, "wb") as out:
            shutil.copyfileobj(source, out)

    def _skip(self, what: str, why: str) -> None:
        self.log.warning("Skipped %s: %s", what, why)
        self.skipped.append(f"skipped {what}: {why}")

    def _write_report(self, folder: str) -> None:
        with open(os.path.join(folder, REPORT), "w", encoding="utf-8") as out:
            out.write("\n".join(self.skipped) + ("\n" if self.skipped else "nothing skipped\n"))


def _stem(name: str) -> str:
    for suffix in (".tar.gz", ".tgz", ".zip", ".tar"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _student_of(entry: Path) -> str:
    return _stem(entry.name) if entry.is_file() else entry.name


def everyone_collected(course: Path, assignment: str) -> list[str]:
    """Create ``submitted/<student>/<assignment>/`` for each student in the download that has none; their ids."""
    archive = course / "downloaded" / assignment / "archive"
    added = []
    for entry in sorted(archive.iterdir()) if archive.is_dir() else []:
        if entry.is_symlink() or entry.name.startswith("."):
            continue
        folder = course / "submitted" / _student_of(entry) / assignment
        if not folder.exists():
            folder.mkdir(parents=True)
            added.append(_student_of(entry))
    return added

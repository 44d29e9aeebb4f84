"""``make collect``: unpack what students handed in, each under the name the instructor's download gives it.

The download folder ``downloaded/<assignment>/archive/`` holds one entry per student, named by the LMS or
the instructor: ``<student>.zip`` (or ``.tar``, ``.tar.gz``, ``.tgz``) or a folder ``<student>/``. That
name is the student id, and the only one: nothing inside an entry (a member's path, a folder or archive
named like another student, a folder called ``extracted``) can move a file to another student.

:class:`SafeExtractor` (``c.ZipCollectApp.extractor_plugin``) unpacks each entry into
``extracted/<student>/``, keeping the entry's own folders, and skips, reporting why, anything that could
write outside that folder or bring in another file: absolute paths, ``..``, symbolic and hard links (in
archives and on disk), devices, members too large, archives that cannot be read. One bad member costs
that member; one bad archive costs that student's archive; nothing stops the class. Two files of one
student that would land on the same path (``ann.zip`` and ``ann/`` both holding ``02.ipynb``) are both
kept, the second renamed, and reported: staging (``grading/stage.py``) chooses among copies by its rule.

:class:`SafeCollector` (``c.ZipCollectApp.collector_plugin``) gives nbgrader each notebook's student id
as the first folder below ``extracted/`` and its file id as the path below that, so
``submitted/<student>/<assignment>/`` mirrors what that student handed in.

:func:`everyone_collected` then gives every student of the download a folder in ``submitted/``, even when
nothing of it could be used, so that ``make grade`` grades them (0) and they are in the gradebook, and
adds to ``collect-report.txt`` what was collected for whom.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin

MAX_MEMBER_BYTES = 200_000_000  # an unpacked file larger than this is skipped (a zip bomb)
MAX_STUDENT_BYTES = 500_000_000  # what one student's entry may unpack to in all
REPORT = "collect-report.txt"
ARCHIVES = (".tar.gz", ".tgz", ".zip", ".tar")


def _macos_metadata(name: str) -> bool:
    """``__MACOSX/._x.ipynb``: what macOS adds to a zip, not something a student handed in."""
    path = PurePosixPath(name.replace("\\", "/"))
    return "__MACOSX" in path.parts or path.name.startswith("._")


def _safe_member(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts or path.parts[0].endswith(":"):
        return None
    parts = [p for p in path.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def _stem(name: str) -> str:
    for suffix in ARCHIVES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def student_of(entry: Path) -> str | None:
    """The student id an entry of the download folder names: an archive's stem or a folder's name; None
    for anything else (a loose file, a link, a hidden file)."""
    if entry.name.startswith(".") or entry.is_symlink():
        return None
    if entry.is_dir():
        return entry.name
    if entry.is_file() and entry.name.lower().endswith(ARCHIVES) and _stem(entry.name):
        return _stem(entry.name)
    return None


class SafeExtractor(ExtractorPlugin):
    """nbgrader's extractor, one student per entry, without the members that escape or link."""

    def extract(self, archive_path: str, extracted_path: str) -> None:
        self.skipped: list[str] = []
        self.renamed: list[str] = []
        root, self._root = Path(archive_path), Path(extracted_path)
        for entry in sorted(root.iterdir()):
            student = student_of(entry)
            if student is None:
                if not entry.name.startswith("."):
                    self._skip(entry, _not_a_submission(entry))
                continue
            self._budget = MAX_STUDENT_BYTES
            into = Path(extracted_path) / student
            if entry.is_dir():
                self._folder(entry, into)
            else:
                self._unpack(entry, into)
        self._write_report(os.path.dirname(os.path.normpath(extracted_path)))

    # --- a folder handed in -------------------------------------------------------------------------
    def _folder(self, folder: Path, into: Path) -> None:
        for current, dirs, files in os.walk(folder):  # does not follow linked folders
            here = Path(current)
            for name in list(dirs):
                if os.path.islink(here / name):
                    self._skip(here / name, "a symbolic link to a folder")
                    dirs.remove(name)
            target = into / here.relative_to(folder)
            for name in sorted(files):
                source = here / name
                info = os.lstat(source)
                if stat.S_ISLNK(info.st_mode):
                    self._skip(source, "a symbolic link")
                elif not stat.S_ISREG(info.st_mode):
                    self._skip(source, "not a plain file")
                elif info.st_nlink > 1:
                    self._skip(source, "a hard link")
                elif name.lower().endswith(ARCHIVES):
                    self._unpack(source, target / _stem(name))
                else:
                    self._copy_file(source, target / name, info.st_size)

    def _copy_file(self, source: Path, dest: Path, size: int) -> None:
        if not self._fits(source, size):
            return
        try:
            fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            return self._skip(source, f"it cannot be read ({type(error).__name__})")
        with os.fdopen(fd, "rb") as data:
            self._write(dest, data, str(source))

    # --- an archive ---------------------------------------------------------------------------------
    def _unpack(self, archive: Path, into: Path) -> None:
        try:
            if archive.name.lower().endswith(".zip"):
                with zipfile.ZipFile(archive) as z:
                    for info in z.infolist():
                        self._member(lambda i=info: self._zip_member(z, i, archive, into), archive)
            else:
                with tarfile.open(archive) as t:
                    for member in t:
                        self._member(
                            lambda m=member: self._tar_member(t, m, archive, into), archive
                        )
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as error:
            self._skip(archive, f"an archive that cannot be read ({type(error).__name__})")

    def _member(self, unpack, archive: Path) -> None:
        """One member: whatever goes wrong with it costs that member only."""
        try:
            unpack()
        except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as error:
            self._skip(archive, f"a member that cannot be read ({type(error).__name__})")

    def _zip_member(self, z: zipfile.ZipFile, info: zipfile.ZipInfo, archive, into: Path) -> None:
        where = f"{archive}: {info.filename}"
        if info.is_dir() or _macos_metadata(info.filename):
            return
        path = _safe_member(info.filename)
        if path is None:
            return self._skip(where, "a path outside the archive's folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            return self._skip(where, "a symbolic link")
        if not self._fits(where, info.file_size):
            return
        with z.open(info) as data:
            self._write(into.joinpath(*path.parts), data, where)

    def _tar_member(self, t: tarfile.TarFile, member: tarfile.TarInfo, archive, into: Path) -> None:
        where = f"{archive}: {member.name}"
        if member.isdir() or _macos_metadata(member.name):
            return
        path = _safe_member(member.name)
        if path is None:
            return self._skip(where, "a path outside the archive's folder")
        if not member.isfile():
            return self._skip(where, "a link or special file")
        if not self._fits(where, member.size):
            return
        with t.extractfile(member) as data:
            self._write(into.joinpath(*path.parts), data, where)

    # --- writing ------------------------------------------------------------------------------------
    def _fits(self, where, size: int) -> bool:
        """Whether a file of ``size`` bytes may be unpacked (each file, and one student's in all)."""
        if size > MAX_MEMBER_BYTES:
            self._skip(where, "too large")
            return False
        if size > self._budget:
            self._skip(
                where, f"past the {MAX_STUDENT_BYTES // 1_000_000} MB one student may hand in"
            )
            return False
        self._budget -= size
        return True

    def _write(self, dest: Path, source, where: str) -> None:
        """Copy ``source`` to ``dest``, never over a file already there (a second copy is renamed), and
        never through a folder that is a file or a link (a member named like a folder of another)."""
        free = _free_path(dest, self._root)
        if free is None:
            return self._skip(where, "its path collides with another file of the same submission")
        if free != dest:
            self.renamed.append(
                f"renamed {where}: a file of that name was already there: {free.name}"
            )
        free.parent.mkdir(parents=True, exist_ok=True)
        copied = 0
        try:
            with open(free, "xb") as out:
                while chunk := source.read(1 << 20):
                    copied += len(chunk)
                    if copied > MAX_MEMBER_BYTES:
                        break
                    out.write(chunk)
        except BaseException:  # a member that breaks off: nothing half-written is left
            free.unlink(missing_ok=True)
            raise
        if copied > MAX_MEMBER_BYTES:
            free.unlink()
            self._skip(where, "too large")

    def _skip(self, what, why: str) -> None:
        self.log.warning("Skipped %s: %s", what, why)
        self.skipped.append(f"skipped {what}: {why}")

    def _write_report(self, folder: str) -> None:
        lines = self.skipped + self.renamed
        with open(os.path.join(folder, REPORT), "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + ("\n" if lines else "nothing skipped\n"))


def _not_a_submission(entry: Path) -> str:
    if entry.is_symlink():
        return "a symbolic link, not a student's archive or folder"
    return "not a student's archive (<student>.zip, .tar, .tar.gz, .tgz) or folder (<student>/)"


def _free_path(dest: Path, root: Path) -> Path | None:
    """``dest``, or ``name (2).ext``, ``name (3).ext``... when taken; None when a folder on the way below
    ``root`` is a file or a link."""
    for parent in reversed(dest.relative_to(root).parents):
        here = root / parent
        if os.path.lexists(here) and (here.is_symlink() or not here.is_dir()):
            return None
    if not os.path.lexists(dest):
        return dest
    stem, suffix = (
        (dest.name[: -len(".ipynb")], ".ipynb")
        if dest.name.endswith(".ipynb")
        else (
            dest.stem,
            dest.suffix,
        )
    )
    for n in range(2, 1000):
        candidate = dest.with_name(f"{stem} ({n}){suffix}")
        if not os.path.lexists(candidate):
            return candidate
    return None


class SafeCollector(FileNameCollectorPlugin):
    """Each notebook under ``extracted/<student>/``: that student's, with its path below as its file id."""

    def collect(self, submitted_file: str) -> dict | None:
        if not submitted_file.lower().endswith(".ipynb"):
            return None
        relative = Path(os.path.relpath(submitted_file, self._extracted()))
        if len(relative.parts) < 2 or relative.parts[0] == "..":
            self.log.warning("Skipped %s: not in a student's folder", submitted_file)
            return None
        return {"student_id": relative.parts[0], "file_id": "/".join(relative.parts[1:])}

    def _extracted(self) -> str:
        app = self.parent
        return app._format_collect_path(app.extracted_directory)


def everyone_collected(course: Path, assignment: str) -> list[str]:
    """Give each student of the download a ``submitted/<student>/<assignment>/`` folder; the ids of those
    whose download gave nothing to collect (their folder is emptied, as zip_collect empties the others)."""
    download = course / "downloaded" / assignment
    archive = download / "archive"
    extracted = download / "extracted"
    empty, lines = [], []
    for entry in sorted(archive.iterdir()) if archive.is_dir() else []:
        student = student_of(entry)
        if student is None:
            continue
        folder = course / "submitted" / student / assignment
        notebooks = (
            sorted(
                str(p.relative_to(extracted / student))
                for p in (extracted / student).rglob("*")
                if p.is_file() and p.name.lower().endswith(".ipynb")
            )
            if (extracted / student).is_dir()
            else []
        )
        if not notebooks:
            if folder.is_dir():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            empty.append(student)
        lines.append(
            f"{student}: {len(notebooks)} notebook(s) collected"
            + (f": {', '.join(notebooks)}" if notebooks else ", graded as empty")
        )
    if (download / REPORT).exists() or lines:
        with open(download / REPORT, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + ("\n" if lines else ""))
    return empty

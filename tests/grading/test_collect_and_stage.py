"""Collecting and staging submissions alone, on files made in a temporary folder (no nbgrader run)."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from grading.collect import SafeExtractor, everyone_collected
from grading.stage import NOTE_MARK, _normal, stage
from tests.helpers.notebooks import ASSIGNMENT, RELEASED

NB02 = "02_models_expect_a_batch.ipynb"


def _notebook_bytes(name: str = NB02) -> bytes:
    return (RELEASED / name).read_bytes()


def extract(tmp_path: Path, build) -> tuple[Path, SafeExtractor]:
    archive, extracted = tmp_path / "archive", tmp_path / "extracted"
    archive.mkdir()
    build(archive)
    extractor = SafeExtractor()
    extractor.extract(str(archive), str(extracted))
    return extracted, extractor


def test_a_zip_with_escaping_and_linked_members_keeps_only_the_plain_ones(tmp_path):
    def build(archive):
        with zipfile.ZipFile(archive / "ann.zip", "w") as z:
            z.writestr(NB02, _notebook_bytes())
            for name in ("../../up.ipynb", "/abs.ipynb", "a/../../b.ipynb", "__MACOSX/._x.ipynb"):
                z.writestr(name, b"{}")
            link = zipfile.ZipInfo("link.ipynb")
            link.external_attr = 0o120777 << 16
            z.writestr(link, "/etc/passwd")

    extracted, extractor = extract(tmp_path, build)
    assert sorted(str(p.relative_to(extracted)) for p in extracted.rglob("*") if p.is_file()) == [
        f"ann/{NB02}"
    ]
    assert not list(tmp_path.parent.rglob("up.ipynb")) and not Path("/abs.ipynb").exists()
    assert len(extractor.skipped) == 4 and any("symbolic link" in s for s in extractor.skipped)
    assert "skipped" in (tmp_path / "collect-report.txt").read_text()


def test_a_tar_with_links_and_devices_keeps_only_the_plain_files(tmp_path):
    def build(archive):
        with tarfile.open(archive / "bob.tar.gz", "w:gz") as t:
            data = _notebook_bytes()
            info = tarfile.TarInfo(NB02)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
            for kind, name in (
                (tarfile.SYMTYPE, "s.ipynb"),
                (tarfile.LNKTYPE, "h.ipynb"),
                (tarfile.CHRTYPE, "d"),
            ):
                member = tarfile.TarInfo(name)
                member.type, member.linkname = kind, "/etc/passwd"
                t.addfile(member)

    extracted, extractor = extract(tmp_path, build)
    assert [p.name for p in (extracted / "bob").iterdir()] == [NB02] and len(extractor.skipped) == 3


def test_a_broken_archive_is_reported_and_the_others_collected(tmp_path):
    def build(archive):
        (archive / "carl.zip").write_bytes(b"not a zip")
        (archive / "dana").mkdir()
        (archive / "dana" / NB02).write_bytes(_notebook_bytes())
        os.symlink("/etc/passwd", archive / "dana" / "passwd.ipynb")

    extracted, extractor = extract(tmp_path, build)
    assert (extracted / "dana" / NB02).exists() and not (
        extracted / "dana" / "passwd.ipynb"
    ).exists()
    assert any("carl.zip" in s and "cannot be read" in s for s in extractor.skipped)


def test_everyone_who_handed_in_something_gets_a_submitted_folder(tmp_path):
    download = tmp_path / "downloaded" / ASSIGNMENT
    (download / "archive" / "erin").mkdir(parents=True)
    (download / "archive" / "fred.zip").write_bytes(b"x")
    (download / "archive" / "gina.zip").write_bytes(b"x")
    (download / "archive" / "loose.ipynb").write_bytes(b"{}")  # not a student
    (download / "extracted" / "gina").mkdir(parents=True)
    (download / "extracted" / "gina" / NB02).write_bytes(_notebook_bytes())
    (tmp_path / "submitted" / "fred" / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / "submitted" / "fred" / ASSIGNMENT / NB02).write_bytes(b"an earlier collect")
    assert everyone_collected(tmp_path, ASSIGNMENT) == ["erin", "fred"]
    assert (tmp_path / "submitted" / "erin" / ASSIGNMENT).is_dir()
    assert not list((tmp_path / "submitted" / "fred" / ASSIGNMENT).iterdir())
    assert not (tmp_path / "submitted" / "loose.ipynb").exists()
    report = (download / "collect-report.txt").read_text()
    assert "gina: 1 notebook(s) collected" in report and "fred: 0 notebook(s)" in report


@pytest.mark.parametrize(
    "name",
    [
        "02_models_expect_a_batch (1).ipynb",
        "Copy of 02_models_expect_a_batch.ipynb",
        "02_models_expect_a_batch-Copy1.ipynb",
        "02 models expect a batch.ipynb",
    ],
)
def test_copies_of_a_notebook_are_recognised_by_name(name):
    assert _normal(name) == _normal(NB02)


def _submission(tmp_path: Path, files: dict[str, bytes], links: dict[str, str] = ()) -> Path:
    folder = tmp_path / "submitted" / "ann" / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for name, target in dict(links).items():
        os.symlink(target, folder / name)
    return folder


def test_staging_matches_renamed_files_refuses_links_and_replaces_broken_ones(tmp_path):
    secret = tmp_path / "secret.ipynb"
    secret.write_bytes(_notebook_bytes())
    folder = _submission(
        tmp_path,
        {
            "my homework.ipynb": _notebook_bytes(NB02),
            "04_padding.ipynb": b"{not json",
            "notes.txt": b"x",
            "timestamp.txt": b"2026-12-01 10:00:00",
        },
        {"05_padding_in_practice.ipynb": str(secret)},
    )
    dest = tmp_path / "staged"
    notes = stage(folder, RELEASED, dest, "ann")
    by = {(n.notebook, n.status) for n in notes}
    assert (NB02, "renamed") in by and ("04_padding.ipynb", "invalid") in by
    assert ("05_padding_in_practice.ipynb", "refused") in by
    staged = nbformat.read(
        dest / NB02, as_version=4
    )  # the notebook, with a note on what was graded
    assert staged.cells[0].metadata.get(NOTE_MARK) and "my homework.ipynb" in staged.cells[0].source
    assert staged.cells[1:] == nbformat.reads(_notebook_bytes(NB02).decode(), as_version=4).cells
    assert (
        not (dest / "05_padding_in_practice.ipynb").exists() and (dest / "timestamp.txt").exists()
    )
    broken = nbformat.read(dest / "04_padding.ipynb", as_version=4)
    assert (
        broken.cells[0].metadata.get(NOTE_MARK) and "could not be graded" in broken.cells[0].source
    )


def test_the_original_is_graded_and_a_broken_copy_beside_it_reported(tmp_path):
    folder = _submission(tmp_path, {NB02: _notebook_bytes(NB02), "Copy of " + NB02: b"{}"})
    notes = stage(folder, RELEASED, tmp_path / "staged", "ann")
    assert ("Copy of " + NB02, "duplicate") in {(n.notebook, n.status) for n in notes}


def test_an_empty_submission_still_gets_one_notebook_to_grade(tmp_path):
    folder = _submission(tmp_path, {})
    notes = stage(folder, RELEASED, tmp_path / "staged", "ann")
    staged = list((tmp_path / "staged").glob("*.ipynb"))
    assert len(staged) == 1 and any(n.status == "invalid" for n in notes)


def test_grading_jobs_share_the_cores_among_their_kernels(monkeypatch):
    from grading.__main__ import kernel_threads

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert [kernel_threads(jobs) for jobs in (1, 2, 4)] == ["2", "1", "1"]
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert kernel_threads(4) == "4"


def test_grading_some_students_again_keeps_the_others_in_the_report(tmp_path):
    import csv

    from grading.__main__ import REPORT, write_report

    def row(student, reason):
        return {
            "student": student,
            "notebook": "02.ipynb",
            "exercise": "",
            "accepted": "",
            "status": "renamed",
            "reason": reason,
        }

    write_report(tmp_path, ["ann", "bob"], [row("ann", "first"), row("bob", "first")])
    write_report(tmp_path, ["bob"], [row("bob", "again")])
    with open(tmp_path / REPORT, newline="", encoding="utf-8") as report:
        rows = [(r["student"], r["reason"]) for r in csv.DictReader(report)]
    assert rows == [("ann", "first"), ("bob", "again")]


def test_a_notebook_under_its_own_name_never_stands_in_for_another(tmp_path):
    # sections 8 and 11 both have an exercise named `batch`: 11 handed in alone is 11, and 08 is missing
    nb11, nb08 = "11_batches_for_generation.ipynb", "08_putting_it_together.ipynb"
    folder = _submission(tmp_path, {nb11: _notebook_bytes(nb11)})
    dest = tmp_path / "staged"
    by = {(n.notebook, n.status) for n in stage(folder, RELEASED, dest, "ann")}
    assert (nb08, "missing") in by and not (dest / nb08).exists()
    assert (dest / nb11).read_bytes() == _notebook_bytes(nb11)

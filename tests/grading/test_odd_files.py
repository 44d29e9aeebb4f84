"""What students hand in, hostile or only odd, before any kernel runs: ``make collect`` (nbgrader zip_collect
with grading/collect.py), ``nbgrader collect`` from an exchange (grading/exchange.py), staging
(grading/stage.py) and the repair of a notebook's structure (grading/preprocessors.py).

Each attack is built as the student would build it; each test fails on the code before these modules
(paths taken from what students named, links followed, one odd file stopping the class, honest work
graded 0)."""

from __future__ import annotations

import copy
import getpass
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from grading.preprocessors import ADOPTED, RESTORED, DeduplicateIds, RepairStructure
from grading.stage import NOTE_MARK, stage
from tests.helpers.course import course_folder, make
from tests.helpers.notebooks import ASSIGNMENT, BIN, RELEASED, ROOT, tool_env

NB02, NB04 = "02_models_expect_a_batch.ipynb", "04_padding.ipynb"


def released(name: str = NB02):
    return nbformat.read(RELEASED / name, as_version=4)


def answered(name: str = NB02, tag: str = "right"):
    """The released notebook with every answer cell holding an answer (``tag`` marks which one)."""
    nb = released(name)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = f"# {tag}\n" + cell.source.replace("raise NotImplementedError()", "pass")
    return nb


def data(nb) -> bytes:
    return nbformat.writes(nb).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


# --- make collect ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One `make collect` over a download with every kind of entry below; the course folder after it."""
    course = course_folder(tmp_path_factory.mktemp("collect") / "course")
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    victim = data(answered(tag="victim's own"))
    (archive / "victim.zip").write_bytes(zipped({NB02: victim}))
    forged = data(answered(tag="forged by mallory"))
    (archive / "mallory.zip").write_bytes(
        zipped({f"extracted/victim/{NB02}": forged, f"../extracted/ghost/{NB02}": forged})
    )
    (archive / "mallory2").mkdir()
    (archive / "mallory2" / "extracted.zip").write_bytes(zipped({f"friend/{NB02}": forged}))
    (archive / "mallory3.zip").write_bytes(zipped({f"a/extracted/pal/{NB02}": forged}))
    honest = data(answered(tag="honest"))
    (archive / "twice.zip").write_bytes(zipped({NB02: honest, f"homework/{NB02}": honest}))
    (archive / "both.zip").write_bytes(zipped({NB02: data(answered(tag="zip"))}))
    (archive / "both").mkdir()
    (archive / "both" / NB02).write_bytes(data(answered(tag="folder")))
    (archive / "loose.ipynb").write_bytes(honest)
    (archive / "clash.zip").write_bytes(zipped({"a": b"x", "a/" + NB02: honest, NB04: honest}))
    corrupt = bytearray(zipped({NB02: honest, NB04: data(answered(NB04))}))
    at = corrupt.find(b"honest")
    corrupt[at : at + 6] = b"HONEST"  # the first member's data no longer matches its CRC
    (archive / "corrupt.zip").write_bytes(bytes(corrupt))
    code = make(course, "collect", log="collect.log")
    return course, code


def submitted(course: Path, student: str) -> dict[str, bytes]:
    folder = course / "submitted" / student / ASSIGNMENT
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_collect_succeeds_for_the_class(collected):
    course, code = collected
    assert code == 0, (course / "collect.log").read_text()[-3000:]


def test_no_member_path_writes_into_another_students_submission(collected):
    course, _ = collected
    assert submitted(course, "victim") == {NB02: data(answered(tag="victim's own"))}
    assert not (course / "submitted" / "ghost").exists()
    for name in ("friend", "pal", "extracted", "a"):
        assert not (course / "submitted" / name).exists(), name
    # what mallory put under `extracted/...` stays hers, in her own folder
    assert f"extracted/victim/{NB02}" in submitted(course, "mallory")
    assert f"extracted/friend/{NB02}" in submitted(course, "mallory2")


def test_the_same_notebook_twice_in_one_archive_is_collected_and_the_class_goes_on(collected):
    course, _ = collected
    assert sorted(submitted(course, "twice")) == [NB02, f"homework/{NB02}"]
    assert (
        submitted(course, "both")[NB02]
        != submitted(course, "both")["02_models_expect_a_batch (2).ipynb"]
    )


def test_one_bad_member_costs_that_member(collected):
    course, _ = collected
    assert NB04 in submitted(course, "clash") and NB04 in submitted(course, "corrupt")
    assert NB02 not in submitted(course, "corrupt")


def test_the_collect_report_says_what_was_skipped_renamed_and_collected(collected):
    course, _ = collected
    report = (course / "downloaded" / ASSIGNMENT / "collect-report.txt").read_text()
    for words in (
        "loose.ipynb: not a student's archive",
        "../extracted/ghost",
        "a path outside the archive's folder",
        "renamed",
        "corrupt.zip: a member that cannot be read",
        "victim: 1 notebook(s) collected",
        "twice: 2 notebook(s) collected",
    ):
        assert words in report, (words, report)
    assert "loose" not in {p.name for p in (course / "submitted").iterdir()}


# --- nbgrader collect from an exchange ------------------------------------------------------------------------


@pytest.fixture
def exchange_course(tmp_path, monkeypatch):
    """A course folder with a gradebook, and an exchange whose inbound holds what the tests put there."""
    monkeypatch.setenv("PATH", tool_env()["PATH"])
    course = course_folder(tmp_path / "course")
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_assignment(ASSIGNMENT)
    inbound = tmp_path / "exchange" / "multiple-sequences" / "inbound"
    inbound.mkdir(parents=True)
    return course, inbound


def _submission(inbound: Path, student: str, when: str = "2026-03-02 10:00:00.000000 UTC") -> Path:
    folder = inbound / f"{student}+{ASSIGNMENT}+{when}+r4nd0m"
    folder.mkdir()
    (folder / "timestamp.txt").write_text(when)
    return folder


def _collect(course: Path, inbound: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "nbgrader"), "collect", ASSIGNMENT, f"--Exchange.root={inbound.parent.parent}"],
        cwd=course,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_collect_from_the_exchange_follows_no_link_and_trusts_no_name(exchange_course, tmp_path):
    course, inbound = exchange_course
    me = (
        getpass.getuser()
    )  # the exchange's folders are this account's: the owner the names must match
    secret = course / "solutions" / ASSIGNMENT / NB02
    mine = _submission(inbound, me)
    (mine / NB04).write_bytes(data(answered(NB04)))
    os.symlink(secret, mine / NB02)  # the attack: the solutions through a link
    os.symlink(secret.parent, mine / "linked-folder")
    os.mkfifo(mine / "pipe.ipynb")  # copytree would block or fail on it
    (mine / "mine.ipynb").write_bytes(data(answered()))
    os.link(mine / "mine.ipynb", mine / "hard.ipynb")  # both names now say 2 links: both skipped
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, inbound / f"{me}x+{ASSIGNMENT}+2026-03-02 11:00:00.000000 UTC+x")
    impostor = _submission(inbound, "victim", "2026-03-02 12:00:00.000000 UTC")
    (impostor / NB02).write_bytes(data(answered(tag="forged")))  # named for a classmate, made by me
    (
        inbound / f"{me}+{ASSIGNMENT}+not a time+x"
    ).mkdir()  # nbgrader's collect stopped the class here
    done = _collect(course, inbound)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    folder = course / "submitted" / me / ASSIGNMENT
    got = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    assert got == [NB04, "timestamp.txt"], got
    assert not (course / "submitted" / "victim").exists()
    report = (course / "downloaded" / ASSIGNMENT / "collect-report.txt").read_text()
    for words in (
        "a symbolic link",
        "not a plain file",
        "a hard link",
        "made by",
        "not a submission",
    ):
        assert words in report, (words, report)


# --- staging: which file is graded --------------------------------------------------------------------------


def _stage(tmp_path: Path, files: dict[str, bytes]):
    folder = tmp_path / "submitted" / "ann" / ASSIGNMENT
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    dest = tmp_path / "staged"
    notes = stage(folder, RELEASED, dest, "ann")
    return dest, {(n.notebook, n.status): n.text for n in notes}


def _graded_tag(dest: Path, name: str = NB02) -> str:
    nb = nbformat.read(dest / name, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    return answer.source.splitlines()[0]


def test_a_notebook_with_a_byte_order_mark_is_graded(tmp_path):
    dest, notes = _stage(tmp_path, {NB02: b"\xef\xbb\xbf" + data(answered())})
    assert _graded_tag(dest) == "# right" and (NB02, "repaired") in notes
    assert not (dest / NB02).read_bytes().startswith(b"\xef\xbb\xbf")


def test_of_two_numbered_downloads_the_latest_is_graded_and_both_reported(tmp_path):
    dest, notes = _stage(
        tmp_path,
        {
            "02_models_expect_a_batch (1).ipynb": data(answered(tag="first")),
            "02_models_expect_a_batch (2).ipynb": data(answered(tag="second")),
        },
    )
    assert _graded_tag(dest) == "# second"
    assert ("02_models_expect_a_batch (1).ipynb", "duplicate") in notes and (
        NB02,
        "renamed",
    ) in notes


def test_the_copy_with_work_is_graded_beside_a_blank_original(tmp_path):
    dest, notes = _stage(
        tmp_path, {NB02: data(released()), f"Copy of {NB02}": data(answered(tag="work"))}
    )
    assert _graded_tag(dest) == "# work" and (NB02, "duplicate") in notes
    note = nbformat.read(dest / NB02, as_version=4).cells[0]
    assert note.metadata.get(NOTE_MARK) and "the most answers" in note.source


def test_of_equal_copies_the_one_under_its_own_name_at_the_top_is_graded(tmp_path):
    dest, notes = _stage(
        tmp_path,
        {NB02: data(answered(tag="top")), f"homework/{NB02}": data(answered(tag="nested"))},
    )
    assert _graded_tag(dest) == "# top" and (f"homework/{NB02}", "duplicate") in notes


def test_a_notebook_without_its_metadata_under_another_name_is_found_by_its_exercises(tmp_path):
    nb = answered()
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    dest, notes = _stage(tmp_path, {"Untitled1.ipynb": data(nb)})
    assert (NB02, "renamed") in notes and (dest / NB02).exists()


# --- repairing the structure --------------------------------------------------------------------------------

RESOURCES = {
    "nbgrader": {
        "notebook": NB02[:-6],
        "assignment": ASSIGNMENT,
        "student": "ann",
        "db_url": "sqlite://",
    }
}


def _repair(nb):
    nb = DeduplicateIds().preprocess(copy.deepcopy(nb), copy.deepcopy(RESOURCES))[0]
    return RepairStructure(release_dir=str(RELEASED.parent)).preprocess(
        nb, copy.deepcopy(RESOURCES)
    )[0]


def _meta(nb) -> dict:
    return {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nb.cells
        if isinstance(c.metadata.get("nbgrader"), dict) and c.metadata["nbgrader"].get("grade_id")
    }


def test_answers_pasted_into_a_fresh_notebook_are_found_by_their_content():
    nb = answered()
    fresh = nbformat.v4.new_notebook()
    fresh.cells = [copy.deepcopy(c) for c in nb.cells]
    for cell in fresh.cells:
        cell.metadata = {}
    repaired = _repair(fresh)
    graded = _meta(repaired)
    assert graded == _meta(nb), "every answer and graded cell found where it was"
    assert not [c for c in repaired.cells if c.metadata.get(RESTORED)]
    assert all(c.metadata.get(ADOPTED) for c in repaired.cells if "nbgrader" in c.metadata)
    assert len(repaired.cells) == len(nb.cells)


def test_a_scratch_cell_with_nbgrader_metadata_but_no_id_runs_as_a_plain_cell():
    nb = answered()
    for meta in ({"solution": True, "grade": False, "locked": False, "schema_version": 3}, "x", {}):
        scratch = new_code_cell("scratch = 1")
        scratch.metadata["nbgrader"] = meta
        nb.cells.append(scratch)
    repaired = _repair(nb)
    assert _meta(repaired) == _meta(nb)
    assert [c.source for c in repaired.cells[-3:]] == ["scratch = 1"] * 3
    assert all("nbgrader" not in c.metadata for c in repaired.cells[-3:])

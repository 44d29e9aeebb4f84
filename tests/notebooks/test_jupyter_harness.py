"""The browser tests' harness (tests/helpers/jupyter.py) stops what it started, also when a test fails."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.helpers.jupyter import alive, browser, jupyterlab, lab_command, processes_naming

pytestmark = pytest.mark.kernel  # starts JupyterLab and its kernels


def test_jupyterlab_and_its_kernels_stop_when_the_test_fails(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    started: set[int] = set()
    with pytest.raises(RuntimeError, match="the test failed"):
        with jupyterlab(tmp_path / "jupyter", lab_command(root), cwd=root) as lab:
            assert lab.base.startswith("http://127.0.0.1:") and len(lab.token) == 32
            lab.api("kernels", method="POST", timeout=60)  # a kernel, as a notebook starts one
            lab.remember_children()
            started = lab.children | {lab.process.pid}
            raise RuntimeError("the test failed")
    assert len(started) >= 2, f"no kernel was started: {started}"
    assert not [pid for pid in started if alive(pid)], "JupyterLab or its kernel is still running"


def test_chromium_stops_refuses_other_hosts_and_leaves_a_screenshot_on_failure(chromium, tmp_path):
    profile = tmp_path / "profile"
    with browser(chromium, profile, "http://127.0.0.1:9/", shots=tmp_path) as session:
        with pytest.raises(PlaywrightError):
            session.page.goto("http://192.0.2.1/elsewhere")
    assert session.foreign == ["http://192.0.2.1/elsewhere"]
    with pytest.raises(RuntimeError, match="the test failed"):
        with browser(chromium, profile, "http://127.0.0.1:9/", shots=tmp_path):
            raise RuntimeError("the test failed")
    assert (tmp_path / "failure.png").stat().st_size > 0
    assert not processes_naming(str(profile)), "Chromium is still running"

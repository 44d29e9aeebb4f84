"""multiseq.messages shows the library's warnings in one block while the course keeps transformers quiet."""

from __future__ import annotations

import logging
import warnings

from transformers.utils import logging as hf_logging

from multiseq.messages import library_messages


def test_a_logged_warning_is_collected_though_transformers_is_quiet(capfd):
    hf_logging.set_verbosity_error()  # what the course's quiet setting amounts to
    logger = hf_logging.get_logger("transformers.generation.utils")
    with library_messages() as messages:
        logger.warning("right-padding was detected")
        logger.info("not a warning")
    assert messages == ["right-padding was detected"]
    assert "right-padding" not in capfd.readouterr().err


def test_python_warnings_are_collected_after_the_block():
    with library_messages() as messages:
        warnings.warn("`max_length` is ignored", UserWarning, stacklevel=1)
        warnings.warn("`max_length` is ignored", UserWarning, stacklevel=1)  # "always": both
    assert messages == ["`max_length` is ignored"] * 2


def test_the_quiet_setting_and_the_handlers_come_back():
    hf_logging.set_verbosity_error()
    root = hf_logging.get_logger()
    before = (root.level, list(root.handlers))
    with library_messages():
        assert root.level == logging.WARNING
    assert (root.level, list(root.handlers)) == before
    with library_messages() as messages:
        pass
    hf_logging.get_logger("transformers.x").warning("after the block")
    assert messages == []


def test_the_settings_come_back_when_the_block_raises():
    hf_logging.set_verbosity_error()
    root = hf_logging.get_logger()
    before = (root.level, list(root.handlers))
    try:
        with library_messages():
            raise ValueError("the cell's own error")
    except ValueError:
        pass
    assert (root.level, list(root.handlers)) == before

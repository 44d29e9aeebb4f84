"""What the grading fork server (:mod:`grading.autograde`) imports once, before it forks any student's grader.

Importing this module does the work every student's ``nbgrader autograde`` would otherwise repeat: it
imports nbgrader's autograde app and the modules ``nbgrader_config.py`` names (torch, transformers and
the checker with them) and loads the course models the scorer judges with. It reads nothing of a
student's. Imported only by that server.

It runs nothing on the models: a fork of a process whose OpenMP threads have run (a model's forward pass
on two threads) hangs in its first parallel region (GNU libgomp's thread pool does not survive fork;
seen here, in a scorer judging notebook 12); tests/grading/test_autograde.py runs one in every child.
It loads the weights without transformers' loading threads (``HF_DEACTIVATE_ASYNC_LOAD``), so that no
thread is left at a fork, and loads on the CPU only: CUDA set up in a process cannot be used in its
forks (``COURSE_DEVICE=cuda`` or ``auto``: each grader loads the models itself).
"""

import os

from nbgrader.apps import nbgraderapp  # noqa: F401
from nbgrader.converters import autograde  # noqa: F401

from checker import config
from checker.model import load_decoder, load_model

from . import execute, inert, preprocessors, sandbox, scorer  # noqa: F401


def _load_models() -> None:
    if config.device_setting() != "cpu":
        return
    before = os.environ.get("HF_DEACTIVATE_ASYNC_LOAD")
    os.environ["HF_DEACTIVATE_ASYNC_LOAD"] = "1"
    try:
        load_model()
        load_decoder()
    except Exception:  # noqa: BLE001  (each student's grader then loads them itself, and logs why not)
        pass
    finally:
        if before is None:
            del os.environ["HF_DEACTIVATE_ASYNC_LOAD"]
        else:
            os.environ["HF_DEACTIVATE_ASYNC_LOAD"] = before


_load_models()

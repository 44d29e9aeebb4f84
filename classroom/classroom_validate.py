"""nbgrader's Validate button on the hub, without freezing the student's server while it runs.

nbgrader 0.9.6's ``ValidateAssignmentHandler.post`` calls ``Validator.validate`` on the server's event
loop. Validating executes the whole notebook in a new kernel (for this course: import torch and
transformers, load the course model, run every cell), about 14 s on two cores, and for all that time
the server answers nothing else: no save, no kernel message, no file listing. Running it in a thread
of the server is not safe either: the Validator and nbgrader's Assignments handlers change the
server's working folder (``os.chdir``) around their work, and a folder changed under a fetch or a
submit sends it elsewhere.

So this extension serves the same two routes (``/assignments/validate``, ``/nbgrader_version``) with
nbgrader's own code and answers, but runs each validation in a child process
(``python -m classroom_validate ROOT PATH``) and awaits it: the server stays responsive, and the
answer comes when the validation ends, as before. ``make hub-env`` installs this module into the
hub environment; ``classroom/jupyter/*/jupyter_server_config.py`` enable it in place of nbgrader's
``validate_assignment`` extension.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.validate_assignment import handlers as nbgrader_validate
from tornado import web


class _Standin:
    """What nbgrader's handler uses of itself to validate: ``root_dir``, ``load_config`` and ``log``."""

    load_config = nbgrader_validate.ValidateAssignmentHandler.load_config
    validate_notebook = nbgrader_validate.ValidateAssignmentHandler.validate_notebook

    def __init__(self, root_dir: str):
        self.root_dir = root_dir
        self.log = logging.getLogger("classroom_validate")


def validate(root_dir: str, path: str) -> dict:
    """nbgrader's answer for ``path`` (relative to ``root_dir``), or ``{"status": 403, ...}``."""
    try:
        return _Standin(root_dir).validate_notebook(path)
    except web.HTTPError as error:  # a path outside the server's root
        return {"status": error.status_code, "message": error.log_message}


class ValidateInChildHandler(nbgrader_validate.ValidateAssignmentHandler):
    @web.authenticated
    async def post(self):
        try:
            path = self.get_argument("path")
        except web.MissingArgumentError:
            path = self.get_json_body()["path"]
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            self.root_dir,
            path,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await child.communicate()
        try:
            answer = json.loads(out.decode().strip().splitlines()[-1])
        except (IndexError, ValueError):
            answer = {
                "success": False,
                "value": f"validation stopped (exit {child.returncode}):\n{err.decode(errors='replace')[-3000:]}",
            }
        if "status" in answer:
            raise web.HTTPError(answer["status"], answer["message"])
        self.finish(json.dumps(answer))


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir
    base = webapp.settings["base_url"]
    webapp.add_handlers(
        ".*$",
        [
            (url_path_join(base, "/assignments/validate"), ValidateInChildHandler),
            (url_path_join(base, "/nbgrader_version"), nbgrader_validate.NbGraderVersionHandler),
        ],
    )
    serverapp.log.info("classroom_validate: Validate runs in a child process")


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    result = validate(sys.argv[1], sys.argv[2])
    sys.stdout.flush()
    print(json.dumps(result))

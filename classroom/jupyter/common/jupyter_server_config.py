"""Every classroom server (instructors' and students'): terminals that keep the hub's environment.

Jupyter Server starts a terminal's shell as a login shell (``bash -l``) when it has no terminal of its
own, as under JupyterHub; Debian's /etc/profile then sets PATH afresh, and the hub environment's
``nbgrader``, ``jupyter`` and ``python`` were no longer found in a terminal of JupyterLab on the hub.
An interactive, non-login bash keeps what the hub set (``Spawner.environment``: PATH, VENV,
NBGRADER_EXCHANGE, CLASSROOM_COURSE, COURSE_CACHE, JUPYTER_CONFIG_PATH).
"""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash"]}

"""An instructor's server and terminals: the course folder (the Formgrader works on it) besides the common settings.

The course folder is the instructor's clone of the repository (README, "Setting up the hub"): its own
nbgrader_config.py, solutions/, grading/ and Makefile. Grading runs there, every kernel in the
bubblewrap sandbox: in a terminal of the instructor's JupyterLab, ``cd "$CLASSROOM_COURSE" && make grade``
(the hub sets VENV to its environment).
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.root = os.environ.get("CLASSROOM_COURSE", "/srv/nbgrader/multiple-sequences")

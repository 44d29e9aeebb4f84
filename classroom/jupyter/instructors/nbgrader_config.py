"""An instructor's server and shell: the course folder (the Formgrader works on it) besides the common settings.

Grading runs from that folder with the repository's Makefile and the course's own nbgrader_config.py
(every grading kernel in the bubblewrap sandbox): make -f <repo>/Makefile -C "$CLASSROOM_COURSE" VENV=<env> grade.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.root = os.environ.get("CLASSROOM_COURSE", "/srv/nbgrader/multiple-sequences")

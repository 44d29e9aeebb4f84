"""Every classroom account's nbgrader settings (instructors' and students'): the course and its exchange.

The hub sets NBGRADER_EXCHANGE for each single-user server; an instructor's shell sets it too
(README, "A classroom"). nbgrader names a submission after the Unix account that submits it
(pwd.getpwuid(os.getuid())), so every student needs an account of their own, whose home only they
can read (useradd -K HOME_MODE=0700). Where a hub maps every user to one Unix account instead, set
CLASSROOM_ONE_ACCOUNT=1 there: each server then submits and fetches feedback as its hub user
(JUPYTERHUB_USER), but the exchange can no longer keep students out of each other's files.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.course_id = "multiple-sequences"
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
if os.environ.get("CLASSROOM_ONE_ACCOUNT") == "1" and os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]

"""An instructor's server: every nbgrader extension (Formgrader, Create Assignment, Courses, Assignments).

The hub starts it in the course folder (jupyterhub_config.py), since the Formgrader works only on a
course folder inside the server's root.

The Formgrader's panel in JupyterLab is an iframe of this same server (/user/<name>/formgrader), so
this server, and only this one, allows frames from its own origin. JupyterHub's default for every
single-user server, ``frame-ancestors 'none'``, stays on the students' servers. On a hub without
per-user subdomains every server shares one origin; 'self' is safe here because no page of another
user's server ever loads in the instructor's browser: the instructor is no hub admin and has no
``access:servers`` scope on anyone else's server, and nothing is shared (README, "What keeps students
apart"). Give instructors access to students' servers and a student's page could frame this one: then
enable per-user subdomains (``JupyterHub.subdomain_host``) first.
"""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": False,
    "classroom_validate": True,
    "nbgrader.server_extensions.formgrader": True,
    "nbgrader.server_extensions.course_list": True,
}
# Exactly this header on every page of this server (it replaces jupyter_server's default and the
# 'none' JupyterHub's single-user extension sets where none is configured).
c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}

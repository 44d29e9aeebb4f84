"""A student's server: the Assignments tab (fetch, submit, fetch feedback) and Validate, nothing of grading.

Validate is classroom_validate (nbgrader's own validation, in a child process, so that the server
stays responsive while a notebook is validated), not nbgrader's validate_assignment extension. The
page headers stay JupyterHub's: ``Content-Security-Policy: frame-ancestors 'none'``.
"""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": False,
    "classroom_validate": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}

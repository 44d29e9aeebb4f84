"""A student's server: the Assignments tab (fetch, submit, fetch feedback) and Validate, nothing of grading."""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}

"""An instructor's server: every nbgrader extension (Formgrader, Create Assignment, Courses, Assignments)."""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.formgrader": True,
    "nbgrader.server_extensions.course_list": True,
}

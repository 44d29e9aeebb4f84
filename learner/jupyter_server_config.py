"""The learner's own JupyterLab (`make course`): the course's notebooks, none of nbgrader's tools.

nbgrader is installed beside the course for the instructor (`make release`, `make grade`), and enables
its server extensions and its JupyterLab extension in the whole environment. A learner studying alone
has no course to fetch from and nothing to grade: the Formgrader, Create Assignment, the Courses and
Assignments panels, Validate and the Nbgrader menu are instructors' tools, and the ones that look for an
exchange show an error. `make course` puts this folder first on JUPYTER_CONFIG_PATH; labconfig/
page_config.json turns the JupyterLab side off, this file the server side.
"""

c = get_config()  # noqa: F821  (provided by Jupyter Server)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}

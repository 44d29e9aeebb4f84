"""nbgrader for this course: solutions/ is the source, notebooks/ the released learner version."""
c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.course_id = "multiple-sequences"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The learner's stub: the line nbgrader puts where the solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# A released notebook starts clean: no outputs from the solution run.
c.ClearOutput.enabled = True

"""The instructor's side of the course: nbgrader plug-ins and everything a grade depends on.

Nothing here is given to students or imported by a learner's notebook.
"""

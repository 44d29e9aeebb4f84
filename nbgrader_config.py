"""nbgrader for this course: solutions/ is the source, notebooks/ the released learner version."""
import os
import sys

# The instructor's plug-ins (grading/) live beside this file and are not installed with the course package.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.course_id = "multiple-sequences"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The learner's stub: the line nbgrader puts where the solution was.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# A released notebook starts clean: no outputs from the solution run.
c.ClearOutput.enabled = True

# --- Grading (`make release`, `make collect`, `make grade`, `make feedback`, `make grades`; README "For instructors").
# Each cell of a submission may run this long (seconds); a looping answer costs this once and the rest of
# the notebook is still graded. The slowest legitimate cell, the imports, takes about 5 s on an idle
# 2-core machine and 13 s under a load of 5: 30 s leaves room without making a loop expensive.
c.ExecutePreprocessor.timeout = 30
# Stop each notebook's kernel at once when it is done: a graceful shutdown of a kernel that imported torch
# waits 1.5-2.5 s more per notebook (measured here), a third of the time a notebook takes to grade.
c.Execute.shutdown_kernel = "immediate"
# Every grading kernel first installs grading/guard.py: writes only inside the submission's own
# folder, no reading of the course's private files, no subprocesses. Best effort, not a sandbox.
_PRIVATE = ("solutions", "submitted", "autograded", "feedback", "downloaded", "gradebook.db", ".nbgrader.log")
c.Execute.extra_arguments = [
    f"--IPKernelApp.exec_lines=import sys; sys.path.insert(0, {_HERE!r}); import grading.guard as _guard; sys.path.remove({_HERE!r}); _guard.install(private={_PRIVATE!r}); del _guard",
]
# A submission is its notebooks: files handed in beside them are not copied to autograded/, where a
# checker/ or torch.py would shadow the real packages in the grading kernel (and switch off the guard).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            "*.py", "*.pyw", "*.so", "*.pyd", "*.pth", "*.zip", "*.egg"]
# Feedback shows scores and the checker's messages, never the hidden tests or their tracebacks.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, GetGrades, OverwriteCells, OverwriteKernelspec  # noqa: E402

from grading.preprocessors import DeduplicateIds, HideHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
# nbgrader's own sanitizing steps, with DeduplicateIds fixed: in nbgrader 0.9.6 a learner's duplicated
# exercise cell aborts the whole autograde run (jupyter/nbgrader#1083).
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells,
                                      CheckCellMetadata]
# `make collect`: downloaded/multiple_sequences/archive/<student>.zip (or a folder <student>/) holds
# that student's notebooks; `nbgrader zip_collect` copies them to submitted/<student>/multiple_sequences/.
c.FileNameCollectorPlugin.named_regexp = r".*/extracted/(?P<student_id>[^/]+)/(?:.*/)?(?P<file_id>[^/]+\.ipynb)$"
c.ZipCollectApp.strict = True

"""nbgrader for this course: solutions/ is the source, notebooks/ the released learner version.

Grading (README, "For instructors"): every submitted notebook runs in a sandboxed kernel
(grading/sandbox.py) that can only report its answers (checker/evidence.py); the points are decided in
this process by grading/scorer.py, with the hidden cases of grading/hidden/, which never enter a notebook.
"""

import os
import sys

# The instructor's plug-ins (grading/) live beside this file and are not installed with the course package.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.course_id = "multiple-sequences"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# Beside this file, whatever the working folder: the Formgrader runs in the instructor's Jupyter server,
# which starts in the account's home, and a relative URL gave it a new, empty gradebook there.
c.CourseDirectory.db_url = os.environ.get("GRADEBOOK_URL") or "sqlite:///" + os.path.join(
    _HERE, "gradebook.db"
)

# The learner's stub: the lines nbgrader puts where the solution was (ClearSolutions.code_stub). Inside a
# function that is right: defining the function is harmless, and calling it says it is not written yet.
# At the top level of a cell it would raise as the cell runs, and where no cell tag is honoured (Colab's
# Run all) the notebook would stop at its first exercise. So a region that starts at column 0 gets
# top_level_code_stub instead, the comment alone: the answer variable keeps the `None` the cell sets
# above the region, which every check reads as "Not attempted", and the lines that show the answer sit
# in `with ex.NAME.preview():` (checker/exercise.py), which says so instead of failing. The class lives
# here, not in grading/, so that every course folder has it (the release needs nothing else).
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions
from traitlets import Dict


class ClearSolutionsByScope(ClearSolutions):
    """nbgrader's ClearSolutions with ``top_level_code_stub`` for a region at the top level of a code cell."""

    top_level_code_stub = Dict(
        dict(python="# YOUR CODE HERE"),
        help="The stub for a solution region at the top level of a code cell, by language.",
    ).tag(config=True)

    def _replace_solution_region(self, cell, language):
        begins = [line for line in cell.source.split("\n") if self.begin_solution_delimeter in line]
        top_level = (
            cell.cell_type == "code"
            and bool(begins)
            and not any(line[:1].isspace() for line in begins)  # else: nbgrader's stub everywhere
            and language in self.top_level_code_stub
        )
        if not top_level:
            return super()._replace_solution_region(cell, language)
        in_functions = self.code_stub
        self.code_stub = {**in_functions, language: self.top_level_code_stub[language]}
        try:
            return super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = in_functions


c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutionsByScope.top_level_code_stub = {"python": "# YOUR CODE HERE"}
c.GenerateAssignment.preprocessors = [
    ClearSolutionsByScope if step is ClearSolutions else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
]
# Every released notebook starts with the cell that installs the course package where it is missing
# (Colab); where the course is installed it does nothing. One source: solutions/header.ipynb.
c.IncludeHeaderFooter.header = os.path.join(_HERE, "solutions", "header.ipynb")
# A released notebook starts clean: no outputs from the solution run.
c.ClearOutput.enabled = True

# --- Grading (`make release`, `make collect`, `make grade`, `make feedback`, `make grades`).
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from grading.execute import GradingExecute
from grading.inert import InertOutputs
from grading.preprocessors import DeduplicateIds, RepairStructure
from grading.scorer import TrustedScores

# Sanitizing: nbgrader's steps, with a fixed DeduplicateIds (jupyter/nbgrader#1083) and the release's
# exercise cells put back where a student deleted or changed them.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    RepairStructure,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
c.RepairStructure.release_dir = os.path.join(_HERE, "notebooks")
# Grading: run every cell in the sandbox, then the points come from the trusted scorer, not the kernel.
c.Autograde.autograde_preprocessors = [
    GradingExecute,
    TrustedScores,
    InertOutputs,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
if (
    os.environ.get("GRADE_UNSANDBOXED") != "1"
):  # `make grade UNSANDBOXED=1` says so explicitly, and warns
    c.GradingExecute.kernel_manager_class = "grading.sandbox.SandboxKernelManager"
# Each cell of a submission may run this long (seconds); a looping answer costs this once and the rest of
# the notebook is still graded. The slowest legitimate cell, the imports, takes about 5 s on an idle
# 2-core machine and 13 s under a load of 5: 30 s leaves room without making a loop expensive.
c.GradingExecute.timeout = 30
# Stop each notebook's kernel at once when it is done: a graceful shutdown of a kernel that imported torch
# waits 1.5-2.5 s more per notebook (measured here), a third of the time a notebook takes to grade.
c.GradingExecute.shutdown_kernel = "immediate"
# A submission is its notebooks: files handed in beside them are not copied to autograded/.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.py",
    "*.pyw",
    "*.so",
    "*.pyd",
    "*.pth",
    "*.zip",
    "*.egg",
]
# Feedback: the autograded notebook already shows the grader's verdicts and nothing of the hidden cases.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
# Every page nbconvert makes of a submission (the feedback, the Formgrader's view of it) makes the
# student's outputs and Markdown inert first (nbgrader's feedback and formgrade templates render Markdown
# cells without nbconvert's sanitiser), and cleans HTML and leaves out JavaScript and widgets as it renders
# (grading/inert.py).
c.HTMLExporter.preprocessors = ["grading.inert.InertOutputs"]
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": "grading.inert.clean_html"}
# The feedback page: nbgrader's, with nothing loaded from another host and a verdict that wraps at any width.
import nbgrader as _nbgrader  # noqa: E402

_FORMGRADER = os.path.join(os.path.dirname(_nbgrader.__file__), "server_extensions", "formgrader")
c.GenerateFeedback.HTMLExporter.template_name = "inert_feedback"
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [
    os.path.join(_HERE, "grading", "templates"),
    os.path.join(_FORMGRADER, "templates"),
]
c.GenerateFeedback.HTMLExporter.extra_template_paths = [
    os.path.join(_FORMGRADER, "templates"),  # for `extends 'feedback/index.html.j2'`
    os.path.join(_FORMGRADER, "static", "node_modules", "bootstrap", "dist", "css"),
]
# `make collect`: downloaded/multiple_sequences/archive/<student>.zip (or a folder <student>/) holds
# that student's notebooks; `nbgrader zip_collect` copies them to submitted/<student>/multiple_sequences/,
# the student id being the download entry's name only, skipping archive members and files that would
# escape or link (grading/collect.py).
c.ZipCollectApp.extractor_plugin = "grading.collect.SafeExtractor"
c.ZipCollectApp.collector_plugin = "grading.collect.SafeCollector"
c.ZipCollectApp.strict = False
# `make grades`: nbgrader's CSV export, quoted, and no cell that a spreadsheet reads as a formula.
c.ExportApp.plugin_class = "grading.export.SafeCsvExport"
# `nbgrader collect` (JupyterHub): the exchange read without following links or trusting folder names
# (grading/exchange.py).
c.ExchangeFactory.collect = "grading.exchange.SafeCollect"
# With one Unix account for every student (README, "If the hub maps everyone to one Unix account"), a
# folder's owner says nothing of who submitted it: the names are then taken as they are.
if os.environ.get("CLASSROOM_ONE_ACCOUNT") == "1":
    c.ExchangeCollect.check_owner = False

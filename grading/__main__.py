"""``python -m grading grade``: what ``make grade`` runs.

Checks that the sandbox can start (or that the instructor said ``--unsandboxed``), builds the course
model once, stages every student's submission (:mod:`grading.stage`), runs one ``nbgrader autograde``
per student, ``--jobs`` at a time, each in a process forked from a warm grader (:mod:`grading.autograde`),
and writes ``grading-report.csv``: one row per student, notebook and
exercise (or incident, or staging decision), with the reason. Any student id is passed as one
argument, never through a shell: spaces, quotes and non-ASCII letters are graded like any other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from checker import config

from . import export, kernel_text
from .autograde import ASSIGNMENT, STAGED, grade_students, start_server
from .scorer import REPORT_DIR
from .stage import StageNote, stage

REPORT = "grading-report.csv"
#: The status of a verdict's row: judged, or the answer still the starter code (``accepted`` is "no").
GRADED, NOT_ATTEMPTED = "graded", "not attempted"  # the last line of each student's log
REPORT_FIELDS = ("student", "notebook", "exercise", "accepted", "status", "reason", "mistake")
UNSANDBOXED_RISK = (
    "Grading WITHOUT a sandbox: every submission runs as you, with your files. A notebook can read "
    "the solutions and the gradebook, change or delete your files and start processes that "
    "outlive grading. Do this only for submissions you trust."
)


def students_in(course: Path) -> list[str]:
    root = course / "submitted"
    return (
        sorted(p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink())
        if root.is_dir()
        else []
    )


def kernel_threads(jobs: int) -> str:
    """Torch's threads per grading kernel: the cores shared among the jobs. Two kernels of two threads each
    on two cores wait on each other's spinning threads, several times slower than one thread each."""
    return str(max(1, (os.cpu_count() or 1) // max(1, jobs)))


def _safe(student: str) -> str:
    """A file name for ``student``'s log: the id itself when it is plain, else its plain characters and a
    short hash of the id, so that two ids never share a log (``ann b`` and ``ann_b``)."""
    plain = "".join(c if c.isalnum() or c in "-_." else "_" for c in student)[:64].lstrip(".")
    if plain and plain == student:
        return plain
    return f"{plain or '_'}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def write_report(course: Path, students: list[str], rows: list[dict]) -> None:
    """grading-report.csv with ``rows`` for ``students``: grading some students again (STUDENTS=...) replaces
    their rows and keeps everyone else's."""
    if (course / REPORT).is_file():
        again = set(students)
        with open(course / REPORT, newline="", encoding="utf-8") as old:
            kept = [
                r for r in export.read_rows(old) if export.uncell(r.get("student")) not in again
            ]
        rows = [{k: export.uncell(v) for k, v in r.items()} for r in kept] + rows
    with open(course / REPORT, "w", newline="", encoding="utf-8") as out:
        export.write_rows(out, REPORT_FIELDS, sorted(rows, key=lambda r: r["student"]))


def report_rows(
    course: Path, students: list[str], notes: list[StageNote], codes: dict[str, int]
) -> list[dict]:
    rows = [
        {
            "student": n.student,
            "notebook": n.notebook,
            "exercise": "",
            "accepted": "",
            "status": n.status,
            "reason": n.text,
        }
        for n in notes
    ]
    for student in students:
        folder = course / "autograded" / student / ASSIGNMENT / REPORT_DIR
        if codes.get(student):
            rows.append(
                {
                    "student": student,
                    "notebook": "",
                    "exercise": "",
                    "accepted": "",
                    "status": "error",
                    "reason": f"nbgrader autograde exited with {codes[student]}: see .grading/logs/",
                }
            )
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            data = json.loads(path.read_text(encoding="utf-8"))
            for incident in data.get("incidents", []):
                rows.append(
                    {
                        "student": student,
                        "notebook": data["notebook"],
                        "exercise": "",
                        "accepted": "",
                        "status": kernel_text.short(incident["kind"], 40),
                        "reason": kernel_text.reason(
                            f"cell {incident['cell']}: {incident['text']}"
                        ),
                    }
                )
            for verdict in data.get("exercises", []):
                rows.append(
                    {
                        "student": student,
                        "notebook": data["notebook"],
                        "exercise": kernel_text.short(verdict["exercise"], 80),
                        "accepted": "yes" if verdict["accepted"] is True else "no",
                        "status": GRADED if verdict.get("attempted", True) else NOT_ATTEMPTED,
                        "reason": kernel_text.reason(verdict["reason"]),
                        "mistake": kernel_text.short(verdict.get("mistake", ""), 80),
                    }
                )
    return rows


def grade(args) -> int:
    course = Path(args.course).resolve()
    if args.unsandboxed:
        print(UNSANDBOXED_RISK, file=sys.stderr)
    else:
        from .sandbox import sandbox_available

        ok, why = sandbox_available()
        if not ok:
            print(
                f"Cannot grade: the sandbox does not start here: {why}\nInstall bubblewrap "
                "(`apt-get install bubblewrap`), or grade without a sandbox, at your own risk, with "
                "`make grade UNSANDBOXED=1`.",
                file=sys.stderr,
            )
            return 2
    from checker.course_decoder.build import ensure_built as build_decoder
    from checker.course_model.build import ensure_built as build_model

    (
        build_model(),
        build_decoder(),
    )  # the sandbox mounts the models read-only: build them before any kernel starts
    students = args.students or students_in(course)
    if not students:
        print(f"Nothing in submitted/<student>/{ASSIGNMENT}/: see 'make collect'.", file=sys.stderr)
        return 1
    # every student's nbgrader gets this environment: that of the server it is forked from
    # (grading/autograde.py), which warms up while the submissions are staged, and imports the
    # course's own grading/ (as nbgrader_config.py would), from its working folder
    config.quiet_transformers()
    os.environ.setdefault("OMP_NUM_THREADS", kernel_threads(args.jobs))
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.chdir(course)
    start_server()
    release = course / "notebooks" / ASSIGNMENT
    notes: list[StageNote] = []
    for student in students:
        notes += stage(
            course / "submitted" / student / ASSIGNMENT,
            release,
            course / STAGED / student / ASSIGNMENT,
            student,
        )
    log_dir = course / ".grading" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = {s: log_dir / f"{_safe(s)}.log" for s in students}
    codes = grade_students(course, students, args.jobs, logs, sandboxed=not args.unsandboxed)
    rows = report_rows(course, students, notes, codes)
    write_report(course, students, rows)
    failed = sorted(s for s, code in codes.items() if code)
    print(
        f"graded {len(students)} student(s); report: {REPORT}"
        + (f"; nbgrader failed for {failed}" if failed else "")
    )
    return 1 if failed else 0


def collected(args) -> int:
    from .collect import everyone_collected

    for student in everyone_collected(Path(args.course).resolve(), ASSIGNMENT):
        print(
            f"{student}: nothing handed in could be collected (see collect-report.txt); graded as empty"
        )
    return 0


def _class(args):
    from .class_results import load

    course = Path(args.course).resolve()
    return course, load(course)


def report(args) -> int:
    """class-mistakes.csv and class-report.html (``make report``)."""
    import time

    from . import class_report

    started = time.perf_counter()
    course, results = _class(args)
    written = class_report.write(course, results)
    print(
        f"{len(results.students)} student(s), {len(results.exercises)} exercise(s): "
        f"{', '.join(p.name for p in written)} in {time.perf_counter() - started:.1f} s"
    )
    return 0


def canvas(args) -> int:
    """grades-canvas.csv (``make grades``)."""
    from . import canvas as lms

    course, results = _class(args)
    print(f"{lms.write(course, results).name}: {len(results.students)} student(s)")
    return 0


def student_pages(args) -> int:
    """feedback/<student>/multiple_sequences/index.html (``make feedback``)."""
    from . import student_page

    course, results = _class(args)
    written = student_page.write(course, results)
    print(f"{len(written)} student page(s): feedback/<student>/{ASSIGNMENT}/{student_page.PAGE}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    command = sub.add_parser(
        "collected",
        help="after zip_collect: a submitted/ folder for every student who handed in anything",
    )
    command.add_argument("--course", default=".")
    command.set_defaults(func=collected)
    command = sub.add_parser(
        "grade", help="autograde every submission, sandboxed, with a grading report"
    )
    command.add_argument(
        "students", nargs="*", help="student ids (default: every folder in submitted/)"
    )
    command.add_argument("--jobs", type=int, default=2)
    command.add_argument("--course", default=".")
    command.add_argument(
        "--unsandboxed", action="store_true", help="grade without the sandbox (a risk)"
    )
    command.set_defaults(func=grade)
    for name, func in (("report", report), ("canvas", canvas), ("student-pages", student_pages)):
        command = sub.add_parser(name, help=func.__doc__)
        command.add_argument("--course", default=".")
        command.set_defaults(func=func)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

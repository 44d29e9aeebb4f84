"""What a grading kernel reports to the grader: the answers as data, never a verdict.

The graded cell's ``ex.NAME.grade()`` records the exercise's answers as they are at that point of the
notebook (:func:`record`): values are encoded at once, a function is kept. When the notebook has run,
the grader runs one more cell of its own, :func:`report`, with the arguments of the hidden cases: for
each exercise it reports the values, or every run of the learner's function on the public and hidden
cases, as one output of MIME type :data:`MIME`. The grader reads those outputs, throws that cell away,
and judges the answers itself, outside the kernel (``grading.scorer``): nothing a notebook does in its
kernel can turn a report into points, only into other answers.
"""

from __future__ import annotations

from typing import Any

from . import answers, serial
from .harness import Case
from .threads import one_thread

MIME = "application/vnd.multiseq.evidence+json"

_recorded: dict[str, dict] = {}  # "section4.pad_batch" -> what record() kept


def key_of(exercise) -> str:
    return f"{exercise.section}.{exercise.name}"


def record(exercise, namespace: dict) -> None:
    """Keep the exercise's answers as the graded cell sees them."""
    found = answers.read(namespace, exercise.variables)
    failed = next((a for a in found if a.failed_run), None)
    if failed:
        run = failed.failed_run
        entry = {
            "failed_run": [
                failed.name,
                run.error_type,
                run.error,
                run.kept_old_value,
                failed.value is answers.UNSET,
                run.note,
            ]
        }
    elif exercise.kind == "function":
        entry = {"function": found[0].value}
    else:
        entry = {"report": exercise.collect(tuple(a.value for a in found))}
    _recorded[key_of(exercise)] = entry


def report(exercises: dict, spec: dict, namespace: dict) -> None:
    """Display one report per exercise of ``spec`` (``{key: [encoded args of a hidden case, ...]}``);
    ``exercises`` is :func:`checker.exercises.catalog`."""
    from IPython.display import display

    for key, hidden_args in spec.items():
        try:
            data = {"key": key, **_report_one(exercises[key], hidden_args, namespace)}
        except Exception as error:  # a report must not fail for the others: say what went wrong
            data = {"key": key, "broken": f"{type(error).__name__}: {str(error)[:200]}"}
        display({MIME: data}, raw=True)


def _report_one(exercise, hidden_args: list, namespace: dict) -> dict:
    entry = _recorded.get(key_of(exercise))
    if (
        entry is None
    ):  # the graded cell did not record (it never ran, or ran changed): read the notebook now
        record(exercise, namespace)
        entry = _recorded[key_of(exercise)]
    if "failed_run" in entry:
        return {"failed_run": entry["failed_run"]}
    if "report" in entry:
        return {"report": entry["report"]}
    hidden = [Case("a hidden case", tuple(serial.decode(a))) for a in hidden_args]
    with one_thread():
        return {"report": exercise.collect((entry["function"],), hidden)}


def reports_in(outputs: list) -> dict[str, dict]:
    """The reports among a cell's outputs (``nbformat`` output dicts), by exercise key; the last one wins."""
    found: dict[str, dict] = {}
    for output in outputs:
        data = output.get("data", {}).get(MIME) if isinstance(output, dict) else None
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            found[data["key"]] = data
    return found


def hidden_spec(hidden: dict[str, list[Case]]) -> dict[str, list[Any]]:
    """What the grader sends into the kernel: the hidden cases' arguments only, never their answers."""
    return {
        key: [serial.encode(tuple(case.args)) for case in cases] for key, cases in hidden.items()
    }

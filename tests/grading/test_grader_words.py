"""The grader writes its own words: nothing a grading kernel reports reaches a verdict, a report or a CSV
beyond a short, inert form, and nothing of a hidden case at all (grading/kernel_text.py, grading/scorer.py,
grading/export.py). Each attack here is built as a learner would build it, then judged as the grader does."""

from __future__ import annotations

import csv

import pytest
import torch

from checker import evidence, harness
from checker.exercises import catalog
from grading import export, hidden, kernel_text, scorer
from tests.helpers.secrets import leaks

KEY = "section4.pad_batch"
EXERCISE = catalog()[KEY]
PUBLIC_ARGS = {repr(case.args) for case in EXERCISE.cases}


def _report(function) -> dict:
    evidence.record(EXERCISE, {"pad_batch": function})
    spec = evidence.hidden_spec({KEY: hidden.cases_for(KEY)})[KEY]
    return {"key": KEY, **evidence._report_one(EXERCISE, spec, {"pad_batch": function})}


def _pad(sequences, pad_id):
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)


def _every_hidden_argument() -> str:
    """What a hostile function can read in the report cell: every hidden case's arguments of the notebook."""
    return repr({key: [case.args for case in cases] for key, cases in hidden.all_cases().items()})


def _assert_leaks_nothing(reason: str) -> None:
    assert not leaks(reason, solutions=False), reason
    assert len(reason) <= kernel_text.REASON_CHARS


def test_an_exception_class_named_after_the_hidden_arguments_is_not_repeated():
    # right on the public cases; on a hidden case it raises a class whose name is every hidden argument
    def pad_batch(sequences, pad_id):
        if repr((sequences, pad_id)) not in PUBLIC_ARGS:
            raise type(_every_hidden_argument(), (Exception,), {})()
        return _pad(sequences, pad_id)

    verdict = scorer.judge(KEY, _report(pad_batch))
    assert not verdict.accepted and kernel_text.OWN_CLASS in verdict.reason
    assert "a hidden case: three sequences of different lengths" in verdict.reason
    _assert_leaks_nothing(verdict.reason)


def test_a_builtin_exception_on_a_hidden_case_is_named_without_its_message():
    def pad_batch(sequences, pad_id):
        if repr((sequences, pad_id)) not in PUBLIC_ARGS:
            raise ValueError(_every_hidden_argument())
        return _pad(sequences, pad_id)

    verdict = scorer.judge(KEY, _report(pad_batch))
    assert "raised ValueError on a hidden case" in verdict.reason
    _assert_leaks_nothing(verdict.reason)


def test_a_message_on_a_public_case_is_cut_short_and_hidden_arguments_redacted():
    secret = repr(hidden.cases_for(KEY)[0].args)  # what a function finds in the report cell's frame

    def pad_batch(sequences, pad_id):
        raise TypeError(secret + " " + "x" * 5000)

    verdict = scorer.judge(KEY, _report(pad_batch))
    assert "raised TypeError" in verdict.reason and secret not in verdict.reason
    _assert_leaks_nothing(verdict.reason)


def test_a_string_result_on_a_public_case_cannot_carry_the_hidden_texts():
    key = "section9.answer_text"
    exercise = catalog()[key]
    texts = [a for case in hidden.cases_for(key) for a in case.args if isinstance(a, str)]

    def answer_text(*args):
        return " ".join(texts)

    evidence.record(exercise, {"answer_text": answer_text})
    spec = evidence.hidden_spec({key: hidden.cases_for(key)})[key]
    report = {"key": key, **evidence._report_one(exercise, spec, {"answer_text": answer_text})}
    verdict = scorer.judge(key, report)
    assert not verdict.accepted
    _assert_leaks_nothing(verdict.reason)


@pytest.mark.parametrize(
    "forged",
    [
        {"failed_run": ["pad_batch" * 300, "=HYPERLINK(1)", "m" * 900, False, False, "n" * 900]},
        {"failed_run": ["pad_batch", "E" * 900, "m" * 900, False, False, "n" * 900]},
        {"crashed": "=cmd|' /C calc'!A0" + _every_hidden_argument()},
        {"missing": _every_hidden_argument()},
        {"broken": _every_hidden_argument()},
        {
            "report": {
                "runs": [{"result": {"$opaque": [_every_hidden_argument(), "m", "t", False]}}]
            }
        },
    ],
)
def test_a_forged_report_gets_only_the_graders_own_words(forged):
    verdict = scorer.judge(KEY, {"key": KEY, **forged})
    assert not verdict.accepted
    for text in ("pad_batchpad_batch", "HYPERLINK", "mmmm", "nnnn", "EEEE", "calc"):
        assert text not in verdict.reason, verdict.reason
    _assert_leaks_nothing(verdict.reason)


def test_a_failed_run_of_a_real_answer_keeps_its_builtin_error_and_known_note():
    ragged = ValueError("expected sequence of length 3 at dim 1 (got 2)")
    report = {
        "key": KEY,
        "failed_run": [
            "pad_batch",
            "ValueError",
            f"ValueError: {ragged}",
            False,
            True,
            harness.known_trap(ragged),
        ],
    }
    reason = scorer.judge(KEY, report).reason
    assert "raised ValueError" in reason and "ragged" in reason


def test_a_cause_that_quotes_a_hidden_case_is_left_out():
    # right everywhere but on one sequence alone, where it pads one id too many: the exercise's cause for
    # that names the batch's longest length, a number of the hidden case
    def pad_batch(sequences, pad_id):
        result = _pad(sequences, pad_id)
        if len(sequences) == 1 and repr((sequences, pad_id)) not in PUBLIC_ARGS:
            return torch.cat([result, torch.full((1, 1), pad_id)], dim=1)
        return result

    report = _report(pad_batch)
    case = next(c for c in hidden.cases_for(KEY) if "single sequence" in c.description)
    run = harness.decode_run(report["report"]["runs"][len(EXERCISE.cases) + 2])
    mistake = EXERCISE.judge_case(run, case)
    assert mistake is not None and "(3 ids)" in mistake.cause  # what the grader used to repeat
    verdict = scorer.judge(KEY, report)
    assert "a single sequence" in verdict.reason and "3 ids" not in verdict.reason


def test_fixed_causes_and_case_whys_are_kept():
    case = hidden.cases_for("section3.rows_agree")[0]
    assert kernel_text.fixed_cause(case.why, case)
    assert kernel_text.fixed_cause(
        "`.append`, `.extend`, `+=`, `del` or slice assignment on an "
        "argument change the caller's object",
        case,
    )
    assert not kernel_text.fixed_cause("the batch's longest row has 17 ids", case)


def test_redaction_catches_plain_and_encoded_hidden_arguments():
    import base64

    secret = repr(hidden.cases_for(KEY)[0].args[0])
    for text in (
        secret,
        base64.b64encode(("(" + secret + ",").encode()).decode(),
        secret.encode().hex(),
    ):
        assert not leaks(kernel_text.redact(f"found {text} here"), solutions=False)
    assert (
        kernel_text.redact("pad with `tokenizer.pad_token_id`")
        == "pad with `tokenizer.pad_token_id`"
    )


# --- spreadsheets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_csv_cell_starts_a_formula(start):
    assert export.cell(f"{start}cmd|' /C calc'!A0").startswith("'")
    assert export.uncell(export.cell(f"{start}x")) == f"{start}x"
    assert export.cell("-1.5") == "-1.5" and export.cell("ann") == "ann"


@pytest.mark.parametrize(
    "text", ["=x", "'=x", "''=x", "'-1.5", "-1.5", "'ann", "ann", "'", "", "'\t", "''"]
)
def test_a_csv_cell_reads_back_as_what_was_written(text):
    """Escaping is one-to-one: the ids ``=x`` and ``'=x`` stay two students."""
    assert export.uncell(export.cell(text)) == text
    if export.cell(text).startswith(export.FORMULA_STARTS):
        float(text)  # only a number may start so


def test_two_students_whose_ids_differ_by_an_apostrophe_keep_their_own_rows(tmp_path):
    from grading.__main__ import write_report
    from grading.class_results import read_report

    rows = [
        {"student": who, "notebook": "n", "exercise": "e", "accepted": ok, "status": "graded"}
        for who, ok in (("=x", "yes"), ("'=x", "no"))
    ]
    write_report(tmp_path, ["=x", "'=x"], rows)
    write_report(tmp_path, ["=x"], rows[:1])  # grading "=x" again keeps the other's row
    found = {(r["student"], r["accepted"]) for r in read_report(tmp_path)}
    assert found == {("=x", "yes"), ("'=x", "no")}


def test_the_grading_report_writes_no_formula_and_reads_back_what_it_wrote(tmp_path):
    from grading.__main__ import REPORT, write_report

    row = {
        "student": '=HYPERLINK("http://x")',
        "notebook": "@SUM(1)",
        "exercise": "+1",
        "accepted": "no",
        "status": "graded",
        "reason": "-2+3",
    }
    write_report(tmp_path, [row["student"]], [row])
    write_report(
        tmp_path, ["bob"], [{**row, "student": "bob"}]
    )  # the first row is read back and kept
    with open(tmp_path / REPORT, newline="", encoding="utf-8") as fh:
        cells = [c for r in csv.reader(fh) for c in r]
    formulas = [c for c in cells if c.startswith(export.FORMULA_STARTS)]
    assert all(float(c) for c in formulas), cells  # only numbers: +1 is 1 to a spreadsheet
    assert cells.count('\'=HYPERLINK("http://x")') == 1


def test_grades_csv_quotes_and_escapes_every_student_id(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    from tests.helpers.notebooks import tool_env

    monkeypatch.setenv("PATH", tool_env()["PATH"])  # nbgrader's gradebook calls `alembic`

    ids = ["=1+1", "ann,marie", 'say "hi"', "-dash", "zoë"]
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.add_assignment("multiple_sequences")
        for student in ids:
            gb.add_student(student)
        plugin = export.SafeCsvExport(to=str(tmp_path / "grades.csv"))
        plugin.export(gb)
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(export.uncell(r["student_id"]) for r in rows) == sorted(ids)
    assert all(len(r) == len(export.GRADES_COLUMNS) and None not in r for r in rows)
    assert not any(v.startswith(export.FORMULA_STARTS) for r in rows for v in r.values())


def test_every_student_has_a_log_of_their_own():
    """Ids that the file name would make alike (a space, a slash, case kept) never share a log file."""
    from grading.__main__ import _safe

    ids = ["ann b", "ann_b", "ann/b", "ann\\b", "..", ".", "", "zoë", "zo_", "x" * 300, "x" * 301]
    names = [_safe(i) for i in ids]
    assert len(set(names)) == len(ids), names
    assert (
        _safe("ann_b") == "ann_b" and _safe("log-forger") == "log-forger"
    )  # plain ids as they are
    assert all(n and "/" not in n and not n.startswith(".") and len(n) < 100 for n in names), names

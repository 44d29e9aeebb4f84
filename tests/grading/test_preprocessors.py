"""The nbgrader plug-ins alone, on notebooks built in memory (as nbgrader tests its own preprocessors)."""

from __future__ import annotations

import copy
import csv
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from checker import evidence, serial
from checker.exercises import catalog
from grading import hidden, scorer
from grading.preprocessors import RESTORED, DeduplicateIds, RepairStructure
from tests.helpers.notebooks import ASSIGNMENT, RELEASED

NOTEBOOK = "04_padding"
RELEASE = nbformat.read(RELEASED / f"{NOTEBOOK}.ipynb", as_version=4)
RESOURCES = {
    "nbgrader": {
        "notebook": NOTEBOOK,
        "assignment": ASSIGNMENT,
        "student": "ann",
        "db_url": "sqlite://",
    }
}


def gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def ids(nb):
    return [gid(c) for c in nb.cells if gid(c)]


def repair(nb):
    pre = RepairStructure(release_dir=str(RELEASED.parent))
    return pre.preprocess(nb, copy.deepcopy(RESOURCES))[0]


def test_an_intact_submission_is_left_as_it_is():
    nb = copy.deepcopy(RELEASE)
    assert repair(copy.deepcopy(nb)) == nb


def test_deleted_exercise_cells_are_put_back_in_the_release_order():
    nb = copy.deepcopy(RELEASE)
    nb.cells = [
        c
        for c in nb.cells
        if gid(c) not in ("padded_ids_test", "pad_batch_answer", "pad_batch_test")
    ]
    repaired = repair(nb)
    assert ids(repaired) == ids(RELEASE)
    restored = [c for c in repaired.cells if c.metadata.get(RESTORED)]
    assert [gid(c) for c in restored] == ["padded_ids_test", "pad_batch_answer", "pad_batch_test"]
    assert (
        "raise NotImplementedError()" in restored[1].source
    )  # a deleted answer comes back as its stub


def test_edited_metadata_is_reset_and_unknown_metadata_removed():
    nb = copy.deepcopy(RELEASE)
    test = next(c for c in nb.cells if gid(c) == "pad_batch_test")
    test.metadata.nbgrader["points"] = 100
    test.metadata.nbgrader["locked"] = False
    stray = new_code_cell("print(1)")
    stray.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "free_points",
        "points": 50,
        "solution": False,
    }
    nb.cells.append(stray)
    repaired = repair(nb)
    fixed = next(c for c in repaired.cells if gid(c) == "pad_batch_test")
    assert (
        fixed.metadata.nbgrader
        == next(c for c in RELEASE.cells if gid(c) == "pad_batch_test").metadata.nbgrader
    )
    assert "nbgrader" not in repaired.cells[-1].metadata


def test_an_answer_cell_turned_into_markdown_becomes_code_again():
    nb = copy.deepcopy(RELEASE)
    index = next(i for i, c in enumerate(nb.cells) if gid(c) == "pad_batch_answer")
    answer = nb.cells[index]
    nb.cells[index] = new_markdown_cell(answer.source, metadata=copy.deepcopy(answer.metadata))
    repaired = repair(nb)
    assert (
        repaired.cells[index].cell_type == "code" and repaired.cells[index].source == answer.source
    )


def test_duplicated_cells_keep_the_last_copy_and_run_the_others_plainly():
    nb = copy.deepcopy(RELEASE)
    index = next(i for i, c in enumerate(nb.cells) if gid(c) == "pad_batch_answer")
    nb.cells.insert(index, copy.deepcopy(nb.cells[index]))
    out, _ = DeduplicateIds().preprocess(nb, {})
    assert ids(out).count("pad_batch_answer") == 1 and "nbgrader" not in out.cells[index].metadata


# --- the trusted scorer ----------------------------------------------------------------------------------


def _report(key: str, answers: dict, with_hidden: bool = True) -> dict:
    exercise = catalog()[key]
    evidence.record(exercise, answers)
    spec = evidence.hidden_spec({key: hidden.cases_for(key)})[key] if with_hidden else []
    return {"key": key, **evidence._report_one(exercise, spec, answers)}


def right_pad_batch(sequences, pad_id):
    import torch

    width = max(len(s) for s in sequences)
    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)


def zero_pad_batch(sequences, pad_id):  # passes the public cases but the one with pad id 1, ...
    import torch

    width = max(len(s) for s in sequences)
    return torch.tensor(
        [s + [pad_id if pad_id == 1 else 0] * (width - len(s)) for s in sequences], dtype=torch.long
    )


def test_an_accepted_exercise_has_no_output_left_and_a_rejected_one_one_error():
    graded = scorer.judge(
        "section4.pad_batch", _report("section4.pad_batch", {"pad_batch": right_pad_batch})
    )
    assert graded.accepted and scorer._outputs(graded)[0]["output_type"] == "stream"
    rejected = scorer.judge(
        "section4.pad_batch", _report("section4.pad_batch", {"pad_batch": lambda s, p: None})
    )
    outputs = scorer._outputs(rejected)
    assert (
        not rejected.accepted
        and [o["output_type"] for o in outputs] == ["error"]
        and "returned None" in rejected.reason
    )


def test_a_hidden_failure_names_the_property_and_never_the_values():
    verdict = scorer.judge(
        "section4.pad_batch", _report("section4.pad_batch", {"pad_batch": zero_pad_batch})
    )
    assert not verdict.accepted and "passes the public checks" in verdict.reason
    assert "a pad id other than 0" in verdict.reason and "pad_id" in verdict.reason
    for value in ("11, 12", "[15, 3", "16, 17", "3, 3"):
        assert value not in verdict.reason


def test_missing_crashed_and_garbage_reports_cost_only_that_exercise():
    assert not scorer.judge("section4.pad_batch", None).accepted
    assert (
        "stopped"
        in scorer.judge("section4.pad_batch", {"key": "k", "crashed": "the kernel stopped"}).reason
    )
    for garbage in (
        {"report": {"runs": [{"result": {"$tensor": {"dtype": "evil"}}}]}},
        {"report": {"runs": "x"}},
        {"report": {"values": [{"$nope": 1}]}},
        {"report": 5},
        {"failed_run": ["x", 1]},
        {
            "report": {
                "runs": [
                    {"result": {"$tensor": {"dtype": "torch.int64", "shape": [10**9], "data": [1]}}}
                ]
            }
        },
    ):
        verdict = scorer.judge("section4.pad_batch", garbage)
        assert not verdict.accepted, garbage
    assert not scorer.judge("section9.nothing", {"report": {}}).accepted


def test_a_value_exercise_is_judged_by_the_same_check():
    import torch

    right = _report(
        "section4.padded_ids", {"padded_ids": torch.tensor([[200, 200, 200], [200, 200, 0]])}
    )
    left = _report(
        "section4.padded_ids", {"padded_ids": torch.tensor([[200, 200, 200], [0, 200, 200]])}
    )
    assert scorer.judge("section4.padded_ids", right).accepted
    assert "left" in scorer.judge("section4.padded_ids", left).reason


def _graded_notebook(report: dict | None, check_passed: bool = True):
    nb = copy.deepcopy(RELEASE)
    for cell in nb.cells:
        if (
            cell.cell_type == "code"
            and ".check()" in cell.source
            and "pad_batch" in cell.source
            and check_passed
        ):
            cell.outputs = [
                new_output("display_data", data={"text/html": "✔ Correct: public checks passed"})
            ]
        if gid(cell) == "pad_batch_test":
            cell.outputs = [
                new_output("execute_result", data={"text/plain": "100"}, execution_count=1),
                new_output("stream", name="stderr", text="a warning\n"),
            ]
    reports = {"section4.pad_batch": report} if report else {}
    return nb, {
        **copy.deepcopy(RESOURCES),
        "metadata": {},
        "grading": {"section": "section4", "reports": reports, "incidents": []},
    }


def test_the_scorer_replaces_what_the_kernel_showed_in_graded_cells():
    nb, resources = _graded_notebook(_report("section4.pad_batch", {"pad_batch": right_pad_batch}))
    out, _ = scorer.TrustedScores().preprocess(nb, resources)
    cell = next(c for c in out.cells if gid(c) == "pad_batch_test")
    assert [o["output_type"] for o in cell.outputs] == ["stream"] and cell.outputs[0][
        "name"
    ] == "stdout"


def test_a_rejected_exercise_retracts_its_public_pass():
    nb, resources = _graded_notebook(_report("section4.pad_batch", {"pad_batch": zero_pad_batch}))
    out, _ = scorer.TrustedScores().preprocess(nb, resources)
    text = json.dumps([c.get("outputs", []) for c in out.cells])
    assert "public checks passed" not in text and scorer.REJECTED in text


def test_incidents_come_first_as_a_note_and_go_to_the_report(tmp_path):
    nb, resources = _graded_notebook(None)
    resources["metadata"]["path"] = str(tmp_path)
    resources["grading"]["incidents"] = [
        {"cell": 7, "kind": "kernel died", "text": "the kernel stopped"}
    ]
    out, _ = scorer.TrustedScores().preprocess(nb, resources)
    assert out.cells[0].cell_type == "markdown" and "kernel died" in out.cells[0].source
    report = json.loads((tmp_path / scorer.REPORT_DIR / f"{NOTEBOOK}.json").read_text())
    assert report["incidents"][0]["cell"] == 7 and {e["exercise"] for e in report["exercises"]} == {
        "section4.padded_ids",
        "section4.pad_batch",
    }


def test_reports_travel_as_plain_json():
    report = _report("section4.pad_batch", {"pad_batch": right_pad_batch})
    assert json.loads(json.dumps(report)) == report
    with pytest.raises(serial.Unreadable):
        serial.decode({"$tensor": {"dtype": "torch.int64", "shape": [2], "data": [1]}})


# --- the mistake each verdict names: what the class report counts -----------------------------------------


def test_a_verdict_names_the_mistake_of_a_public_and_of_a_hidden_failure():
    import torch

    left = _report(
        "section4.padded_ids", {"padded_ids": torch.tensor([[200, 200, 200], [0, 200, 200]])}
    )
    assert scorer.judge("section4.padded_ids", left).mistake == "padded_ids.left_padding"
    none = _report("section4.pad_batch", {"pad_batch": lambda s, p: None})
    assert scorer.judge("section4.pad_batch", none).mistake == "pad_batch.returned_none"
    hidden_only = _report("section4.pad_batch", {"pad_batch": zero_pad_batch})
    assert scorer.judge("section4.pad_batch", hidden_only).mistake == "pad_batch.pads_with_zero"


def test_a_right_or_unattempted_answer_names_no_mistake_and_a_missing_report_says_so():
    right = _report("section4.pad_batch", {"pad_batch": right_pad_batch})
    assert scorer.judge("section4.pad_batch", right).mistake == ""
    stub = _report("section4.padded_ids", {"padded_ids": None})
    assert scorer.judge("section4.padded_ids", stub).mistake == ""
    assert scorer.judge("section4.pad_batch", None).mistake == "pad_batch.no_report"


def test_the_notebook_report_and_the_csv_carry_the_mistake(tmp_path):
    from grading.__main__ import REPORT, report_rows, write_report

    nb, resources = _graded_notebook(_report("section4.pad_batch", {"pad_batch": zero_pad_batch}))
    folder = tmp_path / "autograded" / "ann" / ASSIGNMENT
    folder.mkdir(parents=True)
    resources["metadata"]["path"] = str(folder)
    scorer.TrustedScores().preprocess(nb, resources)
    report = json.loads((folder / scorer.REPORT_DIR / f"{NOTEBOOK}.json").read_text())
    by_exercise = {e["exercise"]: e["mistake"] for e in report["exercises"]}
    assert by_exercise == {
        "section4.padded_ids": "padded_ids.no_report",
        "section4.pad_batch": "pad_batch.pads_with_zero",
    }
    write_report(tmp_path, ["ann"], report_rows(tmp_path, ["ann"], [], {}))
    with open(tmp_path / REPORT, newline="", encoding="utf-8") as rows:
        found = {r["exercise"]: r["mistake"] for r in csv.DictReader(rows)}
    assert found == by_exercise

"""Run every attempt of :mod:`tests.learner_corpus.attempts` in a real kernel, against the public check
and the grader's judgement, and write ``results.json`` beside this file.

    .venv/bin/python -m tests.learner_corpus.evaluate            # every section (about 15 minutes)
    .venv/bin/python -m tests.learner_corpus.evaluate 9 10 11    # some sections; the others' results are kept

Each section runs in one kernel (:class:`tests.corpus.runner.Session`): the section's solution notebook
up to the exercise's answer cell, then, for each attempt, the answer cell as the learner has it (the
released stub with the attempt in place of ``# YOUR CODE HERE`` / ``raise NotImplementedError()``, so
its own ``print`` lines run too), then the probe of the existing corpus runner: the check as the check
cell runs it, and the report the graded cell leaves, judged outside the kernel by
:func:`grading.scorer.judge` with the hidden cases. Before each attempt the answer's names are removed
from the kernel, so no attempt is judged on an earlier attempt's value; attempts that change the
notebook's shared objects (the tokenizer, a global list) run in a kernel of their own.

The class of each attempt:

- ``right-accepted``: a right answer, accepted by the check and the grader;
- ``rejected-right``: a right answer that the check or the grader refuses;
- ``accepted``: a wrong answer that the check or the grader accepts (``accepted_by`` says which);
- ``named`` / ``misleading`` / ``unnamed``: a wrong answer refused by both, judged by a person from
  the check's message against the attempt's one-line truth (``judgements.json``). A judgement holds
  for the message it was made on: when the message changes, the attempt is ``unjudged`` until someone
  reads the new one (``--unjudged`` lists them);
- ``gpu-only``: a mistake that only shows with the model on a GPU; on the CPU the code is right, so it
  is left out of the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import nbformat

from checker import config

config.quiet_transformers()  # before transformers is imported, here and in the kernels
os.environ.setdefault("OMP_NUM_THREADS", "1")  # a shared machine: one thread per kernel

from grading import scorer  # noqa: E402
from tests.corpus.runner import MARK, Session  # noqa: E402
from tests.helpers.notebooks import RELEASED, ROOT, notebook_names  # noqa: E402
from tests.learner_corpus.attempts import ATTEMPTS, Attempt  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
JUDGEMENTS = HERE / "judgements.json"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
# An attempt whose cell changes what later cells share (the notebook's tokenizer, a global list or
# tensor that its own print line passes to the function) runs in a kernel of its own.
SHARED_STATE = (
    "tokenizer.padding_side =",
    "add_special_tokens(",
    "texts.sort(",
    "input_ids[i] =",
    "s.extend(",
    "s += [",
    "s[:0] =",
    'batch.pop("labels")',
    "output[:, :",
    "lengths.sort()",
    "del ids[",
)


def key(attempt: Attempt) -> str:
    return f"{attempt.section}/{attempt.exercise}/{attempt.description}"


def fingerprint(text: str) -> str:
    """The message a judgement was made on, numbers left out (they vary in the last digits by machine)."""
    words = re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", "#", text)
    return hashlib.sha1(words.encode()).hexdigest()[:12]


def notebook_of(section: int) -> str:
    return next(n for n in notebook_names() if int(n.split("_")[0]) == section)


def answer_cell(notebook: str, exercise: str, code: str) -> str:
    """The released answer cell with ``code`` in place of the stub's two lines (a function's stub: its def)."""
    cells = nbformat.read(RELEASED / notebook, as_version=4).cells
    stub = next(
        c.source
        for c in cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == f"{exercise}_answer"
    )
    lines = stub.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == STUB[0])
    # a value's stub has no raise line (`x = None  # replace ...`, then `# YOUR CODE HERE`)
    stop = next((i for i, line in enumerate(lines) if line.strip() == STUB[1]), start)
    tail = "\n".join(lines[stop + 1 :]).strip("\n")
    if lines[start].startswith(" "):  # inside a def: the attempt replaces the whole function
        return f"{code.rstrip()}\n\n\n{tail}\n"
    head = "\n".join(lines[:start])
    return f"{head}\n{code.rstrip()}\n{tail}\n"


def exercise_order(notebook: str) -> list[str]:
    return [
        c.metadata["nbgrader"]["grade_id"][: -len("_answer")]
        for c in nbformat.read(RELEASED / notebook, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]


def variables(section: int, exercise: str) -> tuple[str, ...]:
    from checker.exercises import catalog

    return catalog()[f"section{section}.{exercise}"].variables


def errors(outputs: list) -> str:
    return "; ".join(
        f"{o.get('ename')}: {str(o.get('evalue', ''))[:200]}"
        for o in outputs
        if o.get("output_type") == "error"
    )


def probe_of(session: Session, exercise: str) -> dict:
    """What the check says and the report the graded cell leaves, from the corpus runner's probe in the kernel
    (``Session.probe`` before the ``rows`` refactor)."""
    outputs = session.run(f"_corpus_probe({session.section!r}, {exercise!r})")
    for output in outputs:
        for line in output.get("text", "").splitlines():
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])
    raise RuntimeError(f"the probe printed nothing: {outputs}")


def attempt_once(session: Session, attempt: Attempt, notebook: str) -> dict:
    names = variables(attempt.section, attempt.exercise)
    session.run(f"for _name in {list(names)!r}:\n    globals().pop(_name, None)")
    cell = answer_cell(notebook, attempt.exercise, attempt.code)
    started = time.perf_counter()
    cell_error = errors(session.run(cell))
    probe = probe_of(session, attempt.exercise)
    verdict = scorer.judge(
        f"section{attempt.section}.{attempt.exercise}",
        {"key": attempt.exercise, **probe["report"]},
    )
    return {  # the cell itself is not kept: `answer_cell(notebook, exercise, attempt.code)` remakes it
        "cell_error": cell_error,
        "check": probe["outcome"],
        "message": probe["text"],
        "check_seconds": round(probe["seconds"], 3),
        "grader_accepted": verdict.accepted,
        "grader_reason": verdict.reason,
        "wall_seconds": round(time.perf_counter() - started, 2),
    }


def run_section(section: int) -> list[dict]:
    notebook = notebook_of(section)
    mine = [a for a in ATTEMPTS if a.section == section]
    results: list[dict] = []
    with Session(notebook) as session:
        for exercise in exercise_order(notebook):
            session.run_until(f"{exercise}_answer")
            solution = session.cells[session.position].source
            for attempt in (a for a in mine if a.exercise == exercise):
                if any(marker in attempt.code for marker in SHARED_STATE):
                    with Session(notebook) as fresh:
                        fresh.run_until(f"{exercise}_answer")
                        outcome = attempt_once(fresh, attempt, notebook)
                    outcome["fresh_kernel"] = True
                else:
                    outcome = attempt_once(session, attempt, notebook)
                results.append({**record(attempt), **outcome})
                print(
                    f"  {attempt.id:34} {outcome['check']:13} grader={outcome['grader_accepted']!s:5}",
                    flush=True,
                )
            session.run(solution)
            session.position += 1
    return results


def record(attempt: Attempt) -> dict:
    return {
        "id": attempt.id,
        "key": key(attempt),
        "section": attempt.section,
        "exercise": attempt.exercise,
        "description": attempt.description,
        "right": attempt.right,
        "mistake": attempt.mistake,
        "gpu_only": attempt.gpu_only,
    }


def classify(result: dict, judgements: dict) -> dict:
    check_ok = result["check"] == "correct"
    grader_ok = bool(result["grader_accepted"])
    if result["gpu_only"]:
        return {"class": "gpu-only"}
    if result["right"]:
        return {"class": "right-accepted" if check_ok and grader_ok else "rejected-right"}
    if check_ok or grader_ok:
        by = "check and grader" if check_ok and grader_ok else ("check" if check_ok else "grader")
        return {"class": "accepted", "accepted_by": by}
    judged = judgements.get(result["key"])
    if not judged or judged.get("fingerprint") != fingerprint(result["message"]):
        return {"class": "unjudged"}
    return {"class": judged["class"], "judgement": judged.get("note", "")}


def summary(results: list[dict]) -> dict:
    def figures(rows: list[dict]) -> dict:
        counted = Counter(r["class"] for r in rows)
        wrong = sum(1 for r in rows if not r["right"] and r["class"] != "gpu-only")
        return {
            "attempts": len(rows),
            "wrong": wrong,
            "right": sum(1 for r in rows if r["right"]),
            "named_percent_of_wrong": round(100 * counted["named"] / wrong, 1) if wrong else None,
            **{c: counted[c] for c in sorted(counted)},
        }

    by_section = defaultdict(list)
    for r in results:
        by_section[r["section"]].append(r)
    return {
        "all": figures(results),
        "by_section": {str(s): figures(rows) for s, rows in sorted(by_section.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", type=int, help="sections to run (default: all)")
    parser.add_argument(
        "--reclassify", action="store_true", help="only re-read judgements.json; run nothing"
    )
    parser.add_argument(
        "--unjudged", action="store_true", help="list the refused wrong answers not judged yet"
    )
    args = parser.parse_args(argv)
    old = json.loads(RESULTS.read_text())["attempts"] if RESULTS.exists() else []
    judgements = json.loads(JUDGEMENTS.read_text()) if JUDGEMENTS.exists() else {}
    if args.reclassify or args.unjudged:
        results = old
    else:
        sections = args.sections or sorted({a.section for a in ATTEMPTS})
        started = time.perf_counter()
        fresh = []
        for section in sections:
            print(f"section {section}", flush=True)
            fresh += run_section(section)
        kept = [
            r
            for r in old
            if r["section"] not in sections and r["key"] in {key(a) for a in ATTEMPTS}
        ]
        order = {key(a): i for i, a in enumerate(ATTEMPTS)}
        results = sorted(kept + fresh, key=lambda r: order[r["key"]])
        print(f"{len(fresh)} attempts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for r in results:
        for field in ("class", "accepted_by", "judgement"):
            r.pop(field, None)
        r.pop("cell", None)
        r.update(classify(r, judgements))
    if args.unjudged:
        for r in results:
            if r["class"] == "unjudged":
                print(f"{r['key']}\n  truth: {r['mistake']}\n  check: {r['message']}\n")
        return 0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    RESULTS.write_text(
        json.dumps(
            {"commit": commit, "summary": summary(results), "attempts": results},
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(json.dumps(summary(results)["all"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

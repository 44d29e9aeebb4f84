"""How ``data/sentences.jsonl`` was split (run once; kept so the split can be reproduced).

``python -m model_pipeline split-data raw1.jsonl raw2.jsonl`` merges hand-written files of
``{"text", "label", "domain"}`` rows and assigns ``split``: a seeded draw of ``HELDOUT_SHARE`` (22 %)
of every group of label, domain and length, then cut to the same number of held-out texts per label
(what the course's data holds: 924 train, 252 held out, 78/22).
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from checker.data import DATA_FILE

SEED = 2024
HELDOUT_SHARE = 0.22


def length_bucket(text: str) -> str:
    words = len(text.split())
    return (
        "short"
        if words <= 10
        else "medium"
        if words <= 40
        else "long"
        if words <= 150
        else "review"
    )


def split(rows: list[dict]) -> list[dict]:
    rng = random.Random(SEED)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["label"], row["domain"], length_bucket(row["text"]))].append(row)
    heldout_by_label: dict[int, list[dict]] = defaultdict(list)
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        take = round(len(members) * HELDOUT_SHARE)
        heldout_by_label[key[0]].extend(members[:take])
    size = min(len(v) for v in heldout_by_label.values())  # balance the labels
    heldout = {id(r) for label_rows in heldout_by_label.values() for r in label_rows[:size]}
    return [{**row, "split": "heldout" if id(row) in heldout else "train"} for row in rows]


def main(paths: list[str]) -> None:
    rows, seen = [], set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["text"] not in seen:
                    seen.add(row["text"])
                    rows.append(
                        {"text": row["text"], "label": int(row["label"]), "domain": row["domain"]}
                    )
    out = split(rows)
    DATA_FILE.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8"
    )
    counts = defaultdict(int)
    for r in out:
        counts[(r["split"], r["label"])] += 1
    print(f"wrote {DATA_FILE}: {dict(sorted(counts.items()))}")

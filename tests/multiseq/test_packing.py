"""multiseq.packing, the measurement of section 12 and ``python -m benchmarks.packing``: the three ways batch the
same texts, and the work counted is the work of those batches."""

from __future__ import annotations

import copy

import torch

from checker import config, load_decoder
from multiseq import packing


def test_work_counts_positions_scores_and_the_pairs_within_each_text():
    padded = {
        "input_ids": torch.zeros(2, 5),
        "attention_mask": torch.tensor([[1] * 5, [1, 1, 0, 0, 0]]),
    }
    packed = {"input_ids": torch.zeros(1, 7), "position_ids": torch.tensor([[0, 1, 2, 3, 4, 0, 1]])}
    assert packing.text_lengths(padded) == packing.text_lengths(packed) == [5, 2]
    assert packing.work([padded]) == packing.Work(real=7, positions=10, scores=2 * 25, within=29)
    assert packing.work([packed]) == packing.Work(real=7, positions=7, scores=49, within=29)


def test_the_three_ways_batch_the_same_texts_and_packing_is_all_real():
    tokenizer, model, _ = load_decoder(config.COURSE_MODEL, "cpu")
    tokenizer = copy.deepcopy(tokenizer)  # the shared one stays as shipped
    tokenizer.pad_token = tokenizer.eos_token
    texts = [
        "A short one.",
        "A rather longer text than the others here.",
        "Mid length text.",
        "Hi.",
    ] * 3
    features = [{"input_ids": tokenizer(t)["input_ids"]} for t in texts]
    runs = packing.batchings(features, tokenizer, batch_size=4, seed=0)
    work = {way: packing.work(batches) for way, batches in runs.items()}
    assert len({w.real for w in work.values()}) == len({w.within for w in work.values()}) == 1
    assert work["random, packed"].positions == work["random, packed"].real
    assert work["grouped by length, padded"].positions <= work["random, padded"].positions
    firsts = [runs[way][0]["input_ids"] for way in ("random, padded", "random, packed")]
    assert sorted(firsts[0][firsts[0] != tokenizer.pad_token_id].tolist()) == sorted(
        firsts[1][0].tolist()
    )
    losses, seconds = packing.train_epoch(model, runs["random, packed"][:2])
    assert len(losses) == 2 and seconds > 0 and not model.training

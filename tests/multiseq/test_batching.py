"""The reference batched inference (multiseq.batching) is exact, keeps the order, respects its budget.

Small corpora only: these tests check answers, not speed (that is `python -m benchmarks.batching`).
"""

from __future__ import annotations

import random

import pytest
import torch

from multiseq import batching, benchmark

TOL = dict(atol=1e-4, rtol=1e-4)


@pytest.fixture(scope="module")
def corpus():
    """Short sentences, reviews and joined documents (two of them beyond 512 tokens), in mixed order."""
    texts = benchmark.build_corpus(14, seed=3, joined_share=0.3, words=(40, 160))
    texts += [
        benchmark.build_corpus(1, seed=7, joined_share=1.0, words=(700, 701))[0],
        benchmark.build_corpus(1, seed=8, joined_share=1.0, words=(450, 451))[0],
        "",
        "Great.",
    ]
    random.Random(0).shuffle(texts)
    return texts


def alone(tokenizer, model, text: str, max_length: int = 512) -> torch.Tensor:
    """The logits of one text run by itself, truncated at ``max_length``: no padding involved."""
    with torch.inference_mode():
        inputs = tokenizer(text, truncation=True, max_length=max_length, return_tensors="pt")
        return model(**inputs).logits[0].float()


@pytest.fixture(scope="module")
def one_by_one(course, corpus):
    return torch.stack([alone(course.tokenizer, course.model, text) for text in corpus])


class ForwardSpy:
    """Records the input_ids and attention_mask of every forward call."""

    def __init__(self, model):
        self.calls: list[tuple[torch.Tensor, torch.Tensor]] = []
        self._handle = model.register_forward_pre_hook(self._record, with_kwargs=True)

    def _record(self, module, args, kwargs):
        self.calls.append((kwargs["input_ids"].clone(), kwargs["attention_mask"].clone()))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.remove()


def test_corpus_mixes_short_texts_with_texts_beyond_the_model_limit(course, corpus):
    lengths = [len(ids) for ids in course.tokenizer(corpus)["input_ids"]]
    assert min(lengths) <= 5 and max(lengths) > 600 and sum(n > 512 for n in lengths) >= 1
    assert len(set(lengths)) > 10


def test_every_text_matches_running_it_alone(course, corpus, one_by_one):
    result = batching.classify(corpus, course.tokenizer, course.model, max_tokens=1024)
    assert result.logits.shape == one_by_one.shape and result.logits.dtype == torch.float32
    for row, text in enumerate(corpus):
        torch.testing.assert_close(
            result.logits[row], one_by_one[row], **TOL, msg=f"text {row}: {text[:60]!r}"
        )


def test_labels_are_the_argmax_of_the_logits(course, corpus, one_by_one):
    result = batching.classify(corpus, course.tokenizer, course.model)
    id2label = course.model.config.id2label
    assert result.labels == [id2label[int(i)] for i in one_by_one.argmax(dim=-1)]


def test_texts_over_the_limit_are_truncated_at_512_tokens(course, corpus, one_by_one):
    long = [i for i, t in enumerate(corpus) if len(course.tokenizer(t)["input_ids"]) > 512]
    with ForwardSpy(course.model) as spy:
        result = batching.classify([corpus[i] for i in long], course.tokenizer, course.model)
    assert max(ids.shape[1] for ids, _ in spy.calls) == 512
    torch.testing.assert_close(result.logits, one_by_one[long], **TOL)


def test_input_order_is_restored_whatever_the_order_of_lengths(course, corpus, one_by_one):
    order = list(range(len(corpus)))
    random.Random(5).shuffle(order)
    result = batching.classify(
        [corpus[i] for i in order], course.tokenizer, course.model, max_tokens=1024
    )
    torch.testing.assert_close(result.logits, one_by_one[order], **TOL)


def test_every_batch_stays_within_the_token_budget_and_is_padded_to_its_own_longest(course, corpus):
    budget = 1024
    with ForwardSpy(course.model) as spy:
        batching.classify(corpus, course.tokenizer, course.model, max_tokens=budget)
    assert len(spy.calls) > 1
    assert sum(ids.shape[0] for ids, _ in spy.calls) == len(corpus)  # each text once
    for ids, mask in spy.calls:
        assert ids.shape[0] * ids.shape[1] <= budget
        assert int(mask.sum(dim=1).max()) == ids.shape[1], (
            "a batch is padded beyond its longest member"
        )
        real = mask.bool()
        assert bool((ids[~real] == course.tokenizer.pad_token_id).all()), (
            "padding must use the pad id"
        )
        assert bool((mask.cumsum(dim=1) == mask.sum(dim=1, keepdim=True)).logical_or(real).all()), (
            "padding must be on the right"
        )


def test_batches_run_longest_first(course, corpus):
    with ForwardSpy(course.model) as spy:
        batching.classify(corpus, course.tokenizer, course.model, max_tokens=1024)
    widths = [ids.shape[1] for ids, _ in spy.calls]
    assert widths == sorted(widths, reverse=True)


def _windows(tokenizer, text: str, max_length: int, stride: int) -> list[list[int]]:
    """The window option's definition, written out: overlapping slices of the text's tokens, each
    with [CLS]/[SEP] added; a window starts every (room - stride) tokens while it adds new tokens."""
    content = tokenizer(text, add_special_tokens=False)["input_ids"]
    room = max_length - tokenizer.num_special_tokens_to_add()
    step = room - stride
    starts = [
        s for s in range(0, max(len(content), 1), step) if s == 0 or s + stride < len(content)
    ]
    return [
        [tokenizer.cls_token_id, *content[s : s + room], tokenizer.sep_token_id] for s in starts
    ]  # BERT-style


@pytest.mark.parametrize("max_length, stride", [(64, 16), (100, 0)])
def test_window_option_averages_the_logits_of_its_windows(course, corpus, max_length, stride):
    tok, model = course.tokenizer, course.model
    texts = [t for t in corpus if len(tok(t)["input_ids"]) > 2 * max_length][:3] + ["Great.", ""]
    result = batching.classify(texts, tok, model, window=True, max_length=max_length, stride=stride)
    for row, text in enumerate(texts):
        windows = _windows(tok, text, max_length, stride)
        with torch.inference_mode():
            each = torch.stack([model(torch.tensor([ids])).logits[0] for ids in windows])
        torch.testing.assert_close(result.logits[row], each.mean(dim=0), **TOL)
    assert len(texts) >= 4 and len(_windows(tok, texts[0], max_length, stride)) > 2


def test_window_option_equals_truncation_for_texts_that_fit(course, corpus):
    short = [t for t in corpus if len(course.tokenizer(t)["input_ids"]) <= 512]
    truncated = batching.classify(short, course.tokenizer, course.model)
    windowed = batching.classify(short, course.tokenizer, course.model, window=True)
    torch.testing.assert_close(windowed.logits, truncated.logits, **TOL)


@pytest.mark.parametrize(
    "texts, error, words",
    [
        (None, TypeError, "texts is None"),
        ("I loved it", TypeError, "single string"),
        ([], ValueError, "empty"),
        (["fine", None], TypeError, "texts[1] is a NoneType"),
        (["fine", 3], TypeError, "texts[1] is a int, not a string"),
        ({"text": "fine"}, TypeError, "not a dict"),
        (42, TypeError, "not a int"),
    ],
)
def test_bad_input_gets_a_clear_error(course, texts, error, words):
    with pytest.raises(error) as info:
        batching.classify(texts, course.tokenizer, course.model)
    assert words in str(info.value)


@pytest.mark.parametrize(
    "options, words",
    [
        (dict(max_tokens=100), "smaller than the longest sequence"),
        (dict(max_tokens=0), "max_tokens must be a positive int"),
        (dict(max_length=1000), "beyond the model's limit of 512"),
        (dict(window=True, max_length=64, stride=62), "stride must be an int from 0 to 61"),
        (dict(progress="yes"), "progress must be True, False or None"),
    ],
)
def test_bad_options_get_a_clear_error(course, corpus, options, words):
    with pytest.raises((TypeError, ValueError)) as info:
        batching.classify(corpus, course.tokenizer, course.model, **options)
    assert words in str(info.value)


def test_tokenizer_and_model_come_together(course):
    with pytest.raises(ValueError, match="both tokenizer and model"):
        batching.classify(["fine"], course.tokenizer)


def test_tuples_and_generators_of_texts_are_accepted(course):
    listed = batching.classify(["Great.", "Awful."], course.tokenizer, course.model).logits
    torch.testing.assert_close(
        batching.classify(("Great.", "Awful."), course.tokenizer, course.model).logits, listed
    )
    torch.testing.assert_close(
        batching.classify((t for t in ["Great.", "Awful."]), course.tokenizer, course.model).logits,
        listed,
    )


def test_progress_bar_is_off_for_short_lists_and_can_be_forced(course, capsys, monkeypatch):
    texts = ["Great.", "Awful.", "Fine, I guess."]
    batching.classify(texts, course.tokenizer, course.model)
    assert "classifying" not in capsys.readouterr().err
    batching.classify(texts, course.tokenizer, course.model, progress=True)
    assert "classifying" in capsys.readouterr().err
    monkeypatch.setattr(batching, "PROGRESS_MIN_TEXTS", 3)
    batching.classify(texts, course.tokenizer, course.model)
    assert "classifying" in capsys.readouterr().err
    batching.classify(texts, course.tokenizer, course.model, progress=False)
    assert "classifying" not in capsys.readouterr().err


def test_training_mode_is_restored_and_dropout_stays_off(course):
    model = course.model
    model.train()
    try:
        first = batching.classify(["Great.", "Awful."], course.tokenizer, model).logits
        second = batching.classify(["Great.", "Awful."], course.tokenizer, model).logits
        assert model.training
    finally:
        model.eval()
    torch.testing.assert_close(first, second, atol=0, rtol=0)


def test_cpu_device_is_accepted_and_a_missing_gpu_is_named(course):
    batching.classify(["Great."], course.tokenizer, course.model, device="cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            batching.classify(["Great."], course.tokenizer, course.model, device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_matches_the_cpu_within_the_gpu_tolerance(corpus):
    from checker.model import load_fresh

    tok, model, _ = load_fresh(device="cpu")
    on_cpu = batching.classify(corpus, tok, model).logits
    on_gpu = batching.classify(corpus, tok, model, device="cuda").logits
    torch.testing.assert_close(on_gpu, on_cpu, atol=1e-3, rtol=1e-3)


# --- the batch planner on its own ---


@pytest.mark.parametrize("overhead", [0, 32, 10_000])
def test_plan_covers_every_sequence_once_within_the_budget(overhead):
    rng = random.Random(overhead)
    lengths = [rng.choice([3, 5, 7, 8, 20, 21, 64, 200, 512]) for _ in range(300)]
    batches = batching.plan_batches(lengths, 2048, overhead)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) * max(lengths[i] for i in b) <= 2048 for b in batches)
    longest = [max(lengths[i] for i in b) for b in batches]
    assert longest == sorted(longest, reverse=True)


def test_plan_without_overhead_groups_exactly_equal_lengths():
    lengths = [5, 9, 5, 9, 9, 12, 5, 12]
    batches = batching.plan_batches(lengths, 1000, overhead_tokens=0)
    assert all(len({lengths[i] for i in b}) == 1 for b in batches)
    assert len(batches) == 3


def test_plan_merges_lengths_when_a_call_costs_more_than_the_padding():
    lengths = [10, 11, 12, 13]
    assert len(batching.plan_batches(lengths, 1000, overhead_tokens=100)) == 1
    assert len(batching.plan_batches(lengths, 1000, overhead_tokens=0)) == 4


def test_plan_splits_a_run_that_exceeds_the_budget():
    batches = batching.plan_batches([8] * 10, 32, overhead_tokens=1000)
    assert [len(b) for b in batches] == [4, 4, 2]


def test_plan_refuses_a_sequence_longer_than_the_budget():
    with pytest.raises(ValueError, match="from 1 to max_tokens"):
        batching.plan_batches([10, 600], 512)


def test_pad_pads_on_the_right_with_the_pad_id_and_a_zero_mask(course):
    tok = course.tokenizer
    sequences = batching.encode(["Great.", "So have I, really!"], tok, 512).sequences
    batch = batching.pad(sequences, tok)
    expected = tok(["Great.", "So have I, really!"], padding=True, return_tensors="pt")
    for key in expected:
        assert torch.equal(batch[key], expected[key]), key


def test_padding_efficiency_counts_real_over_all_tokens():
    masks = [torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]]), torch.tensor([[1, 1]])]
    assert batching.padding_efficiency(masks) == pytest.approx(8 / 10)
    with pytest.raises(ValueError):
        batching.padding_efficiency([])


# --- the benchmark's pieces (no timing) ---


def test_benchmark_corpus_is_seeded_and_reaches_beyond_512_tokens(course):
    first, again = benchmark.build_corpus(40, seed=1), benchmark.build_corpus(40, seed=1)
    assert first == again and first != benchmark.build_corpus(40, seed=2)
    lengths = [len(ids) for ids in course.tokenizer(first)["input_ids"]]
    assert min(lengths) < 20 and max(lengths) > 512


def test_benchmark_measures_efficiency_and_differences(course):
    texts = [
        "Great.",
        "Awful, just awful.",
        "A long, slow, beautiful film that I would watch again.",
    ] * 3
    methods = {
        name: benchmark.METHODS[name]
        for name in (benchmark.BASELINE, benchmark.LONGEST, benchmark.REFERENCE, benchmark.BOUND)
    }
    rows = {
        r.key: r
        for r in benchmark.measure(
            texts, course.tokenizer, course.model, methods=methods, batch_size=32
        )
    }
    assert (
        rows[benchmark.BASELINE].padding_efficiency == 1.0
        and rows[benchmark.BASELINE].forward_calls == 9
    )
    assert (
        rows[benchmark.BOUND].padding_efficiency == 1.0 and rows[benchmark.BOUND].forward_calls == 3
    )
    assert (
        rows[benchmark.LONGEST].forward_calls == 1
        and rows[benchmark.LONGEST].method == "batches of 32, padded to longest"
    )
    assert rows[benchmark.LONGEST].padding_efficiency < 0.8
    assert all(r.max_difference <= 1e-4 for r in rows.values())
    assert "| reference (sorted, token budget) |" in benchmark.table(list(rows.values()))


# In a notebook, tqdm.auto is tqdm.notebook: its bar is an ipywidgets box, shown once at the start and
# then updated; what stays after the run is that widget's state. This cell records the box it showed.
PROGRESS_IN_A_KERNEL = """
import tqdm.notebook
shown = []
display = tqdm.notebook.display
tqdm.notebook.display = lambda box, *a, **k: (shown.append(box), display(box, *a, **k))
from checker import load_model
from multiseq import batching
tokenizer, model, _ = load_model()
batching.classify(["Great.", "Awful.", "Fine, I guess."], tokenizer, model, progress=True)
box = shown[0]
print(type(box).__name__, box.layout.visibility, box.children[1].bar_style, box.children[1].value)
"""


def test_the_progress_bar_stays_in_a_notebook_when_it_is_done(tmp_path):
    import nbformat

    from tests.helpers.notebooks import execute

    path = tmp_path / "progress.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROGRESS_IN_A_KERNEL)]), path
    )
    cell = execute(path, allow_errors=False).cells[0]
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    # Visible (no "hidden"), green, full: 3 of 3 texts. With leave=False the box is closed and hidden.
    assert printed.split() == ["TqdmHBox", "None", "success", "3.0"], printed
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs
    )

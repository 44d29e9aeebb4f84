"""The model card's accuracy figures come with their counts and a 95 % interval that is computed right."""

from __future__ import annotations

import pytest

from model_pipeline.evaluate import Z95, Accuracy, accuracy_of, wilson_interval


@pytest.mark.parametrize(
    ("correct", "total", "low", "high"),
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_the_published_values(correct, total, low, high):
    found = wilson_interval(correct, total)
    assert found == pytest.approx((low, high), abs=1e-4)


def test_each_bound_solves_wilsons_equation():
    """Wilson's bounds are the proportions pi with (p - pi)^2 = z^2 pi (1 - pi) / n: checked from that
    definition, not from a second copy of the formula (scipy, which gave the same, is not installed)."""
    for correct, total in [(229, 252), (13, 18), (1, 2), (7, 9), (1, 1000)]:
        p = correct / total
        for bound in wilson_interval(correct, total):
            assert (p - bound) ** 2 == pytest.approx(Z95**2 * bound * (1 - bound) / total, rel=1e-9)


def test_an_interval_holds_the_observed_accuracy_and_stays_within_0_and_1():
    for total in (1, 2, 18, 252):
        for correct in range(total + 1):
            low, high = wilson_interval(correct, total)
            assert 0.0 <= low <= correct / total <= high <= 1.0
            assert high - low > 0


@pytest.mark.parametrize(("correct", "total"), [(3, 2), (-1, 4), (0, 0)])
def test_impossible_counts_are_refused(correct, total):
    with pytest.raises(ValueError, match="correct <= total"):
        wilson_interval(correct, total)


def test_the_printed_line_names_the_count_and_the_interval():
    line = str(accuracy_of([True] * 13 + [False] * 5))
    assert line.startswith(" 72.2% ( 13/18 ; 95 % interval 49.1% to 87.5%)")
    assert isinstance(accuracy_of([True]), Accuracy)


def percent(value: float) -> str:
    """How the model card writes a share: one decimal and a spaced sign, 100 % without decimals."""
    return "100 %" if value == 1 else f"{value * 100:.1f} %"


def test_the_model_card_states_what_make_accuracy_measures():
    """The README's figures (overall, the weakest and the strongest domain, their counts and intervals, the
    texts' lengths) are today's `make accuracy`, not a number from an older model."""
    from checker.data import read_examples
    from checker.model import load_model
    from model_pipeline.evaluate import accuracy
    from tests.helpers.notebooks import ROOT

    heldout = read_examples("heldout")
    overall, per_domain = accuracy(heldout)
    card = " ".join((ROOT / "README.md").read_text().split())  # the card's lines are wrapped
    stated = (
        f"**{percent(overall.value)}** ({overall.correct} of {overall.total} sentences; 95 % interval "
        f"{percent(overall.low)} to {percent(overall.high)})"
    )
    assert stated in card, stated
    weakest = min(per_domain.values(), key=lambda a: a.value)
    strongest = max(per_domain.values(), key=lambda a: a.value)
    for domain in (weakest, strongest):
        stated = (
            f"{percent(domain.value)} ({domain.correct}/{domain.total}, interval {percent(domain.low)} to "
            f"{percent(domain.high)})"
        )
        assert stated in card, stated
    assert {d.total for d in per_domain.values()} == {
        18
    } and f"{len(per_domain)} domains has 18" in card
    lengths = [len(ids) for ids in load_model().tokenizer([e.text for e in heldout])["input_ids"]]
    assert f"texts are {min(lengths)} to {max(lengths)} tokens long" in card

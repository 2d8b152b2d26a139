"""The headline paragraph: named scenarios for a hand-written study, counts per winner for a crossed one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import label_of
from regbench.evaluate.paired import paired_table
from regbench.report.headline import MAX_NAMED, summary_paragraph


def _study(winners: list[str], r: int = 10) -> pd.DataFrame:
    """Per scenario: the named method 10% better than the other on every replicate, through large replicate noise."""
    rng = np.random.default_rng(0)
    rows = []
    for s, win in enumerate(winners):
        base = np.exp(rng.normal(0, 1.0, r))
        for m in ("lasso", "ridge"):
            for i in range(r):
                rows.append({"scenario": f"cell{s}", "replicate": i, "method": m, "test_mse": np.nan,
                             "pred_error": base[i] * (1.0 if m == win else 1.1) * np.exp(rng.normal(0, 0.005))})
    return paired_table(pd.DataFrame(rows))


def test_a_few_scenarios_are_named_one_by_one():
    text = summary_paragraph(_study(["lasso", "ridge"]))
    assert f"cell0: {label_of('lasso')}, ahead of {label_of('ridge')}" in text
    assert f"cell1: {label_of('ridge')}, ahead of {label_of('lasso')}" in text
    assert "in 2 of 2 scenarios" in text


def test_a_crossed_study_is_counted_per_winner_and_the_counts_follow_the_numbers():
    winners = ["lasso"] * (MAX_NAMED - 2) + ["ridge"] * 5
    text = summary_paragraph(_study(winners))
    assert "cell0:" not in text
    assert f"{label_of('lasso')} {MAX_NAMED - 2}, {label_of('ridge')} 5" in text
    assert f"in {len(winners)} of {len(winners)}" in text
    flipped = summary_paragraph(_study(["ridge"] * (MAX_NAMED - 2) + ["lasso"] * 5))
    assert f"{label_of('ridge')} {MAX_NAMED - 2}, {label_of('lasso')} 5" in flipped

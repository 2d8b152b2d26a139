"""The paired comparison (paired.csv): constructed errors where one method is clearly better, where two tie, and
the verdict flipping with the numbers; intervals checked against a brute-force bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regbench.evaluate.paired import PAIRED_COLUMNS, headline, paired_scenario, paired_table


def _metrics(errors: dict[str, np.ndarray], scenario="s", metric="pred_error") -> pd.DataFrame:
    rows = [{"scenario": scenario, "replicate": i, "method": m, "pred_error": np.nan, "test_mse": np.nan, metric: v}
            for m, vals in errors.items() for i, v in enumerate(vals)]
    return pd.DataFrame(rows)


def _noise(r=20, seed=0):
    # replicate noise far larger than the method differences: a paired design must see through it
    return np.exp(np.random.default_rng(seed).normal(0, 1.0, r))


def _row(t, method):
    return t.set_index("method").loc[method]


def test_clearly_better_method_wins_against_large_replicate_noise():
    base = _noise()
    rng = np.random.default_rng(1)
    t = paired_table(_metrics({"lasso": base * np.exp(rng.normal(0, 0.01, 20)),
                               "ridge": 1.05 * base * np.exp(rng.normal(0, 0.01, 20))}))
    assert list(t.columns) == PAIRED_COLUMNS
    assert set(t["best"]) == {"lasso"}
    ridge = _row(t, "ridge")
    assert ridge["vs_best"] == "worse" and ridge["vs_reference"] == "worse"
    assert ridge["to_best_lo"] > 1.03 and ridge["to_best_hi"] < 1.07  # the 5% effect, measured
    assert ridge["to_best"] == pytest.approx(1.05, abs=0.01)
    assert _row(t, "lasso")["win_rate"] == 1.0 and ridge["win_rate"] == 0.0
    # unpaired, the 5% gap is a fraction of the replicates' spread: the pairing is what separates the two
    assert 0.05 * np.median(base) < np.std(np.log(base)) / 5


def test_two_methods_within_noise_tie():
    base = _noise()
    rng = np.random.default_rng(2)
    t = paired_table(_metrics({"lasso": base * np.exp(rng.normal(0, 0.05, 20)),
                               "enet_naive": base * np.exp(rng.normal(0, 0.05, 20))}))
    other = t[t["vs_best"] != "best"].iloc[0]
    assert other["vs_best"] == "tie"
    assert other["to_best_lo"] <= 1 <= other["to_best_hi"]
    assert "tie" in headline(t).loc["s", other["method"]]


def test_verdict_flips_when_the_numbers_flip():
    base = _noise()
    good, bad = base, 1.2 * base
    t1 = paired_table(_metrics({"lasso": good, "ridge": bad}))
    t2 = paired_table(_metrics({"lasso": bad, "ridge": good}))
    assert set(t1["best"]) == {"lasso"} and set(t2["best"]) == {"ridge"}
    assert _row(t1, "ridge")["vs_reference"] == "worse" and _row(t2, "ridge")["vs_reference"] == "better"
    h1, h2 = headline(t1), headline(t2)
    assert h1.loc["s", "lasso"] == "best" and h2.loc["s", "ridge"] == "best"
    assert h1.loc["s", "ridge"].startswith("1.200x")


def test_interval_is_a_paired_percentile_bootstrap_of_the_log_ratio():
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"lasso": rng.uniform(1, 2, 8), "ridge": rng.uniform(1, 2, 8)})
    seed = np.random.SeedSequence(7)
    out = paired_scenario(x, n_boot=500, rng=np.random.default_rng(seed))
    best = out["best"].iloc[0]
    other = "ridge" if best == "lasso" else "lasso"
    # brute force: the same resampled replicates, a loop
    idx = np.random.default_rng(np.random.SeedSequence(7)).integers(0, 8, size=(500, 8))
    d = np.log(x[other].to_numpy()) - np.log(x[best].to_numpy())
    means = np.array([d[i].mean() for i in idx])
    r = _row(out, other)
    assert r["to_best_lo"] == pytest.approx(np.exp(np.quantile(means, 0.025)))
    assert r["to_best_hi"] == pytest.approx(np.exp(np.quantile(means, 0.975)))
    assert r["to_best"] == pytest.approx(np.exp(d.mean()))


def test_deterministic_and_independent_of_other_scenarios():
    a = _metrics({"lasso": _noise(seed=4), "ridge": 1.1 * _noise(seed=4)}, scenario="a")
    b = _metrics({"lasso": _noise(seed=5), "ridge": _noise(seed=6)}, scenario="b")
    t1 = paired_table(pd.concat([a, b]), seed=3)
    t2 = paired_table(pd.concat([a, b]), seed=3)
    pd.testing.assert_frame_equal(t1, t2)
    assert set(t1["scenario"]) == {"a", "b"}


def test_real_data_uses_test_mse_and_differences_when_not_positive():
    t = paired_table(_metrics({"lasso": [1.0, 2.0, 3.0], "ridge": [1.5, 2.5, 3.5]}, metric="test_mse"))
    assert set(t["metric"]) == {"test_mse"} and set(t["scale"]) == {"ratio"}
    d = paired_table(_metrics({"lasso": [0.0, 1.0, 2.0], "ridge": [0.5, 1.5, 2.5]}))
    assert set(d["scale"]) == {"difference"}
    assert _row(d, "ridge")["to_best"] == pytest.approx(0.5)


def test_bad_arguments_are_named():
    x = pd.DataFrame({"lasso": [1.0, 2.0], "ridge": [1.0, 3.0]})
    with pytest.raises(ValueError, match="level"):
        paired_scenario(x, level=1.5)
    with pytest.raises(ValueError, match="metric"):
        paired_table(_metrics({"lasso": [1.0]}), metric="nope")

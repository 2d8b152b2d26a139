"""The advice scored on a study's cells (regbench.advise.map_scores): winners and ties from the paired table,
agreement and regret of each policy computed by hand on a small table, pooled summaries with their intervals, the
regime map's table and the nearest cells of a constructed map."""

import math

import numpy as np
import pandas as pd
import pytest

from regbench.advise import map_scores as ms
from regbench.evaluate.paired import paired_table

ERRS = {"a": {"lasso": [2.0, 2.2, 1.8, 2.0], "ridge": [1.0, 1.1, 0.9, 1.0], "enet_naive": [1.5, 1.4, 1.6, 1.5]},
        "b": {"lasso": [1.0, 1.0, 1.0, 1.0], "ridge": [3.0, 2.0, 4.0, 3.0], "enet_naive": [1.2, 0.9, 1.1, 1.0]}}
CV = {"a": {"lasso": [5, 5, 1, 5], "ridge": [4, 4, 4, 4], "enet_naive": [6, 6, 6, 6]},
      "b": {"lasso": [1, 2, 1, 1], "ridge": [9, 9, 9, 9], "enet_naive": [2, 1, 2, 2]}}
ADVICE = pd.DataFrame({"scenario": ["a", "b"], "advised": ["elastic net", "L1"], "abs_r_q90": [0.3, 0.8]})


def _metrics(errs=ERRS, cv=CV):
    rows = [{"study": "s", "scenario": c, "replicate": r, "method": m, "pred_error": e[r], "test_mse": e[r] + 1,
             "cv_error": cv[c][m][r]} for c, per in errs.items() for m, e in per.items() for r in range(len(e))]
    return pd.DataFrame(rows)


def _paired():
    # by hand: ridge wins a clearly; lasso wins b with the naive elastic net tied (its interval reaches 1)
    verdicts = {"a": {"ridge": "best", "lasso": "worse", "enet_naive": "worse"},
                "b": {"lasso": "best", "enet_naive": "tie", "ridge": "worse"}}
    return pd.DataFrame([{"scenario": c, "method": m, "best": next(k for k, v in vs.items() if v == "best"),
                          "vs_best": v, "to_best": np.nan} for c, vs in verdicts.items() for m, v in vs.items()])


def _gmean(*ratios):
    return float(np.prod(ratios) ** (1 / len(ratios)))


def test_scores_by_hand():
    picks = ms.policy_picks(ADVICE, _metrics(), _paired())
    s = ms.advice_scores(picks, _paired()).set_index(["scenario", "policy"])
    assert s.loc[("a", "advice"), "winner"] == "ridge" and s.loc[("b", "advice"), "winner"] == "lasso"
    assert s.loc[("b", "advice"), "tied_with"] == "enet_naive"
    # cell a, advice "elastic net" -> the naive elastic net (the study has no corrected one)
    assert s.loc[("a", "advice"), "choice"] == "enet_naive" and s.loc[("a", "advice"), "agreement"] == 0.0
    assert s.loc[("a", "advice"), "regret"] == pytest.approx(_gmean(1.5 / 1.0, 1.4 / 1.1, 1.6 / 0.9, 1.5 / 1.0))
    assert s.loc[("a", "always_lasso"), "regret"] == pytest.approx(2.0)  # 2/1, 2.2/1.1, 1.8/0.9, 2/1
    assert s.loc[("a", "always_lasso"), "regret_lo"] == pytest.approx(2.0)  # every resample gives 2
    # cv in cell a picks ridge, ridge, lasso, ridge (cv errors 4 < 5, 4 < 5, 1 < 4, 4 < 5)
    assert s.loc[("a", "cv"), "regret"] == pytest.approx(_gmean(1, 1, 2, 1))
    assert s.loc[("a", "cv"), "agreement"] == pytest.approx(3 / 4) and s.loc[("a", "cv"), "choice"] == "per replicate"
    assert s.loc[("b", "advice"), "regret"] == 1.0 and s.loc[("b", "advice"), "agreement"] == 1.0
    # the tied naive elastic net agrees with the winner in b, its regret is its own paired ratio
    assert s.loc[("b", "always_enet"), "agreement"] == 1.0
    assert s.loc[("b", "always_enet"), "regret"] == pytest.approx(_gmean(1.2, 0.9, 1.1, 1.0))
    # cv in b: lasso, enet (0.9 < 1: beats the winner on that replicate), lasso, lasso; all agree (tie)
    assert s.loc[("b", "cv"), "regret"] == pytest.approx(_gmean(1, 0.9, 1, 1)) and s.loc[("b", "cv"), "agreement"] == 1
    lo, hi = s.loc[("a", "advice"), ["regret_lo", "regret_hi"]]
    assert lo <= s.loc[("a", "advice"), "regret"] <= hi and lo < hi


def test_summary_pools_cells_and_pairs_the_baselines_with_the_advice():
    picks = ms.policy_picks(ADVICE, _metrics(), _paired())
    summary = ms.score_summary(picks, {"shape=x": ["a"]})
    t = summary.set_index(["group", "policy"])
    regret_a = _gmean(1.5 / 1.0, 1.4 / 1.1, 1.6 / 0.9, 1.5 / 1.0)
    assert t.loc[("all", "advice"), "agreement"] == 0.5 and t.loc[("all", "advice"), "cells"] == 2
    assert t.loc[("all", "advice"), "regret"] == pytest.approx(math.sqrt(regret_a * 1.0))  # cells weigh equally
    assert t.loc[("all", "cv"), "agreement"] == pytest.approx((3 / 4 + 1) / 2)
    assert t.loc[("all", "cv"), "regret"] == pytest.approx(math.sqrt(_gmean(1, 1, 2, 1) * _gmean(1, 0.9, 1, 1)))
    # advice / always-lasso, replicate by replicate: enet/lasso in a, lasso/lasso in b
    vs = math.sqrt(_gmean(1.5 / 2.0, 1.4 / 2.2, 1.6 / 1.8, 1.5 / 2.0) * 1.0)
    assert t.loc[("all", "always_lasso"), "vs_advice"] == pytest.approx(vs)
    assert math.isnan(t.loc[("all", "advice"), "vs_advice"])
    assert t.loc[("shape=x", "advice"), "regret"] == pytest.approx(regret_a)
    assert t.loc[("shape=x", "always_lasso"), "cells"] == 1
    assert summary["group"].iloc[0] == "all"


def test_a_fixed_policys_regret_is_its_paired_ratio_to_the_best():
    metrics = _metrics()
    paired = paired_table(metrics, n_boot=200, seed=1)
    s = ms.advice_scores(ms.policy_picks(ADVICE, metrics, paired), paired).set_index(["scenario", "policy"])
    p = paired.set_index(["scenario", "method"])
    assert s.loc[("a", "always_lasso"), "regret"] == pytest.approx(p.loc[("a", "lasso"), "to_best"], rel=1e-12)
    assert s.loc[("b", "always_enet"), "regret"] == pytest.approx(p.loc[("b", "enet_naive"), "to_best"], rel=1e-12)


def test_a_tie_in_the_errors_counts_as_agreement():
    # two methods with identical errors: the paired table names one best and the other a tie
    errs = {"c": {"lasso": [1.0, 2.0, 1.5], "ridge": [1.0, 2.0, 1.5], "enet_naive": [3.0, 4.0, 3.5]}}
    cv = {"c": {"lasso": [2, 2, 2], "ridge": [1, 1, 1], "enet_naive": [3, 3, 3]}}
    metrics = _metrics(errs, cv)
    paired = paired_table(metrics, n_boot=200)
    p = paired.set_index("method")
    assert {p.at["lasso", "vs_best"], p.at["ridge", "vs_best"]} == {"best", "tie"}
    s = ms.advice_scores(ms.policy_picks(pd.DataFrame({"scenario": ["c"], "advised": ["L1"]}), metrics, paired),
                      paired).set_index("policy")
    assert s.loc["advice", "agreement"] == 1.0 and s.loc["cv", "agreement"] == 1.0  # cv picks ridge, the other one
    assert s.loc["advice", "regret"] == pytest.approx(1.0) and s.loc["cv", "regret"] == pytest.approx(1.0)
    assert s.loc["always_enet", "agreement"] == 0.0


def test_advice_of_a_category_the_study_lacks_is_not_scored():
    advice = pd.DataFrame({"scenario": ["a", "b"], "advised": ["none", "L1"]})  # no ols in the study
    s = ms.advice_scores(ms.policy_picks(advice, _metrics(), _paired())).set_index(["scenario", "policy"])
    assert ("a", "advice") not in s.index and ("b", "advice") in s.index


def test_the_corrected_elastic_net_stands_for_elastic_net_when_the_study_has_it():
    errs = {"a": {**ERRS["a"], "enet_corrected": [1.2, 1.2, 1.2, 1.2]}}
    cv = {"a": {**CV["a"], "enet_corrected": [7, 7, 7, 7]}}
    s = ms.advice_scores(ms.policy_picks(ADVICE, _metrics(errs, cv), paired_table(_metrics(errs, cv), n_boot=50)))
    s = s.set_index(["scenario", "policy"])
    assert s.loc[("a", "advice"), "choice"] == "enet_corrected" == s.loc[("a", "always_enet"), "choice"]


def test_a_non_positive_error_gives_nan_regret_and_a_warning():
    errs = {"a": {**ERRS["a"], "lasso": [0.0, 2.2, 1.8, 2.0]}}
    with pytest.warns(UserWarning, match="scenario 'a'.*<= 0"):
        picks = ms.policy_picks(ADVICE, _metrics(errs), _paired())
    assert picks["log_ratio"].isna().all()


def _scenarios():
    return pd.DataFrame({"name": ["a", "b"], "truth": ["sparse", "dense"], "k": [5, np.nan], "p": [20, 200],
                         "n_train": [200, 50], "rho": [np.nan, 0.9], "snr": [5.0, 0.5], "grid": ["regime"] * 2,
                         "grid_axes": ["rho shape"] * 2, "shape": ["n_gg_p", "p_gg_n"]})


def test_regime_map_table_and_axis_groups():
    paired = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "method": ["lasso", "ridge", "lasso", "ridge"],
                           "best": ["ridge", "ridge", "lasso", "lasso"], "vs_best": ["worse", "best", "best", "tie"],
                           "to_best": [2.0, 1.0, 1.0, 1.05]})
    t = ms.regime_map_table(_scenarios(), paired, ADVICE).set_index("scenario")
    assert t.loc["a", "n_over_p"] == 10.0 and t.loc["a", "nonzero_fraction"] == 0.25 and t.loc["a", "rho"] == 0.0
    assert t.loc["b", "nonzero_fraction"] == 1.0 and t.loc["b", "abs_r_q90"] == 0.8
    assert t.loc["a", "winner"] == "ridge" and t.loc["a", "winner_category"] == "L2"
    assert t.loc["a", "regret_lasso"] == 2.0 and t.loc["b", "tied_with"] == "ridge" and t.loc["a", "tied_with"] == ""
    assert math.isnan(t.loc["a", "regret_ols"])
    assert ms.axis_groups(_scenarios()) == {"rho=0.9": ["b"], "shape=n_gg_p": ["a"], "shape=p_gg_n": ["b"]}


def test_nearest_cells_match_n_over_p_and_correlation():
    table = pd.DataFrame({"scenario": ["x", "y", "z"], "n_over_p": [10.0, 1.0, 0.25], "abs_r_q90": [0.1, 0.1, 0.8],
                          "winner": ["ols", "ridge", "lasso"]})
    near = ms.nearest_cells(table, n_over_p=0.3, abs_r_q90=0.7, k=2)
    assert near["scenario"].tolist() == ["z", "y"]
    np.testing.assert_allclose(near["distance"].iloc[0], np.hypot(np.log10(0.25 / 0.3), 0.1))


def test_nearest_cells_order_equal_distances_by_name():
    # "b" and "a" are the same distance from (1, 0.5) on either side; "c" is farther
    table = pd.DataFrame({"scenario": ["b", "c", "a"], "n_over_p": [1.0, 1.0, 1.0], "abs_r_q90": [0.6, 0.9, 0.4]})
    near = ms.nearest_cells(table, n_over_p=1.0, abs_r_q90=0.5, k=3)
    assert near["scenario"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("kw, name", [({"n_over_p": 0.0}, "n_over_p"), ({"abs_r_q90": math.nan}, "abs_r_q90"),
                                      ({"k": 0}, "k")])
def test_nearest_cells_refuse_bad_input(kw, name):
    table = pd.DataFrame({"scenario": ["x"], "n_over_p": [1.0], "abs_r_q90": [0.1]})
    args = {"n_over_p": 1.0, "abs_r_q90": 0.1, **kw}
    with pytest.raises(ValueError, match=f"^{name}: expected"):
        ms.nearest_cells(table, **args)

"""The advice scored on a study's cells (regbench.advise.map_scores): winners, agreement and paired regret of each
policy computed by hand on a small table, and the nearest cells of a regime map."""

import math

import numpy as np
import pandas as pd
import pytest

from regbench.advise.map_scores import advice_scores, nearest_cells, score_summary


def _metrics():
    # cell a: ridge wins (median pred_error 1.0 vs lasso 2.0, enet 1.5); cell b: lasso wins
    errs = {"a": {"lasso": [2.0, 2.2, 1.8], "ridge": [1.0, 1.1, 0.9], "enet_naive": [1.5, 1.4, 1.6]},
            "b": {"lasso": [1.0, 1.0, 1.0], "ridge": [3.0, 2.0, 4.0], "enet_naive": [1.2, 0.9, 1.1]}}
    cv = {"a": {"lasso": [5, 5, 1], "ridge": [4, 4, 4], "enet_naive": [6, 6, 6]},
          "b": {"lasso": [1, 2, 1], "ridge": [9, 9, 9], "enet_naive": [2, 1, 2]}}
    rows = [{"study": "s", "scenario": c, "replicate": r, "method": m, "pred_error": e[r], "test_mse": e[r] + 1,
             "cv_error": cv[c][m][r]} for c, ms in errs.items() for m, e in ms.items() for r in range(3)]
    return pd.DataFrame(rows)


def test_scores_by_hand():
    advice = pd.DataFrame({"scenario": ["a", "b"], "advised": ["elastic net", "L1"]})
    scores = advice_scores(advice, _metrics()).set_index(["scenario", "policy"])
    assert scores.loc[("a", "advice"), "winner"] == "ridge" and scores.loc[("b", "advice"), "winner"] == "lasso"
    # cell a, advice elastic net: ratios 1.5/1.0, 1.4/1.1, 1.6/0.9 -> median 1.5 - 1
    assert scores.loc[("a", "advice"), "regret"] == pytest.approx(0.5)
    assert scores.loc[("a", "advice"), "agreement"] == 0.0 and scores.loc[("a", "advice"), "choice"] == "enet_naive"
    assert scores.loc[("b", "advice"), "regret"] == 0.0 and scores.loc[("b", "advice"), "agreement"] == 1.0
    assert scores.loc[("a", "always_lasso"), "regret"] == pytest.approx(1.0)  # 2/1, 2.2/1.1, 1.8/0.9 all = 2
    # cv in cell a picks ridge, ridge, lasso (cv errors 4 < 5, 4 < 5, 1 < 4): ratios 0, 0, 1 -> median 0
    assert scores.loc[("a", "cv"), "regret"] == 0.0
    assert scores.loc[("a", "cv"), "agreement"] == pytest.approx(2 / 3)
    # cv in cell b picks lasso, enet, lasso: ratios 0, -0.1, 0 -> median 0; agreement 2/3 (enet is not L1)
    assert scores.loc[("b", "cv"), "regret"] == 0.0 and scores.loc[("b", "cv"), "agreement"] == pytest.approx(2 / 3)
    summary = score_summary(advice_scores(advice, _metrics())).set_index("policy")
    assert summary.loc["advice", "agreement"] == 0.5 and summary.loc["advice", "regret_median"] == pytest.approx(0.25)
    assert summary.loc["always_lasso", "cells"] == 2


def test_advice_of_a_category_the_study_lacks_scores_nan():
    advice = pd.DataFrame({"scenario": ["a", "b"], "advised": ["none", "L1"]})  # no ols in the study
    scores = advice_scores(advice, _metrics()).set_index(["scenario", "policy"])
    assert math.isnan(scores.loc[("a", "advice"), "regret"]) and scores.loc[("a", "advice"), "choice"] == ""


def test_nearest_cells_match_n_over_p_and_correlation():
    table = pd.DataFrame({"scenario": ["x", "y", "z"], "n_over_p": [10.0, 1.0, 0.25], "abs_r_q90": [0.1, 0.1, 0.8],
                          "winner": ["ols", "ridge", "lasso"]})
    near = nearest_cells(table, n_over_p=0.3, abs_r_q90=0.7, k=2)
    assert near["scenario"].tolist() == ["z", "y"]
    np.testing.assert_allclose(near["distance"].iloc[0], np.hypot(np.log10(0.25 / 0.3), 0.1))

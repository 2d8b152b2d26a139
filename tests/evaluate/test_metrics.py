"""Metric functions against hand-computed values, and the median / bootstrap-SE aggregation."""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from regbench.evaluate import metrics as M
from regbench.evaluate.metrics import METRICS, evaluate_fit
from regbench.evaluate.summary import bootstrap_se_median, summarize

TRUE = np.array([1.0, -1.0, 0.0, 0.0])


def test_prediction_errors_by_hand():
    X = np.array([[1.0, 0.0, 0, 0], [0.0, 2.0, 0, 0]])
    y = np.array([1.5, -2.0])
    b = np.array([1.0, -0.5, 0, 0])
    # predictions with intercept 0.5: [1.5, -0.5]; y - yhat = [0, -1.5]
    assert M.test_mse(X, y, b, 0.5) == pytest.approx((0 + 2.25) / 2)
    # noise-free: x'b_hat + b0 - x'b = [1.5 - 1, -0.5 + 2] = [0.5, 1.5]
    assert M.pred_error(X, b, 0.5, TRUE) == pytest.approx((0.25 + 2.25) / 2)
    # the same on a sparse X
    assert M.pred_error(sp.csc_matrix(X), b, 0.5, TRUE) == pytest.approx(1.25)


def test_estimation_and_support_by_hand():
    b = np.array([0.5, 0.0, 0.2, 0.0])
    assert M.rel_estimation_error(b, TRUE) == pytest.approx(np.sqrt(0.25 + 1 + 0.04) / np.sqrt(2))
    assert M.nnz(b) == 2
    assert M.precision(b, TRUE) == 0.5  # selected {0, 2}, true {0, 1}
    assert M.recall(b, TRUE) == 0.5
    assert M.f1(b, TRUE) == 0.5
    assert M.sign_agreement(b, TRUE) == 0.5  # agree at 0 (+) and 3 (0); not at 1, 2
    assert M.sign_agreement(TRUE, TRUE) == 1.0
    # nothing selected: precision 0 (as scikit-learn's zero_division=0), F1 0
    zero = np.zeros(4)
    assert (M.precision(zero, TRUE), M.recall(zero, TRUE), M.f1(zero, TRUE)) == (0.0, 0.0, 0.0)


def test_unknown_truth_gives_nan():
    nan = np.full(4, np.nan)
    b = np.array([1.0, 0, 0, 0])
    for fn in (M.rel_estimation_error, M.precision, M.recall, M.f1, M.sign_agreement):
        assert math.isnan(fn(b, nan))
    assert math.isnan(M.pred_error(np.eye(4), b, 0.0, nan))
    assert M.nnz(b) == 1


def test_grouping_spread():
    groups = np.array([0, 0, 0, 0, 1, 1, -1])
    # lasso-like: one variable of each group carries it; elastic-net-like: equal within groups
    lasso = np.array([4.0, 0, 0, 0, 2.0, 0, 9.0])
    enet = np.array([1.0, 1, 1, 1, 1.0, 1, 9.0])
    assert M.grouping_spread(enet, groups) == 0.0
    # group 0: std (4,0,0,0) = sqrt(3), mean |b| = 1 -> sqrt(3) = sqrt(m - 1); group 1: 1/1 = 1
    assert M.grouping_spread(lasso, groups) == pytest.approx((np.sqrt(3) + 1) / 2)
    assert math.isnan(M.grouping_spread(lasso, np.full(7, -1)))  # no groups
    assert math.isnan(M.grouping_spread(np.zeros(7), groups))  # every group all zero


def test_evaluate_fit_has_every_metric():
    ds = SimpleNamespace(X_test=np.eye(4), y_test=np.zeros(4), coef_true=TRUE, intercept_true=0.0,
                         groups=np.array([0, 0, -1, -1]))
    row = evaluate_fit(ds, TRUE, 0.0)
    assert list(row) == list(METRICS)
    assert row["pred_error"] == 0.0 and row["rel_estimation_error"] == 0.0 and row["f1"] == 1.0
    assert row["grouping_spread"] == 1.0  # (1, -1): std 1 over mean |b| 1


def test_bootstrap_se_median():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(400)
    se = bootstrap_se_median(x, n_boot=2000, rng=1)
    # the asymptotic SE of a normal median: sqrt(pi / 2) / sqrt(n)
    assert se == pytest.approx(np.sqrt(np.pi / 2 / 400), rel=0.35)  # the bootstrap of a median is rough
    assert bootstrap_se_median(x, rng=5) == bootstrap_se_median(x, rng=5)
    assert math.isnan(bootstrap_se_median([1.0]))
    assert math.isnan(bootstrap_se_median([np.nan, 2.0]))
    assert bootstrap_se_median([3.0, 3.0, 3.0]) == 0.0


def test_summarize_columns_and_determinism():
    df = pd.DataFrame({
        "scenario": ["a"] * 4 + ["b"] * 3,
        "method": ["x", "x", "y", "y", "x", "x", "x"],
        "v": [1.0, 3.0, 2.0, np.nan, 5.0, 6.0, 7.0],
        "w": [np.nan] * 7,
    })
    out = summarize(df, ["scenario", "method"], ["v", "w"], n_boot=100, seed=3)
    assert list(out.columns) == ["scenario", "method", "n_replicates", "v_median", "v_se", "w_median", "w_se"]
    assert out[["scenario", "method"]].values.tolist() == [["a", "x"], ["a", "y"], ["b", "x"]]
    assert out["n_replicates"].tolist() == [2, 2, 3]
    assert out["v_median"].tolist() == [2.0, 2.0, 6.0]
    assert out["w_median"].isna().all() and out["w_se"].isna().all()
    again = summarize(df, ["scenario", "method"], ["v", "w"], n_boot=100, seed=3)
    pd.testing.assert_frame_equal(out, again)
    # a group's SE does not depend on the columns summarized alongside it
    alone = summarize(df, ["scenario", "method"], ["v"], n_boot=100, seed=3)
    np.testing.assert_array_equal(alone["v_se"], out["v_se"])

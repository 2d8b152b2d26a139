"""regbench.advise.questions: the article's three questions as measured statistics and a rule-based recommendation."""

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from regbench.advise.questions import Advice, CostEstimate, Thresholds, advise, profile_data, recommend
from regbench.data.tables import load_prostate
from regbench.evaluate.methods import METHODS


def _grouped(n=100, seed=0):
    """Zou & Hastie Example 4's design: 3 groups of 5 near-copies of a factor, then 25 independent columns."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, 3))
    X = np.column_stack([np.repeat(Z, 5, axis=1) + 0.1 * rng.standard_normal((n, 15)),
                         rng.standard_normal((n, 25))])
    return X


def test_zero_fraction_dense_and_sparse_agree():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 10))
    X[rng.random((50, 10)) < 0.7] = 0.0
    pd_ = profile_data(X)
    ps = profile_data(sp.csc_matrix(X))
    assert pd_.zero_fraction == pytest.approx(np.mean(X == 0))
    assert ps.zero_fraction == pytest.approx(pd_.zero_fraction)
    assert ps.share_above_05 == pytest.approx(pd_.share_above_05)
    assert ps.condition_number == pytest.approx(pd_.condition_number)


def test_correlation_distribution_and_groups():
    X = _grouped()
    names = [f"v{j}" for j in range(40)]
    pr = profile_data(X, feature_names=names)
    assert pr.n_pairs == 40 * 39 // 2
    # 3 groups x 10 within-group pairs at |r| ~ 0.99, everything else ~ 0
    assert pr.share_above_08 == pytest.approx(30 / 780)
    assert pr.share_above_05 == pytest.approx(30 / 780)
    assert set(map(frozenset, pr.groups)) == {frozenset(names[5 * g:5 * g + 5]) for g in range(3)}
    assert pr.abs_r_quantiles["max"] > 0.98 and pr.abs_r_quantiles["median"] < 0.1
    np.testing.assert_allclose(pr.abs_r_quantiles["max"], np.abs(np.corrcoef(X.T)[np.triu_indices(40, 1)]).max())
    assert pr.condition_number > 10 and pr.rank == 40


def test_wide_constant_and_conditioning():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((10, 30))
    X[:, 3] = 2.0
    pr = profile_data(X)
    assert pr.constant_columns == ("x3",)
    assert np.isinf(pr.condition_number) and pr.rank <= 10
    Xw = rng.standard_normal((200, 5))
    assert profile_data(Xw).condition_number == pytest.approx(np.linalg.cond((Xw - Xw.mean(0)) / Xw.std(0)))


def _profile(**kw):
    base = profile_data(np.random.default_rng(0).standard_normal((60, 20)))
    return replace(base, **kw)


def test_rules_follow_the_article():
    th = Thresholds()
    # well-posed and well-conditioned: no regularization
    assert recommend(_profile(n=1000, condition_number=2.0))[0] == "none"
    # very sparse -> L2
    assert recommend(_profile(zero_fraction=0.8))[0] == "L2"
    # many correlated pairs -> L2
    assert recommend(_profile(share_above_05=0.3))[0] == "L2"
    # dense, uncorrelated, n > p -> L1
    rec, pts = recommend(_profile(zero_fraction=0.0, share_above_05=0.0, groups=()))
    assert rec == "L1" and any("and is dense" in pt.reasoning for pt in pts)
    # dense, uncorrelated, but p > n -> not L1: elastic net
    rec, pts = recommend(_profile(zero_fraction=0.0, share_above_05=0.0, groups=(), n=15, p=20,
                                  condition_number=np.inf))
    assert rec == "elastic net" and any(pt.leaning == "not L1" for pt in pts)
    # correlated groups but not a large amount of correlation -> elastic net
    rec, pts = recommend(_profile(zero_fraction=0.0, share_above_05=0.04, groups=(("a", "b"),)))
    assert rec == "elastic net" and any("correlated group" in pt.finding for pt in pts)
    # moderate sparsity, some correlation: don't know for sure -> elastic net, with the article's sentence
    rec, pts = recommend(_profile(zero_fraction=0.3, share_above_05=0.05, groups=()))
    assert rec == "elastic net" and any("don't know for sure" in pt.reasoning for pt in pts)
    assert th.very_sparse == 0.5


def test_compute_budget_turns_elastic_net_into_l1_or_l2():
    pr = _profile(zero_fraction=0.3, share_above_05=0.05, groups=())
    cost = CostEstimate(n_sub=60, n=60, path_seconds={"ols": 1e-4, "lasso": 0.01, "ridge": 0.005, "enet": 0.06},
                        cv_folds=5)
    assert cost.full_cv_seconds("enet") == pytest.approx(0.36)
    assert recommend(pr, cost, time_budget=10.0)[0] == "elastic net"
    rec, pts = recommend(pr, cost, time_budget=0.1)
    assert rec in ("L1", "L2") and any("over the budget" in pt.finding for pt in pts)
    assert any("more expensive" in pt.reasoning for pt in pts)


def test_advise_prostate_text_and_record():
    t = load_prostate()
    Xtr, ytr, _, _ = t.split()
    adv = advise(Xtr, ytr, feature_names=t.feature_names, measure=False)
    assert isinstance(adv, Advice)
    assert adv.recommendation == "L2"  # 17.9 % of the 28 pairs have |r| > 0.5: "a large amount"
    text = adv.to_text()
    for q in ("1. Prior knowledge", "2. Room for validation", "3. Computational requirements",
              "large amount of pairwise correlations", "Recommendation: L2"):
        assert q in text
    rec = adv.as_record()
    assert rec["advised"] == "L2" and rec["advised_method"] == "ridge" and rec["p"] == 8
    assert "-> L2" in rec["reasons"]
    assert {m.category for m in METHODS.values()} == {"none", "L1", "L2", "elastic net"}


def test_advise_input_errors():
    with pytest.raises(ValueError, match="rows"):
        advise(np.zeros((5, 2)), np.zeros(4), measure=False)
    with pytest.raises(ValueError, match="at least 3"):
        advise(np.zeros((2, 2)), np.zeros(2), measure=False)


def test_validate_on_sparse_input_keeps_it_sparse():
    rng = np.random.default_rng(0)
    X = sp.random(120, 30, density=0.1, format="csc", random_state=1, data_rvs=rng.standard_normal)
    y = np.asarray(X @ np.r_[np.ones(4), np.zeros(26)]).ravel() + 0.1 * rng.standard_normal(120)
    adv = advise(X, y, validate=True, measure=False, cv=3)
    assert adv.recommendation == "L2"  # 90 % zeros: the article's "very sparse -> L2"
    v = adv.validation
    assert set(v.mse) == {"ols", "lasso", "ridge", "enet_naive", "enet_corrected"} and v.folds == 3
    assert v.winner_category in ("L1", "elastic net") and not v.held  # the sparse truth is L1's home ground

"""Claim verdicts on constructed studies: each level (holds, does not hold, inconclusive) reached, flipping with
the numbers; a grid-edge choice makes the dependent claims inconclusive; the double-shrinkage refit against its
definition; fit health finds non-converged fits and grid edges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from report_fixture import make_study
from sklearn.linear_model import ElasticNet

from regbench.data.io import save_dataset
from regbench.data.simulate import simulate
from regbench.report import claims as rclaims
from regbench.report import health, shrinkage
from regbench.report import study as rstudy


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return rstudy.load_study(make_study(tmp_path_factory.mktemp("claims"), n_replicates=6))


def _with(study, metrics=None, warnings=None):
    return rstudy.Study(study.name, study.metrics if metrics is None else metrics, study.summary,
                        study.scenarios, study.fits_dir, study.paired, warnings)


def _verdict(claims, prefix):
    (row,) = claims.index[claims["claim"].str.startswith(prefix)]
    return claims.loc[row]


def _no_edges():
    return pd.DataFrame(columns=health.HEALTH_COLUMNS)


def _set_ratio(m, num, den, col, ratio, noise=0.0, seed=0):
    m = m.copy()
    rng = np.random.default_rng(seed)
    for scen in m["scenario"].unique():
        d = (m["scenario"] == scen) & (m["method"] == den)
        n = (m["scenario"] == scen) & (m["method"] == num)
        m.loc[n, col] = m.loc[d, col].to_numpy() * ratio * np.exp(rng.normal(0, noise, d.sum()))
    return m


@pytest.mark.parametrize("ratio, noise, expected", [
    (0.8, 0.01, rclaims.HOLDS), (1.25, 0.01, rclaims.FAILS), (1.0, 0.3, rclaims.INCONCLUSIVE)])
def test_corrected_after_tuning_each_level(base, ratio, noise, expected):
    m = _set_ratio(base.metrics, "enet_corrected", "enet_naive", "pred_error", ratio, noise)
    row = _verdict(rclaims.check_claims(_with(base, m), health=_no_edges()), "After tuning, the corrected")
    assert row["verdict"] == expected
    assert row["threshold"].startswith("< 1")
    lo, hi = (float(v) for v in row["95% interval"].strip("[]").split(","))
    assert lo <= float(row["value"]) <= hi


def test_tuning_cost_contradiction_comes_with_its_reason(base):
    m = _set_ratio(base.metrics, "enet_naive", "lasso", "tune_time", 0.5, 0.01)
    row = _verdict(rclaims.check_claims(_with(base, m), health=_no_edges()), "Elastic net costs more")
    assert row["verdict"] == rclaims.FAILS
    assert "Why, against the article" in row["evidence"]
    m = _set_ratio(base.metrics, "enet_naive", "lasso", "tune_time", 3.0, 0.01)
    row = _verdict(rclaims.check_claims(_with(base, m), health=_no_edges()), "Elastic net costs more")
    assert row["verdict"] == rclaims.HOLDS and "Why" not in row["evidence"]


def test_grid_edge_makes_dependent_claims_inconclusive(base):
    m = _set_ratio(base.metrics, "enet_corrected", "enet_naive", "pred_error", 0.8, 0.01)
    clean = rclaims.check_claims(_with(base, m), health=_no_edges())
    assert _verdict(clean, "After tuning, the corrected")["verdict"] == rclaims.HOLDS
    reps = sorted(m["replicate"].unique())
    edges = pd.DataFrame([dict(scenario="sparse_lowdim", replicate=r, method="enet_naive", seed=np.nan,
                               kind="grid_edge", message="l1_ratio at the smallest value of its grid", value=0.1)
                          for r in reps])
    s = _with(base, m, warnings=edges)
    edged = rclaims.check_claims(s, health=health.health_table(s))
    row = _verdict(edged, "After tuning, the corrected")
    assert row["verdict"] == rclaims.INCONCLUSIVE and "grid edge" in row["evidence"]
    # the claims that do not rest on the elastic net's tuning keep their verdicts
    assert _verdict(edged, "L1 sets")["verdict"] == _verdict(clean, "L1 sets")["verdict"]


def test_health_lists_nonconverged_fits_and_grid_edges(base):
    m = base.metrics.copy()
    bad = (m["scenario"] == "sparse_lowdim") & (m["method"] == "lasso") & (m["replicate"] == 1)
    m.loc[bad, ["converged", "gap"]] = [False, 1e-4]
    h = health.health_table(_with(base, m))
    nc = h[h["kind"] == "nonconvergence"]
    assert nc[["scenario", "replicate", "method"]].values.tolist() == [["sparse_lowdim", 1, "lasso"]]
    assert nc["value"].iloc[0] == pytest.approx(1e-4)
    # the fixture's elastic nets choose l1_ratio 0.9 of [0.1, 0.5, 0.9, 1.0]: no edge; its CV curves' minima
    # sit inside the lambda grid unless the fit says otherwise
    for _, r in h[h["kind"] == "grid_edge"].iterrows():
        fit = rstudy.load_fit(base, r["scenario"], r["replicate"], r["method"])
        assert fit["chosen_index"] in (0, len(fit["cv_lambdas"]) - 1)


def test_fit_edges_rules():
    lam = np.logspace(0, -2, 5)
    fit = dict(cv_lambdas=lam, chosen_index=4)
    assert health.fit_edges(fit, "lasso") == [("lambda at the smallest value of its grid", lam[4])]
    assert health.fit_edges(dict(cv_lambdas=lam, chosen_index=0), "lasso") == []  # lambda_max: all zero anyway
    assert health.fit_edges(dict(cv_lambdas=lam, chosen_index=0), "ridge")[0][0].startswith("lambda at the largest")
    enet = dict(cv_lambdas=lam, chosen_index=2, grid_kind="l1_ratio", grid_values=np.array([0.1, 0.5, 1.0]))
    assert health.fit_edges({**enet, "grid_best_mse": np.array([1.0, 2.0, 3.0])}, "enet_naive")[0][1] == 0.1
    assert health.fit_edges({**enet, "grid_best_mse": np.array([3.0, 2.0, 1.0])}, "enet_naive") == []  # lasso end
    assert health.fit_edges({**enet, "grid_best_mse": np.array([3.0, 1.0, 2.0])}, "enet_naive") == []


def test_double_shrinkage_refit_against_its_definition(tmp_path):
    scen = dict(name="g", design="grouped", n=60, n_val=0, n_test=400, p=30, n_groups=3, group_size=5,
                group_noise=0.1, truth="sparse", k=10, support="first", signs="positive", snr=3.0)
    ds = simulate(scen, study_seed=0, replicate=0)
    lam1, lam2 = 0.05, 0.5
    out = shrinkage.refit_pair(ds, lam1, lam2)
    assert out["factor"] == pytest.approx(1 + lam2, rel=1e-9)
    assert out["rescale_error"] < 1e-9
    # an independent oracle of the naive fit: scikit-learn's ElasticNet on standardized columns, same objective
    X, y = ds.X_train, ds.y_train
    mu, sd = X.mean(0), X.std(0)
    alpha = lam1 + lam2
    sk = ElasticNet(alpha=alpha, l1_ratio=lam1 / alpha, tol=1e-12, max_iter=100_000).fit((X - mu) / sd, y)
    assert out["l1_naive"] == pytest.approx(np.abs(sk.coef_ / sd).sum(), rel=1e-5)
    # through a study: the table reads the stored data sets at the corrected elastic net's chosen parameters
    save_dataset(tmp_path / "data" / "g" / "0.npz", ds)
    metrics = pd.DataFrame([dict(study="s", scenario="g", replicate=0, method="enet_corrected", pred_error=1.0,
                                 lambda1=lam1, lambda2=lam2)])
    study = rstudy.Study("s", metrics, pd.DataFrame(), pd.DataFrame({"name": ["g"]}), tmp_path / "fits")
    t = shrinkage.double_shrinkage(study)
    assert list(t.columns) == shrinkage.SHRINKAGE_COLUMNS and len(t) == 1
    assert t["l1_naive"].iloc[0] == pytest.approx(out["l1_naive"])

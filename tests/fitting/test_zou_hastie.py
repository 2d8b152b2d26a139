"""regbench.fitting.zou_hastie: fits addressed by (lambda2, s) as R's elasticnet does, checked against LARS-EN.

The reference is Zou & Hastie's own algorithm, written here from scratch with scikit-learn's ``lars_path``: the
naive elastic net on unit-norm columns is a lasso on the augmented data X* = (1 + lambda2)^(-1/2) [X; sqrt(lambda2)
I], y* = [y; 0], and b_naive = b* / sqrt(1 + lambda2); s = |b*|_1 / |b*_end|_1 along the (piecewise-linear) path.
"""

import numpy as np
import pytest
from sklearn.linear_model import lars_path

from regbench.fitting.params import regbench_to_zh, zh_to_regbench
from regbench.fitting.zou_hastie import fit_lambda2_s, l1_fraction, ridge_reference, unit_norm


def _data(n=40, p=8, seed=0):
    rng = np.random.default_rng(seed)
    cov = 0.5 ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.multivariate_normal(np.zeros(p), cov, size=n) * rng.uniform(0.5, 3, p) + rng.normal(size=p)
    beta = np.array([3, 1.5, 0, 0, 2, 0, 0, 0] + [0] * (p - 8), dtype=float)
    y = X @ beta + 3 * rng.standard_normal(n) + 1.0
    return X, y


def _lars_en(X, y, lambda2, s):
    """Naive elastic net at (lambda2, s) on the original scale, by LARS on the augmented data."""
    Xn, yc, norms = unit_norm(X, y)
    n, p = Xn.shape
    Xa = np.vstack([Xn, np.sqrt(lambda2) * np.eye(p)]) / np.sqrt(1 + lambda2)
    ya = np.concatenate([yc, np.zeros(p)])
    alphas, _, coefs = lars_path(Xa, ya, method="lasso", eps=1e-14)
    norms1 = np.abs(coefs).sum(axis=0)
    frac = norms1 / norms1[-1]
    k = np.searchsorted(frac, s)  # frac increases along the path
    t = (s - frac[k - 1]) / (frac[k] - frac[k - 1])
    b_star = (1 - t) * coefs[:, k - 1] + t * coefs[:, k]
    b_naive_unitnorm = b_star / np.sqrt(1 + lambda2)
    return b_naive_unitnorm / norms


def test_scaling_conversion_round_trip():
    l1, l2 = zh_to_regbench(3.0, 0.1, 100)
    assert l1 == pytest.approx(3.0 / 20) and l2 == 0.1
    assert regbench_to_zh(l1, l2, 100) == pytest.approx((3.0, 0.1))


def test_scaling_conversion_matches_objectives():
    """Paper objective on unit-norm columns == 2n * regbench objective on unit-variance columns."""
    X, y = _data()
    n = X.shape[0]
    Xn, yc, _ = unit_norm(X, y)
    Z = Xn * np.sqrt(n)  # unit variance
    rng = np.random.default_rng(1)
    b_un = rng.normal(size=X.shape[1])
    b_uv = b_un / np.sqrt(n)  # same fit: Xn b_un = Z b_uv
    lam1, lam2 = 2.5, 0.7
    paper = np.sum((yc - Xn @ b_un) ** 2) + lam2 * b_un @ b_un + lam1 * np.abs(b_un).sum()
    l1p, l2p = zh_to_regbench(lam1, lam2, n)
    ours = np.sum((yc - Z @ b_uv) ** 2) / (2 * n) + l1p * np.abs(b_uv).sum() + l2p / 2 * b_uv @ b_uv
    assert paper == pytest.approx(2 * n * ours)


def test_ridge_reference_is_s_one():
    X, y = _data()
    ref = ridge_reference(X, y, 1.0)
    assert l1_fraction(ref, X, y, 1.0) == pytest.approx(1.0)
    ols = ridge_reference(X, y, 0.0)
    A = np.column_stack([np.ones(len(y)), X])
    np.testing.assert_allclose(ols, np.linalg.lstsq(A, y, rcond=None)[0][1:], rtol=1e-10)


@pytest.mark.parametrize("lambda2", [0.0, 0.01, 0.1, 1.0, 10.0])
@pytest.mark.parametrize("s", [0.1, 0.4, 0.8])
def test_fit_matches_lars_en(lambda2, s):
    X, y = _data()
    fit = fit_lambda2_s(X, y, lambda2, s, variant="naive", tol=1e-8)
    assert fit.s == pytest.approx(s, abs=1e-6)
    np.testing.assert_allclose(fit.coef, _lars_en(X, y, lambda2, s), atol=1e-5, rtol=1e-4)
    assert fit.intercept == pytest.approx(y.mean() - X.mean(axis=0) @ fit.coef)


def test_corrected_is_one_plus_lambda2_times_naive_and_kkt():
    X, y = _data(seed=3)
    lambda2, s = 1.0, 0.5
    naive = fit_lambda2_s(X, y, lambda2, s, variant="naive", tol=1e-9)
    corr = fit_lambda2_s(X, y, lambda2, s, variant="corrected", tol=1e-9)
    np.testing.assert_allclose(corr.coef, (1 + lambda2) * naive.coef, rtol=1e-6, atol=1e-9)
    assert corr.s == pytest.approx(naive.s)
    # KKT of the paper's problem on unit-norm columns at (lambda1, lambda2): X'(y - Xb) - lambda2 b = lambda1/2 sign
    Xn, yc, norms = unit_norm(X, y)
    b = naive.coef * norms
    g = Xn.T @ (yc - Xn @ b) - lambda2 * b
    on = b != 0
    np.testing.assert_allclose(g[on], naive.lambda1 / 2 * np.sign(b[on]), rtol=1e-4, atol=1e-6)
    assert np.all(np.abs(g[~on]) <= naive.lambda1 / 2 * (1 + 1e-6))
    assert naive.alpha == pytest.approx(naive.lambda1_regbench + lambda2)


def test_endpoints_and_errors():
    X, y = _data()
    assert np.all(fit_lambda2_s(X, y, 1.0, 0.0).coef == 0)
    full = fit_lambda2_s(X, y, 1.0, 1.0, variant="naive")
    np.testing.assert_allclose(full.coef, ridge_reference(X, y, 1.0))
    with pytest.raises(ValueError, match="s must be in"):
        fit_lambda2_s(X, y, 1.0, 1.5)
    with pytest.raises(ValueError, match="lambda2"):
        fit_lambda2_s(X, y, -1.0, 0.5)
    with pytest.raises(ValueError, match="variant"):
        fit_lambda2_s(X, y, 1.0, 0.5, variant="odd")


def test_agrees_with_params_module_and_solver():
    import regbench
    from regbench.fitting import params
    X, y = _data(seed=5)
    fit = fit_lambda2_s(X, y, 0.5, 0.6, variant="naive", tol=1e-9)
    alpha, l1_ratio = params.zou_hastie_to_glmnet(fit.lambda1, fit.lambda2, X.shape[0])
    assert alpha == pytest.approx(fit.alpha) and l1_ratio == pytest.approx(fit.l1_ratio)
    direct = regbench.fit(X, y, alpha, l1_ratio=l1_ratio, standardize=True, tol=1e-12)
    np.testing.assert_allclose(direct.coef, fit.coef, rtol=1e-5, atol=1e-8)


# Zou & Hastie (2005), Table 1: prostate data, ESL split, test MSE (SE over the 30 test rows) and variables.
ZH_TABLE1 = [  # (method, lambda2, s, variant, test MSE, SE, selected variables 1-based)
    ("least squares", 0.0, 1.0, "naive", 0.586, 0.184, [1, 2, 3, 4, 5, 6, 7, 8]),
    ("ridge / naive EN", 1.0, 1.0, "naive", 0.566, 0.188, [1, 2, 3, 4, 5, 6, 7, 8]),
    ("lasso", 0.0, 0.39, "naive", 0.499, 0.161, [1, 2, 4, 5, 8]),
    ("elastic net", 1000.0, 0.26, "corrected", 0.381, 0.105, [1, 2, 5, 6, 8]),
]


@pytest.mark.parametrize("row", ZH_TABLE1, ids=[r[0] for r in ZH_TABLE1])
def test_reproduces_zou_hastie_table1(row):
    from regbench.data.tables import load_prostate
    _, lambda2, s, variant, mse, se, selected = row
    Xtr, ytr, Xte, yte = load_prostate().split()
    fit = fit_lambda2_s(Xtr, ytr, lambda2, s, variant=variant)
    err = (yte - Xte @ fit.coef - fit.intercept) ** 2
    assert err.mean() == pytest.approx(mse, abs=6e-4)
    assert err.std(ddof=1) / np.sqrt(err.size) == pytest.approx(se, abs=6e-4)
    assert (fit.selected + 1).tolist() == selected


def test_paper_table_layout():
    import pandas as pd

    from regbench.report.tables import paper_table
    rows = []
    for sc in ("example1", "example2"):
        for i, m in enumerate(("ridge", "lasso", "enet_naive", "enet_corrected")):
            rows.append({"scenario": sc, "method": m, "pred_error_median": 1.0 + i, "pred_error_se": 0.1,
                         "nnz_median": 8 - i})
    table = paper_table(pd.DataFrame(rows))
    assert list(table.columns) == ["example1", "example2"]
    assert [m for _, m in table.index][:4] == ["Lasso", "Elastic net", "Ridge", "Naive elastic net"]
    assert table.loc[("median pred_error", "Ridge"), "example1"] == "1 (0.1)"
    assert table.loc[("median nnz", "Lasso"), "example2"] == "7"

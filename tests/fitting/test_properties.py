"""Properties of the solutions (hypothesis): invariances, sparsity, the corrected variant, ridge by SVD,
continuity of the path and the exact start of the default grid.

Example counts are kept moderate and derandomized so CI is fast and reproducible.
"""

import numpy as np
import scipy.sparse as sp
from conftest import column_scales, dense, lambda_max, make_data
from hypothesis import given, settings
from hypothesis import strategies as st

import regbench

PROPS = settings(max_examples=12, deadline=None, derandomize=True)
TIGHT = 1e-14
COEF_TOL = 1e-6
MAXIT = 300_000  # near-interpolating lasso problems (p > n, rho = 0.9) need > 10^5 epochs at tol=1e-14

seeds = st.integers(0, 10_000)
rhos = st.sampled_from([0.0, 0.5, 0.9])
shapes = st.sampled_from([(40, 12), (20, 45)])
l1_ratios = st.sampled_from([1.0, 0.7, 0.3])


def _problem(shape, rho, seed, sparse=False):
    n, p = shape
    return make_data(n, p, rho=rho, seed=seed, sparse=sparse)


def _close(a, b, scale, what):
    """Two independent solves, each within COEF_TOL of the exact solution: within 2 COEF_TOL of each other."""
    err = np.abs(np.asarray(a) - np.asarray(b)).max()
    assert err <= 2 * COEF_TOL * max(1.0, scale), f"{what}: max difference {err:.3e} (scale {scale:.3g})"


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, lam2=st.sampled_from([None, 0.0, 0.3, 2.0]), c=st.floats(1e-2, 1e2),
       sparse=st.booleans())
def test_scaling_y_scales_coefs_and_grid(shape, rho, seed, lam2, c, sparse):
    """w(c y, c lambda1, lambda2) = c w(y, lambda1, lambda2): true for the lasso (lam2=None: l1_ratio=1)
    and for a fixed lambda2 (the L2 weight must not scale); the default grid scales by c."""
    X, y, _ = _problem(shape, rho, seed, sparse)
    a = regbench.path(X, y, lambda2=lam2, n_lambdas=10, tol=TIGHT, max_iter=MAXIT)
    b = regbench.path(X, c * y, lambda2=lam2, n_lambdas=10, tol=TIGHT, max_iter=MAXIT)
    np.testing.assert_allclose(b.lambdas, c * a.lambdas, rtol=1e-10)
    assert np.isclose(b.lambda_max, c * a.lambda_max, rtol=1e-10)
    scale = np.abs(a.coefs).max()
    _close(b.coefs / c, a.coefs, scale, "coefs(X, c y) / c vs coefs(X, y)")
    _close(b.intercepts / c, a.intercepts, max(scale, np.abs(a.intercepts).max()), "intercepts")


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=st.sampled_from([0.7, 0.3]), c=st.floats(1e-2, 1e2))
def test_scaling_y_scales_the_enet_grid(shape, rho, seed, l1_ratio, c):
    X, y, _ = _problem(shape, rho, seed)
    a = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=5)
    b = regbench.path(X, c * y, l1_ratio=l1_ratio, n_lambdas=5)
    np.testing.assert_allclose(b.lambdas, c * a.lambdas, rtol=1e-10)


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=l1_ratios, standardize=st.booleans())
def test_permuting_features_permutes_coefs(shape, rho, seed, l1_ratio, standardize):
    X, y, _ = _problem(shape, rho, seed)
    perm = np.random.default_rng(seed).permutation(X.shape[1])
    a = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    b = regbench.path(X[:, perm], y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=standardize,
                      max_iter=MAXIT)
    np.testing.assert_allclose(b.lambdas, a.lambdas, rtol=1e-12)
    _close(b.coefs, a.coefs[perm], np.abs(a.coefs).max(), "coefs of permuted X vs permuted coefs")
    _close(b.intercepts, a.intercepts, np.abs(a.intercepts).max(), "intercepts")


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=l1_ratios, sparse=st.booleans(),
       logc=st.floats(-2, 2), j=st.integers(0, 11))
def test_standardize_makes_column_scale_irrelevant(shape, rho, seed, l1_ratio, sparse, logc, j):
    """With standardize=True, rescaling a column leaves predictions (and the grid) unchanged."""
    X, y, _ = _problem(shape, rho, seed, sparse)
    c = 10.0 ** logc
    D = np.ones(X.shape[1])
    D[j] = c
    Xc = (X @ sp.diags(D)).tocsc() if sp.issparse(X) else X * D
    a = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=True, max_iter=MAXIT)
    b = regbench.path(Xc, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=True, max_iter=MAXIT)
    np.testing.assert_allclose(b.lambdas, a.lambdas, rtol=1e-10)
    pa, pb = a.predict(dense(X)), b.predict(dense(Xc))
    _close(pb, pa, np.abs(pa).max(), "predictions after rescaling a column")
    _close(b.coefs[j] * c, a.coefs[j], np.abs(a.coefs[j]).max(), "rescaled coefficient")


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=l1_ratios, standardize=st.booleans())
def test_shifting_columns_changes_only_the_intercept(shape, rho, seed, l1_ratio, standardize):
    X, y, _ = _problem(shape, rho, seed)
    shift = np.random.default_rng(seed + 1).uniform(-5, 5, X.shape[1])
    a = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    b = regbench.path(X + shift, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    _close(b.coefs, a.coefs, np.abs(a.coefs).max(), "coefs after shifting columns")
    _close(b.predict(X + shift), a.predict(X), np.abs(a.predict(X)).max(), "predictions")


@settings(max_examples=10, deadline=None, derandomize=True)
@given(n=st.integers(5, 15), p=st.integers(60, 120), rho=rhos, seed=seeds, sparse=st.booleans(),
       fit_intercept=st.booleans())
def test_lasso_selects_at_most_n_variables(n, p, rho, seed, sparse, fit_intercept):
    X, y, _ = make_data(n, p, rho=rho, seed=seed, sparse=sparse, density=0.5, k=10)
    res = regbench.path(X, y, l1_ratio=1.0, n_lambdas=30, eps=1e-3, tol=1e-12, fit_intercept=fit_intercept,
                        max_iter=100_000)
    assert res.n_nonzero.max() <= n, f"lasso selected {res.n_nonzero.max()} > n = {n} variables"
    assert res.n_nonzero[-1] > 0


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=st.sampled_from([1.0, 0.5, 0.1]), sparse=st.booleans())
def test_corrected_is_one_plus_lambda2_times_naive(shape, rho, seed, l1_ratio, sparse):
    X, y, _ = _problem(shape, rho, seed, sparse)
    kw = dict(l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, standardize=True, max_iter=MAXIT)
    naive = regbench.path(X, y, variant="naive", **kw)
    corr = regbench.path(X, y, variant="corrected", **kw)
    assert corr.variant == "corrected" and naive.variant == "naive"
    np.testing.assert_allclose(corr.lambdas, naive.lambdas, rtol=1e-14)
    factor = 1.0 + naive.lambdas * (1.0 - l1_ratio)
    # on the standardized scale v = w * sd; the factor is per lambda, so the identity holds on both scales
    sd = column_scales(X)
    _close(corr.coefs * sd[:, None], factor * naive.coefs * sd[:, None], np.abs(factor * naive.coefs).max(),
           "corrected vs (1 + lambda2) naive (standardized)")
    Xd = dense(X)
    expected_b0 = y.mean() - Xd.mean(axis=0) @ corr.coefs
    _close(corr.intercepts, expected_b0, np.abs(expected_b0).max(), "corrected intercept = ybar - xbar' w")


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, lam2=st.floats(0.01, 2.0))
def test_corrected_in_lambda2_mode(shape, rho, seed, lam2):
    X, y, _ = _problem(shape, rho, seed)
    kw = dict(lambda2=lam2, n_lambdas=8, tol=TIGHT, standardize=True, max_iter=MAXIT)
    naive = regbench.path(X, y, variant="naive", **kw)
    corr = regbench.path(X, y, variant="corrected", **kw)
    _close(corr.coefs, (1.0 + lam2) * naive.coefs, (1 + lam2) * np.abs(naive.coefs).max(),
           "corrected vs (1 + lambda2) naive")


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, sparse=st.booleans(), standardize=st.booleans(),
       fit_intercept=st.booleans())
def test_ridge_svd_equals_cd_at_l1_ratio_zero(shape, rho, seed, sparse, standardize, fit_intercept):
    X, y, _ = _problem(shape, rho, seed, sparse)
    lams = lambda_max(X, y, 1.0, standardize=standardize) * np.geomspace(1.0, 1e-3, 8)
    kw = dict(lambdas=lams, standardize=standardize, fit_intercept=fit_intercept)
    svd = regbench.ridge_path(X, y, **kw)
    cd = regbench.path(X, y, l1_ratio=0.0, tol=TIGHT, max_iter=100_000, **kw)
    np.testing.assert_allclose(svd.lambdas, cd.lambdas, rtol=1e-14)
    # CD stops on its certified gap, not on the coefficients: strong convexity bounds its distance to the exact
    # ridge solution by ||w_s - w_s*||^2 <= 2 gap / lambda (standardized coordinates), which at the small-lambda end
    # of a p > n problem allows ~1e-6 even at a gap of 1e-14 (shape (20, 45), seed 94, sparse, standardized).
    s = column_scales(X) if standardize else np.ones(X.shape[1])
    slack = np.sqrt(2 * np.maximum(cd.gaps, 0.0) / cd.lambdas) / s.min()
    tol = 2 * COEF_TOL * max(1.0, np.abs(cd.coefs).max()) + slack
    err = np.abs(svd.coefs - cd.coefs).max(axis=0)
    assert np.all(err <= tol), f"ridge SVD vs CD: differences {err} above {tol}"
    offset = np.abs(dense(X).mean(axis=0)).sum() if fit_intercept else 0.0
    err_b = np.abs(svd.intercepts - cd.intercepts)
    assert np.all(err_b <= 2 * COEF_TOL * max(1.0, np.abs(cd.intercepts).max()) + offset * slack), "ridge intercepts"


def _continuity_check(X, y, res, lam2, sc):
    """For consecutive lambda1 (lambda2 fixed), from the optimality conditions (monotonicity of the
    subdifferential), exactly:  ||X_c D||^2/n + lam2 ||D||^2 <= (l1' - l1)(|w|_1 - |w'|_1),
    D = w - w' in standardized coordinates. So the path cannot jump."""
    Xd = dense(X)
    Z = (Xd - Xd.mean(axis=0)) / sc
    n = len(y)
    V = res.coefs * sc[:, None]
    for k in range(len(res.lambdas) - 1):
        d = V[:, k] - V[:, k + 1]
        lhs = np.sum((Z @ d) ** 2) / n + lam2 * d @ d
        rhs = (res.lambdas[k + 1] - res.lambdas[k]) * (np.abs(V[:, k]).sum() - np.abs(V[:, k + 1]).sum())
        slack = 1e-5 * (lhs + abs(rhs)) + 1e-12 * np.var(y)
        assert lhs <= rhs + slack, f"jump between lambda[{k}] and lambda[{k + 1}]: {lhs:.3e} > {rhs:.3e}"


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, sparse=st.booleans(), standardize=st.booleans())
def test_lasso_path_is_continuous(shape, rho, seed, sparse, standardize):
    X, y, _ = _problem(shape, rho, seed, sparse)
    res = regbench.path(X, y, l1_ratio=1.0, n_lambdas=40, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    sc = column_scales(X) if standardize else np.ones(X.shape[1])
    _continuity_check(X, y, res, 0.0, sc)
    # and neighbouring coefficient vectors are close: the largest step shrinks with a finer grid
    fine = regbench.path(X, y, l1_ratio=1.0, n_lambdas=160, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    step = lambda r: np.abs(np.diff(r.coefs, axis=1)).max()  # noqa: E731
    assert step(fine) <= step(res) + 1e-9


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, lam2=st.floats(0.01, 2.0), standardize=st.booleans())
def test_enet_lambda2_path_is_continuous(shape, rho, seed, lam2, standardize):
    X, y, _ = _problem(shape, rho, seed)
    res = regbench.path(X, y, lambda2=lam2, n_lambdas=30, tol=TIGHT, standardize=standardize, max_iter=MAXIT)
    sc = column_scales(X) if standardize else np.ones(X.shape[1])
    _continuity_check(X, y, res, lam2, sc)
    # strong convexity: ||D||_2 <= sqrt(p) |l1 - l1'| / lam2
    V = res.coefs * sc[:, None]
    steps = np.linalg.norm(np.diff(V, axis=1), axis=0)
    bound = np.sqrt(X.shape[1]) * np.abs(np.diff(res.lambdas)) / lam2
    assert np.all(steps <= bound * (1 + 1e-6) + 1e-9)


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=l1_ratios, sparse=st.booleans(), standardize=st.booleans(),
       fit_intercept=st.booleans())
def test_default_grid_starts_at_exact_lambda_max(shape, rho, seed, l1_ratio, sparse, standardize, fit_intercept):
    X, y, _ = _problem(shape, rho, seed, sparse)
    n, p = X.shape
    kw = dict(l1_ratio=l1_ratio, standardize=standardize, fit_intercept=fit_intercept)
    res = regbench.path(X, y, **kw)
    lm = lambda_max(X, y, l1_ratio, fit_intercept=fit_intercept, standardize=standardize)
    assert len(res.lambdas) == 100
    assert np.isclose(res.lambdas[0], lm, rtol=1e-12) and np.isclose(res.lambda_max, lm, rtol=1e-12)
    eps = 1e-3 if n >= p else 1e-2
    assert np.isclose(res.lambdas[-1], eps * lm, rtol=1e-10)
    np.testing.assert_allclose(np.diff(np.log(res.lambdas)), np.log(eps) / 99, rtol=1e-8)
    assert np.all(regbench.fit(X, y, lm * (1 + 1e-9), tol=TIGHT, **kw).coef == 0.0)
    below = regbench.fit(X, y, lm * (1 - 1e-4), tol=TIGHT, **kw)
    assert np.count_nonzero(below.coef) >= 1, "still all zero just below lambda_max: lambda_max is too large"
    assert np.all(res.coefs[:, 0] == 0.0), f"not all zero at lambda_max: {res.coefs[:, 0][res.coefs[:, 0] != 0]}"


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, lam2=st.floats(0.0, 2.0))
def test_lambda2_mode_grid_starts_at_lambda1_max(shape, rho, seed, lam2):
    X, y, _ = _problem(shape, rho, seed)
    res = regbench.path(X, y, lambda2=lam2, n_lambdas=5)
    lm = lambda_max(X, y, 1.0)
    assert np.isclose(res.lambdas[0], lm, rtol=1e-12)
    assert res.n_nonzero[1] >= 1
    assert np.all(res.coefs[:, 0] == 0.0), f"not all zero at lambda1_max: {res.coefs[:, 0][res.coefs[:, 0] != 0]}"


@PROPS
@given(shape=shapes, rho=rhos, seed=seeds, l1_ratio=st.sampled_from([0.9, 0.5, 0.1]), standardize=st.booleans())
def test_enet_grouping_effect_on_duplicated_columns(shape, rho, seed, l1_ratio, standardize):
    """Zou & Hastie's grouping effect: with lambda2 > 0 two identical columns get identical coefficients.

    At an inexact solution, replacing both by their average keeps Xw, does not increase the L1 term and
    lowers the L2 term by lambda2/4 (a - b)^2, so (a - b)^2 <= 4 (P - P*) / lambda2 <= 4 gap / lambda2
    (standardized coordinates; the two columns share one scale)."""
    X, y, _ = _problem(shape, rho, seed)
    X = np.column_stack([X, X[:, 0]])
    res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=10, tol=TIGHT, max_iter=MAXIT, standardize=standardize)
    sd = column_scales(X)[0] if standardize else 1.0
    diff = np.abs(res.coefs[0] - res.coefs[-1]) * sd
    rounding = 1e-13 * np.sum((y - y.mean()) ** 2) / (2 * len(y))
    bound = np.sqrt(4 * (np.maximum(res.gaps, 0) + rounding) / res.lambda2s)
    assert np.all(diff <= bound), f"identical columns, different coefficients: {diff} > {bound}"

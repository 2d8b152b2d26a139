"""regbench.path / fit / ridge_path against a high-precision oracle on many random problems.

Oracle: scikit-learn's ElasticNet at tol=1e-14 on centred (and scaled) dense data, or the
exact linear solve for ridge (see conftest.oracle). Required: objective within 1e-8
relative, coefficients within 1e-6 (relative to max(1, |w_oracle|_inf)).
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import RHOS, SHAPES, column_scales, dense, lambda_max, make_data, objective, oracle
from hypothesis import given, settings
from hypothesis import strategies as st

import regbench

OBJ_RTOL = 1e-8
COEF_TOL = 1e-6
TIGHT = 1e-14  # solver tolerance used when comparing with the oracle (gap <= 1e-14 ||y_c||^2/2n)
N_LAMBDAS = 8


def _check_against_oracle(X, y, lam, l1_ratio, w, b0, *, fit_intercept=True, standardize=False, where=""):
    b0_o, w_o = oracle(X, y, lam, l1_ratio, fit_intercept=fit_intercept, standardize=standardize)
    sc = column_scales(X, fit_intercept) if standardize else None
    f = objective(X, y, w, b0, lam, l1_ratio, scales=sc)
    f_o = objective(X, y, w_o, b0_o, lam, l1_ratio, scales=sc)
    assert abs(f - f_o) <= OBJ_RTOL * abs(f_o), (
        f"{where} lambda={lam:.6g}: objective {f!r} vs oracle {f_o!r} (rel {abs(f - f_o) / f_o:.2e})"
    )
    scale = max(1.0, np.abs(w_o).max())
    err = np.abs(w - w_o).max()
    assert err <= COEF_TOL * scale, f"{where} lambda={lam:.6g}: max |coef - oracle| = {err:.2e}"
    assert abs(b0 - b0_o) <= COEF_TOL * max(1.0, abs(b0_o)) * 10, f"{where} intercept {b0} vs {b0_o}"


def _lambdas_for(X, y, l1_ratio, standardize=False):
    """An explicit grid (needed for ridge, where lambda_max is infinite)."""
    lm = lambda_max(X, y, l1_ratio if l1_ratio > 0 else 1.0, standardize=standardize)
    return lm * np.geomspace(1.0, 1e-2, N_LAMBDAS)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0], ids=["lasso", "enet", "ridge"])
@pytest.mark.parametrize("rho", RHOS, ids=[f"rho{r}" for r in RHOS])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_path_matches_oracle(sparse, shape, rho, l1_ratio):
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=rho, sparse=sparse, seed=10 * list(SHAPES).index(shape) + RHOS.index(rho))
    if l1_ratio > 0:
        res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=N_LAMBDAS, tol=TIGHT, max_iter=100_000)
        assert res.lambdas.shape == (N_LAMBDAS,)
        assert np.isclose(res.lambdas[0], lambda_max(X, y, l1_ratio), rtol=1e-10)
    else:
        lams = _lambdas_for(X, y, 0.0)
        res = regbench.path(X, y, l1_ratio=0.0, lambdas=lams, tol=TIGHT, max_iter=100_000)
        np.testing.assert_allclose(res.lambdas, lams, rtol=1e-14)
    assert res.coefs.shape == (p, len(res.lambdas))
    assert np.all(res.converged)
    for k, lam in enumerate(res.lambdas):
        _check_against_oracle(X, y, lam, l1_ratio, res.coefs[:, k], res.intercepts[k], where=f"path[{k}]")


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5], ids=["lasso", "enet"])
@pytest.mark.parametrize("fit_intercept,standardize", [(True, True), (False, False), (False, True)])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_path_options_match_oracle(shape, sparse, fit_intercept, standardize, l1_ratio):
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=0.5, sparse=sparse, seed=7, offset=fit_intercept)
    res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=N_LAMBDAS, tol=TIGHT, max_iter=100_000,
                        fit_intercept=fit_intercept, standardize=standardize)
    lm = lambda_max(X, y, l1_ratio, fit_intercept=fit_intercept, standardize=standardize)
    assert np.isclose(res.lambdas[0], lm, rtol=1e-10), (res.lambdas[0], lm)
    assert np.isclose(res.lambda_max, lm, rtol=1e-10)
    if not fit_intercept:
        assert np.all(res.intercepts == 0.0)
    for k, lam in enumerate(res.lambdas):
        _check_against_oracle(X, y, lam, l1_ratio, res.coefs[:, k], res.intercepts[k],
                              fit_intercept=fit_intercept, standardize=standardize, where=f"path[{k}]")


@pytest.mark.parametrize("l1_ratio", [1.0, 0.7, 0.0])
def test_gram_regime_n_much_larger_than_p(l1_ratio):
    """n >> p (where a covariance/Gram update is expected) must give the same solutions."""
    X, y, _ = make_data(2000, 8, rho=0.9, seed=3)
    lams = _lambdas_for(X, y, l1_ratio)
    res = regbench.path(X, y, l1_ratio=l1_ratio, lambdas=lams, tol=TIGHT, max_iter=100_000)
    for k, lam in enumerate(res.lambdas):
        _check_against_oracle(X, y, lam, l1_ratio, res.coefs[:, k], res.intercepts[k], where=f"path[{k}]")


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_fit_matches_oracle_and_path(sparse, l1_ratio):
    X, y, _ = make_data(40, 30, rho=0.5, sparse=sparse, seed=11)
    lam = 0.1 * lambda_max(X, y, l1_ratio if l1_ratio > 0 else 1.0)
    r = regbench.fit(X, y, lam, l1_ratio=l1_ratio, tol=TIGHT, max_iter=100_000)
    assert r.converged
    assert r.gap >= 0
    _check_against_oracle(X, y, lam, l1_ratio, r.coef, r.intercept, where="fit")
    pr = regbench.path(X, y, l1_ratio=l1_ratio, lambdas=[lam], tol=TIGHT, max_iter=100_000)
    np.testing.assert_allclose(pr.coefs[:, 0], r.coef, atol=COEF_TOL)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_lambda2_mode_matches_oracle(shape, sparse):
    """path(lambda2=...) holds lambda2 fixed and runs over lambda1 (Zou & Hastie's tuning)."""
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=0.9, sparse=sparse, seed=5)
    lam2 = 0.3
    res = regbench.path(X, y, lambda2=lam2, n_lambdas=N_LAMBDAS, tol=TIGHT, max_iter=100_000)
    # lambda1_max does not depend on lambda2: max |x_j' y_c| / n
    assert np.isclose(res.lambdas[0], lambda_max(X, y, 1.0), rtol=1e-10)
    np.testing.assert_allclose(res.lambda1s, res.lambdas, rtol=1e-14)
    np.testing.assert_allclose(res.lambda2s, lam2, rtol=1e-14)
    assert res.lambda2 == lam2
    for k, lam1 in enumerate(res.lambdas):
        alpha = lam1 + lam2
        _check_against_oracle(X, y, alpha, lam1 / alpha, res.coefs[:, k], res.intercepts[k],
                              where=f"lambda2-path[{k}]")


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_ridge_path_matches_exact(shape, sparse, standardize):
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=0.5, sparse=sparse, seed=13)
    lams = _lambdas_for(X, y, 0.0, standardize=standardize)
    res = regbench.ridge_path(X, y, lambdas=lams, standardize=standardize)
    np.testing.assert_allclose(res.lambdas, lams, rtol=1e-14)
    for k, lam in enumerate(res.lambdas):
        b0_o, w_o = oracle(X, y, lam, 0.0, standardize=standardize)
        if sparse:  # no SVD of a sparse X without densifying: the general standard applies
            _check_against_oracle(X, y, lam, 0.0, res.coefs[:, k], res.intercepts[k], standardize=standardize,
                                  where=f"ridge_path[{k}]")
        else:  # one thin SVD: exact to rounding
            np.testing.assert_allclose(res.coefs[:, k], w_o, rtol=1e-9, atol=1e-10 * np.abs(w_o).max())
            assert np.isclose(res.intercepts[k], b0_o, rtol=1e-9, atol=1e-10)


def _loo_brute_force(X, y, lam, fit_intercept):
    """Leave-one-out MSE by refitting without each row: min sum_{j != i} (y_j - b0 - x_j'w)^2 + n lam |w|^2
    (the penalty weight n*lam of the full-data objective held fixed, as the hat-matrix shortcut assumes)."""
    n, p = X.shape
    errs = np.empty(n)
    for i in range(n):
        m = np.arange(n) != i
        A = np.column_stack([np.ones(n - 1), X[m]]) if fit_intercept else X[m]
        D = n * lam * np.eye(A.shape[1])
        if fit_intercept:
            D[0, 0] = 0.0
        beta = np.linalg.solve(A.T @ A + D, A.T @ y[m])
        a_i = np.concatenate([[1.0], X[i]]) if fit_intercept else X[i]
        errs[i] = y[i] - a_i @ beta
    return np.mean(errs ** 2)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_ridge_gcv_and_loo_from_scratch(shape, sparse, fit_intercept):
    """GCV = (RSS/n) / (1 - df/n)^2 with df = tr(H) (the intercept counts 1); LOO = exact leave-one-out MSE."""
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=0.5, sparse=sparse, seed=17)
    Xd = dense(X)
    lams = lambda_max(X, y, 1.0) * np.geomspace(1.0, 1e-2, 4)
    res = regbench.ridge_path(X, y, lambdas=lams, fit_intercept=fit_intercept)
    assert res.gcv is not None and res.loo is not None, "ridge_path must return gcv and loo (contract)"
    assert np.shape(res.gcv) == (4,) and np.shape(res.loo) == (4,)
    for k, lam in enumerate(res.lambdas):
        b0, w = oracle(X, y, lam, 0.0, fit_intercept=fit_intercept)
        r = y - b0 - Xd @ w
        Xc = Xd - Xd.mean(axis=0) if fit_intercept else Xd
        H = Xc @ np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(p), Xc.T) + (1.0 / n if fit_intercept else 0.0)
        gcv = np.mean(r ** 2) / (1 - np.trace(H) / n) ** 2
        assert np.isclose(res.gcv[k], gcv, rtol=1e-8), (k, res.gcv[k], gcv)
        assert np.isclose(res.loo[k], _loo_brute_force(Xd, y, lam, fit_intercept), rtol=1e-8)


def test_path_result_fields_are_consistent():
    X, y, _ = make_data(50, 30, rho=0.5, seed=2)
    l1 = 0.6
    res = regbench.path(X, y, l1_ratio=l1, n_lambdas=12)
    L = 12
    for name, shape in [("lambdas", (L,)), ("coefs", (30, L)), ("intercepts", (L,)), ("gaps", (L,)),
                        ("n_iter", (L,)), ("converged", (L,)), ("times", (L,))]:
        assert np.shape(getattr(res, name)) == shape, name
    assert res.converged.dtype == bool
    assert np.all(np.diff(res.lambdas) < 0), "lambdas must be strictly decreasing"
    assert np.all(res.gaps >= 0) and np.all(res.times >= 0) and np.all(res.n_iter >= 0)
    assert res.l1_ratio == l1 and res.lambda2 is None and res.variant == "naive"
    np.testing.assert_allclose(res.lambda1s, l1 * res.lambdas)
    np.testing.assert_allclose(res.lambda2s, (1 - l1) * res.lambdas)
    np.testing.assert_array_equal(res.n_nonzero, (res.coefs != 0).sum(axis=0))
    Xn, _, _ = make_data(7, 30, rho=0.5, seed=3)
    np.testing.assert_allclose(res.predict(Xn), Xn @ res.coefs + res.intercepts, rtol=1e-12, atol=1e-12)
    with pytest.raises(Exception):  # frozen dataclass
        res.lambdas = None


def test_sparse_input_equals_dense_input():
    X, y, _ = make_data(40, 50, sparse=True, density=0.2, seed=4)
    for fmt in ("csc", "csr"):
        rs = regbench.path(X.asformat(fmt), y, l1_ratio=0.8, n_lambdas=6, tol=TIGHT, standardize=True)
        rd = regbench.path(dense(X), y, l1_ratio=0.8, n_lambdas=6, tol=TIGHT, standardize=True)
        np.testing.assert_allclose(rs.lambdas, rd.lambdas, rtol=1e-12)
        np.testing.assert_allclose(rs.coefs, rd.coefs, atol=COEF_TOL)
        np.testing.assert_allclose(rs.intercepts, rd.intercepts, atol=COEF_TOL)
        np.testing.assert_allclose(rs.predict(X), rd.predict(dense(X)), atol=1e-5)
    assert sp.issparse(X)


@pytest.mark.parametrize("gram", [True, False])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_gram_and_residual_updates_agree_with_oracle(shape, sparse, gram):
    """Both kernels (covariance updates and residual updates) on both shapes, forced either way."""
    n, p = SHAPES[shape]
    X, y, _ = make_data(n, p, rho=0.9, sparse=sparse, seed=19)
    res = regbench.path(X, y, l1_ratio=0.8, n_lambdas=6, tol=TIGHT, max_iter=300_000, gram=gram,
                        standardize=True)
    for k, lam in enumerate(res.lambdas):
        _check_against_oracle(X, y, lam, 0.8, res.coefs[:, k], res.intercepts[k], standardize=True,
                              where=f"gram={gram} path[{k}]")


RANDOM_CASES = st.fixed_dictionaries({
    "n": st.integers(8, 60), "p": st.integers(2, 70), "rho": st.sampled_from(RHOS),
    "sparse": st.booleans(), "l1_ratio": st.sampled_from([1.0, 0.9, 0.5, 0.1, 0.0]),
    "frac": st.floats(1e-3, 1.0), "fit_intercept": st.booleans(), "standardize": st.booleans(),
    "seed": st.integers(0, 10_000),
})


@settings(max_examples=40, deadline=None, derandomize=True)
@given(case=RANDOM_CASES)
def test_random_problems_match_oracle(case):
    """Many random problems: any shape, sparsity, correlation, mixing, lambda and option."""
    c = case
    X, y, _ = make_data(c["n"], c["p"], rho=c["rho"], sparse=c["sparse"], density=0.4, seed=c["seed"],
                        offset=c["fit_intercept"])
    lam = c["frac"] * lambda_max(X, y, max(c["l1_ratio"], 0.1), fit_intercept=c["fit_intercept"],
                                 standardize=c["standardize"])
    r = regbench.fit(X, y, lam, l1_ratio=c["l1_ratio"], tol=TIGHT, max_iter=300_000,
                     fit_intercept=c["fit_intercept"], standardize=c["standardize"])
    _check_against_oracle(X, y, lam, c["l1_ratio"], r.coef, r.intercept, fit_intercept=c["fit_intercept"],
                          standardize=c["standardize"], where=str(c))


def test_inputs_are_not_modified():
    for sparse in (False, True):
        X, y, _ = make_data(30, 12, sparse=sparse, seed=8)
        X0, y0 = (X.copy(), y.copy())
        regbench.path(X, y, l1_ratio=0.5, n_lambdas=4, standardize=True)
        regbench.ridge_path(X, y, n_lambdas=4, standardize=True)
        regbench.cross_validate(X, y, cv=3, n_lambdas=4, standardize=True)
        np.testing.assert_array_equal(dense(X), dense(X0))
        np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("call", [
    lambda X, y: regbench.path(X, y, l1_ratio=0.5, n_lambdas=3, eps=0.1, standardize=True),
    lambda X, y: regbench.fit(X, y, 0.05, standardize=True),
    lambda X, y: regbench.ridge_path(X, y, n_lambdas=3, standardize=True),
    lambda X, y: regbench.cross_validate(X, y, cv=2, n_lambdas=3, eps=0.1),  # a fold may hold a constant column
], ids=["path", "fit", "ridge_path", "cross_validate"])
@pytest.mark.filterwarnings("ignore::regbench.ConvergenceWarning")  # memory is tested here, not convergence
def test_sparse_X_is_never_densified(call):
    """n=400, p=20000 at density 1e-3: a dense copy would take 64 MB; the peak of Python-side
    allocations must stay far below that (no dense copy of X, nor any dense n x p intermediate)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    n, p = 400, 20_000
    X = sp.random(n, p, density=1e-3, format="csc", random_state=rng)
    rows = rng.integers(0, n, p)  # +3 and -3 in two rows of every column: none is constant
    X = (X + sp.csc_matrix((np.full(p, 3.0), (rows, np.arange(p))), shape=(n, p))).tocsc()
    X = (X + sp.csc_matrix((np.full(p, -3.0), ((rows + 1) % n, np.arange(p))), shape=(n, p))).tocsc()
    y = rng.standard_normal(n)
    Xw, yw, _ = make_data(30, 10, sparse=True, seed=1)
    call(Xw, yw)  # compile / warm up outside the measurement
    tracemalloc.start()
    try:
        call(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16e6, (f"peak allocation {peak / 1e6:.1f} MB: a dense n x p-sized array was formed "
                         f"(X dense would be {n * p * 8 / 1e6:.0f} MB)")


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("n,p", [(2, 1), (2, 5), (30, 1), (3, 3)])
def test_tiny_problems(n, p, sparse):
    X, y, _ = make_data(n, p, seed=n * 100 + p, sparse=sparse, density=0.9)
    if sparse and np.any(dense(X).std(axis=0) == 0):
        pytest.fail("test data has a constant column")  # the builder guarantees two distinct entries
    for l1 in (1.0, 0.5):
        res = regbench.path(X, y, l1_ratio=l1, n_lambdas=5, tol=TIGHT, max_iter=100_000)
        for k, lam in enumerate(res.lambdas):
            _check_against_oracle(X, y, lam, l1, res.coefs[:, k], res.intercepts[k], where=f"tiny path[{k}]")


def test_constant_y_gives_zero_coefficients():
    X, _, _ = make_data(20, 5, seed=40)
    y = np.full(20, 3.25)
    res = regbench.path(X, y, n_lambdas=5)
    assert np.all(res.coefs == 0.0)
    np.testing.assert_allclose(res.intercepts, 3.25)
    r = regbench.fit(X, y, 0.1, l1_ratio=0.5)
    assert np.all(r.coef == 0.0) and np.isclose(r.intercept, 3.25) and r.converged


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_alpha_zero_is_least_squares(sparse):
    X, y, _ = make_data(60, 6, rho=0.0, seed=41, sparse=sparse, density=0.7)
    Xd = dense(X)
    A = np.column_stack([np.ones(60), Xd])
    beta = np.linalg.lstsq(A, y, rcond=None)[0]
    for l1 in (1.0, 0.5, 0.0):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            r = regbench.fit(X, y, 0.0, l1_ratio=l1, tol=1e-10)
        np.testing.assert_allclose(r.coef, beta[1:], atol=COEF_TOL)
        assert np.isclose(r.intercept, beta[0], atol=10 * COEF_TOL)
        # at the least-squares solution X'r = 0: the certificate must see it (a gap equal to the primal
        # objective means the dual point collapsed to 0)
        assert r.converged and r.gap <= 1e-10 * np.var(y) / 2, (l1, r.gap, r.objective, r.n_iter)
        assert not [w for w in rec if issubclass(w.category, regbench.ConvergenceWarning)]
    rp = regbench.ridge_path(X, y, lambdas=[0.0])
    np.testing.assert_allclose(rp.coefs[:, 0], beta[1:], atol=COEF_TOL)
    assert rp.gaps[0] <= 1e-10 * np.var(y) / 2, f"ridge_path at alpha=0: gap {rp.gaps[0]} (exact solution)"


def test_integer_and_list_inputs():
    X, y, _ = make_data(30, 6, seed=42)
    Xi, yi = np.round(3 * X).astype(np.int64), np.round(3 * y).astype(np.int32)
    a = regbench.path(Xi, yi, n_lambdas=4, tol=TIGHT)
    b = regbench.path(Xi.astype(float).tolist(), yi.astype(float).tolist(), n_lambdas=4, tol=TIGHT)
    np.testing.assert_allclose(a.coefs, b.coefs, atol=1e-12)
    for k, lam in enumerate(a.lambdas):
        _check_against_oracle(Xi.astype(float), yi.astype(float), lam, 1.0, a.coefs[:, k], a.intercepts[k])


def test_user_grid_is_sorted_decreasing():
    X, y, _ = make_data(40, 8, rho=0.5, seed=43)
    res = regbench.path(X, y, lambdas=[0.01, 1.0, 0.1], tol=TIGHT)
    np.testing.assert_array_equal(res.lambdas, [1.0, 0.1, 0.01])
    for k, lam in enumerate(res.lambdas):
        _check_against_oracle(X, y, lam, 1.0, res.coefs[:, k], res.intercepts[k], where=f"user grid[{k}]")

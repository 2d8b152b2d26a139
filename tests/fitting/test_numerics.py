"""Numerical safety of the solver: certificates under large column means, the scale used by
``standardize`` without an intercept, and refusal of overflowing input.

Every oracle here is independent of regbench: the explicitly centred (and scaled) float64
problem solved by scikit-learn at tol 1e-14, closed forms, or scikit-learn's StandardScaler.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import regbench

PROPS = settings(max_examples=60, deadline=None, derandomize=True)


def _offset_problem(offset, seed, *, n=60, p=6, zeros=False):
    """X = N(0, 1) + offset * (1..p) columnwise, y = X w + offset + noise.

    With ``zeros`` every other column is 70% exact zeros (its nonzeros keep the offset), so a
    sparse X mixes truly sparse columns with columns whose mean is far above their spread.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + offset * np.arange(1, p + 1)
    if zeros:
        for j in range(0, p, 2):
            X[rng.random(n) < 0.7, j] = 0.0
    w = np.array([1.0, -2.0, 0.0, 0.5, 0.0, 3.0, -1.0, 0.0][:p])
    y = X @ w + offset + rng.standard_normal(n)
    return X, y


def _centred(X, y, standardize):
    """The explicitly centred (and scaled) float64 problem: (Z, yc, scales)."""
    Xc = X - X.mean(axis=0)
    s = Xc.std(axis=0) if standardize else np.ones(X.shape[1])
    return Xc / s, y - y.mean(), s


def _objective(Z, yc, v, alpha, l1_ratio):
    r = yc - Z @ v
    return r @ r / (2 * len(yc)) + alpha * (l1_ratio * np.abs(v).sum() + (1 - l1_ratio) / 2 * v @ v)


def _sklearn_optimum(Z, yc, alpha, l1_ratio):
    from sklearn.linear_model import ElasticNet as SkEN

    m = SkEN(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-14, max_iter=1_000_000,
             precompute=False, selection="cyclic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(np.asfortranarray(Z), yc)
    return m.coef_


offsets = st.one_of(st.just(0.0), st.floats(0.0, 8.0).map(lambda e: 10.0 ** e))


@PROPS
@given(offset=offsets, seed=st.integers(0, 10_000), sparse=st.booleans(), gram=st.booleans(),
       standardize=st.booleans(), zeros=st.booleans(), l1_ratio=st.sampled_from([1.0, 0.5]))
def test_reported_gap_bounds_the_true_suboptimality(offset, seed, sparse, gram, standardize, zeros, l1_ratio):
    """gap >= P(w) - P* on the explicitly centred problem, for column means up to 1e8 standard
    deviations; otherwise the fit must warn and say converged=False."""
    X, y = _offset_problem(offset, seed, zeros=zeros)
    Z, yc, s = _centred(X, y, standardize)
    n = len(y)
    lmax = np.max(np.abs(Z.T @ yc)) / (n * l1_ratio)
    lambdas = lmax * np.array([0.3, 0.05, 0.01])
    Xin = sp.csr_matrix(X) if sparse else X
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = regbench.path(Xin, y, l1_ratio=l1_ratio, lambdas=lambdas, standardize=standardize, gram=gram)
    warned = any(issubclass(w.category, regbench.ConvergenceWarning) for w in caught)
    slack = 1e-13 * (yc @ yc) / (2 * n)  # rounding in two objective evaluations
    assert np.all(np.isfinite(res.coefs)) and np.all(np.isfinite(res.gaps))
    for k, lam in enumerate(res.lambdas):
        v = res.coefs[:, k] * s
        v_star = _sklearn_optimum(Z, yc, lam, l1_ratio)
        subopt = _objective(Z, yc, v, lam, l1_ratio) - _objective(Z, yc, v_star, lam, l1_ratio)
        if res.converged[k]:
            assert subopt <= res.gaps[k] + slack, (
                f"lambda[{k}]: true sub-optimality {subopt:.3e} > reported gap {res.gaps[k]:.3e} "
                f"(mode {res.mode}, offset {offset:.3g})")
        else:
            assert warned, f"lambda[{k}] not converged but no ConvergenceWarning"


def _brief_case():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((80, 6)) + 1e6 * np.arange(1, 7)
    y = X @ [1.0, -2.0, 0.0, 0.5, 0.0, 3.0] + 1e6 + rng.standard_normal(80)
    return X, y


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_lasso_with_large_means_matches_the_centred_problem(fmt):
    X, y = _brief_case()
    Z, yc, _ = _centred(X, y, False)
    expected = _sklearn_optimum(Z, yc, 0.1, 1.0)
    m = regbench.Lasso(alpha=0.1).fit(sp.csr_matrix(X) if fmt == "csr" else sp.csc_matrix(X), y)
    assert m.converged_
    np.testing.assert_allclose(m.coef_, expected, atol=1e-6)


def test_sparse_ridge_with_large_means_matches_the_closed_form():
    X, y = _brief_case()
    Z, yc, _ = _centred(X, y, False)
    n, p = Z.shape
    expected = np.linalg.solve(Z.T @ Z / n + 0.1 * np.eye(p), Z.T @ yc / n)
    for Xin in (X, sp.csr_matrix(X)):
        np.testing.assert_allclose(regbench.Ridge(alpha=0.1).fit(Xin, y).coef_, expected, rtol=1e-8)
        res = regbench.ridge_path(Xin, y, lambdas=[0.1])
        np.testing.assert_allclose(res.coefs[:, 0], expected, rtol=1e-8)


# --- standardize=True without an intercept: the centred (population) sd, not the root mean square ---

def _uncentred_problem(seed=3, n=50):
    """Columns with means 0, 3, -5, 0, 10 (and different spreads); y has no intercept."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5)) * [1.0, 0.5, 2.0, 1.5, 0.7] + [0.0, 3.0, -5.0, 0.0, 10.0]
    y = X @ [0.5, 0.3, 0.0, 0.0, 0.2] + rng.standard_normal(n)
    return X, y


def _as(X, kind):
    return sp.csc_matrix(X) if kind == "sparse" else X


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5], ids=["lasso", "enet"])
@pytest.mark.parametrize("kind,gram", [("dense", False), ("dense", True), ("sparse", False), ("sparse", True)],
                         ids=["dense", "dense-gram", "sparse", "sparse-gram"])
def test_standardize_without_intercept_scales_by_the_centred_sd(kind, gram, l1_ratio):
    """Against scikit-learn on StandardScaler(with_mean=False) data, coefficients mapped back."""
    from sklearn.preprocessing import StandardScaler

    X, y = _uncentred_problem()
    n = len(y)
    scaler = StandardScaler(with_mean=False).fit(X)
    Xs = scaler.transform(X)
    lmax = np.max(np.abs(Xs.T @ y)) / (n * l1_ratio)  # closed form: w = 0 is optimal from here on
    res = regbench.path(_as(X, kind), y, l1_ratio=l1_ratio, n_lambdas=8, eps=1e-2, fit_intercept=False,
                        standardize=True, gram=gram, tol=1e-12, max_iter=100_000)
    assert res.mode == ("gram" if gram else kind)
    assert np.isclose(res.lambda_max, lmax, rtol=1e-10), (res.lambda_max, lmax)
    assert np.isclose(res.lambdas[0], lmax, rtol=1e-10)
    assert np.all(res.intercepts == 0.0)
    for k, lam in enumerate(res.lambdas):
        expected = _sklearn_optimum(Xs, y, lam, l1_ratio) / scaler.scale_
        np.testing.assert_allclose(res.coefs[:, k], expected, atol=1e-6, err_msg=f"lambda[{k}]={lam:.4g}")


@pytest.mark.parametrize("kind", ["dense", "sparse"])
def test_estimators_standardize_without_intercept_match_scaled_sklearn(kind):
    from sklearn.linear_model import Lasso as SkLasso
    from sklearn.preprocessing import StandardScaler

    X, y = _uncentred_problem(seed=8)
    scaler = StandardScaler(with_mean=False).fit(X)
    sk = SkLasso(alpha=0.05, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(scaler.transform(X), y)
    ours = regbench.Lasso(alpha=0.05, fit_intercept=False, standardize=True, tol=1e-12).fit(_as(X, kind), y)
    np.testing.assert_allclose(ours.coef_, sk.coef_ / scaler.scale_, atol=1e-6)
    assert ours.intercept_ == 0.0


def test_standardize_without_intercept_constant_column_is_refused():
    """A nonzero constant column has a zero centred sd: it cannot be standardized (with or without an
    intercept), as the docstring of ``constant_columns`` says."""
    X, y = _uncentred_problem()
    X[:, 1] = 3.0
    with pytest.raises(ValueError, match=r"column\(s\) \[1\].*constant"):
        regbench.path(X, y, fit_intercept=False, standardize=True, n_lambdas=3)


# --- overflow: refused with a ValueError naming the cause, never NaN or inf in a result ---

def _entry_points():
    return {
        "path": lambda X, y, **kw: regbench.path(X, y, n_lambdas=3, **kw),
        "fit": lambda X, y, **kw: regbench.fit(X, y, 0.1, **kw),
        "fit-gram": lambda X, y, **kw: regbench.fit(X, y, 0.1, gram=True, **kw),
        "ridge_path": lambda X, y, **kw: regbench.ridge_path(X, y, n_lambdas=3, **kw),
        "cross_validate": lambda X, y, **kw: regbench.cross_validate(X, y, cv=3, n_lambdas=3, **kw),
        "Lasso": lambda X, y, **kw: regbench.Lasso(alpha=0.1, **kw).fit(X, y),
        "ElasticNet": lambda X, y, **kw: regbench.ElasticNet(alpha=0.1, **kw).fit(X, y),
        "Ridge": lambda X, y, **kw: regbench.Ridge(alpha=0.1, **kw).fit(X, y),
        "LassoCV": lambda X, y, **kw: regbench.LassoCV(cv=3, n_lambdas=3, **kw).fit(X, y),
        "ElasticNetCV": lambda X, y, **kw: regbench.ElasticNetCV(cv=3, n_lambdas=3, **kw).fit(X, y),
        "RidgeCV": lambda X, y, **kw: regbench.RidgeCV(n_lambdas=3, **kw).fit(X, y),
    }


ENTRY = _entry_points()


def _overflow_cases():
    rng = np.random.RandomState(0)
    huge = np.finfo(float).max * rng.uniform(size=(12, 2))  # scikit-learn's example: the sums overflow
    y12 = rng.standard_normal(12)
    one = rng.standard_normal((12, 3))
    one[3, 1] = 1e300  # finite mean, infinite sum of squares
    return {
        "max-float-X": (huge, y12, {}, r"X is too large for float64.*column\(s\) \[0, 1\]"),
        "1e300-entry-standardize": (one, y12, {"standardize": True}, r"X is too large for float64.*\[1\]"),
        "1e300-entry": (one, y12, {}, r"X is too large for float64.*\[1\]"),
        "1e300-entry-sparse": (sp.csc_matrix(one), y12, {"standardize": True}, r"X is too large.*\[1\]"),
        "max-float-y": (rng.standard_normal((12, 2)), 1e300 * y12, {}, r"y is too large for float64"),
    }


CASES = _overflow_cases()


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("entry", list(ENTRY))
def test_overflowing_input_raises_naming_the_cause(entry, case):
    X, y, kw, pattern = CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no numpy overflow warning on the way either
        with pytest.raises(ValueError, match=pattern):
            ENTRY[entry](X, y, **kw)


def test_non_finite_results_are_refused():
    """The last line of defence in path and ridge_path: a non-finite result raises, naming the lambda."""
    from regbench.fitting.solver import check_finite_result

    lambdas = np.array([1.0, 0.5])
    coefs = np.array([[1.0, np.nan], [0.0, 2.0]])
    with pytest.raises(ValueError, match=r"non-finite .* lambda=0\.5 \(1 of 2"):
        check_finite_result(lambdas, coefs, np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"lambda=1 \(1 of 2"):
        check_finite_result(lambdas, np.ones((2, 2)), np.array([np.inf, 0.0]), np.zeros(2))
    check_finite_result(lambdas, np.ones((2, 2)), np.zeros(2), np.zeros(2))  # finite: no error


# --- glmnet's early path stop (fdev = 1e-5, devmax = 0.999, at least 5 lambdas) ---

def _dev_ratio(X, y, coefs, intercepts):
    """1 - ||y - b0 - X w||^2 / ||y - mean(y)||^2 from the returned solutions, with numpy."""
    R = y[:, None] - intercepts[None, :] - np.asarray(X @ coefs)
    yc = y - y.mean()
    return 1.0 - np.sum(R * R, axis=0) / (yc @ yc)


def _wide_problem(seed=0, n=40, p=300, noise=0.5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:10] = rng.uniform(1, 2, 10)
    return X, X @ w + noise * rng.standard_normal(n)


@pytest.mark.parametrize("case", ["wide-fdev", "tall-devmax", "enet-sparse"])
def test_early_stop_truncates_the_path_where_glmnets_rule_fires(case):
    if case == "tall-devmax":
        X, y = _wide_problem(seed=1, n=200, p=20, noise=0.01)
        kw = dict(l1_ratio=1.0)
    elif case == "enet-sparse":
        X, y = _wide_problem(seed=2)
        X = sp.csc_matrix(np.where(np.abs(X) > 1.0, X, 0.0))
        kw = dict(l1_ratio=0.5)
    else:
        X, y = _wide_problem()
        kw = dict(l1_ratio=1.0)
    full = regbench.path(X, y, n_lambdas=100, eps=1e-4, tol=1e-12, max_iter=100_000, **kw)
    cut = regbench.path(X, y, n_lambdas=100, eps=1e-4, tol=1e-12, max_iter=100_000, early_stop=True, **kw)
    assert full.early_stop == "" and full.lambdas.size == 100
    k = cut.lambdas.size
    assert 5 <= k < 100, k
    for name in ("gaps", "objectives", "n_iter", "converged", "times", "intercepts"):
        assert getattr(cut, name).shape == (k,), name
    assert cut.coefs.shape == (X.shape[1], k)
    np.testing.assert_array_equal(cut.lambdas, full.lambdas[:k])  # a prefix of the same grid
    np.testing.assert_allclose(cut.coefs, full.coefs[:, :k], atol=1e-8)  # same warm-started solutions
    dev = _dev_ratio(X, y, full.coefs, full.intercepts)  # independent of the solver's bookkeeping

    def fires(j):
        return j >= 4 and (dev[j] - dev[j - 1] < 1e-5 * dev[j] or dev[j] > 0.999)

    assert not any(fires(j) for j in range(k - 1)), "the path went past a lambda where the rule fires"
    assert fires(k - 1), f"stopped at lambda[{k - 1}] where dev = {dev[k - 1]:.6f}, previous {dev[k - 2]:.6f}"
    expected = "fdev" if dev[k - 1] - dev[k - 2] < 1e-5 * dev[k - 1] else "devmax"
    assert cut.early_stop == expected
    if case == "tall-devmax":
        assert cut.early_stop == "devmax"


def test_early_stop_never_cuts_before_five_lambdas():
    X, y = _wide_problem(seed=1, n=200, p=20, noise=0.001)
    lmax = regbench.path(X, y, n_lambdas=1).lambda_max
    res = regbench.path(X, y, lambdas=lmax * np.geomspace(1e-3, 1e-5, 20), early_stop=True)
    dev = _dev_ratio(X, y, res.coefs, res.intercepts)
    assert dev[0] > 0.999  # the rule holds from the first lambda on
    assert res.lambdas.size == 5 and res.early_stop in ("fdev", "devmax")


@pytest.mark.filterwarnings("ignore::regbench.ConvergenceWarning")  # the uncut grids reach interpolation
@pytest.mark.parametrize("values", [(1.0,), (0.5, 1.0)])
def test_cross_validate_early_stop_cuts_every_grid_to_the_longest_stopped_path(values):
    X, y = _wide_problem()
    kw = dict(l1_ratios=values, cv=3, n_lambdas=60, eps=1e-4)
    full = regbench.cross_validate(X, y, **kw)
    cut = regbench.cross_validate(X, y, early_stop=True, **kw)
    lengths = [regbench.path(X, y, l1_ratio=v, lambdas=full.lambdas[a], early_stop=True).lambdas.size
               for a, v in enumerate(values)]
    k = max(lengths)
    assert k < 60
    assert cut.lambdas.shape == cut.mse_mean.shape == cut.mse_se.shape == (len(values), k)
    np.testing.assert_array_equal(cut.lambdas, full.lambdas[:, :k])
    np.testing.assert_allclose(cut.mse_mean, full.mse_mean[:, :k], rtol=1e-6)


@pytest.mark.filterwarnings("ignore::regbench.ConvergenceWarning")
def test_cross_validate_early_stop_leaves_ridge_grids_whole():
    X, y = _wide_problem()
    cut = regbench.cross_validate(X, y, l1_ratios=(0.0, 1.0), cv=3, n_lambdas=30, early_stop=True)
    assert cut.lambdas.shape == (2, 30)


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_early_stop_must_be_a_bool(value):
    X, y = _wide_problem()
    with pytest.raises(ValueError, match=r"early_stop must be True or False, got"):
        regbench.path(X, y, n_lambdas=3, early_stop=value)

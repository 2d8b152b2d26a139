"""Shared test helpers: a seeded small-data builder and independent numpy references.

Everything here is computed from scratch with numpy/scipy (and scikit-learn as the
high-precision oracle), never through regbench, so the tests can catch the solver.

The objective (the contract's, one scaling everywhere):

    P(b0, w) = 1/(2n) ||y - b0 - X w||^2 + alpha * (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||_2^2)

With ``standardize=True`` the penalty acts on ``w * sd`` (population standard deviation of
each column, centred when an intercept is fitted); coefficients are on the original scale.

Import the helpers in test modules with ``from conftest import make_data, objective, ...``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

#: shapes used across the suite: (n, p), one with n > p and one with p > n
SHAPES = {"n>p": (60, 20), "p>n": (25, 60)}
#: Toeplitz correlation levels rho^|i - j|
RHOS = (0.0, 0.5, 0.9)


def make_data(n=50, p=20, *, rho=0.0, sparse=False, density=0.3, k=None, snr=3.0,
              seed=0, offset=True):
    """Return ``(X, y, w_true)``: a seeded Gaussian (or sparse) regression problem.

    Dense: rows are AR(1) (Toeplitz rho^|i-j|) Gaussian vectors, columns given distinct
    scales and offsets (so standardize and fit_intercept matter). Sparse: a CSC matrix
    with the given density, Gaussian non-zeros (no column is empty or constant).
    y = X w_true + b0 + noise with the given signal-to-noise ratio; w_true has k non-zeros.
    """
    rng = np.random.default_rng(seed)
    if sparse:
        X = sp.random(n, p, density=density, format="csc", random_state=rng,
                      data_rvs=rng.standard_normal)
        # guarantee every column has at least two distinct entries (no constant column)
        X = X.tolil()
        for j in range(p):
            rows = rng.choice(n, size=2, replace=False)
            X[rows[0], j] = 1.0 + rng.random()
            X[rows[1], j] = -1.0 - rng.random()
        X = X.tocsc()
        Xd = X.toarray()
    else:
        Z = rng.standard_normal((n, p))
        X = np.empty((n, p))
        X[:, 0] = Z[:, 0]
        s = np.sqrt(1.0 - rho ** 2)
        for j in range(1, p):
            X[:, j] = rho * X[:, j - 1] + s * Z[:, j]
        X *= rng.uniform(0.5, 2.0, size=p)
        if offset:
            X += rng.uniform(-1.0, 1.0, size=p)
        Xd = X
    k = max(1, min(p, p // 4)) if k is None else k
    w_true = np.zeros(p)
    support = rng.choice(p, size=k, replace=False)
    w_true[support] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(0.5, 2.0, size=k)
    signal = Xd @ w_true
    sigma = np.std(signal) / snr if np.std(signal) > 0 else 1.0
    y = signal + (0.7 if offset else 0.0) + sigma * rng.standard_normal(n)
    return X, y, w_true


@pytest.fixture
def regression_data():
    """The builder as a fixture (for tests that prefer fixtures to imports)."""
    return make_data


def dense(X):
    """A dense float64 copy of X (sparse or not)."""
    return X.toarray() if sp.issparse(X) else np.asarray(X, dtype=float)


def column_scales(X, fit_intercept=True):
    """Population standard deviation of each column (glmnet's standardize).

    Without an intercept the columns are not centred but the scale is still the centred
    standard deviation (glmnet, ``StandardScaler(with_mean=False)``); ``fit_intercept`` is
    accepted for the callers' symmetry and does not change the scale.
    """
    return dense(X).std(axis=0)


def objective(X, y, w, b0, alpha, l1_ratio, *, scales=None):
    """Primal objective of the contract at (b0, w); ``scales`` multiplies w in the penalty."""
    Xd = dense(X)
    n = Xd.shape[0]
    r = y - b0 - Xd @ w
    ws = w if scales is None else w * scales
    pen = alpha * (l1_ratio * np.abs(ws).sum() + (1.0 - l1_ratio) / 2.0 * ws @ ws)
    return r @ r / (2.0 * n) + pen


def lambda_max(X, y, l1_ratio=1.0, *, fit_intercept=True, standardize=False):
    """The smallest alpha at which w = 0 is optimal: max_j |x_j' (y - ybar)| / (n l1_ratio)."""
    Xd = dense(X)
    n = Xd.shape[0]
    if fit_intercept:
        Xd = Xd - Xd.mean(axis=0)
        yc = y - y.mean()
    else:
        yc = y
    if standardize:
        Xd = Xd / column_scales(X, fit_intercept)
    return np.max(np.abs(Xd.T @ yc)) / (n * l1_ratio)


def oracle(X, y, alpha, l1_ratio, *, fit_intercept=True, standardize=False):
    """High-precision solution (b0, w) on the original scale, independent of regbench.

    l1_ratio = 0 (ridge): exact linear solve. Otherwise scikit-learn's ElasticNet on the
    centred (and, with standardize, scaled) dense data at tol=1e-14; sklearn's alpha is
    our alpha (same 1/(2n) scaling), its l1_ratio ours.
    """
    from sklearn.linear_model import ElasticNet as SkEN

    Xd = dense(X)
    n, p = Xd.shape
    xm = Xd.mean(axis=0) if fit_intercept else np.zeros(p)
    ym = y.mean() if fit_intercept else 0.0
    Xc = Xd - xm
    yc = y - ym
    sc = column_scales(X, fit_intercept) if standardize else np.ones(p)
    Xs = Xc / sc
    if l1_ratio == 0.0:
        ws = np.linalg.solve(Xs.T @ Xs / n + alpha * np.eye(p), Xs.T @ yc / n)
    elif alpha == 0.0:
        ws = np.linalg.lstsq(Xs, yc, rcond=None)[0]
    else:
        m = SkEN(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-14,
                 max_iter=1_000_000, precompute=False, selection="cyclic")
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m.fit(np.asfortranarray(Xs), yc)
        ws = m.coef_.copy()
    w = ws / sc
    b0 = ym - xm @ w
    return b0, w


def ridge_exact(X, y, lam, *, fit_intercept=True, standardize=False):
    """Closed-form ridge (l1_ratio = 0) solution of the contract's objective."""
    return oracle(X, y, lam, 0.0, fit_intercept=fit_intercept, standardize=standardize)


def kkt_violation(X, y, w, b0, lam1, lam2, *, scales=None, fit_intercept=True):
    """Largest violation of the KKT conditions, computed from scratch.

    In standardized coordinates v = w * s (s = scales or 1): gradient g_j = -x_j' r / (n s_j).
      v_j != 0:  |g_j + lam2 v_j + lam1 sign(v_j)| = 0
      v_j == 0:  |g_j| <= lam1
    and, with an intercept, mean(r) = 0. Returns (max over coefficients, |mean(r)|).
    """
    Xd = dense(X)
    n, p = Xd.shape
    s = np.ones(p) if scales is None else scales
    r = y - b0 - Xd @ w
    g = -(Xd.T @ r) / n / s
    v = w * s
    nz = v != 0
    viol = np.zeros(p)
    viol[nz] = np.abs(g[nz] + lam2 * v[nz] + lam1 * np.sign(v[nz]))
    viol[~nz] = np.maximum(np.abs(g[~nz]) - lam1, 0.0)
    return viol.max(initial=0.0), (abs(r.mean()) if fit_intercept else 0.0)


def prox_grad_residual_sq_over_2L(X, y, w, b0, lam1, lam2, *, scales=None, fit_intercept=True):
    """||G_L(b0, w)||^2 / (2L): a lower bound on P(b0, w) - P* (Beck & Teboulle, Lemma 2.3).

    G_L is the proximal-gradient mapping of P = f + lam1 ||v||_1 with
    f = 1/(2n)||y - b0 - X w||^2 + lam2/2 ||v||^2 in standardized coordinates v = w * s,
    and L the Lipschitz constant of grad f. Any certified duality gap must be >= this value.
    """
    Xd = dense(X)
    n, p = Xd.shape
    s = np.ones(p) if scales is None else scales
    Z = Xd / s  # design in standardized coordinates (no centring: b0 absorbs it)
    A = np.column_stack([np.ones(n), Z]) if fit_intercept else Z
    L = np.linalg.norm(A, 2) ** 2 / n + lam2
    v = w * s
    r = y - b0 - Z @ v
    gv = -(Z.T @ r) / n + lam2 * v
    u = v - gv / L
    v_new = np.sign(u) * np.maximum(np.abs(u) - lam1 / L, 0.0)
    G = L * (v - v_new)
    tot = G @ G
    if fit_intercept:
        gb = -r.mean()
        tot += gb ** 2  # the intercept step is unpenalized: G_b = gradient
    return tot / (2.0 * L)

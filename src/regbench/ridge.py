"""Ridge regression along a whole grid from one thin SVD, with GCV and leave-one-out errors.

Minimizes 1/(2n) ||y - b0 - X w||^2 + alpha/2 ||w||^2 (the project's objective at
l1_ratio = 0). With X_s = U diag(d) V' (centred, optionally standardized), the
solution is w(alpha) = V diag(d / (d^2 + n alpha)) U' y_c, so every alpha costs
O(p k) once the SVD is done. The hat matrix is H = 11'/n + U diag(d^2/(d^2 + n alpha)) U'
(without the 11'/n term when there is no intercept); GCV and exact leave-one-out
errors follow from its trace and diagonal. ``times`` spreads the one decomposition's
cost evenly over the grid.
"""

import time
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from ._design import prepare
from ._kernels import SPARSE
from ._kernels import dual_gap
from ._validation import check_lambdas, check_scalar, check_X_y
from .results import PathResult
from .solver import default_grid, lambda_max


@dataclass(frozen=True)
class RidgePathResult(PathResult):
    """A ridge path plus its generalized cross-validation and leave-one-out mean squared errors."""

    gcv: np.ndarray = None
    loo: np.ndarray = None
    df: np.ndarray = None


def _thin_svd(design):
    """U, d and two maps, C -> V C and M -> X_s' M, for the thin SVD X_s = U diag(d) V'.

    Dense X: LAPACK's thin SVD. Sparse X (never densified): the eigendecomposition
    of the smaller Gram matrix, X_s' X_s (p <= n) or X_s X_s' (p > n), both formed
    with the centring and scaling applied implicitly; eigenvalues below
    1e-12 * the largest are dropped (rank deficiency). For p > n, V = X_s' U / d is
    never formed (it would be as large as a dense X): V C = X_s' (U C / d).
    """
    if design.mode != SPARSE:
        U, d, Vt = scipy.linalg.svd(design.X, full_matrices=False, check_finite=False, lapack_driver="gesdd")
        return U, d, lambda C: Vt.T @ C, lambda M: design.X.T @ M
    n, p = design.n, design.p
    X = sp.csc_matrix((design.data, design.indices, design.indptr), shape=(n, p))
    mu, s = design.mu, design.inv_s

    def xs_dot(M):  # X_s M with X_s = (X - 1 mu') diag(s)
        SM = s[:, None] * M
        return X @ SM - np.outer(np.ones(n), mu @ SM)

    def xst_dot(M):  # X_s' M
        return s[:, None] * (X.T @ M - np.outer(mu, M.sum(axis=0)))

    if p <= n:
        G = (np.asarray((X.T @ X).toarray()) - n * np.outer(mu, mu)) * np.outer(s, s)
        e, V = scipy.linalg.eigh(G, check_finite=False)
        keep = e > 1e-12 * max(e.max(), 0.0)
        d, V = np.sqrt(e[keep]), V[:, keep]
        return xs_dot(V) / d, d, lambda C: V @ C, xst_dot
    Xd = X @ sp.diags(s * s)
    K = np.asarray((Xd @ X.T).toarray())
    m = np.asarray(Xd @ mu).ravel()
    K += -m[:, None] - m[None, :] + float(mu @ (s * s * mu))
    e, U = scipy.linalg.eigh(K, check_finite=False)
    keep = e > 1e-12 * max(e.max(), 0.0)
    d, U = np.sqrt(e[keep]), U[:, keep]
    return U, d, lambda C: xst_dot(U @ (C / d[:, None])), xst_dot


def ridge_path(X, y, *, lambdas=None, n_lambdas=100, eps=None, fit_intercept=True, standardize=False,
               constant_columns="raise"):
    """Ridge solutions for every alpha in the grid from one thin SVD, with GCV and LOO errors.

    Dense X uses LAPACK's SVD; a sparse X is never densified (see ``_thin_svd``).
    """
    X, y = check_X_y(X, y)
    check_scalar(n_lambdas, "n_lambdas", low=1, integer=True)
    t0 = time.perf_counter()
    design = prepare(X, y, fit_intercept=fit_intercept, standardize=standardize, gram=False,
                     constant_columns=constant_columns)
    n = design.n
    if lambdas is None:
        grid = default_grid(design, 0.0, n_lambdas, eps)
    else:
        grid = check_lambdas(lambdas)
    U, d, v_dot, xst_dot = _thin_svd(design)
    uty = U.T @ design.y
    denom = d[:, None] ** 2 + n * grid[None, :]  # (k, L)
    with np.errstate(divide="ignore", invalid="ignore"):
        filt = np.where(denom > 0, d[:, None] / denom, 0.0)
    W = v_dot(filt * uty[:, None])  # standardized coordinates
    shrink = filt * d[:, None]  # d^2 / (d^2 + n alpha)
    fitted = U @ (shrink * uty[:, None])
    R = design.y[:, None] - fitted
    rss = np.einsum("il,il->l", R, R)
    df = shrink.sum(axis=0) + (1.0 if fit_intercept else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gcv = (rss / n) / (1.0 - df / n) ** 2
        h = (U * U) @ shrink + (1.0 / n if fit_intercept else 0.0)
        loo = np.mean((R / (1.0 - h)) ** 2, axis=0)
    elapsed = time.perf_counter() - t0
    # Certify each solution with the same duality gap the CD solver reports.
    grads = np.ascontiguousarray(xst_dot(R) / n)
    feas_tol = 1e-10 * np.sqrt(design.lips.max() * design.yy / n)
    gaps = np.empty(grid.size)
    objs = np.empty(grid.size)
    for k in range(grid.size):
        objs[k], gaps[k] = dual_gap(np.ascontiguousarray(W[:, k]), np.ascontiguousarray(grads[:, k]), rss[k],
                                    float(R[:, k] @ design.y), float(n), 0.0, grid[k], feas_tol)
    coefs, intercepts = design.to_original(W)
    L = grid.size
    return RidgePathResult(
        lambdas=grid, coefs=coefs, intercepts=np.atleast_1d(intercepts), gaps=gaps, objectives=objs,
        n_iter=np.zeros(L, dtype=np.int64), converged=np.ones(L, dtype=bool), times=np.full(L, elapsed / L),
        l1_ratio=0.0, lambda2=None, variant="naive", lambda_max=lambda_max(design, 0.0), setup_time=0.0,
        mode="svd" if design.mode != SPARSE else "sparse-eigh", gcv=gcv, loo=loo, df=df)


def ols(X, y, *, fit_intercept=True):
    """Least squares (minimum-norm when X is rank deficient): returns (coef, intercept)."""
    X, y = check_X_y(X, y)
    if sp.issparse(X):
        X = X.toarray()  # OLS is only a baseline for n > p, where p is small
    mu = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = y.mean() if fit_intercept else 0.0
    coef = scipy.linalg.lstsq(X - mu, y - y_mean, check_finite=False)[0]
    return coef, float(y_mean - mu @ coef)

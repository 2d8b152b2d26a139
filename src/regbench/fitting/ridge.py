"""Ridge regression along a whole grid from one spectral decomposition, with GCV and leave-one-out errors.

Minimizes 1/(2n) ||y - b0 - X w||^2 + alpha/2 ||w||^2 (the project's objective at
l1_ratio = 0). With X_s = U diag(d) V' (centred, optionally standardized), the
solution is w(alpha) = V diag(d / (d^2 + n alpha)) U' y_c, so every alpha costs
O(p k) once the decomposition is done. The decomposition is the eigendecomposition
of the smaller Gram matrix (X_s' X_s when p <= n, X_s X_s' otherwise: a few times
cheaper than an SVD of X), unless some alpha of the grid is so small that the
normal equations would lose more than 8 digits (n alpha < 1e-8 d_max^2); then a dense
X gets LAPACK's SVD. Residual sums of squares, gradients for the gap certificates
and GCV come from the spectrum in O(k L); the hat matrix is
H = 11'/n + U diag(d^2/(d^2 + n alpha)) U' (without 11'/n when there is no intercept),
and the exact leave-one-out errors need its diagonal, O(n k L), computed on first use.
``times`` spreads the one decomposition's cost evenly over the grid.
"""

import time
from dataclasses import dataclass

import numpy as np

from regbench.fitting._certificate import dual_gap
from regbench.fitting._columns import SPARSE
from regbench.fitting._design import prepare, sparse_gram, syrk_gram
from regbench.fitting._validation import check_lambdas, check_scalar, check_X_y
from regbench.fitting.results import PathResult
from regbench.fitting.solver import check_finite_result, default_grid, lambda_max
from regbench.lazy_sparse import issparse, sparse_module


@dataclass(frozen=True)
class RidgePathResult(PathResult):
    """A ridge path plus its GCV criterion, effective degrees of freedom and (lazily) LOO errors."""

    gcv: np.ndarray = None
    df: np.ndarray = None

    @property
    def loo(self):
        """Exact leave-one-out mean squared error at each alpha (computed on first access)."""
        if "loo" not in self.extras:
            self.extras["loo"] = self.extras.pop("loo_fn")()
        return self.extras["loo"]

    def __getstate__(self):
        # The lazy LOO is a closure over the decomposition, which pickle cannot store: a pickled
        # (or deep-copied) result carries the computed LOO errors instead.
        self.loo
        return self.__dict__.copy()


class _Spectrum:
    """X_s = U diag(d) V' for the prepared design, with U and V available as products.

    ``u_dot(C)`` = U C, ``ut_y`` = U' y_c, ``v_dot(C)`` = V C and ``xst_dot(M)`` = X_s' M,
    computed without densifying a sparse X or forming a matrix as large as X.
    """

    def __init__(self, design, smallest_alpha):
        n, p = design.n, design.p
        y = design.y
        if design.mode == SPARSE:
            sp = sparse_module()
            X = sp.csc_matrix((design.data, design.indices, design.indptr), shape=(n, p))
            mu, s = design.mu, design.inv_s
            self.xs_dot = lambda M: X @ (s[:, None] * M) - np.outer(np.ones(n), mu @ (s[:, None] * M))
            self.xst_dot = lambda M: s[:, None] * (X.T @ M - np.outer(mu, M.sum(axis=0)))
            if p <= n:
                gram = sparse_gram(X, mu, s)
            else:
                Xd = X @ sp.diags(s * s)
                m = np.asarray(Xd @ mu).ravel()
                gram = np.asarray((Xd @ X.T).toarray()) - m[:, None] - m[None, :] + float(mu @ (s * s * mu))
        else:
            Xs = design.X
            self.xs_dot = lambda M: Xs @ M
            self.xst_dot = lambda M: Xs.T @ M
            gram = syrk_gram(Xs, 1 if p <= n else 0)
        # numpy's eigh is LAPACK's divide and conquer (syevd): 2-3x faster than the QR driver for the whole spectrum
        e, vecs = np.linalg.eigh(gram)
        top = max(float(e.max()), 0.0)
        keep = e > 1e-12 * top
        self.d = np.sqrt(e[keep])
        vecs = vecs[:, keep]
        if design.mode != SPARSE and n * smallest_alpha < 1e-8 * top:
            U, d, Vt = np.linalg.svd(design.X, full_matrices=False)  # gesdd
            keep = d > 1e-12 * d.max()
            self.d, U, V = d[keep], U[:, keep], Vt[keep].T
            self.u_dot, self.v_dot = (lambda C: U @ C), (lambda C: V @ C)
            self.ut_y = U.T @ y
            self.kind = "svd"
        elif p <= n:
            V = vecs
            self.v_dot = lambda C: V @ C
            self.u_dot = lambda C: self.xs_dot(V @ (C / self.d[:, None]))
            self.ut_y = (V.T @ self.xst_dot(y[:, None])[:, 0]) / self.d
            self.kind = "eigh(X'X)"
        else:
            U = vecs
            self.u_dot = lambda C: U @ C
            self.v_dot = lambda C: self.xst_dot(U @ (C / self.d[:, None]))
            self.ut_y = U.T @ y
            self.kind = "eigh(XX')"

    def u_squared_dot(self, C):
        """(U * U) C: the hat matrix's diagonal for a spectral filter C of shape (k, L)."""
        U = self.u_dot(np.eye(self.d.size))
        return (U * U) @ C


def ridge_path(X, y, *, lambdas=None, n_lambdas=100, eps=None, fit_intercept=True, standardize=False,
               constant_columns="raise"):
    """Ridge solutions for every alpha in the grid from one spectral decomposition, with GCV and LOO errors.

    A sparse X is never densified (its Gram matrices are formed with the centring
    implicit). Returns a RidgePathResult; each solution carries the same certified
    duality gap as the coordinate-descent solver's.
    """
    X, y = check_X_y(X, y)
    check_scalar(n_lambdas, "n_lambdas", low=1, integer=True)
    t0 = time.perf_counter()
    design = prepare(X, y, fit_intercept=fit_intercept, standardize=standardize, gram=False,
                     constant_columns=constant_columns)
    n = design.n
    grid = default_grid(design, 0.0, n_lambdas, eps) if lambdas is None else check_lambdas(lambdas)
    spec = _Spectrum(design, float(grid.min()))
    d, uty = spec.d, spec.ut_y
    denom = d[:, None] ** 2 + n * grid[None, :]  # (k, L)
    with np.errstate(divide="ignore", invalid="ignore"):
        filt = np.where(denom > 0, d[:, None] / denom, 0.0)
    shrink = filt * d[:, None]  # d^2 / (d^2 + n alpha)
    W = spec.v_dot(filt * uty[:, None])  # standardized coordinates
    # Spectral identities: y_c = U U'y_c + (part orthogonal to U), fitted = U diag(shrink) U'y_c.
    outside = max(design.yy - float(uty @ uty), 0.0)
    keep_part = (1.0 - shrink) * uty[:, None]
    rss = outside + np.einsum("kl,kl->l", keep_part, keep_part)
    ry = design.yy - np.einsum("kl,k->l", shrink, uty * uty)
    grads = spec.v_dot(d[:, None] * keep_part) / n  # X_s' r / n = V diag(d) U' r / n
    df = shrink.sum(axis=0) + (1.0 if fit_intercept else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gcv = (rss / n) / (1.0 - df / n) ** 2
    elapsed = time.perf_counter() - t0
    feas_tol = 1e-10 * np.sqrt(design.lips.max() * design.yy / n)
    everyone = np.arange(design.p)
    gaps = np.empty(grid.size)
    objs = np.empty(grid.size)
    for k in range(grid.size):
        objs[k], gaps[k] = dual_gap(np.ascontiguousarray(W[:, k]), np.ascontiguousarray(grads[:, k]), everyone,
                                    everyone.size, rss[k], float(ry[k]), float(n), 0.0, grid[k], feas_tol)
    with np.errstate(over="ignore", invalid="ignore"):
        coefs, intercepts = design.to_original(W)
    check_finite_result(grid, coefs, np.atleast_1d(intercepts), gaps)
    yc = design.y
    h0 = 1.0 / n if fit_intercept else 0.0

    def loo():
        R = yc[:, None] - spec.u_dot(shrink * uty[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.mean((R / (1.0 - (spec.u_squared_dot(shrink) + h0))) ** 2, axis=0)

    L = grid.size
    return RidgePathResult(
        lambdas=grid, coefs=coefs, intercepts=np.atleast_1d(intercepts), gaps=gaps, objectives=objs,
        n_iter=np.zeros(L, dtype=np.int64), converged=np.ones(L, dtype=bool), times=np.full(L, elapsed / L),
        l1_ratio=0.0, lambda2=None, variant="naive", lambda_max=lambda_max(design, 0.0), setup_time=0.0,
        mode=spec.kind, extras={"loo_fn": loo}, gcv=gcv, df=df)


def ols(X, y, *, fit_intercept=True):
    """Least squares (minimum-norm when X is rank deficient): returns (coef, intercept)."""
    X, y = check_X_y(X, y)
    if issparse(X):
        X = X.toarray()  # OLS is only a baseline for n > p, where p is small
    mu = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    y_mean = y.mean() if fit_intercept else 0.0
    coef = np.linalg.lstsq(X - mu, y - y_mean, rcond=None)[0]
    return coef, float(y_mean - mu @ coef)

"""Centring, scaling and the choice of kernel mode for one (X, y).

The prepared problem is the one the kernels solve (see ``_kernels``); this module
also maps solutions back to the original scale of X.
"""

from dataclasses import dataclass

import numpy as np
import scipy.linalg.blas
import scipy.sparse as sp

from regbench.fitting._kernels import DENSE, GRAM, SPARSE

MODE_NAMES = {DENSE: "dense", SPARSE: "sparse", GRAM: "gram"}
# Placeholders for the arrays a mode does not use. They are 2 x 2 Fortran-ordered so that
# numba types them like a real Fortran-ordered X (an empty or 1 x 1 array would type as
# C-ordered and force a second compilation of the kernels).
_EMPTY2 = np.zeros((2, 2), dtype=np.float64, order="F")
_EMPTY1F = np.empty(0, dtype=np.float64)
_EMPTY1I = np.empty(0, dtype=np.int64)


@dataclass
class Design:
    """The prepared problem plus what is needed to undo the preprocessing."""

    mode: int
    n: int
    p: int
    X: np.ndarray  # dense, centred and scaled (mode 0) or empty
    data: np.ndarray  # CSC arrays of the raw sparse X (mode 1) or empty
    indices: np.ndarray
    indptr: np.ndarray
    mu: np.ndarray  # column means used for centring (zeros without intercept)
    inv_s: np.ndarray  # 1 / column scale (ones without standardize)
    colsum: np.ndarray  # raw column sums (mode 1)
    G: np.ndarray  # X_s^T X_s / n (mode 2) or empty
    q: np.ndarray  # X_s^T y_c / n
    y: np.ndarray  # centred y
    y_mean: float
    yy: float  # ||y_c||^2
    lips: np.ndarray  # ||X_s,j||^2 / n

    @property
    def mode_name(self):
        return MODE_NAMES[self.mode]

    def kernel_args(self):
        """The design arrays in the order ``_kernels.solve_lambda`` takes them."""
        return (self.X, self.data, self.indices, self.indptr, self.mu, self.inv_s, self.colsum, self.G, self.q)

    def initial_state(self, w0=None):
        """(w, r, state, grad) for a start at w0 (standardized coordinates; default zeros)."""
        w = np.zeros(self.p) if w0 is None else np.array(w0, dtype=np.float64)
        state = np.zeros(1)
        if self.mode == GRAM:
            grad = self.q - self.G @ w
            return w, grad.copy(), state, grad
        if self.mode == DENSE:
            r = self.y - self.X @ w
            grad = self.X.T @ r / self.n
        else:
            Xraw = sp.csc_matrix((self.data, self.indices, self.indptr), shape=(self.n, self.p))
            scaled = w * self.inv_s
            r = self.y - Xraw @ scaled
            state[0] = float(self.mu @ scaled)
            grad = self.inv_s * (Xraw.T @ r + state[0] * self.colsum) / self.n
        return w, r, state, grad

    def to_original(self, w):
        """Coefficients and intercept on the original scale of X and y."""
        coef = w * self.inv_s[:, None] if w.ndim == 2 else w * self.inv_s
        intercept = self.y_mean - self.mu @ coef
        return coef, intercept


def choose_mode(X, gram):
    """'auto' picks Gram updates when n >> p and the p x p matrix is small."""
    n, p = X.shape
    if gram == "auto":
        gram = n >= 2 * p and p <= 2000
    if gram:
        return GRAM
    return SPARSE if sp.issparse(X) else DENSE


def _column_scale(var, mu, standardize, constant_columns="raise"):
    """1 / the standard deviation of each column (ones without standardize).

    A constant column cannot be standardized: ``constant_columns="raise"`` says so,
    ``"zero"`` gives it a zero scale, hence a zero coefficient (glmnet's behaviour,
    used inside CV folds where a rare feature can be constant by chance).
    """
    if not standardize:
        return np.ones_like(var)
    scale = np.sqrt(var)
    const = np.flatnonzero(scale <= 1e-12 * np.maximum(1.0, np.abs(mu)))
    if const.size and constant_columns == "zero":
        inv = np.zeros_like(scale)
        live = np.ones(scale.size, dtype=bool)
        live[const] = False
        inv[live] = 1.0 / scale[live]
        return inv
    if const.size:
        raise ValueError(
            f"cannot standardize: column(s) {const[:10].tolist()} of X are constant "
            "(zero variance); drop them or use standardize=False"
        )
    return 1.0 / scale


def syrk_gram(a, trans, scale=1.0):
    """scale * a' a (trans=1) or scale * a a' (trans=0), symmetric, from one BLAS syrk (half a gemm's flops)."""
    upper = scipy.linalg.blas.dsyrk(scale, a, trans=trans)
    return np.triu(upper) + np.triu(upper, 1).T


def sparse_gram(X, mu, inv_s):
    """X_s' X_s for X_s = (X - 1 mu') diag(inv_s), from a CSC X without densifying it."""
    return (np.asarray((X.T @ X).toarray()) - X.shape[0] * np.outer(mu, mu)) * np.outer(inv_s, inv_s)


def _dense_gram(X, yc, mu, standardize, constant_columns):
    """(G, q, inv_s) for a dense X without a centred copy unless the column means demand one.

    G = X_c' X_c / n comes from one symmetric rank-k update (BLAS syrk, half the
    flops of a general product) of the raw X, minus the mean outer product. When
    a column's mean exceeds 100 standard deviations that subtraction would lose
    digits, so X is centred explicitly first.
    """
    n = X.shape[0]
    raw = np.einsum("ij,ij->j", X, X) / n
    var = np.maximum(raw - mu * mu, 0.0)
    if np.any(mu * mu > 1e4 * var):
        X = X - mu
        mu_term = np.zeros_like(mu)
    else:
        mu_term = mu
    a, trans = (X.T, 0) if X.flags.c_contiguous else (np.asfortranarray(X), 1)
    G = syrk_gram(a, trans, 1.0 / n) - np.outer(mu_term, mu_term)
    inv_s = _column_scale(np.diag(G).copy(), mu, standardize, constant_columns)
    if standardize:
        G *= np.outer(inv_s, inv_s)
    q = inv_s * (X.T @ yc) / n  # the centring term vanishes: y_c sums to zero, or mu = 0
    return G, q, inv_s


def prepare(X, y, *, fit_intercept=True, standardize=False, gram="auto", constant_columns="raise"):
    """Centre and scale (explicitly for dense, implicitly for sparse X) and pick the kernel mode.

    X and y must already be validated (``_validation.check_X_y``). Standardizing
    scales columns to unit population variance (glmnet's convention).
    """
    n, p = X.shape
    mode = choose_mode(X, gram)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    yc = y - y_mean
    common = dict(n=n, p=p, y=yc, y_mean=y_mean, yy=float(yc @ yc))
    if sp.issparse(X):
        colsum = np.asarray(X.sum(axis=0)).ravel()
        mu = colsum / n if fit_intercept else np.zeros(p)
        # sum_i (x_ij - mu_j)^2 over stored entries plus the implicit zeros, without cancellation
        col_of_entry = np.repeat(np.arange(p), np.diff(X.indptr))
        dev = X.data - mu[col_of_entry]
        sq = np.bincount(col_of_entry, weights=dev * dev, minlength=p) + (n - np.diff(X.indptr)) * mu * mu
        inv_s = _column_scale(sq / n, mu, standardize, constant_columns)
        q = inv_s * (X.T @ yc) / n  # the centring term vanishes: y_c sums to zero, or mu = 0
        if mode == SPARSE:
            return Design(mode=SPARSE, X=_EMPTY2, data=X.data, indices=X.indices.astype(np.int64),
                          indptr=X.indptr.astype(np.int64), mu=mu, inv_s=inv_s, colsum=colsum, G=_EMPTY2,
                          q=q, lips=sq / n * inv_s * inv_s, **common)
        G = sparse_gram(X, mu, inv_s) / n
    else:
        mu = X.mean(axis=0) if fit_intercept else np.zeros(p)
        if mode == GRAM:
            G, q, inv_s = _dense_gram(X, yc, mu, standardize, constant_columns)
        else:
            Xs = np.empty((n, p), order="F")  # one pass: centre (and scale) into a column-major copy
            np.subtract(X, mu, out=Xs)
            inv_s = _column_scale(np.einsum("ij,ij->j", Xs, Xs) / n, mu, standardize, constant_columns)
            if standardize:
                Xs *= inv_s
            return Design(mode=DENSE, X=Xs, data=_EMPTY1F, indices=_EMPTY1I, indptr=_EMPTY1I, mu=mu,
                          inv_s=inv_s, colsum=_EMPTY1F, G=_EMPTY2, q=Xs.T @ yc / n,
                          lips=np.einsum("ij,ij->j", Xs, Xs) / n, **common)
    G = np.asfortranarray(G)
    return Design(mode=GRAM, X=_EMPTY2, data=_EMPTY1F, indices=_EMPTY1I, indptr=_EMPTY1I, mu=mu, inv_s=inv_s,
                  colsum=_EMPTY1F, G=G, q=q, lips=np.diag(G).copy(), **common)


def standardized(X):
    """A dense centred copy of X scaled to unit population variance, with the column means and standard deviations.

    The scaling ``prepare(..., standardize=True)`` applies, for code that needs the standardized matrix itself
    (the (lambda2, s) parametrization, the advisor's correlations, the primer). A constant column keeps sd 0 and is
    left at zero; callers that cannot accept one check ``sd == 0``.
    """
    A = X.toarray() if sp.issparse(X) else np.array(X, dtype=np.float64)
    mu = A.mean(axis=0)
    A -= mu
    sd = np.sqrt(np.mean(A**2, axis=0))
    sd[sd <= 1e-12 * np.maximum(1.0, np.abs(mu))] = 0.0
    A[:, sd > 0] /= sd[sd > 0]
    return A, mu, sd

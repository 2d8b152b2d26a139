"""Centring, scaling and the choice of kernel mode for one (X, y).

The prepared problem is the one the kernels solve (see ``_kernels``); this module
also maps solutions back to the original scale of X.
"""

from dataclasses import dataclass

import numpy as np

from regbench.fitting._columns import DENSE, GRAM, SPARSE, column_sq
from regbench.lazy_sparse import issparse, sparse_module

MODE_NAMES = {DENSE: "dense", SPARSE: "sparse", GRAM: "gram"}
# Placeholders for the arrays a mode does not use. They are 2 x 2 Fortran-ordered so that
# numba types them like a real Fortran-ordered X (an empty or 1 x 1 array would type as
# C-ordered and force a second compilation of the kernels).
_EMPTY2 = np.zeros((2, 2), dtype=np.float64, order="F")
_EMPTY1F = np.empty(0, dtype=np.float64)
_EMPTY1I = np.empty(0, dtype=np.int64)
# Implicit centring (X'X - n mu mu', r = r_s + c) loses about log10(1 + mu^2 / var) digits to
# cancellation. A sparse column whose squared mean exceeds _IMPLICIT_MAX variances is centred
# explicitly (stored in full: it is > 80% stored already, see _prepare_sparse); a raw dense X is
# copied and centred before its Gram matrix past _GRAM_IMPLICIT_MAX (4 digits at most: the
# error in G and q is first order in the problem, second order in the sub-optimality).
_IMPLICIT_MAX = 4.0
_GRAM_IMPLICIT_MAX = 1e4


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
    mu: np.ndarray  # the kernel's centring of the stored columns (zeros without intercept)
    x_offset: np.ndarray  # what centring removed from the original columns (their means; zeros without intercept)
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
        """The design arrays in the order ``_kernels.solve_lambda`` takes them.

        The CSC indices go to the kernels as unsigned views (no copy): numba then skips the
        negative-index wraparound test on every gathered r[indices[k]], which made the sparse
        dot products ~1.8x slower than with unsigned indices (benchmarks/FINDINGS.md). The row indices
        of sparse X go as uint32 when n allows (a copy, O(nnz) once per call): half the index
        traffic, which is what the certificate's scattered column reads wait on.
        """
        indices = self.indices.view(np.uint64)
        if self.mode == SPARSE and self.n <= np.iinfo(np.uint32).max:
            indices = self.indices.astype(np.uint32)
        return (self.X, self.data, indices, self.indptr.view(np.uint64), self.mu, self.inv_s, self.colsum, self.G,
                self.q)

    def initial_state(self, w0=None):
        """(w, r, state, grad) for a start at w0 (standardized coordinates; default zeros).

        state[0] is the implicit offset c of mode 1, state[1] its value at the residual of
        the last certification, state[2] the residual's drift and state[3] its drift in the
        max-norm (``_kernels.solve_lambda``)."""
        w = np.zeros(self.p) if w0 is None else np.array(w0, dtype=np.float64)
        state = np.zeros(4)
        if self.mode == GRAM:
            grad = self.q - self.G @ w
            return w, grad.copy(), state, grad
        if self.mode == DENSE:
            r = self.y - self.X @ w
            grad = self.X.T @ r / self.n
        elif w0 is None:  # r = y_c, and its gradient is q (mu = 0 or y_c sums to zero)
            r = self.y.copy()
            grad = self.q.copy()
        else:
            Xraw = sparse_module().csc_matrix((self.data, self.indices, self.indptr), shape=(self.n, self.p))
            scaled = w * self.inv_s
            r = self.y - Xraw @ scaled
            state[0] = state[1] = float(self.mu @ scaled)
            grad = self.inv_s * (Xraw.T @ r + state[0] * self.colsum) / self.n
        return w, r, state, grad

    def to_original(self, w):
        """Coefficients and intercept on the original scale of X and y."""
        # Without standardization and intercept (the benchmarks' setting) both steps are the identity:
        # skipping them spares a p x L copy and a gemv over it (exact: x * 1.0 == x, y_mean - 0 == y_mean).
        if np.all(self.inv_s == 1.0):
            coef = w
        else:
            coef = w * self.inv_s[:, None] if w.ndim == 2 else w * self.inv_s
        if np.any(self.x_offset):
            intercept = self.y_mean - self.x_offset @ coef
        else:
            intercept = self.y_mean - np.zeros(coef.shape[1:])
        return coef, intercept


def choose_mode(X, gram):
    """'auto' picks Gram updates when n >> p and the p x p matrix is small."""
    n, p = X.shape
    if gram == "auto":
        gram = n >= 2 * p and p <= 2000
    if gram:
        return GRAM
    return SPARSE if issparse(X) else DENSE


def _column_scale(var, mu, standardize, constant_columns="raise"):
    """1 / the standard deviation of each column (ones without standardize).

    A constant column cannot be standardized: ``constant_columns="raise"`` says so,
    ``"zero"`` gives it a zero scale, hence a zero coefficient (glmnet's behaviour,
    used inside CV folds where a rare feature can be constant by chance).
    """
    over = np.flatnonzero(~(np.isfinite(var) & np.isfinite(mu)))
    if over.size:
        raise ValueError(
            f"X is too large for float64 arithmetic: the mean or the sum of squares of column(s) "
            f"{over[:10].tolist()} overflows (inf); rescale X, e.g. divide it by a power of 10 (coefficients "
            "scale inversely)"
        )
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
    """scale * a' a (trans=1) or scale * a a' (trans=0), exactly symmetric.

    numpy computes a product of an array with its own transpose by one BLAS syrk (half a gemm's flops) and mirrors
    the triangle; scipy.linalg.blas would do the same but costs every process scipy.linalg's import
    (``regbench.lazy_sparse``).
    """
    g = a.T @ a if trans else a @ a.T
    if scale != 1.0:
        g *= scale
    return g


def sparse_gram(X, mu, inv_s):
    """X_s' X_s for X_s = (X - 1 mu') diag(inv_s), from a CSC X without densifying it."""
    return (np.asarray((X.T @ X).toarray()) - X.shape[0] * np.outer(mu, mu)) * np.outer(inv_s, inv_s)


def _dense_gram(X, yc, mean, fit_intercept, standardize, constant_columns):
    """(G, q, inv_s) for a dense X without a centred copy unless the column means demand one.

    G = X_c' X_c / n comes from one symmetric rank-k update (BLAS syrk, half the
    flops of a general product) of the raw X, minus the mean outer product. When
    a column's squared mean exceeds ``_GRAM_IMPLICIT_MAX`` variances that subtraction
    (and the variance from raw moments) would lose digits, so X is centred
    explicitly first (a copy of X).
    Without an intercept G = X' X / n and the scale is still the centred sd.
    """
    n = X.shape[0]
    raw = np.einsum("ij,ij->j", X, X) / n
    var = np.maximum(raw - mean * mean, 0.0)
    mu_term = mean if fit_intercept else np.zeros_like(mean)
    if np.any(mean * mean > _GRAM_IMPLICIT_MAX * var):
        if fit_intercept:
            X = X - mean
            mu_term = np.zeros_like(mean)
            var = np.einsum("ij,ij->j", X, X) / n
        else:
            var = X.var(axis=0)  # two-pass, no cancellation
    a, trans = (X.T, 0) if X.flags.c_contiguous else (np.asfortranarray(X), 1)
    G = syrk_gram(a, trans, 1.0 / n) - np.outer(mu_term, mu_term)
    inv_s = _column_scale(var, mean, standardize, constant_columns)
    if standardize:
        G *= np.outer(inv_s, inv_s)
    q = inv_s * (X.T @ yc) / n  # the centring term vanishes: y_c sums to zero, or mu = 0
    return G, q, inv_s


def _sparse_sq(X, shift):
    """sum_i (x_ij - shift_j)^2 per column of a CSC X: stored entries plus the implicit zeros, no cancellation."""
    return column_sq(X.data, X.indptr, np.ascontiguousarray(shift, dtype=np.float64), X.shape[0])


def _store_centred(X, cols, mean):
    """The CSC X with columns ``cols`` replaced by x_j - mean_j, stored in full (explicit centring)."""
    n = X.shape[0]
    in_cols = np.zeros(X.shape[1], dtype=bool)
    in_cols[cols] = True
    block = np.asarray(X[:, cols].toarray()) - mean[cols]
    sp = sparse_module()
    rest = sp.csc_matrix((np.where(np.repeat(in_cols, np.diff(X.indptr)), 0.0, X.data), X.indices.copy(),
                          X.indptr.copy()), shape=X.shape)
    rest.eliminate_zeros()  # in place: hence the copies, X itself must not change
    full = sp.coo_matrix((block.ravel(order="F"), (np.tile(np.arange(n), cols.size), np.repeat(cols, n))),
                         shape=X.shape)
    out = sp.csc_matrix(rest + full.tocsc())
    out.sort_indices()
    return out


def _prepare_sparse(X, fit_intercept):
    """(stored CSC, kernel centring mu, x_offset, column variances) for a sparse X.

    Centring stays implicit (X is never densified) except for columns whose squared
    mean exceeds ``_IMPLICIT_MAX`` variances: there ``X' X - n mu mu'`` and
    ``r = r_s + c`` cancel digits (all of them at means 1e8 sd), so those columns are
    stored centred, in full. A column with a fraction f of nonzeros has
    mu^2 / var <= f / (1 - f), so such a column is already more than 80% stored.
    """
    n, p = X.shape
    mean = np.asarray(X.sum(axis=0)).ravel() / n
    var = _sparse_sq(X, mean) / n
    if not fit_intercept:
        return X, np.zeros(p), np.zeros(p), mean, var
    far = np.flatnonzero(mean * mean > _IMPLICIT_MAX * var)
    if far.size == 0:
        return X, mean, mean, mean, var
    X = _store_centred(X, far, mean)
    mu = np.asarray(X.sum(axis=0)).ravel() / n  # ~ rounding on the centred columns: centre them exactly
    x_offset = mu.copy()
    x_offset[far] += mean[far]
    return X, mu, x_offset, mean, var


def prepare(X, y, *, fit_intercept=True, standardize=False, gram="auto", constant_columns="raise"):
    """Centre and scale (explicitly for dense, implicitly for sparse X) and pick the kernel mode.

    X and y must already be validated (``_validation.check_X_y``). Standardizing
    scales columns to unit population variance (glmnet's convention), the centred
    standard deviation, also without an intercept (then the columns are scaled, not
    centred: glmnet's and ``StandardScaler(with_mean=False)``'s convention).

    Raises ValueError when X or y is too large for float64 arithmetic (a column's sum,
    sum of squares or X' y overflows), instead of letting inf and NaN into the solution.
    """
    _check_y_range(y)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked and reported below
        design = _prepare(X, y, fit_intercept, standardize, gram, constant_columns)
    _check_x_range(X, design)
    return design


def _largest(values):
    return float(np.max(np.abs(values), initial=0.0))


def _check_y_range(y):
    with np.errstate(over="ignore", invalid="ignore"):
        yc = y - y.mean()
        yy = float(yc @ yc)
    if not np.isfinite(yy):
        raise ValueError(
            f"y is too large for float64 arithmetic: the sum of squares of y - mean(y) overflows (largest "
            f"|y| = {_largest(y):.3e}); rescale y, e.g. divide it by a power of 10"
        )


def _check_x_range(X, design):
    with np.errstate(over="ignore", invalid="ignore"):
        bad = ~(np.isfinite(design.x_offset) & np.isfinite(design.lips) & np.isfinite(design.q)
                & np.isfinite(design.inv_s))
    if np.any(bad):
        cols = np.flatnonzero(bad)
        values = X.data if issparse(X) else X
        raise ValueError(
            f"X is too large for float64 arithmetic: the sum, the sum of squares or the product with y of "
            f"column(s) {cols[:10].tolist()} overflows (largest |x| = {_largest(values):.3e}); rescale X, e.g. "
            "divide it by a power of 10 (coefficients scale inversely)"
        )


def _prepare(X, y, fit_intercept, standardize, gram, constant_columns):
    n, p = X.shape
    mode = choose_mode(X, gram)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    yc = y - y_mean
    common = dict(n=n, p=p, y=yc, y_mean=y_mean, yy=float(yc @ yc))
    if issparse(X):
        X, mu, x_offset, mean, var = _prepare_sparse(X, fit_intercept)
        colsum = np.asarray(X.sum(axis=0)).ravel()
        inv_s = _column_scale(var, mean, standardize, constant_columns)
        q = inv_s * (X.T @ yc) / n  # the centring term vanishes: y_c sums to zero, or mu = 0
        if mode == SPARSE:
            sq = _sparse_sq(X, mu)  # of the columns the kernel sees (uncentred without an intercept)
            return Design(mode=SPARSE, X=_EMPTY2, data=X.data, indices=X.indices.astype(np.int64),
                          indptr=X.indptr.astype(np.int64), mu=mu, x_offset=x_offset, inv_s=inv_s,
                          colsum=colsum, G=_EMPTY2, q=q, lips=sq / n * inv_s * inv_s, **common)
        G = sparse_gram(X, mu, inv_s) / n
    else:
        mean = X.mean(axis=0)
        mu = mean if fit_intercept else np.zeros(p)
        x_offset = mu
        if mode == GRAM:
            G, q, inv_s = _dense_gram(X, yc, mean, fit_intercept, standardize, constant_columns)
        else:
            Xs = np.empty((n, p), order="F")  # one pass: centre (and scale) into a column-major copy
            np.subtract(X, mu, out=Xs)
            var = np.einsum("ij,ij->j", Xs, Xs) / n if fit_intercept else X.var(axis=0)
            inv_s = _column_scale(var, mean, standardize, constant_columns)
            if standardize:
                Xs *= inv_s
            return Design(mode=DENSE, X=Xs, data=_EMPTY1F, indices=_EMPTY1I, indptr=_EMPTY1I, mu=mu,
                          x_offset=x_offset, inv_s=inv_s, colsum=_EMPTY1F, G=_EMPTY2, q=Xs.T @ yc / n,
                          lips=np.einsum("ij,ij->j", Xs, Xs) / n, **common)
    G = np.asfortranarray(G)
    return Design(mode=GRAM, X=_EMPTY2, data=_EMPTY1F, indices=_EMPTY1I, indptr=_EMPTY1I, mu=mu,
                  x_offset=x_offset, inv_s=inv_s, colsum=_EMPTY1F, G=G, q=q, lips=np.diag(G).copy(), **common)


def standardized(X):
    """A dense centred copy of X scaled to unit population variance, with the column means and standard deviations.

    The scaling ``prepare(..., standardize=True)`` applies, for code that needs the standardized matrix itself
    (the (lambda2, s) parametrization, the advisor's correlations, the primer). A constant column keeps sd 0 and is
    left at zero; callers that cannot accept one check ``sd == 0``.
    """
    A = X.toarray() if issparse(X) else np.array(X, dtype=np.float64)
    mu = A.mean(axis=0)
    A -= mu
    sd = np.sqrt(np.mean(A**2, axis=0))
    sd[sd <= 1e-12 * np.maximum(1.0, np.abs(mu))] = 0.0
    A[:, sd > 0] /= sd[sd > 0]
    return A, mu, sd

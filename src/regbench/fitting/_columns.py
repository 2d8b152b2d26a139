"""Column primitives of the compiled kernels, and the numbers of the three kernel modes.

  DENSE   dense X, residual updates
  SPARSE  sparse CSC X, residual updates (implicit centring: see ``_kernels``)
  GRAM    Gram (covariance) updates, n >> p
"""

import numpy as np

from regbench.fitting._jit import kernel

DENSE, SPARSE, GRAM = 0, 1, 2


@kernel()
def column_sq(data, indptr, shift, n):
    """sum_i (x_ij - shift_j)^2 per column of a CSC matrix (stored entries, then the n - nnz_j
    implicit zeros), summed as written: no cancellation, no temporaries."""
    p = indptr.shape[0] - 1
    out = np.empty(p)
    for j in range(p):
        sh = shift[j]
        s = 0.0
        for k in range(indptr[j], indptr[j + 1]):
            d = data[k] - sh
            s += d * d
        out[j] = s + (n - (indptr[j + 1] - indptr[j])) * sh * sh
    return out


@kernel()
def column_abs(data, indptr, shift, n):
    """sum_i |x_ij - shift_j| per column of a CSC matrix (stored entries, then the n - nnz_j implicit zeros)."""
    p = indptr.shape[0] - 1
    out = np.empty(p)
    for j in range(p):
        sh = shift[j]
        s = 0.0
        for k in range(indptr[j], indptr[j + 1]):
            s += abs(data[k] - sh)
        out[j] = s + (n - (indptr[j + 1] - indptr[j])) * abs(sh)
    return out


@kernel(fastmath=True)
def col_dot_dense(X, j, r):
    s = 0.0
    for i in range(X.shape[0]):
        s += X[i, j] * r[i]
    return s


@kernel(fastmath=True)
def col_dot_sparse(data, indices, indptr, j, r):
    s = 0.0
    for k in range(indptr[j], indptr[j + 1]):
        s += data[k] * r[indices[k]]
    return s

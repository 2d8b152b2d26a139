"""Anderson extrapolation of coordinate-descent iterates (as in skglm), for the active-set cycling of
``_kernels.solve_lambda`` on dense and sparse X (residual updates).

Every ``ANDERSON_K`` epochs of cyclic CD on the active set, the last K + 1 iterates w_0..w_K give the
differences U_k = w_k+1 - w_k; the mixing weights c = z / sum(z), (U U') z = 1, extrapolate
w = sum_k c_k w_k+1, which replaces the current iterate only if it lowers the objective. On correlated
designs, where CD converges linearly with a rate near 1, this cuts the epochs per lambda several-fold.
The extrapolation only proposes points: the solver stops on its certified duality gap, computed at its
own residual, exactly as without it.
"""

import numpy as np

from regbench.fitting._jit import kernel

#: Anderson extrapolation (skglm's) of the active-set iterates every ANDERSON_K epochs
ANDERSON_K = 5


@kernel(fastmath=True)
def anderson(sparse, active, n_act, hist, w, l1, l2, n, X, data, indices, indptr, mu, inv_s, r, state):
    """Replace w on ``active`` by the Anderson extrapolation of the K + 1 iterates in ``hist`` when that lowers the
    objective (then the residual follows); otherwise leave w and the residual as they were. The extrapolation
    only proposes a point: what the solver returns is still certified by its own gap, at its own residual."""
    K = hist.shape[0] - 1
    U = np.empty((K, n_act))
    for k in range(K):
        for t in range(n_act):
            U[k, t] = hist[k + 1, t] - hist[k, t]
    C = np.empty((K, K))
    for a in range(K):
        for b in range(a + 1):
            v = 0.0
            for t in range(n_act):
                v += U[a, t] * U[b, t]
            C[a, b] = v
            C[b, a] = v
    scale = 0.0
    for k in range(K):
        scale = max(scale, C[k, k])
    if not scale > 0.0:
        return
    for k in range(K):
        C[k, k] += 1e-10 * scale
    c_mix, ok = _mixing_weights(C)
    if not ok:
        return
    before = _objective_active(sparse, active, n_act, w, l1, l2, n, r, state)
    old = hist[K].copy()  # = w[active] now
    for t in range(n_act):
        v = 0.0
        for k in range(K):
            v += c_mix[k] * hist[k + 1, t]
        w[active[t]] = v
    _move_residual(sparse, active, n_act, w, old, X, data, indices, indptr, mu, inv_s, r, state)
    after = _objective_active(sparse, active, n_act, w, l1, l2, n, r, state)
    if not after < before:
        new = np.empty(n_act)
        for t in range(n_act):
            new[t] = w[active[t]]
            w[active[t]] = old[t]
        _move_residual(sparse, active, n_act, w, new, X, data, indices, indptr, mu, inv_s, r, state)


@kernel()
def _mixing_weights(C):
    """c = z / sum(z) with C z = 1, and whether it exists (C is K x K, K = ANDERSON_K, and is overwritten).

    Gaussian elimination with partial pivoting, written out rather than np.linalg.solve: numba's LAPACK binding
    imports scipy.linalg into every process that loads the kernels (~0.3 s of start-up). Not fastmath, so that a
    singular C or a non-finite sum is seen (fastmath may assume every value finite) and means "no extrapolation".
    """
    K = C.shape[0]
    z = np.ones(K)
    for c in range(K):
        piv = c
        for i in range(c + 1, K):
            if abs(C[i, c]) > abs(C[piv, c]):
                piv = i
        if C[piv, c] == 0.0:
            return z, False
        if piv != c:
            for j in range(K):
                C[c, j], C[piv, j] = C[piv, j], C[c, j]
            z[c], z[piv] = z[piv], z[c]
        for i in range(c + 1, K):
            f = C[i, c] / C[c, c]
            for j in range(c, K):
                C[i, j] -= f * C[c, j]
            z[i] -= f * z[c]
    for c in range(K - 1, -1, -1):
        v = z[c]
        for j in range(c + 1, K):
            v -= C[c, j] * z[j]
        z[c] = v / C[c, c]
    zs = z.sum()
    if not (zs != 0.0 and np.isfinite(zs)):
        return z, False
    return z / zs, True


@kernel(fastmath=True)
def _move_residual(sparse, active, n_act, w, old, X, data, indices, indptr, mu, inv_s, r, state):
    """Update the residual (dense X, or sparse X with its implicit offset state[0]) for w[active] having moved
    from ``old``."""
    c = state[0]
    for t in range(n_act):
        j = active[t]
        delta = w[j] - old[t]
        if delta == 0.0:
            continue
        if not sparse:
            for i in range(X.shape[0]):
                r[i] -= delta * X[i, j]
        else:
            step = delta * inv_s[j]
            for k in range(indptr[j], indptr[j + 1]):
                r[indices[k]] -= step * data[k]
            c += step * mu[j]
    state[0] = c


@kernel(fastmath=True)
def _objective_active(sparse, active, n_act, w, l1, l2, n, r, state):
    """1/(2n) ||r||^2 plus the penalty of w on ``active`` (the rest of w does not move)."""
    c = state[0] if sparse else 0.0
    rr = 0.0
    for i in range(r.shape[0]):
        ri = r[i] + c
        rr += ri * ri
    pen = 0.0
    for t in range(n_act):
        v = w[active[t]]
        pen += l1 * abs(v) + 0.5 * l2 * v * v
    return 0.5 * rr / n + pen

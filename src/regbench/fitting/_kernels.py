"""Compiled coordinate-descent kernels (numba, cached on disk).

Everything here works on the *prepared* problem: columns already centred and
scaled (explicitly for dense X, implicitly for sparse X) so that the problem is

    minimize_w  1/(2n) ||r||^2 + l1 ||w||_1 + l2/2 ||w||^2,   r = y_c - X_s w.

The penalty enters only through the elastic-net proximal step ``prox_enet``,
which also serves L1 (l2 = 0) and L2 (l1 = 0); the Python-level penalty
objects in ``penalties.py`` call the same function.

Three designs share one driver (``solve_lambda``):
  mode 0  dense X, residual updates        (cost per coordinate: O(n))
  mode 1  sparse CSC X, residual updates   (O(nnz of the column)); centring is
          implicit: r = r_s + c with r_s = y_c - X (inv_s * w) and the scalar
          c = sum_j mu_j inv_s_j w_j, so X is never densified (a column whose mean
          is far above its spread is stored centred instead: ``_design._prepare_sparse``)
  mode 2  Gram (covariance) updates, n >> p: keeps grad = X^T r / n up to date
          with one column of G = X^T X / n per changed coordinate (O(p))
Kernels do no validation, allocation of user-visible arrays, or printing. The column primitives and the
mode numbers are in ``_columns``, the duality gap and the certificate in ``_certificate``.
"""

import numpy as np

from regbench.fitting._anderson import ANDERSON_K, anderson
from regbench.fitting._certificate import certify, dual_gap, widen
from regbench.fitting._columns import DENSE, GRAM, SPARSE, col_dot_dense, col_dot_sparse
from regbench.fitting._jit import kernel


@kernel()
def prox_enet(value, stepsize, l1, l2):
    """argmin_x (x - value)^2 / (2 stepsize) + l1 |x| + l2/2 x^2."""
    mag = abs(value) - stepsize * l1
    if mag <= 0.0:
        return 0.0
    return np.sign(value) * mag / (1.0 + stepsize * l2)


@kernel(fastmath=True)
def _epoch(mode, ws, n_ws, w, lips, l1, l2, inv_n, X, data, indices, indptr, mu, inv_s, colsum, G, r, state):
    """One pass of cyclic coordinate descent over ws[:n_ws]; returns max_j L_j * dw_j^2.

    state[0] is the implicit offset c (mode 1). In mode 2, ``r`` holds grad = X^T r / n.
    """
    max_change = 0.0
    if mode == SPARSE:
        return _epoch_sparse(ws, n_ws, w, lips, l1, l2, inv_n, data, indices, indptr, mu, inv_s, colsum, r, state)
    for t in range(n_ws):
        j = ws[t]
        L = lips[j]
        if L == 0.0:
            continue
        if mode == DENSE:
            g = col_dot_dense(X, j, r) * inv_n
        elif mode == SPARSE:
            g = inv_s[j] * (col_dot_sparse(data, indices, indptr, j, r) + state[0] * colsum[j]) * inv_n
        else:
            g = r[j]
        old = w[j]
        new = prox_enet(old + g / L, 1.0 / L, l1, l2)
        if new != old:
            delta = new - old
            w[j] = new
            if mode == DENSE:
                for i in range(X.shape[0]):
                    r[i] -= delta * X[i, j]
            elif mode == SPARSE:
                step = delta * inv_s[j]
                for k in range(indptr[j], indptr[j + 1]):
                    r[indices[k]] -= step * data[k]
                state[0] += step * mu[j]
            else:
                for i in range(G.shape[0]):
                    r[i] -= delta * G[i, j]
            change = L * delta * delta
            if change > max_change:
                max_change = change
    return max_change


@kernel(fastmath=True)
def _epoch_sparse(ws, n_ws, w, lips, l1, l2, inv_n, data, indices, indptr, mu, inv_s, colsum, r, state):
    """_epoch for mode 1, its own loop: the offset c kept in a register, no per-coordinate mode tests."""
    max_change = 0.0
    c = state[0]
    for t in range(n_ws):
        j = ws[t]
        L = lips[j]
        if L == 0.0:
            continue
        g = inv_s[j] * (col_dot_sparse(data, indices, indptr, j, r) + c * colsum[j]) * inv_n
        old = w[j]
        new = prox_enet(old + g / L, 1.0 / L, l1, l2)
        if new != old:
            delta = new - old
            w[j] = new
            step = delta * inv_s[j]
            for k in range(indptr[j], indptr[j + 1]):
                r[indices[k]] -= step * data[k]
            c += step * mu[j]
            change = L * delta * delta
            if change > max_change:
                max_change = change
    state[0] = c
    return max_change


@kernel(fastmath=True)
def _gradient(mode, idx, m, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad):
    """grad_j = x_j' r / n for j in idx[:m], computed afresh (no drift)."""
    p = grad.shape[0]
    c = state[0]
    if mode == SPARSE:  # its own loop: no per-column mode test in the hot path of sparse problems
        for t in range(m):
            j = idx[t]
            grad[j] = inv_s[j] * (col_dot_sparse(data, indices, indptr, j, r) + c * colsum[j]) * inv_n
        return
    for t in range(m):
        j = idx[t]
        if mode == DENSE:
            grad[j] = col_dot_dense(X, j, r) * inv_n
        else:
            s = q[j]
            for k in range(p):
                s -= G[j, k] * w[k]
            grad[j] = s
            r[j] = s


@kernel(fastmath=True)
def _residual_stats(mode, w, n, y, q, yy, r, state, grad):
    """(||r||^2, r.y) for the current w, without forming r in Gram mode."""
    if mode == GRAM:
        wq = 0.0
        wg = 0.0
        for j in range(w.shape[0]):
            wq += w[j] * q[j]
            wg += w[j] * grad[j]
        # r.r = y.y - 2 w.X^T y + w.X^T X w and X^T X w / n = q - grad (q, grad scaled by 1/n)
        return yy - n * (wq + wg), yy - n * wq
    # The residual itself is r + c (c = 0 but in mode 1): summing (r_i + c)^2 avoids the
    # cancellation of ||r_s||^2 + 2 c sum(r_s) + n c^2 when |c| is far above |r + c|.
    c = state[0] if mode == SPARSE else 0.0
    rr = 0.0
    ry = 0.0
    for i in range(r.shape[0]):
        ri = r[i] + c
        rr += ri * ri
        ry += ri * y[i]
    return rr, ry


@kernel(fastmath=True)
def _refresh_residual(mode, idx, m, w, y, X, data, indices, indptr, mu, inv_s, r, state):
    """Recompute the residual from w (r = y_c - X_s w; mode 1: r_s and c), discarding the drift of
    incremental updates, so that a certificate is computed at the w it is returned with. w must be
    zero outside idx[:m] (the working set, or every feature)."""
    if mode == GRAM:
        return  # _gradient recomputes grad = q - G w from scratch
    for i in range(r.shape[0]):
        r[i] = y[i]
    c = 0.0
    for t in range(m):
        j = idx[t]
        wj = w[j]
        if wj == 0.0:
            continue
        if mode == DENSE:
            for i in range(X.shape[0]):
                r[i] -= wj * X[i, j]
        else:
            step = wj * inv_s[j]
            for k in range(indptr[j], indptr[j + 1]):
                r[indices[k]] -= step * data[k]
            c += step * mu[j]
    state[0] = c


@kernel()
def solve_lambda(mode, w, r, state, grad, r_ref, drift_at, drift_inf_at, ever, ws, lips, root_lips, colabs, l1,
                 l1_prev, l2, tol_abs, max_epochs, use_strong, n, y, yy, X, data, indices, indptr, mu, inv_s, colsum,
                 G, q):
    """Solve at one (l1, l2), warm-started from w; returns (gap, primal, epochs, converged).

    ``grad`` is, in the working set, the gradient X^T r / n at the current w; outside it (modes
    0 and 1) each grad_j is exact at the residual it was last computed at, ``drift_at[j]``
    recording how far (``certify``) the residual had moved by then; ``r_ref`` is the residual
    of the last certification (mode 1: offset state[1]; state[2] the drift so far; state[3] and
    ``drift_inf_at`` the same in the max-norm, for Hoelder's bound with ``colabs`` = ||x_j||_1 / n,
    mode 1 only). All carry
    over from lambda to lambda, so the KKT check and the certificate compute x_j' r only for
    features whose bound does not clear l1. In mode 2 every check recomputes the full gradient. ``ever`` marks
    features that have been in a working set; they stay in it (glmnet's ever-active set).
    Working set = ever-active features plus the sequential strong set
    |grad_j| >= 2 l1 - l1_prev; a KKT check over all features adds any violator.
    """
    p = w.shape[0]
    inv_n = 1.0 / n
    feas_tol = 1e-10 * np.sqrt(np.max(lips) * yy * inv_n)
    everyone = np.arange(p)
    if mode != GRAM and not np.any(w) and np.any(drift_at != state[2]):
        # the test below needs every exact gradient, not bounds (w = 0: the residual is y)
        _refresh_residual(mode, everyone, p, w, y, X, data, indices, indptr, mu, inv_s, r, state)
        _gradient(mode, everyone, p, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
        r_ref[:] = r
        state[1] = state[0]
        state[2] = 0.0
        state[3] = 0.0
        drift_at[:] = 0.0
        drift_inf_at[:] = 0.0
    if l1 >= np.max(np.abs(grad)) and not np.any(w):
        # w = 0 satisfies the KKT conditions exactly (e.g. at lambda_max): no descent, whose
        # rounding could leave a 1e-17 coefficient where the answer is exactly zero.
        primal, gap = dual_gap(w, grad, everyone, p, yy, yy, n, l1, l2, feas_tol)
        return gap, primal, 0, gap <= tol_abs
    active = np.empty(p, dtype=np.int64)
    r_inc = np.empty(r.shape[0] if mode == SPARSE else 0)  # the residual before a refresh (mode 1)
    c_inc = 0.0
    hist = np.empty((ANDERSON_K + 1, 1))
    thresh = 2.0 * l1 - l1_prev
    n_ws = 0
    for j in range(p):
        if ever[j] or w[j] != 0.0 or (not use_strong) or abs(grad[j]) >= thresh:
            ever[j] = True
            ws[n_ws] = j
            n_ws += 1
    # The epoch test (max L_j dw_j^2, quadratic in the step) is far looser than the gap
    # test (roughly linear in the gradient error): starting it 1e4 below tol_abs makes the
    # first full-gradient check pass in most cases, instead of paying one O(np) gradient
    # per extra epoch (measured in benchmarks/FINDINGS.md).
    inner_tol = 1e-4 * tol_abs
    epochs = 0
    gap = np.inf
    primal = np.inf
    converged = False
    while True:
        while epochs < max_epochs:
            change = _epoch(mode, ws, n_ws, w, lips, l1, l2, inv_n, X, data, indices, indptr, mu, inv_s,
                            colsum, G, r, state)
            epochs += 1
            if change <= inner_tol:
                break
            # glmnet's active-set cycling: iterate on the nonzero coefficients alone until
            # they settle, then go back to a pass over the whole working set.
            n_act = 0
            for t in range(n_ws):
                if w[ws[t]] != 0.0:
                    active[n_act] = ws[t]
                    n_act += 1
            n_hist = 0
            while epochs < max_epochs:
                change = _epoch(mode, active, n_act, w, lips, l1, l2, inv_n, X, data, indices, indptr, mu,
                                inv_s, colsum, G, r, state)
                epochs += 1
                if change <= inner_tol:
                    break
                if mode != GRAM and n_act > ANDERSON_K:
                    if n_hist == 0:
                        hist = np.empty((ANDERSON_K + 1, n_act))
                    for t in range(n_act):
                        hist[n_hist, t] = w[active[t]]
                    n_hist += 1
                    if n_hist == ANDERSON_K + 1:
                        anderson(mode == SPARSE, active, n_act, hist, w, l1, l2, n, X, data, indices, indptr, mu,
                                 inv_s, r, state)
                        n_hist = 0
        if n_ws < p:
            # Working-set gap first (celer / skglm): O(n |ws|) instead of O(np).
            _gradient(mode, ws, n_ws, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
            rr, ry = _residual_stats(mode, w, n, y, q, yy, r, state, grad)
            primal, gap = dual_gap(w, grad, ws, n_ws, rr, ry, n, l1, l2, feas_tol)
            if gap > tol_abs and epochs < max_epochs:
                inner_tol *= 0.1
                continue
        # w is zero outside the working set: in mode 1 the refresh loops over it alone (O(n + nnz of
        # its columns), not O(p) per certification); mode 0 keeps every feature's order (bit-identical)
        if mode == SPARSE:
            r_inc[:] = r
            c_inc = state[0]
            _refresh_residual(mode, ws, n_ws, w, y, X, data, indices, indptr, mu, inv_s, r, state)
        else:
            _refresh_residual(mode, everyone, p, w, y, X, data, indices, indptr, mu, inv_s, r, state)
        if mode == GRAM:
            _gradient(mode, everyone, p, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
            rr, ry = _residual_stats(mode, w, n, y, q, yy, r, state, grad)
            primal, gap = dual_gap(w, grad, everyone, p, rr, ry, n, l1, l2, feas_tol)
            n_added = 0
            for j in range(p):
                if not ever[j] and abs(grad[j]) > l1:
                    ever[j] = True
                    ws[n_ws] = j
                    n_ws += 1
                    n_added += 1
        else:
            # at the exact residual (no drift of incremental updates): the working set's gradients
            # afresh, the other features' bounded or recomputed (certify). Mode 1 with a working-set
            # check just done (same w, residual before the refresh): those gradients widened by the
            # refresh's move instead (widen).
            widened = mode == SPARSE and n_ws < p
            if widened:
                widen(grad, ws, n_ws, root_lips, colabs, r, state[0], r_inc, c_inc, n)
            else:
                _gradient(mode, ws, n_ws, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
            rr, ry = _residual_stats(mode, w, n, y, q, yy, r, state, grad)
            primal, gap, m = certify(mode, w, grad, ever, ws, n_ws, root_lips, colabs, r, r_ref, state, drift_at,
                                      drift_inf_at, rr, ry, n, l1, l2, feas_tol, X, data, indices, indptr, inv_s,
                                      colsum)
            if widened and gap > tol_abs and m == n_ws:
                # the widening may be what fails (it floors the gap near tolerances of ~1e-13): the exact
                # gradients and the certificate again, which costs O(p) now (no drift since the call above,
                # so every bound stands as it was) and gives the gap the exact pass would have given
                _gradient(mode, ws, n_ws, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
                primal, gap, m = certify(mode, w, grad, ever, ws, n_ws, root_lips, colabs, r, r_ref, state,
                                          drift_at, drift_inf_at, rr, ry, n, l1, l2, feas_tol, X, data, indices,
                                          indptr, inv_s, colsum)
            n_added = m - n_ws
            n_ws = m
        if gap <= tol_abs:
            converged = True
            break
        if epochs >= max_epochs:
            break
        if n_added == 0:
            inner_tol *= 0.1
    return gap, primal, epochs, converged

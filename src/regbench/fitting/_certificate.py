"""The duality gap of the prepared problem and the certificate that stops the solver (compiled kernels).

Every gap returned is a certified bound on the sub-optimality of the returned w: ``dual_gap`` from a feasible
dual point, ``certify`` with X^T r recomputed only where a bound on its change cannot vouch for it, and
``widen`` to keep exact gradients valid across the residual's refresh.
"""

import numpy as np

from regbench.fitting._columns import SPARSE, col_dot_dense, col_dot_sparse
from regbench.fitting._jit import kernel


@kernel(fastmath=True)
def widen(grad, idx, m, root_lips, colabs, r, c, r_old, c_old, n):
    """Turn grad_j (j in idx[:m]), exact at the residual (r_old, offset c_old), into upper bounds of |x_j' r / n|
    at (r, c), the same w's residual recomputed: |grad_j| grows by the smaller of Cauchy-Schwarz's
    sqrt(L_j) ||d|| / sqrt(n) and Hoelder's colabs_j ||d||_inf, d the change of the residual (rounding
    drift only, after ``_refresh_residual``), in place of a second O(nnz of the columns) pass."""
    dd = 0.0
    dmax = 0.0
    dc = c - c_old
    for i in range(r.shape[0]):
        d = r[i] - r_old[i] + dc
        dd += d * d
        dmax = max(dmax, abs(d))
    e2 = np.sqrt(dd / n)
    for t in range(m):
        j = idx[t]
        slack = min(root_lips[j] * e2, colabs[j] * dmax)
        g = grad[j]
        grad[j] = g + slack if g >= 0.0 else g - slack


@kernel(fastmath=True)
def dual_gap(w, grad, idx, m, rr, ry, n, l1, l2, feas_tol):
    """Primal value and a certified duality gap for the prepared problem, over the features idx[:m].

    With every feature in idx this certifies the whole problem; with a working set
    (w is zero outside it) it is the gap of the problem restricted to those features,
    never larger than the full gap, so a failed restricted check spares a full gradient.

    Dual points are theta = s r / n for two scalings s: s = 1 (feasible whenever
    l2 > 0, the conjugate of the l2 part absorbs |X^T theta| > l1) and
    s = min(1, l1 / max|X^T r / n|) (always feasible); the larger dual value wins.
    Any feasible theta gives D(theta) <= optimum, so P(w) - D(theta) bounds the
    sub-optimality of w. A gradient below ``feas_tol`` (rounding level, 1e-10 of
    its Cauchy-Schwarz bound) counts as zero, which is what lets the unpenalized
    case (l1 = l2 = 0, least squares) certify its solution with theta = r / n.
    """
    return _gap(w, grad, idx, m, rr, ry, n, l1, l2, feas_tol, 0.0, 0.0)


@kernel(fastmath=True)
def _gap(w, grad, idx, m, rr, ry, n, l1, l2, feas_tol, gmax_rest, excess_rest):
    """dual_gap over idx[:m] plus the features outside it (w = 0 there), given upper bounds on their
    max |grad_j| (gmax_rest) and on their sum of (|grad_j| - l1)_+^2 (excess_rest). Upper bounds
    only lower the dual value (a smaller s keeps theta feasible; a larger excess lowers the
    l2 dual), so the gap stays a certified bound on the whole problem."""
    l1norm = 0.0
    l2sq = 0.0
    gmax = gmax_rest
    excess = excess_rest
    for t in range(m):
        j = idx[t]
        l1norm += abs(w[j])
        l2sq += w[j] * w[j]
        a = abs(grad[j])
        if a > gmax:
            gmax = a
        if a > l1:
            excess += (a - l1) * (a - l1)
    primal = 0.5 * rr / n + l1 * l1norm + 0.5 * l2 * l2sq
    a1 = ry / n
    b1 = 0.5 * rr / n
    s = min(1.0, l1 / gmax) if gmax > feas_tol else 1.0
    dual = s * a1 - s * s * b1
    if l2 > 0.0:
        d1 = a1 - b1 - 0.5 * excess / l2
        if d1 > dual:
            dual = d1
    # P - D >= 0 in exact arithmetic; a negative value is rounding (~1e-16 of the objective).
    return primal, max(primal - dual, 0.0)


@kernel(fastmath=True)
def certify(mode, w, grad, ever, ws, n_ws, root_lips, colabs, r, r_ref, state, drift_at, drift_inf_at, rr, ry, n, l1,
             l2, feas_tol, X, data, indices, indptr, inv_s, colsum):
    """Certified gap of the whole problem with X^T r computed only where a bound cannot vouch for it.

    Needs the exact residual and the working set's exact gradients (w_j = 0 outside it). For a
    feature outside, grad_j is exact at the residual it was last computed at, and the residual has
    since moved by at most D - drift_at[j] (D = state[2], the running sum of ||r_k - r_k-1|| / sqrt(n)
    over the certification points r_k; r_ref, offset state[1], is the last one). Cauchy-Schwarz,
    ||x_j|| = sqrt(n L_j): |x_j' r / n| <= |grad_j| + sqrt(L_j) (D - drift_at[j]) =: b_j. A feature
    with b_j <= l1 is certified by its bound (it is not a KKT violator and adds nothing above l1 to
    the gap). Mode 1 also has Hoelder's bound, |x_j' d| / n <= (||x_j||_1 / n) ||d||_inf =: colabs_j
    ||d||_inf, with its own running drift (state[3], the sum of the max-norms ||r_k - r_k-1||_inf;
    drift_inf_at[j] its value when grad_j was computed): a sparse column meets a spread-out change of
    the residual on a few rows only, so this bound is several times tighter than Cauchy-Schwarz
    there, and b_j takes the smaller of the two. Any other feature gets its exact gradient (O(nnz of
    the column), the full pass of glmnet's KKT check restricted to where it can matter) and joins the
    working set if |grad_j| > l1. The gap then
    uses the exact values and the bounds (``_gap``): a certified bound, equal to ``dual_gap`` over all
    features when every gradient had to be recomputed. Returns (primal, gap, new n_ws).
    """
    c = state[0] - state[1] if mode == SPARSE else 0.0
    dd = 0.0
    dmax = 0.0
    for i in range(r.shape[0]):
        d = r[i] - r_ref[i] + c
        dd += d * d
        dmax = max(dmax, abs(d))
        r_ref[i] = r[i]
    state[1] = state[0]
    big_d = state[2] + np.sqrt(dd / n)
    state[2] = big_d
    inf_d = state[3] + dmax
    state[3] = inf_d
    sparse = mode == SPARSE
    inv_n = 1.0 / n
    gmax = 0.0
    excess = 0.0
    m = n_ws
    for j in range(w.shape[0]):
        if ever[j]:
            continue
        move = root_lips[j] * (big_d - drift_at[j])
        if sparse:
            move = min(move, colabs[j] * (inf_d - drift_inf_at[j]))
        b = abs(grad[j]) + move
        if b > l1:
            if sparse:
                g = inv_s[j] * (col_dot_sparse(data, indices, indptr, j, r) + state[0] * colsum[j]) * inv_n
            else:
                g = col_dot_dense(X, j, r) * inv_n
            grad[j] = g
            drift_at[j] = big_d
            drift_inf_at[j] = inf_d
            b = abs(g)
            if b > l1:
                ever[j] = True
                ws[m] = j
                m += 1
        if b > gmax:
            gmax = b
        if b > l1:
            excess += (b - l1) * (b - l1)
    # the newly added features (w_j = 0, their exact |grad_j| > l1) are counted in gmax / excess above
    primal, gap = _gap(w, grad, ws, n_ws, rr, ry, n, l1, l2, feas_tol, gmax, excess)
    return primal, gap, m

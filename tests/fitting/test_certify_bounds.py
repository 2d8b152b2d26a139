"""The KKT check and gap certificate that skip x_j' r where a Cauchy-Schwarz bound vouches for it.

``_certificate.certify`` keeps, outside the working set, gradients computed at earlier residuals and
bounds them by |grad_j| + ||x_j|| * (drift of the residual since) / n (and, for sparse X, by the smaller
|grad_j| + ||x_j||_1 * (max-norm drift since) / n when that is smaller). Oracle: the gradient of the
prepared problem at the current coefficients from scipy / numpy (``Design.initial_state``), and the
duality gap over all features computed with it. Whatever the drift, the certified gap must be at
least that full gap, and no KKT violator (exact |grad_j| > l1 outside the working set) may escape.
Path level: on a sparse p >> n path (where most certifications use bounds) every returned gap
bounds the true sub-optimality measured against scikit-learn.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import make_data, objective, oracle

import regbench
from regbench.fitting._certificate import certify, dual_gap, widen
from regbench.fitting._columns import SPARSE
from regbench.fitting._design import prepare


def _exact(design, w):
    """(r, offset, grad, rr, ry) at w from scipy / numpy, not from the kernels."""
    w_, r, state, grad = design.initial_state(w)
    c = state[0] if design.mode == SPARSE else 0.0
    res = r + c
    return r, c, grad, float(res @ res), float(res @ design.y)


def _colabs(design):
    """||x_j||_1 / n of the prepared sparse columns, from a dense copy (zeros in dense mode: no Hoelder bound)."""
    if design.mode != SPARSE:
        return np.zeros(design.p)
    Xd = sp.csc_matrix((design.data, design.indices, design.indptr), shape=(design.n, design.p)).toarray()
    return np.abs((Xd - design.mu) * design.inv_s).sum(axis=0) / design.n


def _case(seed, kind, fit_intercept):
    """"sparse-wide" is problem (d) in small (1% density, many features moving): the residual's change is spread
    over the rows, each column meets it on a few, so Hoelder's bound is the tighter one there."""
    sparse = kind != "dense"
    n, p, density, moving = (400, 600, 0.01, 80) if kind == "sparse-wide" else (40, 200, 0.1, 8)
    X, y, _ = make_data(n, p, sparse=sparse, density=density, seed=seed, k=5)
    design = prepare(X if sparse else np.asarray(X), y, fit_intercept=fit_intercept, gram=False)
    rng = np.random.default_rng(seed)
    support = rng.choice(design.p, moving, replace=False)
    w_old = np.zeros(design.p)
    w_old[support[:moving // 2]] = rng.standard_normal(moving // 2) * 0.3
    return design, rng, support, w_old


@pytest.mark.parametrize("l2", [0.0, 0.05], ids=["lasso", "enet"])
@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
@pytest.mark.parametrize("kind", ["dense", "sparse", "sparse-wide"])
@pytest.mark.parametrize("seed", range(4))
def test_certified_gap_bounds_the_full_gap_and_no_violator_escapes(seed, kind, fit_intercept, l2):
    design, rng, support, w_old = _case(seed, kind, fit_intercept)
    n, p = design.n, design.p
    r_old, c_old, grad, _, _ = _exact(design, w_old)
    r_ref, state = r_old.copy(), np.array([c_old, c_old, 0.0, 0.0])
    drift_at = np.zeros(p)
    drift_inf_at = np.zeros(p)
    colabs = _colabs(design)
    ever = np.zeros(p, dtype=np.bool_)
    ever[support] = True
    ws = np.zeros(p, dtype=np.int64)
    n_ws = support.size
    ws[:n_ws] = support
    l1 = 0.7 * np.max(np.abs(grad))  # some features near l1: the bound must send them to x_j' r
    feas_tol = 1e-10 * np.sqrt(np.max(design.lips) * design.yy / n)
    w = w_old.copy()
    recomputed_any = bounded_any = holder_any = False
    cs_drift = inf_drift = 0.0  # the drifts the kernel should have accumulated, from the exact residuals
    res_prev = r_old + c_old
    cs_at, inf_at = np.zeros(p), np.zeros(p)
    for step in range(3):  # the residual moves three times: the drift accumulates
        w[support] += rng.standard_normal(support.size) * 0.2 / (step + 1)
        r, c, g_exact, rr, ry = _exact(design, w)
        stale = grad.copy()
        d = (r + c) - res_prev
        res_prev = r + c
        cs_drift += np.linalg.norm(d) / np.sqrt(n)
        inf_drift += np.max(np.abs(d))
        cs_bound = np.abs(stale) + np.sqrt(design.lips) * (cs_drift - cs_at)
        grad[support] = g_exact[support]  # the working set's gradients are exact on entry
        state[0] = c
        primal, gap, m = certify(design.mode, w, grad, ever, ws, n_ws, np.sqrt(design.lips), colabs, r.copy(), r_ref,
                                  state, drift_at, drift_inf_at, rr, ry, float(n), l1, l2, feas_tol,
                                  *design.kernel_args()[:4], design.inv_s, design.colsum)
        p_full, gap_full = dual_gap(w, g_exact, np.arange(p), p, rr, ry, float(n), l1, l2, feas_tol)
        assert primal == pytest.approx(p_full, rel=1e-12)
        assert gap >= gap_full * (1 - 1e-10) - 1e-14, f"step {step}: certified {gap:.3e} < full gap {gap_full:.3e}"
        outside = ~np.isin(np.arange(p), support)
        violators = np.flatnonzero(outside & (np.abs(g_exact) > l1))
        assert ever[violators].all(), f"step {step}: KKT violators {violators[~ever[violators]]} escaped"
        assert set(ws[n_ws:m]) == set(violators)
        fresh = outside & (grad != stale)
        np.testing.assert_allclose(grad[fresh], g_exact[fresh], rtol=1e-10, atol=1e-14)
        recomputed_any |= fresh.any()
        bounded = outside & (grad == stale) & (grad != g_exact)
        bounded_any |= bounded.any()
        # a feature left to its bound although Cauchy-Schwarz alone could not vouch for it: Hoelder's bound did
        holder = bounded & (cs_bound > l1)
        if holder.any():
            holder_any = True
            hb = np.abs(stale) + colabs * (inf_drift - inf_at)
            assert (hb[holder] <= l1).all()
        cs_at[fresh], inf_at[fresh] = cs_drift, inf_drift
        ever[ws[n_ws:m]] = False  # keep the working set fixed, so later steps test the same features
        ws[n_ws:m] = 0
    assert recomputed_any and bounded_any  # both branches of the certificate were exercised
    if kind == "sparse-wide":
        assert holder_any  # Hoelder's bound spared some x_j' r that Cauchy-Schwarz would have recomputed
    elif kind == "dense":
        assert not holder_any  # no Hoelder bound in dense mode


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5], ids=["lasso", "enet"])
@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
def test_sparse_wide_path_gaps_bound_the_true_suboptimality(l1_ratio, fit_intercept):
    X, y, _ = make_data(60, 600, sparse=True, density=0.05, seed=11, k=10)
    X = sp.csc_matrix(X)
    res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=40, eps=1e-2, tol=1e-4, fit_intercept=fit_intercept)
    assert res.converged.all()
    for k in range(0, 40, 3):
        lam = res.lambdas[k]
        b0_o, w_o = oracle(X, y, lam, l1_ratio, fit_intercept=fit_intercept)
        subopt = (objective(X, y, res.coefs[:, k], res.intercepts[k], lam, l1_ratio)
                  - objective(X, y, w_o, b0_o, lam, l1_ratio))
        assert res.gaps[k] >= subopt - 1e-13, f"lambda[{k}]: gap {res.gaps[k]:.3e} < sub-optimality {subopt:.3e}"


@pytest.mark.parametrize("fit_intercept", [True, False], ids=["intercept", "no-intercept"])
@pytest.mark.parametrize("scale", [1e-12, 1e-3, 1.0])
def test_widened_gradients_bound_those_at_the_moved_residual(fit_intercept, scale):
    """``widen``: working-set gradients exact at one residual, widened by the residual's move, bound |x_j' r / n| at
    the moved residual (the refresh's rounding drift in the solver; here moves far larger too). Oracle: numpy."""
    design, rng, support, w = _case(5, "sparse-wide", fit_intercept)
    n = design.n
    r, c, g_new, _, _ = _exact(design, w)
    Xd = sp.csc_matrix((design.data, design.indices, design.indptr), shape=(n, design.p)).toarray()
    move = rng.standard_normal(n) * scale * np.abs(r + c).max()
    move -= move.mean()  # residuals of a centred problem sum to zero; so do their moves
    r_old, c_old = r + move - 0.25 * scale, c + 0.25 * scale
    g_old = design.inv_s * ((Xd - design.mu).T @ (r_old + c_old)) / n  # exact at the old residual
    grad = np.zeros(design.p)
    grad[support] = g_old[support]
    widen(grad, support, support.size, np.sqrt(design.lips), _colabs(design), r, c, r_old, c_old, float(n))
    slack = np.abs(grad[support]) - np.abs(g_old[support])
    assert (slack >= 0).all()
    assert (np.abs(grad[support]) >= np.abs(g_new[support]) * (1 - 1e-12) - 1e-15).all()
    if scale == 1.0:  # a move that matters: the widening is what makes the bound hold
        assert (np.abs(g_old[support]) < np.abs(g_new[support])).any()


def test_widened_gradients_count_a_move_of_the_implicit_offset():
    """Sparse X keeps the residual as r_s + c: a move of c alone moves every x_j' r (no intercept: x_j uncentred)."""
    design, rng, support, w = _case(6, "sparse-wide", False)
    n = design.n
    r, c, g_new, _, _ = _exact(design, w)
    Xd = sp.csc_matrix((design.data, design.indices, design.indptr), shape=(n, design.p)).toarray()
    c_old = c + 0.1 * np.abs(r).max()
    g_old = design.inv_s * (Xd.T @ (r + c_old)) / n
    grad = np.zeros(design.p)
    grad[support] = g_old[support]
    widen(grad, support, support.size, np.sqrt(design.lips), _colabs(design), r, c, r.copy(), c_old, float(n))
    assert (np.abs(g_old[support]) < np.abs(g_new[support])).any()
    assert (np.abs(grad[support]) >= np.abs(g_new[support]) * (1 - 1e-12) - 1e-15).all()

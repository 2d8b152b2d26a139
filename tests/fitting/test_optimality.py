"""Optimality certificates, computed from scratch with numpy.

* KKT conditions at every returned solution (conftest.kkt_violation).
* The reported duality gap is >= the true sub-optimality P(w) - P*, measured two ways:
  against the oracle (P(w_oracle) >= P*, so P(w) - P(w_oracle) <= P(w) - P*), and against the
  proximal-gradient lower bound ||G_L(w)||^2 / (2L) <= P(w) - P* (Beck & Teboulle, Lemma 2.3),
  which needs no oracle at all.
* converged flags.
"""

import warnings

import numpy as np
import pytest
from conftest import (
    SHAPES,
    column_scales,
    dense,
    kkt_violation,
    lambda_max,
    make_data,
    objective,
    oracle,
    prox_grad_residual_sq_over_2L,
)

import regbench

PROBLEMS = [  # (shape, rho, sparse)
    ("n>p", 0.0, False), ("n>p", 0.9, False), ("p>n", 0.5, False), ("p>n", 0.9, False),
    ("n>p", 0.5, True), ("p>n", 0.5, True),
]
PIDS = [f"{s}-rho{r}-{'sparse' if sp_ else 'dense'}" for s, r, sp_ in PROBLEMS]


def _data(shape, rho, sparse, seed=0):
    n, p = SHAPES[shape]
    return make_data(n, p, rho=rho, sparse=sparse, seed=seed)


def _fp_slack(X, y):
    """Floating-point slack for comparing objective values (~1e-13 of ||y||^2/(2n))."""
    return 1e-13 * (y @ y) / (2 * len(y))


def _lipschitz(X, lam2, scales=None, fit_intercept=True):
    """Lipschitz constant of the smooth part in (b0, v) (see conftest.prox_grad_residual_sq_over_2L)."""
    Z = dense(X) / (1.0 if scales is None else scales)
    A = np.column_stack([np.ones(Z.shape[0]), Z]) if fit_intercept else Z
    return np.linalg.norm(A, 2) ** 2 / Z.shape[0] + lam2


def _assert_kkt(X, y, res, l1_ratio, sc, scale):
    """Per coordinate, the KKT violation equals |G_j| of the prox-gradient mapping (except for a
    coefficient that is nonzero but tiny), and ||G||^2 <= 2 L (P - P*) <= 2 L gap: so every violation
    must be below sqrt(2 L gap) for the *reported* gap. The gap itself is a difference of two
    objective values, exact only to rounding: allow 1e-13 ||y_c||^2/(2n) for that."""
    yy = np.sum((y - y.mean()) ** 2) / (2 * len(y))
    for k, lam in enumerate(res.lambdas):
        lam1, lam2 = lam * l1_ratio, lam * (1 - l1_ratio)
        v, vb = kkt_violation(X, y, res.coefs[:, k], res.intercepts[k], lam1, lam2, scales=sc)
        bound = np.sqrt(2 * _lipschitz(X, lam2, sc) * (max(res.gaps[k], 0.0) + 1e-13 * yy))
        assert v <= bound, (f"lambda[{k}]={lam:.4g}: KKT violated by {v:.3e} > sqrt(2 L gap) = {bound:.3e} "
                            f"(reported gap {res.gaps[k]:.3e}; scale {scale:.3g})")
        assert vb <= bound, f"lambda[{k}]={lam:.4g}: intercept not optimal, mean residual {vb:.3e}"


@pytest.mark.parametrize("tol", [1e-7, 1e-14])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0], ids=["lasso", "enet", "ridge"])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_kkt_at_every_solution(shape, rho, sparse, l1_ratio, standardize, tol):
    X, y, _ = _data(shape, rho, sparse)
    scale = lambda_max(X, y, 1.0, standardize=standardize)  # = max_j |grad_j(0)|
    kw = dict(l1_ratio=l1_ratio, tol=tol, max_iter=100_000, standardize=standardize)
    if l1_ratio == 0.0:
        res = regbench.path(X, y, lambdas=scale * np.geomspace(1, 1e-2, 10), **kw)
    else:
        res = regbench.path(X, y, n_lambdas=15, **kw)
    assert np.all(res.converged)
    _assert_kkt(X, y, res, l1_ratio, column_scales(X) if standardize else None, scale)


@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_kkt_at_defaults_with_long_path(shape, rho, sparse):
    """The defaults (100 lambdas, tol=1e-7, strong rules on): no discarded feature may violate KKT."""
    X, y, _ = _data(shape, rho, sparse, seed=1)
    res = regbench.path(X, y)
    assert np.all(res.converged)
    _assert_kkt(X, y, res, 1.0, None, lambda_max(X, y, 1.0))


@pytest.mark.parametrize("tol", [1e-2, 1e-4, 1e-7])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0], ids=["lasso", "enet", "ridge"])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_gap_bounds_true_suboptimality(shape, rho, sparse, l1_ratio, tol):
    X, y, _ = _data(shape, rho, sparse, seed=2)
    lm = lambda_max(X, y, 1.0)
    lams = lm * np.geomspace(1.0, 1e-2, 6) if l1_ratio == 0 else None
    res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=6, lambdas=lams, tol=tol)
    slack = _fp_slack(X, y)
    for k, lam in enumerate(res.lambdas):
        w, b0, gap = res.coefs[:, k], res.intercepts[k], res.gaps[k]
        b0_o, w_o = oracle(X, y, lam, l1_ratio)
        subopt = objective(X, y, w, b0, lam, l1_ratio) - objective(X, y, w_o, b0_o, lam, l1_ratio)
        assert gap >= subopt - slack, f"lambda[{k}]: reported gap {gap:.3e} < true sub-optimality {subopt:.3e}"
        lb = prox_grad_residual_sq_over_2L(X, y, w, b0, lam * l1_ratio, lam * (1 - l1_ratio))
        assert gap >= lb - slack, f"lambda[{k}]: reported gap {gap:.3e} < prox-gradient bound {lb:.3e}"


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS[1:4], ids=PIDS[1:4])
def test_gap_is_certified_when_not_converged(shape, rho, sparse, l1_ratio):
    """Stopped early by max_iter, the gap must still bound the sub-optimality and the flag be False."""
    X, y, _ = _data(shape, rho, sparse, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", regbench.ConvergenceWarning)
        res = regbench.path(X, y, l1_ratio=l1_ratio, n_lambdas=6, tol=1e-14, max_iter=2)
    assert not np.all(res.converged)
    slack = _fp_slack(X, y)
    for k, lam in enumerate(res.lambdas):
        w, b0, gap = res.coefs[:, k], res.intercepts[k], res.gaps[k]
        b0_o, w_o = oracle(X, y, lam, l1_ratio)
        subopt = objective(X, y, w, b0, lam, l1_ratio) - objective(X, y, w_o, b0_o, lam, l1_ratio)
        assert gap >= subopt - slack, f"lambda[{k}]: gap {gap:.3e} < sub-optimality {subopt:.3e}"
        if not res.converged[k]:
            assert gap > 0


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_fit_gap_bounds_suboptimality(shape, rho, sparse, standardize):
    X, y, _ = _data(shape, rho, sparse, seed=4)
    lam = 0.05 * lambda_max(X, y, 0.5, standardize=standardize)
    sc = column_scales(X) if standardize else None
    r = regbench.fit(X, y, lam, l1_ratio=0.5, tol=1e-3, standardize=standardize)
    b0_o, w_o = oracle(X, y, lam, 0.5, standardize=standardize)
    subopt = objective(X, y, r.coef, r.intercept, lam, 0.5, scales=sc) - objective(X, y, w_o, b0_o, lam, 0.5,
                                                                                      scales=sc)
    assert r.gap >= subopt - _fp_slack(X, y)
    lb = prox_grad_residual_sq_over_2L(X, y, r.coef, r.intercept, lam * 0.5, lam * 0.5, scales=sc)
    assert r.gap >= lb - _fp_slack(X, y)


@pytest.mark.parametrize("tol", [1e-4, 1e-7, 1e-10])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_converged_flags_and_gaps_below_tol(shape, rho, sparse, tol):
    X, y, _ = _data(shape, rho, sparse, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", regbench.ConvergenceWarning)  # converging runs never warn
        res = regbench.path(X, y, l1_ratio=0.8, n_lambdas=10, tol=tol, max_iter=100_000)
    assert res.converged.dtype == bool and np.all(res.converged)
    # documented stopping rule: gap <= tol * ||y - mean(y)||^2 / (2n) (the objective at w = 0)
    bound = tol * np.sum((y - y.mean()) ** 2) / (2 * len(y))
    assert np.all(res.gaps <= bound), (res.gaps.max(), bound)
    assert np.all(res.gaps >= 0), f"negative duality gap(s) reported: {res.gaps[res.gaps < 0]}"


@pytest.mark.parametrize("tol", [1e-3, 1e-7])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("shape,rho,sparse", PROBLEMS, ids=PIDS)
def test_lambda2_mode_gap_and_kkt(shape, rho, sparse, standardize, tol):
    """The fixed-lambda2 path (Zou & Hastie's tuning): certified gaps and KKT, as above."""
    X, y, _ = _data(shape, rho, sparse, seed=6)
    lam2 = 0.2
    res = regbench.path(X, y, lambda2=lam2, n_lambdas=8, tol=tol, standardize=standardize)
    sc = column_scales(X) if standardize else None
    slack = _fp_slack(X, y)
    for k, lam1 in enumerate(res.lambdas):
        alpha = lam1 + lam2
        w, b0, gap = res.coefs[:, k], res.intercepts[k], res.gaps[k]
        b0_o, w_o = oracle(X, y, alpha, lam1 / alpha, standardize=standardize)
        subopt = (objective(X, y, w, b0, alpha, lam1 / alpha, scales=sc)
                  - objective(X, y, w_o, b0_o, alpha, lam1 / alpha, scales=sc))
        assert gap >= subopt - slack, f"lambda1[{k}]: gap {gap:.3e} < sub-optimality {subopt:.3e}"
        lb = prox_grad_residual_sq_over_2L(X, y, w, b0, lam1, lam2, scales=sc)
        assert gap >= lb - slack, f"lambda1[{k}]: gap {gap:.3e} < prox-gradient bound {lb:.3e}"

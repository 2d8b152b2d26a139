"""Zou & Hastie's parametrization: fits addressed by (lambda2, s), as the R package ``elasticnet`` reports them.

Zou & Hastie (2005) write the naive elastic net as

    |y - X b|^2 + lambda2 |b|^2 + lambda1 |b|_1

with y centred and the columns of X centred and scaled to unit norm (sum_i x_ij^2 = 1); the elastic net proper is
(1 + lambda2) times the naive solution. ``elasticnet::enet`` reports a fit by lambda2 and the L1-norm fraction

    s = |b(lambda1)|_1 / |b(lambda1 = 0)|_1  in [0, 1]

(the same for the naive and the corrected fit, which differ by a constant factor at fixed lambda2).

regbench's objective, 1/(2n) |y - b0 - X w|^2 + lambda1' |w|_1 + lambda2'/2 |w|^2 on unit-variance columns
(``standardize=True``), is the same problem: since unit-norm columns are unit-variance columns divided by sqrt(n),

    lambda2' = lambda2          lambda1' = lambda1 / (2 sqrt(n))

(FIELD-NOTES; the coefficient vectors differ by the factor sqrt(n), which s does not see). :func:`fit_lambda2_s`
finds the fit with a given s by bisection over lambda1' at fixed lambda2, each step one call of
``regbench.path(..., lambda2=lambda2, lambdas=[lambda1'])``; the L1 norm of the solution is non-increasing in
lambda1 (a lasso on Zou & Hastie's augmented data), so the bisection is well defined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regbench.fitting._design import standardized
from regbench.fitting.params import correct, regbench_to_zh, uncorrect
from regbench.fitting.ridge import ols, ridge_path
from regbench.fitting.solver import path

__all__ = ["ZHFit", "unit_norm", "ridge_reference", "l1_fraction", "fit_lambda2_s", "s_path"]


@dataclass(frozen=True)
class ZHFit:
    """A fit addressed by (lambda2, s); coefficients on the original scale of X."""

    coef: np.ndarray
    intercept: float
    lambda2: float                  # paper scaling = regbench's lambda2 on unit-variance columns
    s: float                        # achieved L1-norm fraction
    lambda1: float                  # paper scaling (unit-norm columns, unscaled squared loss)
    lambda1_regbench: float         # regbench's lambda1 = alpha * l1_ratio (1/(2n) loss, unit-variance columns)
    variant: str

    @property
    def alpha(self) -> float:
        """regbench's alpha = lambda1' + lambda2'."""
        return self.lambda1_regbench + self.lambda2

    @property
    def l1_ratio(self) -> float:
        """regbench's l1_ratio = lambda1' / (lambda1' + lambda2') (1 for the lasso, lambda2 = 0)."""
        return self.lambda1_regbench / self.alpha if self.alpha > 0 else 1.0

    @property
    def selected(self) -> np.ndarray:
        """0-based indices of the nonzero coefficients."""
        return np.flatnonzero(self.coef)


def unit_norm(X, y):
    """Zou & Hastie's preprocessing: centred y, centred columns scaled to unit norm. Returns (Xn, yc, norms)."""
    Z, _, sd = _standardized(X)
    y = np.asarray(y, dtype=np.float64)
    norms = sd * np.sqrt(Z.shape[0])  # unit-variance columns / sqrt(n) have unit norm
    return Z / np.sqrt(Z.shape[0]), y - y.mean(), norms


def _standardized(X):
    Z, mu, sd = standardized(np.asarray(X, dtype=np.float64))
    if np.any(sd == 0):
        raise ValueError(f"constant column(s) {np.flatnonzero(sd == 0).tolist()}: the (lambda2, s) parametrization "
                         "needs standardized columns")
    return Z, mu, sd


def ridge_reference(X, y, lambda2: float) -> np.ndarray:
    """The naive fit at lambda1 = 0 on the original scale: ridge with lambda2 on unit-variance columns.

    For lambda2 = 0 this is least squares (minimum-norm on the standardized scale when X is rank-deficient).
    """
    Z, _, sd = _standardized(X)
    if lambda2 > 0:
        b = ridge_path(Z, y, lambdas=[lambda2]).coefs[:, 0]
    else:
        b = ols(Z, y)[0]
    return b / sd


def l1_fraction(coef, X, y, lambda2: float, reference=None) -> np.ndarray:
    """s = |b|_1 / |b(lambda1=0)|_1 on the standardized scale, for one coef (p,) or a path (p, L)."""
    sd = _standardized(X)[2]
    ref = ridge_reference(X, y, lambda2) if reference is None else reference
    denom = np.abs(ref * sd).sum()
    coef = np.asarray(coef, dtype=np.float64)
    num = np.abs(coef * (sd[:, None] if coef.ndim == 2 else sd)).sum(axis=0)
    return num / denom


def s_path(X, y, lambda2: float, *, n_lambdas=100, variant="naive", **kw):
    """Run ``regbench.path`` at fixed lambda2 and return ``(path, s)`` with the L1-norm fraction of each fit.

    s is computed from the naive coefficients (it is the same for the corrected ones).
    """
    res = path(X, y, lambda2=lambda2, n_lambdas=n_lambdas, standardize=True, variant=variant, **kw)
    coefs = uncorrect(res.coefs, lambda2) if variant == "corrected" else res.coefs
    return res, l1_fraction(coefs, X, y, lambda2)


def fit_lambda2_s(X, y, lambda2: float, s: float, *, variant: str = "corrected", tol: float = 1e-6,
                  max_steps: int = 200, solver_tol: float = 1e-10) -> ZHFit:
    """The elastic-net fit at Zou & Hastie's (lambda2, s), on the original scale of X.

    Parameters
    ----------
    X, y : arrays (n, p), (n,)
    lambda2 : float >= 0
        In the paper's scaling (unit-norm columns), which is regbench's lambda2 with ``standardize=True``.
        lambda2 = 0 is the lasso.
    s : float in [0, 1]
        Target fraction |b|_1 / |b(lambda1 = 0)|_1; s = 0 is the empty model, s = 1 the ridge (lambda2 > 0) or least
        squares (lambda2 = 0) fit.
    variant : "naive" or "corrected"
        "corrected" (the elastic net of the paper and of ``elasticnet::enet``) multiplies the naive fit by
        (1 + lambda2).
    tol : float
        Bisection stops when |s_achieved - s| <= tol (or the lambda1 bracket is exhausted).
    """
    if not 0.0 <= s <= 1.0:
        raise ValueError(f"s must be in [0, 1]; got {s}")
    if lambda2 < 0:
        raise ValueError(f"lambda2 must be >= 0; got {lambda2}")
    if variant not in ("naive", "corrected"):
        raise ValueError(f"variant must be 'naive' or 'corrected'; got {variant!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    ref = ridge_reference(X, y, lambda2)

    def make(coef_naive, l1):
        coef = correct(coef_naive, lambda2) if variant == "corrected" else coef_naive
        intercept = float(y.mean() - X.mean(axis=0) @ coef)
        return ZHFit(coef=coef, intercept=intercept, lambda2=float(lambda2), s=float(l1_fraction(coef_naive, X, y,
                     lambda2, ref)), lambda1=regbench_to_zh(l1, lambda2, n)[0], lambda1_regbench=float(l1),
                     variant=variant)

    Z = _standardized(X)[0]
    lam_max = float(np.max(np.abs(Z.T @ (y - y.mean()))) / n)  # smallest lambda1' with b = 0
    if s == 0.0:
        return make(np.zeros(X.shape[1]), lam_max)
    if s == 1.0:
        return make(ref, 0.0)

    def solve(l1):
        res = path(X, y, lambda2=lambda2, lambdas=np.array([l1]), standardize=True, variant="naive",
                            tol=solver_tol)
        coef = res.coefs[:, 0]
        return coef, float(l1_fraction(coef, X, y, lambda2, ref))

    lo, hi = lam_max * 1e-12, lam_max  # s(lo) ~ 1 > s >= s(hi) = 0; bisect in log(lambda1)
    best = None
    for _ in range(max_steps):
        mid = np.sqrt(lo * hi)
        coef, s_mid = solve(mid)
        if best is None or abs(s_mid - s) < abs(best[1] - s):
            best = (coef, s_mid, mid)
        if abs(s_mid - s) <= tol or hi / lo - 1.0 < 1e-12:
            break
        if s_mid > s:
            lo = mid
        else:
            hi = mid
    return make(best[0], best[2])

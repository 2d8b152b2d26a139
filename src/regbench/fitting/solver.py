"""Pathwise coordinate descent for lasso, ridge and the elastic net: the one shared solver.

Every fit in regbench minimizes, over the intercept b0 and the coefficients w,

    1/(2n) ||y - b0 - X w||^2 + alpha * ( l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||_2^2 )

(glmnet's and scikit-learn's scaling: lambda1 = alpha * l1_ratio, lambda2 =
alpha * (1 - l1_ratio)). With ``standardize=True`` the penalty applies to the
coefficients of unit-variance columns; results are always on the original scale.

Algorithm (glmnet's, with a certificate): a decreasing lambda grid, warm starts,
the sequential strong rule to pick a working set, cyclic coordinate descent on
it (ever-active features stay in), then a KKT check over all features that adds
violators, and a stop only when the duality gap is at most
``tol * ||y - mean(y)||^2 / (2n)`` (the objective at w = 0). The returned gap is
a certified upper bound on the sub-optimality of the naive solution.
"""

import time
import warnings

import numpy as np

from regbench.exceptions import ConvergenceWarning
from regbench.fitting._columns import SPARSE, column_abs
from regbench.fitting._design import prepare
from regbench.fitting._kernels import solve_lambda
from regbench.fitting._validation import check_l1_ratio, check_lambdas, check_option, check_scalar, check_X_y
from regbench.fitting.params import correct, penalty_weights
from regbench.fitting.penalties import ElasticNetPenalty
from regbench.fitting.results import FitResult, PathResult

VARIANTS = ("naive", "corrected")


def lambda_max(design, l1_ratio=1.0):
    """Smallest alpha whose solution is w = 0: max_j |x_j' y_c| / (n l1_ratio).

    For l1_ratio = 0 (ridge) no finite value zeroes w; as glmnet does, the value
    for l1_ratio = 1e-3 is used to anchor the grid.
    """
    top = float(np.max(np.abs(design.q))) if design.p else 0.0
    return top / max(l1_ratio, 1e-3)


def lambda_grid(lmax, n_lambdas, eps):
    """n_lambdas values log-spaced from lmax down to eps * lmax."""
    if lmax <= 0.0:
        return np.zeros(1)
    return np.geomspace(lmax, lmax * eps, n_lambdas)


def default_grid(design, l1_ratio, n_lambdas, eps=None):
    """The default decreasing grid for one l1_ratio: lambda_max down to eps * lambda_max.

    eps defaults to 1e-3 when n >= p, else 1e-2. For ridge (l1_ratio = 0) the top is
    glmnet's anchor, 1000 times the lasso's lambda_max, so the default eps is 1000
    times smaller and the grid still reaches eps * (the lasso's lambda_max): a grid
    that stopped three decades above it would miss the ridge optimum on noisy data.
    """
    if eps is None:
        eps = 1e-3 if design.n >= design.p else 1e-2
        if l1_ratio < 1e-3:
            eps *= 1e-3
    return lambda_grid(lambda_max(design, l1_ratio), n_lambdas, eps)


def _check_options(l1_ratio, lambda2, variant, tol, max_iter, n_lambdas, eps, standardize):
    check_option(variant, "variant", VARIANTS)
    check_scalar(tol, "tol", low=0.0, low_open=True)
    check_scalar(max_iter, "max_iter", low=1, integer=True)
    check_scalar(n_lambdas, "n_lambdas", low=1, integer=True)
    if eps is not None:
        check_scalar(eps, "eps", low=0.0, high=1.0, low_open=True)
    if lambda2 is not None:
        check_scalar(lambda2, "lambda2", low=0.0)
    else:
        check_l1_ratio(l1_ratio)


def _penalty_weights(lambdas, l1_ratio, lambda2):
    if lambda2 is not None:
        return lambdas, np.full_like(lambdas, float(lambda2))
    return penalty_weights(lambdas, l1_ratio)


def _warn_unconverged(lambdas, gaps, converged, tol_abs):
    bad = np.flatnonzero(~converged)
    if bad.size:
        k = bad[np.argmax(gaps[bad])]
        warnings.warn(
            f"coordinate descent did not converge at {bad.size} of {lambdas.size} lambda value(s); worst at "
            f"lambda={lambdas[k]:.6g}: duality gap {gaps[k]:.3e} > {tol_abs:.3e} after max_iter epochs. "
            "Increase max_iter, loosen tol, or standardize X.",
            ConvergenceWarning,
            stacklevel=3,
        )


def check_finite_result(lambdas, coefs, intercepts, gaps):
    """Non-finite numbers never leave the solver: a ValueError naming the first lambda affected."""
    ok = np.isfinite(coefs).all(axis=0) & np.isfinite(intercepts) & np.isfinite(gaps)
    if not np.all(ok):
        k = int(np.flatnonzero(~ok)[0])
        raise ValueError(
            f"non-finite coefficients, intercept or duality gap at lambda={lambdas[k]:.6g} ({int(np.sum(~ok))} of "
            f"{lambdas.size} lambda value(s)): X or y is too badly scaled for float64 arithmetic; rescale them "
            "(e.g. standardize=True, or divide by a power of 10)"
        )


#: glmnet's early path stop (glmnet.control): at least MIN_LAMBDAS solutions, then stop after the first
#: lambda whose deviance ratio gains less than FDEV (relative) on the previous one, or exceeds DEVMAX.
FDEV, DEVMAX, MIN_LAMBDAS = 1e-5, 0.999, 5


def _early_stop_reason(k, dev, dev_prev):
    """glmnet's rule after solving lambda k (0-based): "fdev", "devmax" or "" (go on)."""
    if k + 1 < MIN_LAMBDAS:
        return ""
    if dev - dev_prev < FDEV * dev:
        return "fdev"
    if dev > DEVMAX:
        return "devmax"
    return ""


def _solve_path(design, l1s, l2s, *, l1_start, tol, max_iter, w0=None, screening=True, early_stop=False):
    """Run the compiled solver along (l1s, l2s); returns standardized coefficients and diagnostics.

    With ``early_stop`` the arrays stop at the lambda after which glmnet's rule fired
    (the last item says which rule, "" when the whole grid was solved).
    """
    L = l1s.size
    w, r, state, grad = design.initial_state(w0)
    r_ref = r.copy()  # grad is exact at this residual: no drift yet (see _kernels.solve_lambda)
    drift_at = np.zeros(design.p)
    drift_inf_at = np.zeros(design.p)
    root_lips = np.sqrt(design.lips)  # ||x_j|| / sqrt(n), the certificate's Cauchy-Schwarz factors
    # ||x_j||_1 / n of the prepared sparse columns, for the certificate's Hoelder bound (mode 1 only)
    colabs = (column_abs(design.data, design.indptr, design.mu, design.n) * design.inv_s / design.n
              if design.mode == SPARSE else np.zeros(design.p))
    ever = np.zeros(design.p, dtype=np.bool_)
    ws = np.empty(design.p, dtype=np.int64)
    W = np.empty((design.p, L), order="F")  # one contiguous column per lambda
    gaps, objs, times = np.empty(L), np.empty(L), np.empty(L)
    n_iter = np.empty(L, dtype=np.int64)
    converged = np.empty(L, dtype=np.bool_)
    tol_abs = tol * design.yy / (2.0 * design.n)
    args = design.kernel_args()
    l1_prev = l1_start
    dev_prev, stop, end = 0.0, "", L
    for k in range(L):
        t0 = time.perf_counter()
        gaps[k], objs[k], n_iter[k], converged[k] = solve_lambda(
            design.mode, w, r, state, grad, r_ref, drift_at, drift_inf_at, ever, ws, design.lips, root_lips, colabs,
            l1s[k], l1_prev, l2s[k], tol_abs, max_iter, screening, float(design.n), design.y, design.yy, *args)
        times[k] = time.perf_counter() - t0
        W[:, k] = w
        l1_prev = l1s[k]
        if early_stop and design.yy > 0.0:
            # deviance ratio 1 - ||r||^2 / ||y_c||^2, with ||r||^2 / (2n) = primal - penalty
            rss_half = objs[k] - l1s[k] * np.abs(w).sum() - 0.5 * l2s[k] * (w @ w)
            dev = 1.0 - 2.0 * design.n * rss_half / design.yy
            stop = _early_stop_reason(k, dev, dev_prev)
            dev_prev = dev
            if stop:
                end = k + 1
                break
    return (W[:, :end], gaps[:end], objs[:end], n_iter[:end], converged[:end], times[:end], tol_abs, stop)


def path(X, y, *, l1_ratio=1.0, n_lambdas=100, eps=None, lambdas=None, lambda2=None, fit_intercept=True,
         standardize=False, variant="naive", tol=1e-7, max_iter=10_000, gram="auto", screening=True,
         coef_init=None, constant_columns="raise", early_stop=False):
    """Solve along a decreasing grid of penalty strengths, warm-starting each from the last.

    Minimizes ``1/(2n) ||y - b0 - X w||^2 + alpha * (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2)``
    for each ``alpha`` in the grid (or, with ``lambda2`` given,
    ``... + lambda1 ||w||_1 + lambda2/2 ||w||^2`` for each ``lambda1``).

    Parameters
    ----------
    X : ndarray of shape (n, p) or scipy.sparse matrix (kept sparse; centring is implicit)
    y : ndarray of shape (n,)
    l1_ratio : float in [0, 1], default=1.0 (lasso); 0 is ridge.
    n_lambdas : int, default=100
    eps : float, default=None
        lambda_min / lambda_max; default 1e-3 when n >= p, else 1e-2 (and 1000 times
        smaller for ridge, whose lambda_max is glmnet's 1000-fold anchor).
    lambdas : array-like, default=None
        An explicit grid (sorted decreasing on use); overrides n_lambdas and eps.
    lambda2 : float, default=None
        Hold the L2 weight fixed and run the path over lambda1 (Zou & Hastie's tuning).
    fit_intercept, standardize : bool
    variant : {"naive", "corrected"}
        "corrected" rescales the naive solution by (1 + lambda2) in the standardized
        coordinates (Zou & Hastie 2005); it needs ``standardize=True``.
    tol : float, default=1e-7
        Stop when the duality gap <= tol * ||y - mean(y)||^2 / (2n).
    max_iter : int, default=10_000
        Maximum coordinate-descent epochs per lambda.
    gram : {"auto", True, False}
        Covariance updates (auto: when n >= 2p and p <= 2000).
    screening : bool, default=True
        Use the sequential strong rule (with a KKT check, so results do not depend on it).
    coef_init : ndarray of shape (p,), default=None
        Warm start for the first lambda, on the original scale (naive coefficients).
    constant_columns : {"raise", "zero"}, default="raise"
        With standardize=True, a constant column raises ValueError, or ("zero") gets a
        zero coefficient as in glmnet (cross-validation folds use this).
    early_stop : bool, default=False
        glmnet's early path stop: once at least 5 lambdas are solved, stop after the first
        lambda whose deviance ratio ``1 - ||y - b0 - X w||^2 / ||y - mean(y)||^2`` gains
        less than 1e-5 of itself on the previous lambda (glmnet's ``fdev``) or exceeds
        0.999 (``devmax``). The result is then *truncated*: ``lambdas``, ``coefs``
        (p, k), ``intercepts``, ``gaps``, ``objectives``, ``n_iter``, ``converged`` and
        ``times`` all hold the first k lambdas of the grid (k <= the grid's length, the
        stopping lambda included) and ``early_stop`` names the rule that fired ("" when
        the whole grid was solved). Applies to a given ``lambdas`` grid too (glmnet
        only cuts its own grid); with False (default) every lambda is solved.

    Returns
    -------
    PathResult
    """
    return path_variants(X, y, (variant,), l1_ratio=l1_ratio, n_lambdas=n_lambdas, eps=eps, lambdas=lambdas,
                         lambda2=lambda2, fit_intercept=fit_intercept, standardize=standardize, tol=tol,
                         max_iter=max_iter, gram=gram, screening=screening, coef_init=coef_init,
                         constant_columns=constant_columns, early_stop=early_stop)[variant]


def path_variants(X, y, variants, *, l1_ratio=1.0, n_lambdas=100, eps=None, lambdas=None, lambda2=None,
                  fit_intercept=True, standardize=False, tol=1e-7, max_iter=10_000, gram="auto", screening=True,
                  coef_init=None, constant_columns="raise", early_stop=False):
    """:func:`path` for several variants from one solve: {variant: PathResult}.

    The corrected elastic net is (1 + lambda2) times the naive solution (``params.correct``), so
    both come from the same naive path; each result equals ``path(..., variant=v)``, and each
    carries the one solve's ``times`` (what it costs alone).
    """
    X, y = check_X_y(X, y)
    if isinstance(variants, str) or len(variants) == 0:
        raise ValueError(f"variants must be a non-empty sequence of {VARIANTS}, got {variants!r}")
    for variant in variants:
        _check_options(l1_ratio, lambda2, variant, tol, max_iter, n_lambdas, eps, standardize)
    if "corrected" in variants and not standardize:
        raise ValueError(
            "variant='corrected' rescales by (1 + lambda2), which Zou & Hastie define on standardized "
            "predictors: pass standardize=True"
        )
    t0 = time.perf_counter()
    check_option(constant_columns, "constant_columns", ("raise", "zero"))
    if not isinstance(early_stop, (bool, np.bool_)):
        raise ValueError(f"early_stop must be True or False, got {early_stop!r}")
    design = prepare(X, y, fit_intercept=fit_intercept, standardize=standardize, gram=gram,
                     constant_columns=constant_columns)
    ratio = 1.0 if lambda2 is not None else float(l1_ratio)
    lmax = lambda_max(design, ratio)
    if lambdas is None:
        grid = default_grid(design, ratio, n_lambdas, eps)
    else:
        grid = check_lambdas(lambdas)
    l1s, l2s = _penalty_weights(grid, ratio, lambda2)
    w0 = None if coef_init is None else np.asarray(coef_init, dtype=np.float64) / design.inv_s
    setup = time.perf_counter() - t0
    W, gaps, objs, n_iter, converged, times, tol_abs, stop = _solve_path(
        design, l1s, l2s, l1_start=lmax * ratio if lambda2 is None else lmax, tol=tol, max_iter=max_iter,
        w0=w0, screening=screening, early_stop=bool(early_stop))
    L = gaps.size
    grid, l1s, l2s = grid[:L], l1s[:L], l2s[:L]
    out = {}
    for variant in variants:
        Wv = correct(W, l2s[None, :]) if variant == "corrected" else W
        with np.errstate(over="ignore", invalid="ignore"):
            coefs, intercepts = design.to_original(Wv)
        check_finite_result(grid, coefs, np.atleast_1d(intercepts), gaps)
        out[variant] = PathResult(
            lambdas=grid, coefs=coefs, intercepts=np.atleast_1d(intercepts), gaps=gaps, objectives=objs,
            n_iter=n_iter, converged=converged, times=times, l1_ratio=None if lambda2 is not None else ratio,
            lambda2=None if lambda2 is None else float(lambda2), variant=variant, lambda_max=lmax,
            setup_time=setup, mode=design.mode_name, early_stop=stop)
    _warn_unconverged(grid, gaps, converged, tol_abs)
    return out


def fit(X, y, alpha, *, l1_ratio=1.0, fit_intercept=True, standardize=False, variant="naive", tol=1e-7,
        max_iter=10_000, gram="auto", coef_init=None):
    """Solve at one ``alpha`` (see :func:`path` for the objective and the options)."""
    check_scalar(alpha, "alpha", low=0.0)
    res = path(X, y, l1_ratio=l1_ratio, lambdas=[alpha], fit_intercept=fit_intercept, standardize=standardize,
               variant=variant, tol=tol, max_iter=max_iter, gram=gram, coef_init=coef_init)
    return FitResult(coef=res.coefs[:, 0], intercept=float(res.intercepts[0]), gap=float(res.gaps[0]),
                     objective=float(res.objectives[0]), n_iter=int(res.n_iter[0]),
                     converged=bool(res.converged[0]), time=res.total_time)


def kkt_violation(X, y, coef, intercept, alpha, l1_ratio=1.0):
    """Largest distance of -gradient to the penalty's subdifferential at (intercept, coef): 0 at the optimum.

    For the objective above on the original scale (no standardization); the intercept's
    own condition (mean residual zero) is included when ``intercept`` is not None.
    An independent optimality check that needs no solver: it only asks the penalty
    object for its subdifferential distance.
    """
    X, y = check_X_y(X, y, min_samples=1)
    penalty = ElasticNetPenalty(alpha, l1_ratio)
    r = y - (0.0 if intercept is None else intercept) - X @ np.asarray(coef, dtype=np.float64)
    grad = -np.asarray(X.T @ r).ravel() / r.size
    worst = float(np.max(penalty.subdiff_distance(coef, grad), initial=0.0))
    return worst if intercept is None else max(worst, abs(float(r.mean())))


def objective(X, y, coef, intercept, alpha, l1_ratio=1.0):
    """The objective above evaluated at (intercept, coef) on the original scale (no standardization)."""
    r = np.asarray(y, dtype=np.float64) - intercept - X @ coef
    return float(r @ r / (2 * r.size) + alpha * (l1_ratio * np.abs(coef).sum()
                                                 + 0.5 * (1 - l1_ratio) * coef @ coef))

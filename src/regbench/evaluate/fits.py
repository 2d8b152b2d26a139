"""The fit step: tune and fit one compared method on one data set through the shared solver.

``fit_method(ds, method, ...)`` reads the method's entry of the registry (``regbench.evaluate.methods``) and calls
the solver (``regbench.fitting``): ``cross_validate`` to tune, ``fit_path`` to refit the path at the chosen second
parameter, ``ols`` for the baseline; it does no numerics of its own beyond choosing what to call. It returns the
arrays stored in ``results/<study>/fits/<scenario>/<replicate>/<method>.npz`` (keys in ``FIT_KEYS``) plus the
chosen hyperparameters, timings and convergence.

Every fit also carries ``warnings``, a list of ``{"kind", "message", "value"}`` records (``WARNING_KINDS``, from
``regbench.evaluate.warning_records``): the solver's non-convergence (at the chosen lambda, elsewhere on the
refitted path, or in the tuning fits; ``value`` is the duality gap reached where known) and a chosen lambda at the
end of its grid (``value`` is that lambda). The fit step stores them in the .npz (as JSON), the evaluate step puts
them in ``warnings/<scenario>.csv``.

Tuning: ``tuning["method"]`` is ``"cv"`` (K-fold on the training rows, folds seeded by the data set's ``cv_seed``,
so every method of a replicate sees the same folds; ``tuning["fold_seed"]``, when given, seeds every data set's
folds instead) or ``"validation"`` (the data set's validation rows);
``tuning["rule"]`` is ``"min"`` or ``"1se"``. Each penalized method runs its tuning, then its path on all training
rows over the same lambda grid at the chosen second parameter, and reports the path's fit at the chosen lambda.

The naive and the corrected elastic net share their solves: the corrected fit is (1 + lambda2) times the naive one
(``fitting.params.correct``), so the first of the two methods fitted on a data set tunes both
(``cross_validate(variants=...)``) and refits both paths (``fit_path_variants``), and the second reads them
(``_shared``). The fits are bit-identical to each method's own; each method's ``tune_time`` and ``path_time`` is still
what it costs alone (the shared solves plus its own scoring), only the job's CPU falls.
"""

from __future__ import annotations

import json
import math
import time
import warnings

import numpy as np

from regbench.evaluate.methods import METHODS
from regbench.evaluate.warning_records import WARNING_KINDS, warning_records
from regbench.exceptions import ConvergenceWarning
from regbench.fitting._jit import init_target
from regbench.fitting.cv import cross_validate, fit_path, fit_path_variants
from regbench.fitting.params import mixing, penalty_weights
from regbench.fitting.ridge import ols
from regbench.fitting.solver import path
from regbench.lazy_sparse import sparse_module

__all__ = ["FIT_KEYS", "WARNING_KINDS", "fit_method", "fit_warnings", "warm_up", "warning_records"]

#: keys of a fit's .npz every method writes (the elastic net adds grid_kind, grid_values, grid_best_mse)
FIT_KEYS = [
    "lambdas", "coefs", "intercepts", "cv_lambdas", "cv_mean", "cv_se", "chosen_index", "lambda_min",
    "lambda_1se", "coef", "intercept", "coef_true", "groups",
]

_EMPTY = np.empty(0)


def _tuning_kwargs(ds, tuning):
    if tuning["method"] == "validation":
        return {"validation": (ds.X_val, ds.y_val), "cv": tuning.get("folds", 5)}
    return {"cv": tuning["folds"]}


def _second_grid(method, grid):
    """(grid kind, values) of the method's second parameter: its fixed l1_ratio, or the study's elastic-net grid."""
    if not method.tunes_second_parameter:
        return "l1_ratio", (method.l1_ratio,)
    kind = grid["second"]
    return kind, tuple(grid["l1_ratios"] if kind == "l1_ratio" else grid["lambda2s"])


def _caught(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` and the messages of the ConvergenceWarnings it raised (other warnings pass on)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        out = fn(*args, **kwargs)
    messages = []
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            messages.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out, messages


def fit_warnings(res, k, lambdas, *, tuning_messages, max_iter, l1_ratio) -> list[dict]:
    """The warnings of one penalized fit: non-convergence (chosen lambda, rest of the path, tuning) and a chosen
    lambda at the grid's end (the smallest; or the largest where the penalty has no L1 part, as for ridge, whose
    fit keeps changing above the grid's lambda_max)."""
    out = []
    gaps, converged = np.asarray(res.gaps, dtype=float), np.asarray(res.converged, dtype=bool)
    if not converged[k]:
        out.append({"kind": "nonconvergence", "value": float(gaps[k]),
                    "message": f"the fit at the chosen lambda={lambdas[k]:.6g} stopped after max_iter={max_iter} "
                               f"epochs with duality gap {gaps[k]:.3e} (above the tolerance)"})
    others = np.flatnonzero(~converged)
    others = others[others != k]
    if others.size:
        worst = others[np.argmax(gaps[others])]
        out.append({"kind": "nonconvergence", "value": float(gaps[worst]),
                    "message": f"the refitted path did not converge at {others.size} other lambda value(s) of "
                               f"{converged.size}; worst gap {gaps[worst]:.3e} at lambda={lambdas[worst]:.6g}"})
    if tuning_messages:
        out.append({"kind": "nonconvergence", "value": math.nan,
                    "message": f"tuning: {len(tuning_messages)} CV/validation path(s) did not converge; first: "
                               f"{tuning_messages[0]}"})
    if lambdas.size > 1 and k == lambdas.size - 1:
        out.append({"kind": "grid_edge", "value": float(lambdas[k]),
                    "message": f"the chosen lambda={lambdas[k]:.6g} is the smallest of the grid; a smaller eps "
                               "may fit better"})
    elif lambdas.size > 1 and k == 0 and l1_ratio == 0:
        out.append({"kind": "grid_edge", "value": float(lambdas[k]),
                    "message": f"the chosen lambda={lambdas[k]:.6g} is the largest of the grid (the penalty has no "
                               "L1 part, so larger lambdas still change the fit)"})
    return out


def _sibling_variants(method):
    """The variants of the registry's methods that share this method's penalty family (its fixed l1_ratio, or a
    tuned second parameter): one naive solve serves them all (the corrected fit is (1 + lambda2) times it)."""
    return tuple(sorted({m.variant for m in METHODS.values() if m.penalized and m.l1_ratio == method.l1_ratio},
                        key=("naive", "corrected").index))


#: work shared by the methods of one data set: {key: result}, for the data set ``_SHARED_DS`` only
_SHARED: dict = {}
_SHARED_DS: list = []


def _shared(ds, key, compute):
    """``compute()``, or its result for an earlier method on the same data set with the same key (the naive and the
    corrected elastic net: same folds, grids and solves). Each method still records its solves' full time (what it
    costs alone: ``cross_validate(variants=...)`` and ``path_variants`` time them that way); only the job's CPU
    falls. One data set is kept at a time (the fit command runs data-set-major)."""
    if not _SHARED_DS or _SHARED_DS[0] is not ds:
        _SHARED.clear()
        _SHARED_DS[:] = [ds]
    if key not in _SHARED:
        _SHARED[key] = compute()
    return _SHARED[key]


def _penalized(ds, method, *, tuning, grid, solver, standardize):
    """Tune over (second parameter, lambda), refit the path at the chosen second parameter."""
    grid_kind, grid_values = _second_grid(method, grid)
    common = dict(standardize=standardize, fit_intercept=True)
    second_grid = {"lambda2s" if grid_kind == "lambda2" else "l1_ratios": grid_values}
    # a ridge value (l1_ratio 0) is solved apart per variant (the naive one by the SVD): nothing to share then
    variants = (method.variant,) if grid_kind == "l1_ratio" and 0.0 in grid_values else _sibling_variants(method)
    key = ("cv", method.l1_ratio, json.dumps([tuning, grid, solver, standardize], sort_keys=True, default=str))
    cvrs, tuning_messages = _shared(ds, key, lambda: _caught(
        cross_validate, ds.X_train, ds.y_train, rule=tuning["rule"],
        random_state=tuning.get("fold_seed", ds.cv_seed), variants=variants, n_lambdas=grid["n_lambdas"],
        eps=grid["eps"], tol=solver["tol"], max_iter=solver["max_iter"], **second_grid,
        **_tuning_kwargs(ds, tuning), **common,
    ))
    cvr = cvrs[method.variant]
    a, k = (int(i) for i in cvr.best_index)
    second = float(cvr.grid_values[a])
    lambdas = np.asarray(cvr.lambdas[a], dtype=float)
    options = dict(grid_kind=grid_kind, tol=solver["tol"], max_iter=solver["max_iter"], **common)
    key = ("path", second, lambdas.tobytes(), json.dumps(options, sort_keys=True))
    paths, _ = _shared(ds, key, lambda: _caught(  # its non-convergence is recorded by fit_warnings
        fit_path_variants, ds.X_train, ds.y_train, second, lambdas, variants, **options))
    res = paths[method.variant]
    options["variant"] = method.variant
    if grid_kind == "lambda2":
        lambda1, lambda2 = float(lambdas[k]), second
        alpha, l1_ratio = mixing(lambda1, lambda2)
    else:
        alpha, l1_ratio = float(lambdas[k]), second
        lambda1, lambda2 = penalty_weights(alpha, l1_ratio)
    # time of one cold fit at the chosen hyperparameters (the path warm-starts, so its per-lambda times do not say)
    t0 = time.perf_counter()
    _caught(fit_path, ds.X_train, ds.y_train, second, lambdas[k:k + 1], **options)
    fit_time = time.perf_counter() - t0
    out = {
        "lambdas": res.lambdas, "coefs": res.coefs, "intercepts": res.intercepts,
        "cv_lambdas": lambdas, "cv_mean": np.asarray(cvr.mse_mean[a]), "cv_se": np.asarray(cvr.mse_se[a]),
        "chosen_index": k, "lambda_min": float(cvr.lambda_min), "lambda_1se": float(cvr.lambda_1se),
        "coef": res.coefs[:, k], "intercept": float(res.intercepts[k]),
        "alpha": alpha, "l1_ratio": l1_ratio, "lambda1": lambda1, "lambda2": lambda2,
        "fit_time": fit_time, "tune_time": float(cvr.time), "path_time": float(res.total_time),
        "converged": bool(res.converged[k]), "gap": float(res.gaps[k]),
        "warnings": fit_warnings(res, k, lambdas, tuning_messages=tuning_messages, max_iter=solver["max_iter"],
                                 l1_ratio=l1_ratio),
    }
    if method.tunes_second_parameter:  # the elastic net: its second parameter's tuning curve
        out["grid_kind"] = grid_kind
        out["grid_values"] = np.asarray(cvr.grid_values, dtype=float)
        out["grid_best_mse"] = np.asarray(cvr.mse_mean, dtype=float).min(axis=1)
    return out


def _ols(ds):
    """Least squares with an intercept (the baseline where n_train > p)."""
    n, p = ds.X_train.shape
    if n <= p:
        raise ValueError(f"ols needs n_train > p, got n_train={n}, p={p}")
    t0 = time.perf_counter()
    coef, intercept = ols(ds.X_train, ds.y_train)
    elapsed = time.perf_counter() - t0
    return {
        "lambdas": np.zeros(1), "coefs": coef[:, None], "intercepts": np.array([intercept]),
        "cv_lambdas": _EMPTY, "cv_mean": _EMPTY, "cv_se": _EMPTY, "chosen_index": 0,
        "lambda_min": math.nan, "lambda_1se": math.nan, "coef": coef, "intercept": intercept,
        "alpha": 0.0, "l1_ratio": math.nan, "lambda1": 0.0, "lambda2": 0.0,
        "fit_time": elapsed, "tune_time": 0.0, "path_time": elapsed, "converged": True, "gap": math.nan,
        "warnings": [],
    }


def fit_method(ds, method, *, tuning, grid=None, solver=None, standardize=True) -> dict:
    """Fit ``method`` on a ``regbench.data.dataset.Dataset``; return the arrays and scalars of its .npz file
    (``warnings``, the list of records, is stored as JSON text)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    spec = METHODS[method]
    solver = {"tol": 1e-7, "max_iter": 10_000, **(solver or {})}
    grid = {"n_lambdas": 50, "eps": None, **(grid or {})}
    if spec.penalized:
        out = _penalized(ds, spec, tuning=tuning, grid=grid, solver=solver, standardize=standardize)
    else:
        out = _ols(ds)
    out.update(
        coef_true=np.asarray(ds.coef_true, dtype=float), groups=np.asarray(ds.groups),
        method=method, scenario=ds.scenario, replicate=int(ds.replicate),
        n_train=ds.n_train, n_val=ds.n_val, n_test=ds.n_test, p=ds.p, warnings=json.dumps(out["warnings"]),
    )
    return out


def warm_up(sparse: bool = False, *, standardize=True) -> None:
    """Compile (or load from numba's cache) the solver's kernels on tiny problems, so no timing includes it."""
    init_target()
    rng = np.random.default_rng(0)
    shapes = [(20, 4), (4, 20)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n, p in shapes:
            X = rng.standard_normal((n, p))
            y = rng.standard_normal(n)
            Xs = [X, sparse_module().csc_matrix(X)] if sparse else [X]
            for Xi in Xs:
                for l1 in (1.0, 0.5):
                    path(Xi, y, l1_ratio=l1, n_lambdas=3, standardize=standardize)

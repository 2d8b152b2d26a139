"""One pipeline job's worth of fits, and turning fits into metric rows.

``fit_method(ds, method, ...)`` tunes and fits one method on one data set through the shared solver
(``regbench.cross_validate``, ``regbench.cv.fit_path``, ``regbench.fit``, ``regbench.ols``); it does no numerics of
its own beyond choosing what to call. It returns the arrays stored
in ``results/<study>/fits/<scenario>/<replicate>/<method>.npz`` (keys in ``FIT_KEYS``, see the contract) plus the
chosen hyperparameters, timings and convergence.

``evaluate(ds, fit)`` turns one stored fit into one row of ``metrics.csv`` (columns ``METRIC_COLUMNS``).

Tuning: ``tuning["method"]`` is ``"cv"`` (K-fold on the training rows, folds seeded by the data set's
``cv_seed``, so every method of a replicate sees the same folds) or ``"validation"`` (the data set's validation
rows); ``tuning["rule"]`` is ``"min"`` or ``"1se"``. Each penalized method runs its tuning, then its path on all
training rows over the same lambda grid at the chosen second parameter, and reports the path's fit at the chosen
lambda.
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from regbench.metrics import evaluate_fit, summarize

__all__ = ["FIT_KEYS", "METHODS", "METRIC_COLUMNS", "SUMMARY_COLUMNS", "evaluate", "fit_method", "summary_table",
           "warm_up"]

#: columns of metrics.csv, in order (the contract's "Study outputs")
METRIC_COLUMNS = [
    "study", "scenario", "replicate", "method", "n_train", "n_val", "n_test", "p",
    "test_mse", "pred_error", "rel_estimation_error", "nnz", "precision", "recall", "f1", "sign_agreement",
    "grouping_spread", "alpha", "l1_ratio", "lambda1", "lambda2", "fit_time", "tune_time", "path_time",
    "converged", "gap",
]
#: metrics.csv columns summarized in summary.csv (as <col>_median, <col>_se)
SUMMARY_COLUMNS = METRIC_COLUMNS[METRIC_COLUMNS.index("test_mse"):METRIC_COLUMNS.index("converged")] + ["gap"]
#: per-row columns that are timings (they differ between otherwise identical runs)
TIMING_COLUMNS = ["fit_time", "tune_time", "path_time"]

#: keys of a fit's .npz required by the contract (elastic net adds grid_values, grid_best_mse)
FIT_KEYS = [
    "lambdas", "coefs", "intercepts", "cv_lambdas", "cv_mean", "cv_se", "chosen_index", "lambda_min",
    "lambda_1se", "coef", "intercept", "coef_true", "groups",
]

_EMPTY = np.empty(0)


def _tuning_kwargs(ds, tuning):
    if tuning["method"] == "validation":
        return {"validation": (ds.X_val, ds.y_val), "cv": tuning.get("folds", 5)}
    return {"cv": tuning["folds"]}


def _penalized(ds, *, grid_kind, grid_values, variant, tuning, grid, solver, standardize, store_grid=False):
    """Tune over (second parameter, lambda), refit the path at the chosen second parameter."""
    import regbench
    from regbench.cv import fit_path  # the path at one grid value (ridge on dense X by the SVD), as CV fits it

    common = dict(standardize=standardize, fit_intercept=True)
    cv_kwargs = dict(
        rule=tuning["rule"], random_state=ds.cv_seed, variant=variant, n_lambdas=grid["n_lambdas"],
        eps=grid["eps"], tol=solver["tol"], **_tuning_kwargs(ds, tuning), **common,
    )
    if grid_kind == "lambda2":
        cvr = regbench.cross_validate(ds.X_train, ds.y_train, lambda2s=tuple(grid_values), **cv_kwargs)
    else:
        cvr = regbench.cross_validate(ds.X_train, ds.y_train, l1_ratios=tuple(grid_values), **cv_kwargs)
    a, k = (int(i) for i in cvr.best_index)
    second = float(cvr.grid_values[a])
    lambdas = np.asarray(cvr.lambdas[a], dtype=float)
    res = fit_path(ds.X_train, ds.y_train, second, lambdas, grid_kind=grid_kind, variant=variant,
                   tol=solver["tol"], max_iter=solver["max_iter"], **common)
    if grid_kind == "lambda2":
        lambda1, lambda2 = float(lambdas[k]), second
        alpha = lambda1 + lambda2
        l1_ratio = lambda1 / alpha if alpha > 0 else 1.0
    else:
        alpha, l1_ratio = float(lambdas[k]), second
        lambda1, lambda2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    # time of one cold fit at the chosen hyperparameters (the path warm-starts, so its per-lambda times do not say)
    t0 = time.perf_counter()
    fit_path(ds.X_train, ds.y_train, second, lambdas[k:k + 1], grid_kind=grid_kind, variant=variant,
             tol=solver["tol"], max_iter=solver["max_iter"], **common)
    fit_time = time.perf_counter() - t0
    out = {
        "lambdas": res.lambdas, "coefs": res.coefs, "intercepts": res.intercepts,
        "cv_lambdas": lambdas, "cv_mean": np.asarray(cvr.mse_mean[a]), "cv_se": np.asarray(cvr.mse_se[a]),
        "chosen_index": k, "lambda_min": float(cvr.lambda_min), "lambda_1se": float(cvr.lambda_1se),
        "coef": res.coefs[:, k], "intercept": float(res.intercepts[k]),
        "alpha": alpha, "l1_ratio": l1_ratio, "lambda1": lambda1, "lambda2": lambda2,
        "fit_time": fit_time, "tune_time": float(cvr.time), "path_time": float(res.total_time),
        "converged": bool(res.converged[k]), "gap": float(res.gaps[k]),
    }
    if store_grid:  # the elastic net: its second parameter's tuning curve
        out["grid_kind"] = grid_kind
        out["grid_values"] = np.asarray(cvr.grid_values, dtype=float)
        out["grid_best_mse"] = np.asarray(cvr.mse_mean, dtype=float).min(axis=1)
    return out


def _fit_lasso(ds, **kw):
    return _penalized(ds, grid_kind="l1_ratio", grid_values=(1.0,), variant="naive", **kw)


def _fit_ridge(ds, **kw):
    return _penalized(ds, grid_kind="l1_ratio", grid_values=(0.0,), variant="naive", **kw)


def _enet(variant):
    def fit(ds, *, grid, **kw):
        kind = grid["second"]
        values = grid["l1_ratios"] if kind == "l1_ratio" else grid["lambda2s"]
        return _penalized(ds, grid_kind=kind, grid_values=values, variant=variant, grid=grid, store_grid=True, **kw)

    fit.__name__ = f"_fit_enet_{variant}"
    return fit


def _fit_ols(ds, **kw):
    """Least squares with an intercept (the baseline where n_train > p)."""
    import regbench

    n, p = ds.X_train.shape
    if n <= p:
        raise ValueError(f"ols needs n_train > p, got n_train={n}, p={p}")
    t0 = time.perf_counter()
    coef, intercept = regbench.ols(ds.X_train, ds.y_train)
    elapsed = time.perf_counter() - t0
    return {
        "lambdas": np.zeros(1), "coefs": coef[:, None], "intercepts": np.array([intercept]),
        "cv_lambdas": _EMPTY, "cv_mean": _EMPTY, "cv_se": _EMPTY, "chosen_index": 0,
        "lambda_min": math.nan, "lambda_1se": math.nan, "coef": coef, "intercept": intercept,
        "alpha": 0.0, "l1_ratio": math.nan, "lambda1": 0.0, "lambda2": 0.0,
        "fit_time": elapsed, "tune_time": 0.0, "path_time": elapsed, "converged": True, "gap": math.nan,
    }


#: method name -> function(ds, *, tuning, grid, solver, standardize) -> dict of the fit's arrays and scalars
METHODS = {
    "ols": _fit_ols,
    "lasso": _fit_lasso,
    "ridge": _fit_ridge,
    "enet_naive": _enet("naive"),
    "enet_corrected": _enet("corrected"),
}


def fit_method(ds, method, *, tuning, grid=None, solver=None, standardize=True) -> dict:
    """Fit ``method`` on a ``regbench.simulate.Dataset``; return the arrays and scalars of its .npz file."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    solver = {"tol": 1e-7, "max_iter": 10_000, **(solver or {})}
    grid = {"n_lambdas": 50, "eps": None, **(grid or {})}
    out = METHODS[method](ds, tuning=tuning, grid=grid, solver=solver, standardize=standardize)
    out.update(
        coef_true=np.asarray(ds.coef_true, dtype=float), groups=np.asarray(ds.groups),
        method=method, scenario=ds.scenario, replicate=int(ds.replicate),
        n_train=ds.n_train, n_val=ds.n_val, n_test=ds.n_test, p=ds.p,
    )
    return out


def warm_up(sparse: bool = False, *, standardize=True) -> None:
    """Compile (or load from numba's cache) the solver's kernels on tiny problems, so no timing includes it."""
    import warnings

    import regbench

    rng = np.random.default_rng(0)
    shapes = [(20, 4), (4, 20)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n, p in shapes:
            X = rng.standard_normal((n, p))
            y = rng.standard_normal(n)
            Xs = [X, sp.csc_matrix(X)] if sparse else [X]
            for Xi in Xs:
                for l1 in (1.0, 0.5):
                    regbench.path(Xi, y, l1_ratio=l1, n_lambdas=3, standardize=standardize)


def evaluate(ds, fit: dict, *, study: str) -> dict:
    """One metrics.csv row (``METRIC_COLUMNS``) for a stored fit of a data set."""
    row = {
        "study": study, "scenario": ds.scenario, "replicate": int(ds.replicate), "method": str(fit["method"]),
        "n_train": ds.n_train, "n_val": ds.n_val, "n_test": ds.n_test, "p": ds.p,
    }
    row.update(evaluate_fit(ds, fit["coef"], fit["intercept"]))
    for col in ["alpha", "l1_ratio", "lambda1", "lambda2", "fit_time", "tune_time", "path_time", "gap"]:
        row[col] = float(fit[col])
    row["converged"] = bool(fit["converged"])
    return {c: row[c] for c in METRIC_COLUMNS}


def summary_table(metrics, *, n_boot=1000, seed=0):
    """summary.csv: per study x scenario x method, n_replicates, the median and bootstrap SE of the median of every
    ``SUMMARY_COLUMNS`` column (``<col>_median``, ``<col>_se``), then ``converged_fraction``."""
    out = summarize(metrics, ["study", "scenario", "method"], SUMMARY_COLUMNS, n_boot=n_boot, seed=seed)
    conv = metrics.groupby(["study", "scenario", "method"], sort=False)["converged"].mean()
    out["converged_fraction"] = conv.to_numpy(dtype=float)
    return out

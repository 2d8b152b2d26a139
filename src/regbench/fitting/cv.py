"""Model selection over the lambda path and a second parameter: K-fold CV or a validation set.

The second parameter is either ``l1_ratio`` (glmnet's alpha) or a fixed ``lambda2``
(Zou & Hastie's tuning). For each grid value the lambda grid is computed once on
the full training data and shared by every fold, so the curves line up.
"""

import time

import numpy as np

from regbench.fitting._design import prepare
from regbench.fitting._validation import check_l1_ratio, check_option, check_scalar, check_X, check_X_y
from regbench.fitting.results import CVResult
from regbench.fitting.ridge import ridge_path
from regbench.fitting.solver import default_grid, path

RULES = ("min", "1se")


def kfold_indices(n, k, random_state=0):
    """Seeded K-fold split: a list of (train_idx, test_idx), deterministic for a given seed."""
    check_scalar(k, "cv", low=2, integer=True)
    if k > n:
        raise ValueError(f"cv={k} folds need at least {k} samples, got n_samples={n}")
    perm = np.random.default_rng(random_state).permutation(n)
    folds = np.array_split(perm, k)
    return [(np.sort(np.concatenate(folds[:i] + folds[i + 1:])), np.sort(folds[i])) for i in range(k)]


def fit_path(X, y, value, lambdas, *, grid_kind="l1_ratio", **options):
    """The path at one value of the second parameter; ridge (l1_ratio = 0) goes through one SVD."""
    if grid_kind == "l1_ratio" and value == 0.0 and options.get("variant") != "corrected":
        return ridge_path(X, y, lambdas=lambdas, fit_intercept=options.get("fit_intercept", True),
                          standardize=options.get("standardize", False),
                          constant_columns=options.get("constant_columns", "raise"))
    if grid_kind == "lambda2":
        return path(X, y, lambda2=value, lambdas=lambdas, **options)
    return path(X, y, l1_ratio=value, lambdas=lambdas, **options)


def _grids(X, y, values, grid_kind, n_lambdas, eps, fit_intercept, standardize):
    design = prepare(X, y, fit_intercept=fit_intercept, standardize=standardize, gram=False)
    return np.array([default_grid(design, 1.0 if grid_kind == "lambda2" else v, n_lambdas, eps) for v in values])


def _select(mean, se, rule):
    a, k = np.unravel_index(np.argmin(mean), mean.shape)
    within = np.flatnonzero(mean[a] <= mean[a, k] + se[a, k])
    k1se = int(within[0])  # lambdas decrease, so the first index is the largest lambda
    return (int(a), int(k)), (int(a), k1se)


def cross_validate(X, y, *, l1_ratios=(1.0,), lambda2s=None, cv=5, validation=None, rule="min",
                   random_state=0, variant="naive", standardize=False, fit_intercept=True, n_lambdas=100,
                   eps=None, tol=1e-7, max_iter=10_000):
    """Tune lambda (and l1_ratio or lambda2) by K-fold CV or on a held-out validation set.

    A column that is constant within a training fold (but not in X) gets a zero
    coefficient in that fold, as in cv.glmnet. The error is the mean squared prediction error.
    With K folds, ``mse_mean`` is the mean of the K fold errors and ``mse_se`` their standard deviation / sqrt(K) (as
    cv.glmnet); with ``validation=(X_val, y_val)`` it is the mean over validation rows
    and the standard error of that mean.
    """
    X, y = check_X_y(X, y)
    check_option(rule, "rule", RULES)
    if lambda2s is not None:
        values = np.atleast_1d(np.asarray(lambda2s, dtype=np.float64))
        for v in values:
            check_scalar(float(v), "lambda2s", low=0.0)
        grid_kind = "lambda2"
    else:
        values = np.atleast_1d(np.asarray(l1_ratios, dtype=np.float64))
        for v in values:
            check_l1_ratio(float(v), "l1_ratios")
        grid_kind = "l1_ratio"
    if values.size == 0:
        raise ValueError(f"the {grid_kind} grid is empty: give at least one value")
    t0 = time.perf_counter()
    grids = _grids(X, y, values, grid_kind, n_lambdas, eps, fit_intercept, standardize)
    options = dict(variant=variant, standardize=standardize, fit_intercept=fit_intercept, tol=tol,
                   max_iter=max_iter)
    if validation is not None:
        X_val, y_val = validation
        X_val = check_X(X_val, n_features=X.shape[1], name="the validation set")
        y_val = np.asarray(y_val, dtype=np.float64).ravel()
        if y_val.shape[0] != X_val.shape[0] or y_val.shape[0] < 2:
            raise ValueError("validation needs X_val and y_val with the same number (>= 2) of rows")
        splits = [(X, y, X_val, y_val)]
    else:
        splits = [(X[tr], y[tr], X[te], y[te]) for tr, te in kfold_indices(X.shape[0], cv, random_state)]
    per_split = []
    for X_tr, y_tr, X_te, y_te in splits:
        errs = []
        for v, lambdas in zip(values, grids):
            res = fit_path(X_tr, y_tr, float(v), lambdas, grid_kind=grid_kind, constant_columns="zero",
                           **options)
            errs.append((y_te[:, None] - res.predict(X_te)) ** 2)
        per_split.append(np.stack(errs))  # (A, n_te, L)
    if validation is not None:
        e = per_split[0]
        mean = e.mean(axis=1)
        se = e.std(axis=1, ddof=1) / np.sqrt(e.shape[1])
    else:
        fold_mse = np.stack([e.mean(axis=1) for e in per_split])  # (K, A, L)
        mean = fold_mse.mean(axis=0)
        se = fold_mse.std(axis=0, ddof=1) / np.sqrt(len(splits))
    idx_min, idx_1se = _select(mean, se, rule)
    return CVResult(grid_values=values, grid_kind=grid_kind, lambdas=grids, mse_mean=mean, mse_se=se,
                    best_index=idx_min if rule == "min" else idx_1se, rule=rule,
                    lambda_min=float(grids[idx_min]), lambda_1se=float(grids[idx_1se]),
                    time=time.perf_counter() - t0, n_folds=len(splits))

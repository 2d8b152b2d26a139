"""Model selection over the lambda path and a second parameter: K-fold CV (as cv.glmnet) or a validation set.

The second parameter is either ``l1_ratio`` (glmnet's alpha) or a fixed ``lambda2``
(Zou & Hastie's tuning). For each grid value the lambda grid is computed once on
the full training data and shared by every fold, so the curves line up.
"""

import time
from dataclasses import replace
from numbers import Integral

import numpy as np

from regbench.fitting._design import prepare
from regbench.fitting._validation import check_l1_ratio, check_lambdas, check_option, check_scalar, check_X, check_X_y
from regbench.fitting.results import CVResult
from regbench.fitting.ridge import ridge_path
from regbench.fitting.solver import default_grid, path, path_variants

RULES = ("min", "1se")


def kfold_indices(n, k, random_state=0):
    """Seeded K-fold split: a list of (train_idx, test_idx), deterministic for a given seed.

    ``random_state`` is an integer seed or a ``numpy.random.Generator`` (drawn from as is).
    The one K-fold splitter of the package: every K-fold split in regbench comes from here.
    """
    check_scalar(k, "cv", low=2, integer=True)
    if k > n:
        raise ValueError(f"cv={k} folds need at least {k} samples, got n_samples={n}")
    perm = np.random.default_rng(random_state).permutation(n)
    folds = np.array_split(perm, k)
    return [(np.sort(np.concatenate(folds[:i] + folds[i + 1:])), np.sort(folds[i])) for i in range(k)]


def resolve_folds(cv, X, y=None, groups=None, random_state=0):
    """The (train_idx, test_idx) pairs of a fold specification, checked.

    ``cv`` is any of:

    - an integer K: :func:`kfold_indices` seeded by ``random_state``;
    - a fold-id vector of length n_samples (glmnet's ``foldid``): any integer labels,
      e.g. 1..K, the rows sharing a label form one test fold;
    - a scikit-learn style splitter, i.e. any object with ``split(X, y[, groups])``
      (``KFold``, ``GroupKFold`` with ``groups``, ...); scikit-learn is not imported;
    - an iterable of (train_idx, test_idx) pairs (integer indices or boolean masks).

    Every fold must hold at least 1 test row and leave at least 2 training rows, and
    there must be at least 2 folds (the standard error divides by K - 1).
    """
    n = X.shape[0]
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        return _check_splits(kfold_indices(n, int(cv), random_state), n, f"cv={cv}")
    if isinstance(cv, (bool, str, float)) or cv is None:
        raise ValueError(
            "cv must be an integer K >= 2, a fold-id vector of length n_samples, a splitter with "
            f"split(X, y, groups) or an iterable of (train_idx, test_idx) pairs; got {cv!r}")
    if callable(getattr(cv, "split", None)):
        splits = cv.split(X, y) if groups is None else cv.split(X, y, groups)
        return _check_splits(list(splits), n, f"cv={type(cv).__name__}")
    foldid = _as_foldid(cv)
    if foldid is not None:
        return _check_splits(_foldid_splits(foldid, n), n, "cv (fold ids)")
    return _check_splits(list(cv), n, "cv (train/test pairs)")


def _as_foldid(cv):
    """A 1-D integer array if ``cv`` is a vector of fold labels, else None (pairs)."""
    if isinstance(cv, np.ndarray) or hasattr(cv, "__array__"):
        arr = np.asarray(cv)
    elif isinstance(cv, (list, tuple)) and all(np.isscalar(v) or getattr(v, "ndim", None) == 0 for v in cv):
        arr = np.asarray(cv)
    else:
        return None
    if arr.ndim != 1:
        if arr.ndim == 2 and arr.shape[1] == 2:
            return None  # an array of (train, test) pairs
        raise ValueError(f"cv as fold ids must be a 1-D vector of length n_samples, got shape {arr.shape}")
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"cv as fold ids must hold integer fold labels (e.g. 1..K), got dtype {arr.dtype}")
    return arr


def _foldid_splits(foldid, n):
    if foldid.shape[0] != n:
        raise ValueError(
            f"cv (fold ids) must have one entry per row of X: expected length n_samples={n}, "
            f"got {foldid.shape[0]}")
    rows = np.arange(n)
    return [(rows[foldid != label], rows[foldid == label]) for label in np.unique(foldid)]


def _check_splits(splits, n, source):
    """Integer index arrays for every (train, test) pair; refuse folds too small to fit or to score."""
    K = len(splits)
    if K < 2:
        raise ValueError(f"{source} gives {K} fold(s) on n_samples={n}; cross-validation needs at least 2 "
                         "(or pass validation=(X_val, y_val) for a single held-out set)")
    out = []
    for i, pair in enumerate(splits):
        where = f"{source}: fold {i + 1} of {K}"
        try:
            train, test = pair
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where} is not a (train_idx, test_idx) pair") from exc
        train, test = _as_index(train, n, where, "train"), _as_index(test, n, where, "test")
        if test.size < 1:
            raise ValueError(f"{where} has no test rows (n_samples={n}); every fold needs at least 1")
        if train.size < 2:
            raise ValueError(
                f"{where} leaves {train.size} training row(s) of n_samples={n}; at least 2 are needed to fit: "
                "use fewer folds or more rows")
        out.append((train, test))
    return out


def _as_index(idx, n, where, which):
    idx = np.asarray(idx)
    if idx.dtype.kind == "b":
        if idx.shape != (n,):
            raise ValueError(f"{where}: {which} mask has shape {idx.shape}, expected ({n},)")
        return np.flatnonzero(idx)
    if idx.size == 0:
        return idx.astype(np.intp).ravel()
    if idx.ndim != 1 or idx.dtype.kind not in "iu":
        raise ValueError(f"{where}: {which} indices must be a 1-D integer array, got "
                         f"shape {idx.shape} and dtype {idx.dtype}")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"{where}: {which} indices must lie in 0..{n - 1} (n_samples={n}), got "
                         f"range {idx.min()}..{idx.max()}")
    return idx.astype(np.intp)


def cv_statistics(fold_mse, fold_sizes):
    """cv.glmnet's curve and standard error from per-fold mean squared errors.

    ``fold_mse`` has the folds on its first axis, ``fold_sizes`` the number of test
    rows n_k of each fold. With N = sum n_k:
    cvm = sum_k n_k mse_k / N and cvsd = sqrt( sum_k n_k (mse_k - cvm)^2 / N / (K - 1) )
    (glmnet's ``cvstats`` for ``grouped=TRUE``). With equal folds this is the mean and
    std(ddof=1) / sqrt(K).
    """
    w = np.asarray(fold_sizes, dtype=np.float64)
    w = w.reshape((-1,) + (1,) * (fold_mse.ndim - 1)) / w.sum()
    mean = np.sum(w * fold_mse, axis=0)
    var = np.sum(w * (fold_mse - mean) ** 2, axis=0)
    return mean, np.sqrt(var / (fold_mse.shape[0] - 1))


def fit_path(X, y, value, lambdas, *, grid_kind="l1_ratio", **options):
    """The path at one value of the second parameter; ridge (l1_ratio = 0) goes through one SVD."""
    if grid_kind == "l1_ratio" and value == 0.0 and options.get("variant") != "corrected":
        return ridge_path(X, y, lambdas=lambdas, fit_intercept=options.get("fit_intercept", True),
                          standardize=options.get("standardize", False),
                          constant_columns=options.get("constant_columns", "raise"))
    if grid_kind == "lambda2":
        return path(X, y, lambda2=value, lambdas=lambdas, **options)
    return path(X, y, l1_ratio=value, lambdas=lambdas, **options)


def fit_path_variants(X, y, value, lambdas, variants, *, grid_kind="l1_ratio", **options):
    """{variant: :func:`fit_path`} for each of ``variants``, from one naive solve where the solver is shared
    (the coordinate-descent path; ridge by the SVD serves only the naive variant, so then each is fitted alone)."""
    if grid_kind == "l1_ratio" and value == 0.0:
        return {v: fit_path(X, y, value, lambdas, grid_kind=grid_kind, variant=v, **options) for v in variants}
    second = {"lambda2": value} if grid_kind == "lambda2" else {"l1_ratio": value}
    return path_variants(X, y, tuple(variants), lambdas=lambdas, **second, **options)


def _grids(X, y, values, grid_kind, n_lambdas, eps, fit_intercept, standardize, lambdas=None):
    if lambdas is not None:
        return np.tile(check_lambdas(lambdas), (len(values), 1))
    design = prepare(X, y, fit_intercept=fit_intercept, standardize=standardize, gram=False)
    return np.array([default_grid(design, 1.0 if grid_kind == "lambda2" else v, n_lambdas, eps) for v in values])


def _cut_grids(X, y, values, grids, grid_kind, options):
    """glmnet's early stop for CV (as cv.glmnet): solve each value's path on all of (X, y) with
    ``early_stop=True`` and keep the grids' first k lambdas, k the longest of those paths (one
    shape for every value); the folds then solve exactly those lambdas. Ridge by the SVD is
    not cut (its whole path costs one decomposition)."""
    keep = 1
    for v, lambdas in zip(values, grids):
        if grid_kind == "l1_ratio" and v == 0.0 and options.get("variant") != "corrected":
            return grids
        res = fit_path(X, y, float(v), lambdas, grid_kind=grid_kind, early_stop=True, **options)
        keep = max(keep, res.lambdas.size)
    return grids[:, :keep]


def _select(mean, se, rule):
    a, k = np.unravel_index(np.argmin(mean), mean.shape)
    within = np.flatnonzero(mean[a] <= mean[a, k] + se[a, k])
    k1se = int(within[0])  # lambdas decrease, so the first index is the largest lambda
    return (int(a), int(k)), (int(a), k1se)


def cross_validate(X, y, *, l1_ratios=(1.0,), lambda2s=None, cv=5, validation=None, rule="min",
                   random_state=0, variant="naive", standardize=False, fit_intercept=True, n_lambdas=100,
                   eps=None, lambdas=None, groups=None, tol=1e-7, max_iter=10_000, early_stop=False,
                   variants=None):
    """Tune lambda (and l1_ratio or lambda2) by K-fold CV or on a held-out validation set, as cv.glmnet.

    Parameters
    ----------
    cv : int, fold-id vector, splitter or iterable of (train_idx, test_idx), default=5
        An integer K (seeded by ``random_state``), glmnet's ``foldid`` (one integer
        label per row, e.g. 1..K), any object with ``split(X, y[, groups])`` such as
        scikit-learn's ``KFold`` or ``GroupKFold``, or explicit index pairs; see
        :func:`resolve_folds`. Ignored when ``validation`` is given.
    lambdas : array-like, default=None
        An explicit lambda grid shared by every grid value (sorted decreasing on use:
        ``CVResult.lambdas`` gives the order of ``mse_mean``); overrides ``n_lambdas`` and ``eps``.
    groups : array-like of shape (n_samples,), default=None
        Passed to ``cv.split`` (GroupKFold and other group splitters).
    early_stop : bool, default=False
        Cut the lambda grids where glmnet's early path stop (see :func:`regbench.path`)
        fires on the full training data, as cv.glmnet does: every grid keeps its first
        k lambdas, k the longest stopped path over the grid values (``lambdas``,
        ``mse_mean``, ``mse_se`` and ``fold_mse`` have k columns), and the folds solve
        exactly those. No grid is cut when a value is fitted by the ridge path
        (l1_ratio 0). The full-data paths count in ``time``.
    variants : sequence of {"naive", "corrected"}, default=None
        Tune several variants from the same fold paths and return {variant: CVResult}
        (``variant`` is then ignored). The corrected fit is (1 + lambda2) times the naive
        one, so one naive solve per fold and grid value serves both: each result equals
        ``cross_validate(..., variant=v)``, and its ``time`` is what tuning it alone costs
        (the shared solves plus its own scoring, not the other variants' scoring).

    The error is the mean squared prediction error. With K folds of n_k test rows
    (N = sum n_k), ``mse_mean`` is cv.glmnet's ``cvm`` = sum_k n_k mse_k / N and ``mse_se``
    its ``cvsd`` = sqrt( sum_k n_k (mse_k - cvm)^2 / N / (K - 1) ) (see :func:`cv_statistics`);
    ``lambda_min`` is the (largest) lambda of smallest ``mse_mean``, ``lambda_1se`` the largest
    lambda with ``mse_mean <= mse_mean[min] + mse_se[min]``. With ``validation=(X_val, y_val)``
    the error is the mean over validation rows and ``mse_se`` the standard error of that mean.
    A column that is constant within a training fold (but not in X) gets a zero
    coefficient in that fold, as in cv.glmnet.
    """
    X, y = check_X_y(X, y)
    check_option(rule, "rule", RULES)
    check_scalar(n_lambdas, "n_lambdas", low=1, integer=True)
    if eps is not None:  # the solver's own check (path(eps=...)), so both refuse with the same message
        check_scalar(eps, "eps", low=0.0, high=1.0, low_open=True)
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
    if variants is None:
        variants_ = (variant,)
    else:
        variants_ = tuple(variants)
        if not variants_:
            raise ValueError("variants must name at least one variant, got an empty sequence")
        for v in variants_:
            check_option(v, "variants", ("naive", "corrected"))
    if not isinstance(early_stop, (bool, np.bool_)):
        raise ValueError(f"early_stop must be True or False, got {early_stop!r}")
    t0 = time.perf_counter()
    grids = _grids(X, y, values, grid_kind, n_lambdas, eps, fit_intercept, standardize, lambdas)
    options = dict(standardize=standardize, fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
    if early_stop:
        cut = {v: _cut_grids(X, y, values, grids, grid_kind, dict(options, variant=v)) for v in variants_}
        if len({c.shape for c in cut.values()}) > 1:  # a ridge value: its variants' grids differ, tune each alone
            second = {"lambda2s" if grid_kind == "lambda2" else "l1_ratios": values}
            return {v: cross_validate(X, y, **second, cv=cv, validation=validation, rule=rule,
                                      random_state=random_state, variant=v, n_lambdas=n_lambdas, eps=eps,
                                      lambdas=lambdas, groups=groups, early_stop=True, **options)
                    for v in variants_}
        grids = cut[variants_[0]]
    if validation is not None:
        X_val, y_val = validation
        X_val = check_X(X_val, n_features=X.shape[1], name="the validation set")
        y_val = np.asarray(y_val, dtype=np.float64).ravel()
        if y_val.shape[0] != X_val.shape[0] or y_val.shape[0] < 2:
            raise ValueError("validation needs X_val and y_val with the same number (>= 2) of rows")
        splits = [(X, y, X_val, y_val)]
    else:
        folds = resolve_folds(cv, X, y, groups=groups, random_state=random_state)
        splits = [(X[tr], y[tr], X[te], y[te]) for tr, te in folds]
    # One solve per (fold, grid value) serves every variant; each variant's scoring is timed apart, so its
    # recorded time is what tuning it alone costs (the shared solves plus its own scoring).
    per_split = {v: [] for v in variants_}
    scoring = dict.fromkeys(variants_, 0.0)
    for X_tr, y_tr, X_te, y_te in splits:
        errs = {v: [] for v in variants_}
        for value, grid in zip(values, grids):
            if grid_kind == "l1_ratio" and value == 0.0:  # ridge by the SVD serves the naive variant only
                for v in variants_:
                    t1 = time.perf_counter()
                    fit = fit_path(X_tr, y_tr, 0.0, grid, variant=v, constant_columns="zero", **options)
                    errs[v].append((y_te[:, None] - fit.predict(X_te)) ** 2)
                    scoring[v] += time.perf_counter() - t1  # its own solve: not in the other variants' time
                continue
            fits = fit_path_variants(X_tr, y_tr, float(value), grid, variants_, grid_kind=grid_kind,
                                     constant_columns="zero", **options)
            for v in variants_:
                t1 = time.perf_counter()
                errs[v].append((y_te[:, None] - fits[v].predict(X_te)) ** 2)
                scoring[v] += time.perf_counter() - t1
        for v in variants_:
            per_split[v].append(np.stack(errs[v]))  # (A, n_te, L)
    elapsed = time.perf_counter() - t0
    out = {}
    for v in variants_:
        t1 = time.perf_counter()
        out[v] = _curves(per_split[v], values, grid_kind, grids, rule, validation is not None)
        spent = elapsed + time.perf_counter() - t1 - sum(scoring[u] for u in variants_ if u != v)
        out[v] = replace(out[v], time=spent)
    return out if variants is not None else out[variant]


def _curves(per_split, values, grid_kind, grids, rule, validation):
    """The CVResult of one variant from its per-split squared errors, (A, n_te, L) each."""
    fold_sizes = np.array([e.shape[1] for e in per_split])
    fold_mse = np.stack([e.mean(axis=1) for e in per_split])  # (K, A, L)
    if validation:
        e = per_split[0]
        mean = e.mean(axis=1)
        se = e.std(axis=1, ddof=1) / np.sqrt(e.shape[1])
    else:
        mean, se = cv_statistics(fold_mse, fold_sizes)
    idx_min, idx_1se = _select(mean, se, rule)
    return CVResult(grid_values=values, grid_kind=grid_kind, lambdas=grids, mse_mean=mean, mse_se=se,
                    best_index=idx_min if rule == "min" else idx_1se, rule=rule,
                    lambda_min=float(grids[idx_min]), lambda_1se=float(grids[idx_1se]),
                    time=0.0, n_folds=len(per_split), fold_mse=fold_mse, fold_sizes=fold_sizes)

"""The evaluate step: metrics of one fit against its data set's truth and test rows, as one row of metrics.csv.

Every metric is a pure function of arrays returning a float (NaN where it is undefined, e.g. when the truth is
unknown). ``METRICS`` maps each metric column of ``metrics.csv`` to its function (the one list of metric names:
``METRIC_COLUMNS`` is built from it); ``evaluate_fit`` computes them all and ``evaluate`` makes the whole row.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "FIT_COLUMNS",
    "FIT_INPUT_KEYS",
    "METRICS",
    "METRIC_COLUMNS",
    "TIMING_COLUMNS",
    "evaluate",
    "evaluate_fit",
    "f1",
    "grouping_spread",
    "mean_se",
    "nnz",
    "pred_error",
    "precision",
    "recall",
    "rel_estimation_error",
    "sign_agreement",
    "test_mse",
    "test_mse_se",
]


def _predict(X, coef, intercept):
    return np.asarray(X @ coef).ravel() + intercept


def _known(coef_true) -> bool:
    return coef_true is not None and not np.isnan(np.asarray(coef_true, dtype=float)).any()


def test_mse(X_test, y_test, coef, intercept) -> float:
    """Mean squared error against the noisy test responses: mean((y - x'b_hat - b0_hat)^2)."""
    r = np.asarray(y_test) - _predict(X_test, coef, intercept)
    return float(np.mean(r**2))


def mean_se(values) -> tuple[float, float]:
    """The mean of per-row values (squared test errors, or their paired differences) and its standard error
    sd(ddof=1) / sqrt(n), the SE Zou & Hastie's Table 1 and the real-data report quote (NaN for one row)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    return float(v.mean()), (float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan"))


def test_mse_se(X_test, y_test, coef, intercept) -> tuple[float, float]:
    """The test MSE and its standard error over the test rows (:func:`mean_se` of the squared errors)."""
    return mean_se((np.asarray(y_test) - _predict(X_test, coef, intercept)) ** 2)


def pred_error(X_test, coef, intercept, coef_true, intercept_true=0.0) -> float:
    """Noise-free prediction error: mean over test rows of (x'b_hat + b0_hat - x'b - b0)^2."""
    if not _known(coef_true):
        return float("nan")
    d = _predict(X_test, np.asarray(coef) - coef_true, intercept - intercept_true)
    return float(np.mean(d**2))


def rel_estimation_error(coef, coef_true) -> float:
    """||b_hat - b||_2 / ||b||_2 (NaN if the truth is unknown or zero)."""
    if not _known(coef_true):
        return float("nan")
    norm = np.linalg.norm(coef_true)
    return float(np.linalg.norm(np.asarray(coef) - coef_true) / norm) if norm > 0 else float("nan")


def nnz(coef) -> float:
    """Number of exactly nonzero coefficients."""
    return float(np.count_nonzero(coef))


def _support_counts(coef, coef_true):
    est, true = np.asarray(coef) != 0, np.asarray(coef_true) != 0
    return int((est & true).sum()), int(est.sum()), int(true.sum())


def precision(coef, coef_true) -> float:
    """Fraction of selected variables that are truly nonzero (0 when nothing is selected, as scikit-learn)."""
    if not _known(coef_true):
        return float("nan")
    tp, n_est, _ = _support_counts(coef, coef_true)
    return tp / n_est if n_est else 0.0


def recall(coef, coef_true) -> float:
    """Fraction of truly nonzero variables that are selected (NaN when the truth has no nonzero)."""
    if not _known(coef_true):
        return float("nan")
    tp, _, n_true = _support_counts(coef, coef_true)
    return tp / n_true if n_true else float("nan")


def f1(coef, coef_true) -> float:
    """Harmonic mean of support precision and recall (0 when either is 0)."""
    pr, rc = precision(coef, coef_true), recall(coef, coef_true)
    if np.isnan(pr) or np.isnan(rc):
        return float("nan")
    return 2 * pr * rc / (pr + rc) if pr + rc > 0 else 0.0


def sign_agreement(coef, coef_true) -> float:
    """Fraction of all p coefficients whose sign (-1, 0, +1) matches the truth's."""
    if not _known(coef_true):
        return float("nan")
    return float(np.mean(np.sign(coef) == np.sign(coef_true)))


def grouping_spread(coef, groups) -> float:
    """Spread of the coefficients within correlated groups: the mean over groups of std(b_g) / mean(|b_g|).

    0 when every variable of a group gets the same coefficient (the elastic net's grouping effect); large when one
    variable takes the whole group's weight (the lasso: one of m equal-weight variables gives sqrt(m - 1)). Groups
    whose coefficients are all zero are skipped; NaN when there are no groups (``groups`` is -1 everywhere) or every
    group is all zero.
    """
    groups = np.asarray(groups)
    coef = np.asarray(coef, dtype=float)
    spreads = []
    for g in np.unique(groups[groups >= 0]):
        b = coef[groups == g]
        scale = np.mean(np.abs(b))
        if scale > 0:
            spreads.append(np.std(b) / scale)
    return float(np.mean(spreads)) if spreads else float("nan")


#: metric column -> function(ds, coef, intercept) (ds: a regbench.data.dataset.Dataset or anything with its fields)
METRICS = {
    "test_mse": lambda ds, b, b0: test_mse(ds.X_test, ds.y_test, b, b0),
    "pred_error": lambda ds, b, b0: pred_error(ds.X_test, b, b0, ds.coef_true, ds.intercept_true),
    "rel_estimation_error": lambda ds, b, b0: rel_estimation_error(b, ds.coef_true),
    "nnz": lambda ds, b, b0: nnz(b),
    "precision": lambda ds, b, b0: precision(b, ds.coef_true),
    "recall": lambda ds, b, b0: recall(b, ds.coef_true),
    "f1": lambda ds, b, b0: f1(b, ds.coef_true),
    "sign_agreement": lambda ds, b, b0: sign_agreement(b, ds.coef_true),
    "grouping_spread": lambda ds, b, b0: grouping_spread(b, ds.groups),
}


def evaluate_fit(ds, coef, intercept) -> dict:
    """All ``METRICS`` of one fitted coefficient vector, in column order."""
    return {name: fn(ds, np.asarray(coef, dtype=float), float(intercept)) for name, fn in METRICS.items()}


#: columns of metrics.csv that describe the row, then the metrics, then what the fit reports about itself
ID_COLUMNS = ["study", "scenario", "replicate", "method", "n_train", "n_val", "n_test", "p"]
FIT_COLUMNS = ["alpha", "l1_ratio", "lambda1", "lambda2", "fit_time", "tune_time", "path_time", "converged", "gap",
               "cv_error"]  # cv_error: the tuning error (CV or validation MSE) at the chosen hyperparameters
METRIC_COLUMNS = ID_COLUMNS + list(METRICS) + FIT_COLUMNS
#: the keys of a fit's .npz that :func:`evaluate` reads (a stored fit lacking one is damaged)
FIT_INPUT_KEYS = ["scenario", "replicate", "method", "coef", "intercept",
                  *(c for c in FIT_COLUMNS if c != "cv_error"), "cv_mean", "chosen_index", "warnings"]
#: per-row columns that are timings (they differ between otherwise identical runs)
TIMING_COLUMNS = ["fit_time", "tune_time", "path_time"]


def evaluate(ds, fit: dict, *, study: str) -> dict:
    """One metrics.csv row (``METRIC_COLUMNS``) for a stored fit of a data set."""
    row = {
        "study": study, "scenario": ds.scenario, "replicate": int(ds.replicate), "method": str(fit["method"]),
        "n_train": ds.n_train, "n_val": ds.n_val, "n_test": ds.n_test, "p": ds.p,
    }
    row.update(evaluate_fit(ds, fit["coef"], fit["intercept"]))
    for col in FIT_COLUMNS:
        if col == "cv_error":  # ols is not tuned: no tuning error
            cv_mean = np.asarray(fit["cv_mean"], dtype=float)
            row[col] = float(cv_mean[int(fit["chosen_index"])]) if cv_mean.size else float("nan")
        else:
            row[col] = bool(fit[col]) if col == "converged" else float(fit[col])
    return {c: row[c] for c in METRIC_COLUMNS}

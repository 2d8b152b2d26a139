"""Published results refitted at their own tuning values (``evaluate.references``: which rows, which tuning).

:func:`reference_fit` fits the scenario's first replicate there with ``fitting.zou_hastie.fit_lambda2_s`` (its
fitting rows: training plus validation rows, the columns standardized as the paper's are) and scores it on the
test rows with the study's own test-MSE standard error (``metrics.mean_se``). :func:`reference_fits` makes the
table ``results/<study>/reference_fits.csv`` (the ``reference_fits`` rule) that the report sets beside the
published value and the study's CV-tuned fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.metrics import test_mse_se
from regbench.evaluate.references import paper_tuning, refitted
from regbench.fitting.zou_hastie import fit_lambda2_s

__all__ = ["COLUMNS", "reference_fit", "reference_fits"]

#: the columns of reference_fits.csv
COLUMNS = ["scenario", "method", "replicate", "lambda2", "s", "lambda", "variant", "lambda1", "s_achieved",
           "test_mse", "test_mse_se", "n_selected", "selected"]


def _check_variables(ref: dict, names) -> None:
    """A reference's ``variables`` given by name must name columns of its scenario's data."""
    listed = ref.get("variables")
    if not isinstance(listed, list) or names is None:
        return
    unknown = [v for v in listed if isinstance(v, str) and v not in names]
    if unknown:
        raise ValueError(f"references (scenario: {ref['scenario']}, method: {ref['method']}).variables: expected "
                         f"column names of the scenario's data {list(names)}, got {unknown}")


def reference_fit(ds, ref: dict, names=None) -> dict:
    """One row of reference_fits.csv: the fit of data set ``ds`` at the reference's tuning, scored on its test rows.

    ``names`` are the predictors' names (default x1, x2, ...). The lasso, ridge and OLS rows are the naive elastic
    net at lambda2 = 0, s; at lambda2 = lambda, s = 1; and at lambda2 = 0, s = 1 (least squares).
    """
    lambda2, s, variant = paper_tuning(ref)
    X = np.vstack([np.asarray(ds.X_train), np.asarray(ds.X_val)]) if ds.n_val else np.asarray(ds.X_train)
    y = np.concatenate([ds.y_train, ds.y_val]) if ds.n_val else np.asarray(ds.y_train)
    fit = fit_lambda2_s(X, y, lambda2, s, variant=variant)
    mse, se = test_mse_se(ds.X_test, ds.y_test, fit.coef, fit.intercept)
    names = list(names) if names is not None and len(names) == fit.coef.size else [f"x{j + 1}" for j in
                                                                                      range(fit.coef.size)]
    return {"scenario": ref["scenario"], "method": ref["method"], "replicate": int(ds.replicate),
            "lambda2": lambda2 if ref["method"] not in ("ols", "ridge") else np.nan,
            "s": float(ref["s"]) if "s" in ref else np.nan,
            "lambda": float(ref["lambda"]) if "lambda" in ref else np.nan, "variant": variant,
            "lambda1": fit.lambda1, "s_achieved": fit.s, "test_mse": mse, "test_mse_se": se,
            "n_selected": int(fit.selected.size), "selected": " ".join(names[j] for j in fit.selected)}


def reference_fits(references, datasets: dict, names: dict | None = None) -> pd.DataFrame:
    """reference_fits.csv: one row per refitted reference (:func:`refitted`), in the config's order.

    ``datasets`` maps each referenced scenario to its first replicate's ``Dataset``; ``names`` maps a scenario to
    its predictors' names (real data).
    """
    rows = []
    for ref in refitted(references):
        if ref["scenario"] not in datasets:
            raise ValueError(f"reference_fits: no data set given for scenario {ref['scenario']!r} "
                             f"(given: {sorted(datasets)})")
        scenario_names = (names or {}).get(ref["scenario"])
        _check_variables(ref, scenario_names)
        rows.append(reference_fit(datasets[ref["scenario"]], ref, scenario_names))
    return pd.DataFrame(rows, columns=COLUMNS)

"""Zou & Hastie's double shrinkage, tested where it lives: the naive and the corrected elastic net refitted on the
same data at the same (lambda1, lambda2), through the shared solver.

The naive elastic net applies the ridge shrinkage on top of the lasso's; the corrected one undoes it by the factor
(1 + lambda2) on standardized predictors. At fixed (lambda1, lambda2) the two differ only by that factor, so the
question the mechanism answers is whether the extra shrinkage costs prediction accuracy (Zou & Hastie 2005, sec. 3).
The (lambda1, lambda2) used are those the corrected elastic net chose on that replicate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regbench.data.io import load_dataset
from regbench.evaluate.metrics import pred_error
from regbench.fitting.solver import path
from regbench.report.study import Study

__all__ = ["SHRINKAGE_COLUMNS", "double_shrinkage", "refit_pair", "shrinkage_summary"]

SHRINKAGE_COLUMNS = ["scenario", "replicate", "lambda1", "lambda2", "factor", "rescale_error", "l1_naive",
                     "l1_corrected", "l1_true", "pred_error_naive", "pred_error_corrected"]


def refit_pair(ds, lambda1: float, lambda2: float, *, tol: float = 1e-7) -> dict:
    """The naive and corrected elastic net on ``ds``'s training rows at one (lambda1, lambda2) (standardized).

    ``factor`` is the measured ratio ||w_corrected||_1 / ||w_naive||_1 (1 + lambda2 in the standardized
    coordinates); ``rescale_error`` the largest gap between corrected and factor * naive, relative to
    max |corrected| (a solver check: 0 up to rounding).
    """
    fits = {v: path(ds.X_train, ds.y_train, lambda2=lambda2, lambdas=[lambda1], standardize=True, variant=v,
                    tol=tol) for v in ("naive", "corrected")}
    wn, wc = fits["naive"].coefs[:, 0], fits["corrected"].coefs[:, 0]
    bn, bc = float(fits["naive"].intercepts[0]), float(fits["corrected"].intercepts[0])
    l1n, l1c = float(np.abs(wn).sum()), float(np.abs(wc).sum())
    factor = l1c / l1n if l1n > 0 else float("nan")
    scale = max(float(np.abs(wc).max()), 1e-300)
    return dict(
        lambda1=float(lambda1), lambda2=float(lambda2), factor=factor,
        rescale_error=float(np.abs(wc - (1 + lambda2) * wn).max() / scale) if l1n > 0 else float("nan"),
        l1_naive=l1n, l1_corrected=l1c, l1_true=float(np.abs(ds.coef_true).sum()),
        pred_error_naive=pred_error(ds.X_test, wn, bn, ds.coef_true, ds.intercept_true),
        pred_error_corrected=pred_error(ds.X_test, wc, bc, ds.coef_true, ds.intercept_true),
    )


def double_shrinkage(study: Study, data_dir=None, *, tol: float = 1e-7) -> pd.DataFrame:
    """:func:`refit_pair` on every replicate with a known truth, at the corrected elastic net's chosen
    (lambda1, lambda2); ``data_dir`` defaults to the study's ``data/`` folder. Empty when no data set is stored
    or the study has no corrected elastic net."""
    data_dir = Path(data_dir) if data_dir is not None else study.fits_dir.parent / "data"
    m = study.metrics
    chosen = m[m["method"] == "enet_corrected"]
    rows = []
    for _, r in chosen.iterrows():
        f = data_dir / str(r["scenario"]) / f"{int(r['replicate'])}.npz"
        if not f.is_file() or not np.isfinite(r["pred_error"]) or r["lambda1"] <= 0:
            continue
        ds = load_dataset(f)
        rows.append(dict(scenario=r["scenario"], replicate=int(r["replicate"]),
                         **refit_pair(ds, float(r["lambda1"]), float(r["lambda2"]), tol=tol)))
    return pd.DataFrame(rows, columns=SHRINKAGE_COLUMNS)


def shrinkage_summary(shrink: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: replicates, median lambda2 and factor, and the geometric mean of the per-replicate ratio of the
    naive's prediction error over the corrected's (the numbers the double-shrinkage claim quotes)."""
    rows = []
    for scen, g in shrink.groupby("scenario", sort=False):
        r = np.log(g["pred_error_naive"].to_numpy(float) / g["pred_error_corrected"].to_numpy(float))
        rows.append({"scenario": scen, "replicates": len(g), "lambda2 (median)": round(g["lambda2"].median(), 4),
                     "factor 1 + lambda2 (median)": round(g["factor"].median(), 4),
                     "prediction error naive / corrected": round(float(np.exp(r.mean())), 3)})
    return pd.DataFrame(rows)

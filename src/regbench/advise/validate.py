"""Question 2 of the article, room for validation: a quick cross-validated comparison that tests the advice.

:func:`validate_advice` compares every registered method by outer K-fold CV (each penalized one tuned by inner CV)
and says whether a recommendation held.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from regbench.evaluate.methods import METHOD_NAMES, category_of
from regbench.fitting.cv import kfold_indices
from regbench.fitting.estimators import ElasticNetCV, LassoCV, RidgeCV
from regbench.fitting.ridge import ols

__all__ = ["ENET_L1_RATIOS", "Validation", "validate_advice"]

#: the elastic net's second tuning parameter, as the pipeline and ElasticNetCV use it
ENET_L1_RATIOS = (0.1, 0.5, 0.7, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class Validation:
    """Question 2: outer K-fold CV of each method (tuned by inner CV), and whether the advice held."""

    mse: dict                       # method -> mean outer-fold test MSE
    se: dict                        # method -> its standard error over folds
    winner: str                     # method with the lowest mean
    winner_category: str
    held: bool                      # the advised category's best method is within one SE of the winner
    folds: int
    seconds: float


def validate_advice(X, y, recommendation: str, *, cv=5, inner_cv=5, max_rows=2000, random_state=0) -> Validation:
    """Outer ``cv``-fold comparison of OLS, lasso, ridge and naive/corrected elastic net, each tuned by inner CV.

    The recommendation held when the best method of its category (either elastic-net variant counts for "elastic
    net") has a mean outer-fold MSE within one standard error (of the winner, over folds) of the winner's.
    """
    t0 = time.perf_counter()
    X = X.tocsr() if sp.issparse(X) else np.asarray(X, dtype=np.float64)  # sparse stays sparse
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    rng = np.random.default_rng(random_state)
    if n > max_rows:
        rows = np.sort(rng.choice(n, max_rows, replace=False))
        X, y, n = X[rows], y[rows], max_rows
    if sp.issparse(X):
        X = X.tocsc()
    k = int(cv)
    if not 2 <= k <= n:  # never capped silently: the folds asked for are the folds run
        raise ValueError(f"cv={cv}: the validation needs 2 <= cv <= n folds, n = {n} rows"
                         f"{f' (a random subsample of max_rows={max_rows})' if n == max_rows else ''}")
    errs = {m: [] for m in METHOD_NAMES}
    for train, test in kfold_indices(n, k, random_state=rng.integers(2**32)):
        for m in METHOD_NAMES:
            pred = _fit_predict(m, X[train], y[train], X[test], inner_cv, random_state)
            errs[m].append(float(np.mean((y[test] - pred) ** 2)))
    mse = {m: float(np.mean(e)) for m, e in errs.items()}
    se = {m: float(np.std(e, ddof=1) / np.sqrt(k)) for m, e in errs.items()}
    winner = min(mse, key=mse.get)
    mine = [m for m in METHOD_NAMES if category_of(m) == recommendation]
    best_mine = min(mse[m] for m in mine)
    held = bool(best_mine <= mse[winner] + se[winner])
    return Validation(mse=mse, se=se, winner=winner, winner_category=category_of(winner), held=held,
                      folds=k, seconds=time.perf_counter() - t0)


def _fit_predict(method, Xtr, ytr, Xte, inner_cv, random_state):
    if method == "ols":  # minimum-norm least squares when p >= n
        coef, intercept = ols(Xtr, ytr)
        return intercept + np.asarray(Xte @ coef).ravel()
    inner = int(min(inner_cv, len(ytr)))
    if method == "ridge":
        est = RidgeCV(cv=inner, standardize=True, eps=1e-6)  # the default grid stops too high for ridge
    elif method == "lasso":
        est = LassoCV(cv=inner, standardize=True, random_state=random_state)
    else:
        variant = "naive" if method == "enet_naive" else "corrected"
        est = ElasticNetCV(l1_ratio=list(ENET_L1_RATIOS), cv=inner, standardize=True, variant=variant,
                                    random_state=random_state)
    est.fit(Xtr, ytr)
    return est.predict(Xte)


"""The article's advice, tested: question 2 (a quick cross-validated comparison) and the study-level check.

:func:`validate_advice` compares OLS, lasso, ridge and naive/corrected elastic net by outer K-fold CV (each tuned by
inner CV) and says whether a recommendation held. :func:`advise_dataset` is the pipeline's per-scenario advice (the
``advise_study`` rule writes ``results/<study>/advice.csv``), and :func:`agreement_table` sets that advice against
each scenario's empirical winner for the report. The method <-> category maps live here so both sides share them;
``regbench.advise`` re-exports everything public.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["CATEGORIES", "CATEGORY_OF_METHOD", "METHOD_OF_CATEGORY", "ENET_L1_RATIOS", "VALIDATION_METHODS",
           "Validation", "validate_advice", "advise_dataset", "agreement_table", "agreement_for_study"]

#: the four answers the article allows, and the pipeline methods that stand for them
CATEGORIES = ("none", "L1", "L2", "elastic net")
CATEGORY_OF_METHOD = {"ols": "none", "lasso": "L1", "ridge": "L2", "enet_naive": "elastic net",
                      "enet_corrected": "elastic net"}
METHOD_OF_CATEGORY = {"none": "ols", "L1": "lasso", "L2": "ridge", "elastic net": "enet"}

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


# ----------------------------------------------------------------------------------------------- question 2
VALIDATION_METHODS = ("ols", "lasso", "ridge", "enet_naive", "enet_corrected")


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
    k = int(min(cv, n))
    if k < 2:
        raise ValueError(f"validation needs at least 2 rows per fold; got n = {n}")
    folds = np.array_split(rng.permutation(n), k)
    errs = {m: [] for m in VALIDATION_METHODS}
    for f in range(k):
        test = folds[f]
        train = np.concatenate([folds[g] for g in range(k) if g != f])
        for m in VALIDATION_METHODS:
            pred = _fit_predict(m, X[train], y[train], X[test], inner_cv, random_state)
            errs[m].append(float(np.mean((y[test] - pred) ** 2)))
    mse = {m: float(np.mean(e)) for m, e in errs.items()}
    se = {m: float(np.std(e, ddof=1) / np.sqrt(k)) for m, e in errs.items()}
    winner = min(mse, key=mse.get)
    mine = [m for m in VALIDATION_METHODS if CATEGORY_OF_METHOD[m] == recommendation]
    best_mine = min(mse[m] for m in mine)
    held = bool(best_mine <= mse[winner] + se[winner])
    return Validation(mse=mse, se=se, winner=winner, winner_category=CATEGORY_OF_METHOD[winner], held=held,
                      folds=k, seconds=time.perf_counter() - t0)


def _fit_predict(method, Xtr, ytr, Xte, inner_cv, random_state):
    import regbench
    if method == "ols":  # minimum-norm least squares when p >= n
        if sp.issparse(Xtr):
            from scipy.sparse.linalg import lsqr
            A = sp.hstack([sp.csc_matrix(np.ones((len(ytr), 1))), Xtr]).tocsr()
            coef = lsqr(A, ytr, atol=1e-10, btol=1e-10)[0]
        else:
            coef = np.linalg.lstsq(np.column_stack([np.ones(len(ytr)), Xtr]), ytr, rcond=None)[0]
        return coef[0] + np.asarray(Xte @ coef[1:]).ravel()
    inner = int(min(inner_cv, len(ytr)))
    if method == "ridge":
        est = regbench.RidgeCV(cv=inner, standardize=True, eps=1e-6)  # the default grid stops too high for ridge
    elif method == "lasso":
        est = regbench.LassoCV(cv=inner, standardize=True, random_state=random_state)
    else:
        variant = "naive" if method == "enet_naive" else "corrected"
        est = regbench.ElasticNetCV(l1_ratio=list(ENET_L1_RATIOS), cv=inner, standardize=True, variant=variant,
                                    random_state=random_state)
    est.fit(Xtr, ytr)
    return est.predict(Xte)


# ----------------------------------------------------------------------------------------------- the pipeline
def advise_dataset(ds, *, measure=True, random_state=0) -> dict:
    """The advice for one pipeline data set (its training rows, as the methods see them) as a flat record."""
    names = (ds.meta or {}).get("feature_names") if hasattr(ds, "meta") else None
    from regbench.advise import advise

    adv = advise(ds.X_train, ds.y_train, feature_names=names, measure=measure, random_state=random_state)
    return {"scenario": ds.scenario, "replicate": int(ds.replicate), **adv.as_record()}


def agreement_table(advice, summary):
    """Advised method against the empirical winner, per scenario, and the agreement rate.

    ``advice``: advice.csv (scenario, advised, ...) or its path; ``summary``: summary.csv or its path. The winner
    is the method with the lowest median ``pred_error`` (``test_mse`` where the truth is unknown). ``agree``: the
    winner belongs to the advised category (ols = none, lasso = L1, ridge = L2, either elastic net = elastic net);
    ``held``: the advised category's best method is within one bootstrap SE of the winner's median. Returns a
    DataFrame whose ``attrs["caption"]`` states both rates.
    """
    import pandas as pd

    advice = pd.read_csv(advice) if not isinstance(advice, pd.DataFrame) else advice
    summary = pd.read_csv(summary) if not isinstance(summary, pd.DataFrame) else summary
    rows = []
    for _, a in advice.drop_duplicates("scenario").iterrows():
        s = summary[summary["scenario"] == a["scenario"]]
        if s.empty:
            continue
        metric = "pred_error" if s["pred_error_median"].notna().all() else "test_mse"
        med, se = s[f"{metric}_median"].to_numpy(float), s[f"{metric}_se"].to_numpy(float)
        methods = s["method"].tolist()
        w = int(np.nanargmin(med))
        mine = [i for i, m in enumerate(methods) if CATEGORY_OF_METHOD.get(m) == a["advised"]]
        best_mine = min((med[i] for i in mine), default=np.nan)
        rows.append({"scenario": a["scenario"], "advised": a["advised"], "winner": methods[w],
                     "winner_category": CATEGORY_OF_METHOD.get(methods[w], "?"), "metric": metric,
                     "winner_median": med[w], "advised_best_median": best_mine,
                     "agree": CATEGORY_OF_METHOD.get(methods[w]) == a["advised"],
                     "held": bool(best_mine <= med[w] + se[w]) if mine and np.isfinite(se[w]) else np.nan,
                     "reasons": a.get("reasons", "")})
    table = pd.DataFrame(rows)
    if table.empty:
        table.attrs["caption"] = "No scenario has both advice and results."
        return table
    rate = float(table["agree"].mean())
    held = float(pd.to_numeric(table["held"], errors="coerce").mean())
    held_text = (f"; the advised category was within one bootstrap SE of the winner in {held:.0%} of those with an "
                 "SE" if np.isfinite(held) else " (one replicate: no bootstrap SE to judge closeness)")
    table.attrs["caption"] = (f"The article's advice picked the empirical winner's category in {table['agree'].sum()} "
                              f"of {len(table)} scenarios (agreement rate {rate:.0%}){held_text}.")
    table.attrs["agreement_rate"] = rate
    return table


def agreement_for_study(results_dir):
    """:func:`agreement_table` of ``results_dir``'s advice.csv and summary.csv (an explanatory empty table when the
    study has no advice.csv), with the reasons column left out for display."""
    import pandas as pd
    from pathlib import Path

    results_dir = Path(results_dir)
    advice, summary = results_dir / "advice.csv", results_dir / "summary.csv"
    if not advice.exists() or not summary.exists():
        table = pd.DataFrame(columns=["scenario", "advised", "winner", "winner_category", "agree", "held"])
        table.attrs["caption"] = f"No advice for this study ({advice.name} not found; the advise_study rule makes it)."
        return table
    table = agreement_table(advice, summary)
    caption = table.attrs.get("caption", "")
    table = table.drop(columns=["reasons"], errors="ignore")
    for col in ("winner_median", "advised_best_median"):
        if col in table:
            table[col] = table[col].map(lambda v: float(f"{v:.4g}"))
    table.attrs["caption"] = caption
    return table

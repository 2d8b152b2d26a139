"""The report's tables, computed from a study's outputs (``regbench.report.study``): summaries, facts read from the
fits, the grouping effect, tuning cost, and the Zou & Hastie study in the paper's layout."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import METHOD_NAMES, ordered
from regbench.report.study import Study, load_fits, replicates

__all__ = ["PAPER_ROWS", "fit_table", "group_selection", "paper_table", "summary_table", "true_sizes", "tuning_cost"]


def summary_table(study: Study, metrics=("pred_error", "test_mse", "nnz", "f1"),
                  scenario: str | None = None) -> pd.DataFrame:
    """Median (bootstrap SE) of each metric, one row per scenario x method."""
    s = study.summary
    if scenario is not None:
        s = s[s["scenario"] == scenario]
    order = {m: i for i, m in enumerate(METHOD_NAMES)}
    scen_order = {n: i for i, n in enumerate(study.scenario_names)}
    s = s.assign(_s=s["scenario"].map(scen_order), _o=s["method"].map(order))
    s = s.sort_values(["_s", "_o"], kind="stable")
    out = pd.DataFrame({"scenario": s["scenario"], "method": s["method"]})
    for m in metrics:
        med, se = s[f"{m}_median"], s[f"{m}_se"]
        out[m] = [_fmt(a, b) for a, b in zip(med, se)]
    if "n_replicates" in s:
        out["replicates"] = s["n_replicates"].astype(int).to_numpy()
    return out.set_index(["scenario", "method"])


def _fmt(med, se) -> str:
    if not np.isfinite(med):
        return "n/a"
    m = f"{med:.0f}" if float(med).is_integer() else f"{med:.3g}"
    if not np.isfinite(se):
        return m
    # a bootstrap SE at rounding-noise level (all replicates equal) is 0
    return f"{m} (0)" if abs(se) <= 1e-9 * max(abs(med), 1.0) else f"{m} ({se:.2g})"


def fit_table(study: Study) -> pd.DataFrame:
    """Per scenario x replicate x method facts read from the fitted paths and coefficients."""
    rows = []
    for scen in study.scenario_names:
        for rep in replicates(study, scen):
            for method, f in load_fits(study, scen, rep).items():
                coef, truth, groups = f["coef"], f["coef_true"], f["groups"]
                coefs = f["coefs"]
                nnz_path = (coefs != 0).sum(axis=0) if coefs.size else np.array([np.nan])
                has_truth = bool(np.all(np.isfinite(truth))) and np.abs(truth).sum() > 0
                rows.append(dict(
                    scenario=scen, replicate=rep, method=method, p=coef.size,
                    path_max_nnz=float(np.max(nnz_path)), nnz=int((coef != 0).sum()),
                    min_abs_coef=float(np.min(np.abs(coef))) if coef.size else np.nan,
                    l1_ratio_to_truth=(np.abs(coef).sum() / np.abs(truth).sum()
                                       if has_truth else np.nan),
                    group_kept=_group_kept(coef, truth, groups),
                    true_nnz=float(np.sum(truth != 0)) if has_truth else np.nan,
                ))
    return pd.DataFrame(rows)


def true_sizes(fits: pd.DataFrame) -> dict:
    """Number of truly nonzero coefficients per scenario (from the fits' coef_true)."""
    return fits.dropna(subset=["true_nnz"]).groupby("scenario")["true_nnz"].median().to_dict()


def _group_kept(coef, truth, groups) -> float:
    """Mean, over the groups holding true signal, of the fraction of members selected."""
    fractions = [np.mean(coef[groups == g] != 0)
                 for g in np.unique(groups[groups >= 0])
                 if np.any(np.nan_to_num(truth[groups == g]) != 0)]
    return float(np.mean(fractions)) if fractions else np.nan


def group_selection(study: Study, fits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Grouping effect: per grouped scenario and method, the median share of a true group kept."""
    fits = fit_table(study) if fits is None else fits
    g = fits.dropna(subset=["group_kept"])
    if g.empty:
        return pd.DataFrame(columns=["scenario", "method", "share of group kept"])
    out = g.groupby(["scenario", "method"], sort=False)["group_kept"].median()
    out = out.rename("share of group kept").reset_index()
    spread = study.metrics.groupby(["scenario", "method"])["grouping_spread"].median()
    out["grouping_spread (median)"] = [spread.get((s, m), np.nan)
                                       for s, m in zip(out["scenario"], out["method"])]
    return out.set_index(["scenario", "method"]).round(2)


def tuning_cost(study: Study) -> pd.DataFrame:
    """Median tuning time (s) per scenario and method, and elastic net's over the lasso's."""
    t = study.metrics.pivot_table(index="scenario", columns="method", values="tune_time",
                                  aggfunc="median")
    t = t.reindex(index=study.scenario_names, columns=ordered(t.columns))
    for m in ("enet_naive", "enet_corrected"):
        if m in t and "lasso" in t:
            t[f"{m} / lasso"] = t[m] / t["lasso"]
    return t.round(3)



#: Zou & Hastie's Table 2/3 row order and labels, from the pipeline's method names
PAPER_ROWS = {"lasso": "Lasso", "enet_corrected": "Elastic net", "ridge": "Ridge", "enet_naive": "Naive elastic net"}


def paper_table(summary, *, metric: str = "pred_error", scenarios=None):
    """A study's summary.csv in the paper's layout: methods as rows, examples (scenarios) as columns.

    Each cell is ``median (bootstrap SE of the median)`` of ``metric`` over the replicates; a second block gives the
    median number of nonzero coefficients (``nnz``). ``summary`` is a DataFrame or the path of summary.csv.
    """
    summary = pd.read_csv(summary) if not isinstance(summary, pd.DataFrame) else summary
    scenarios = list(scenarios) if scenarios is not None else list(dict.fromkeys(summary["scenario"]))
    rows = []
    for block, fmt in ((metric, lambda r: f"{r[f'{metric}_median']:.3g} ({r[f'{metric}_se']:.2g})"),
                       ("nnz", lambda r: f"{r['nnz_median']:.0f}")):
        for method, label in PAPER_ROWS.items():
            row = {"quantity": f"median {block}", "method": label}
            for sc in scenarios:
                hit = summary[(summary["scenario"] == sc) & (summary["method"] == method)]
                row[sc] = fmt(hit.iloc[0]) if len(hit) else ""
            if any(row[sc] for sc in scenarios):
                rows.append(row)
    return pd.DataFrame(rows).set_index(["quantity", "method"])

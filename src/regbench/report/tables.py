"""The report's tables, computed from a study's outputs (``regbench.report.study``): summaries, facts read from the
fits, the grouping effect, tuning cost, and the Zou & Hastie study in the paper's layout."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import METHOD_NAMES, label_of, ordered
from regbench.report.study import Study, load_fits, replicates

__all__ = ["HEADERS", "PAPER_ROWS", "fit_table", "group_selection", "paper_table", "readable_summary",
           "scenario_overview", "summary_table", "true_sizes", "tuning_cost", "tuning_cost_display"]

#: readable column headers (with units) for metrics.csv / scenarios.csv names
HEADERS = {
    "pred_error": "prediction error", "test_mse": "test MSE", "nnz": "nonzero coefficients", "f1": "F1",
    "precision": "precision", "recall": "recall", "n_train": "n (training rows)", "n_val": "validation rows",
    "n_test": "test rows", "p": "p (predictors)", "rho": "correlation rho", "snr": "signal-to-noise ratio",
    "density": "design density", "k": "true nonzeros k", "n_groups": "groups", "group_size": "group size",
    "group_noise": "group noise sd", "support": "support", "signs": "signs", "design": "design", "truth": "truth",
    "name": "scenario", "description": "description", "data": "data file", "target": "target",
}
#: significant digits of each quantity's median, so a column has one format
_DIGITS = {"pred_error": 3, "test_mse": 3, "precision": 2, "recall": 2, "f1": 2}


def _decimals(values, digits: int) -> int:
    """Decimals that give ``digits`` significant digits to the column's typical (median absolute) value."""
    v = np.abs(np.asarray(values, float))
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return digits
    return int(np.clip(digits - 1 - np.floor(np.log10(np.median(v))), 0, 6))


def readable_summary(study: Study, metrics=("pred_error", "test_mse", "nnz", "f1"),
                     scenario: str | None = None) -> pd.DataFrame:
    """Median (bootstrap SE) of each metric per scenario x method with readable headers, method labels, fixed
    decimals per quantity (integers for counts) and no NaN."""
    s = study.summary if scenario is None else study.summary[study.summary["scenario"] == scenario]
    order = {m: i for i, m in enumerate(METHOD_NAMES)}
    scen_order = {n: i for i, n in enumerate(study.scenario_names)}
    s = s.assign(_s=s["scenario"].map(scen_order), _o=s["method"].map(order)).sort_values(["_s", "_o"])
    out = pd.DataFrame({"scenario": s["scenario"].to_numpy(), "method": s["method"].map(label_of).to_numpy()})
    for m in metrics:
        med, se = s[f"{m}_median"].to_numpy(float), s[f"{m}_se"].to_numpy(float)
        if not np.isfinite(med).any():
            continue
        if m == "nnz":
            out[HEADERS[m]] = ["" if not np.isfinite(a) else (f"{a:.0f}" if a.is_integer() else f"{a:.1f}")
                               for a in med]
            continue
        # one format per quantity within a scenario (its methods compare), from the scenario's typical value
        scen = s["scenario"].to_numpy()
        dec = {sc: _decimals(med[scen == sc], _DIGITS.get(m, 3)) for sc in dict.fromkeys(scen)}
        out[HEADERS.get(m, m)] = ["" if not np.isfinite(a) else f"{a:.{dec[sc]}f}" + (
            "" if not np.isfinite(b) else f" ({b:.{dec[sc]}f})") for a, b, sc in zip(med, se, scen)]
    out["replicates"] = s["n_replicates"].astype(int).to_numpy()
    return out


def scenario_overview(study: Study, scenario: str | None = None) -> pd.DataFrame:
    """The scenarios' settings with readable headers: integers as integers, unused settings and the study's
    bookkeeping columns left out."""
    sc = study.scenarios if scenario is None else study.scenarios[study.scenarios["name"] == scenario]
    sc = sc.drop(columns=[c for c in ("study", "replicates", "n") if c in sc]).dropna(axis=1, how="all")
    out = pd.DataFrame(index=sc.index)
    for c in sc.columns:
        col = sc[c]
        if pd.api.types.is_numeric_dtype(col):
            ints = bool(col.dropna().map(lambda v: float(v).is_integer()).all()) if col.notna().any() else False
            out[HEADERS.get(c, c)] = col.map(lambda v: "" if pd.isna(v) else (f"{int(v)}" if ints else f"{v:g}"))
        else:
            out[HEADERS.get(c, c)] = col.fillna("").astype(str)
    return out.reset_index(drop=True)


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
    g = fits[fits["scenario"].isin(study.scenario_names)].dropna(subset=["group_kept"])
    if g.empty:
        return pd.DataFrame(columns=["scenario", "method", "share of group kept", "grouping spread (median)"])
    out = g.groupby(["scenario", "method"], sort=False)["group_kept"].median()
    out = out.rename("share of group kept").reset_index()
    spread = study.metrics.groupby(["scenario", "method"])["grouping_spread"].median()
    out["grouping spread (median)"] = [spread.get((s, m), np.nan)
                                       for s, m in zip(out["scenario"], out["method"])]
    out["method"] = out["method"].map(label_of)
    return out.round(2)


def tuning_cost(study: Study) -> pd.DataFrame:
    """Median tuning time (s) per scenario and method, and elastic net's over the lasso's."""
    t = study.metrics.pivot_table(index="scenario", columns="method", values="tune_time",
                                  aggfunc="median")
    t = t.reindex(index=study.scenario_names, columns=ordered(t.columns))
    for m in ("enet_naive", "enet_corrected"):
        if m in t and "lasso" in t:
            t[f"{m} / lasso"] = t[m] / t["lasso"]
    return t.round(3)


def tuning_cost_display(study: Study) -> pd.DataFrame:
    """:func:`tuning_cost` with method labels and units in the headers."""
    t = tuning_cost(study)
    t.columns = [f"{label_of(c)} (s)" if c in METHOD_NAMES else c.replace("enet_naive", "naive EN")
                 .replace("enet_corrected", "corrected EN") for c in t.columns]
    return t



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

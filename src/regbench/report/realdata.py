"""Real data (``design: data``): no known truth, so the methods are compared on the test rows, paired row by row,
with their variables named; and a study's published reference results beside its own numbers.

A study config may list ``references`` (scenario, method, value, optional se, source, metric: test_mse by
default); :func:`reference_table` puts each beside the study's number with the difference in standard-error units,
(study - published) / sqrt(se_study^2 + se_published^2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.data.io import load_dataset
from regbench.data.tables import scenario_table
from regbench.evaluate.methods import label_of, ordered
from regbench.report.study import Study, load_fit, replicates

__all__ = ["feature_names", "has_truth", "paired_test_mse", "reference_table", "selected_variables"]


def has_truth(study: Study, scenario: str | None = None) -> bool:
    """Whether the (scenario's) metrics know the true coefficients (simulated data)."""
    m = study.metrics if scenario is None else study.metrics[study.metrics["scenario"] == scenario]
    return bool(m["pred_error"].notna().any())


def feature_names(study: Study, scenario: str) -> list[str] | None:
    """The predictors' names of a real-data scenario (from its table), or None (simulated: x1, x2, ...)."""
    row = study.scenarios[study.scenarios["name"] == scenario]
    if row.empty or "data" not in row or pd.isna(row["data"].iloc[0]):
        return None
    spec = {k: row[k].iloc[0] for k in ("data", "target") if k in row and pd.notna(row[k].iloc[0])}
    try:
        return list(scenario_table(spec).feature_names)
    except (OSError, ValueError):
        return None


def _squared_errors(study: Study, scenario: str, replicate) -> dict[str, np.ndarray]:
    f = study.fits_dir.parent / "data" / scenario / f"{replicate}.npz"
    if not f.is_file():
        return {}
    ds = load_dataset(f)
    out = {}
    for method in study.methods:
        fit = load_fit(study, scenario, replicate, method)
        if fit is not None:
            pred = np.asarray(ds.X_test @ np.asarray(fit["coef"], float)).ravel() + float(fit["intercept"])
            out[method] = (np.asarray(ds.y_test) - pred) ** 2
    return out


def paired_test_mse(study: Study, scenario: str, reference: str = "lasso") -> pd.DataFrame:
    """Per method, on the first replicate's test rows: test MSE with its standard error (over test rows), and its
    difference from ``reference``'s with the standard error of the paired (row by row) difference."""
    reps = replicates(study, scenario)
    errs = _squared_errors(study, scenario, reps[0]) if reps else {}
    rows = []
    ref = errs.get(reference)
    for method in ordered(errs):
        e = errs[method]
        n = e.size
        row = {"method": label_of(method), "test MSE": e.mean(), "SE": e.std(ddof=1) / np.sqrt(n)}
        if ref is not None and method != reference:
            d = e - ref
            row[f"minus {label_of(reference)}"] = d.mean()
            row["SE of the difference"] = d.std(ddof=1) / np.sqrt(n)
        else:
            row[f"minus {label_of(reference)}"] = np.nan
            row["SE of the difference"] = np.nan
        rows.append(row)
    t = pd.DataFrame(rows)
    return t.round(3) if len(t) else t


def selected_variables(study: Study, scenario: str) -> pd.DataFrame:
    """Per method: the variables with a nonzero coefficient at the chosen hyperparameters (first replicate),
    named, and the coefficient of each (original scale)."""
    names = feature_names(study, scenario)
    reps = replicates(study, scenario)
    rows = {}
    for method in study.methods:
        fit = load_fit(study, scenario, reps[0], method) if reps else None
        if fit is None:
            continue
        coef = np.asarray(fit["coef"], float)
        labels = names if names is not None and len(names) == coef.size else [f"x{j + 1}" for j in range(coef.size)]
        rows[label_of(method)] = {lab: (f"{c:.3f}" if c != 0 else "0 (dropped)") for lab, c in zip(labels, coef)}
    return pd.DataFrame(rows).rename_axis("variable")


def reference_table(study: Study, references, reference_values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Published results beside the study's: per reference, the study's value (and SE) of the same metric,
    scenario and method, and their difference in SE units. ``reference_values`` gives the study's numbers
    (columns scenario, method, value, se); by default the test MSE of the first replicate with its SE over test
    rows (one replicate) or the median and its bootstrap SE (several)."""
    refs = pd.DataFrame(list(references or []))
    if refs.empty:
        return pd.DataFrame()
    ours = reference_values if reference_values is not None else _study_values(study, refs)
    rows = []
    for _, r in refs.iterrows():
        metric = r.get("metric", "test_mse") if pd.notna(r.get("metric", np.nan)) else "test_mse"
        hit = ours[(ours["scenario"] == r["scenario"]) & (ours["method"] == r["method"])
                   & (ours["metric"] == metric)]
        v, se = (float(hit["value"].iloc[0]), float(hit["se"].iloc[0])) if len(hit) else (np.nan, np.nan)
        pse = float(r["se"]) if "se" in r and pd.notna(r["se"]) else np.nan
        both = np.sqrt(np.nansum([se ** 2, pse ** 2])) if np.isfinite(se) or np.isfinite(pse) else np.nan
        rows.append({"scenario": r["scenario"], "method": label_of(r["method"]), "metric": metric,
                     "this study": v, "SE": se, "published": float(r["value"]), "published SE": pse,
                     "difference / SE": (v - float(r["value"])) / both if both and np.isfinite(both) else np.nan,
                     "source": r.get("source", "")})
    return pd.DataFrame(rows).round(3)


def _study_values(study: Study, refs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for scen in dict.fromkeys(refs["scenario"]):
        if scen not in study.scenario_names:
            continue
        reps = replicates(study, scen)
        errs = _squared_errors(study, scen, reps[0]) if len(reps) == 1 else {}
        for method in study.methods:
            if method in errs:
                e = errs[method]
                rows.append(dict(scenario=scen, method=method, metric="test_mse", value=e.mean(),
                                 se=e.std(ddof=1) / np.sqrt(e.size)))
            else:
                s = study.summary[(study.summary["scenario"] == scen) & (study.summary["method"] == method)]
                for metric in ("test_mse", "pred_error"):
                    if len(s) and f"{metric}_median" in s:
                        rows.append(dict(scenario=scen, method=method, metric=metric,
                                         value=float(s[f"{metric}_median"].iloc[0]),
                                         se=float(s[f"{metric}_se"].iloc[0])))
    return pd.DataFrame(rows, columns=["scenario", "method", "metric", "value", "se"])

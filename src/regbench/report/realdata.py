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
from regbench.evaluate.metrics import mean_se
from regbench.evaluate.references import parameters_text, variables_text
from regbench.report.study import Study, load_fit, replicates

__all__ = ["feature_names", "has_truth", "paired_test_mse", "paper_layout", "reference_table", "selected_variables"]


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
        mse, se = mean_se(e)
        row = {"method": label_of(method), "test MSE": mse, "SE": se}
        if ref is not None and method != reference:
            row[f"minus {label_of(reference)}"], row["SE of the difference"] = mean_se(e - ref)
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
        rows.append({"scenario": r["scenario"], "method": label_of(r["method"]), "metric": metric,
                     "this study": v, "SE": se, "published": float(r["value"]), "published SE": pse,
                     "difference / SE": _se_units(v, se, float(r["value"]), pse), "source": r.get("source", "")})
    return pd.DataFrame(rows).round(3)


def _se_units(value, se, published, published_se) -> float:
    """(value - published) / sqrt(se^2 + published_se^2), a missing SE counted as 0 (NaN when both are missing)."""
    if not (np.isfinite(se) or np.isfinite(published_se)):
        return np.nan
    both = float(np.sqrt(np.nansum([se ** 2, published_se ** 2])))
    return (value - published) / both if both > 0 else np.nan


def _decimals(value: float) -> int:
    """The decimals a published number was printed with (0.381 -> 3), from its shortest repr."""
    text = repr(float(value))
    return 6 if "e" in text else min(6, len(text.split(".")[1].rstrip("0")))


def _with_se(value, se, decimals: int = 3) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.{decimals}f} ({se:.{decimals}f})" if np.isfinite(se) else f"{value:.{decimals}f}"


def _selected(names, listed) -> str:
    """Selected variables as names, "all" when every one of ``names`` is."""
    listed = list(listed)
    return "all" if names is not None and len(listed) == len(names) else ", ".join(listed)


def _reproduction(ref, refit, names) -> str:
    """Whether the refit reproduces the published value (to its printed decimals) and variables; a flag if not."""
    if refit is None:
        return "not refitted: the reference gives no tuning values"
    d = _decimals(ref["value"])
    ours = float(refit["test_mse"])
    problems = []
    if round(ours, d) != round(float(ref["value"]), d):
        problems.append(f"test MSE {ours:.{d + 1}f} rounds to {ours:.{d}f}, not {float(ref['value']):.{d}f}")
    published = ref.get("variables")
    if published is not None and not (isinstance(published, float) and np.isnan(published)):
        want = set(names or []) if published == "all" else set(variables_text(published, names).split(", "))
        got = set(str(refit["selected"]).split()) if pd.notna(refit["selected"]) else set()
        if want != got:
            problems.append(f"selects {', '.join(sorted(got)) or 'nothing'} (published: "
                            f"{', '.join(sorted(want))})")
    return "reproduced" if not problems else "NOT reproduced: " + "; ".join(problems)


def paper_layout(study: Study, references) -> pd.DataFrame:
    """The published table in its own layout, one row per reference: the source's tuning and value (SE), the refit
    at that tuning (``reference_fits.csv``, regbench) and this study's CV-tuned fit, each with its difference from
    the published value in SE units, and the variables each selects; *reproduced* says whether the refit matches
    the published value to its printed decimals and its variables (a flag with the numbers when it does not)."""
    refs = list(references or [])
    refits = study.reference_fits
    if not refs or refits is None or refits.empty:
        return pd.DataFrame()
    ours = _study_values(study, pd.DataFrame(refs))
    rows = []
    for ref in refs:
        scen, method = ref["scenario"], ref["method"]
        names = _column_names(study, scen)
        hit = refits[(refits["scenario"] == scen) & (refits["method"] == method)]
        refit = hit.iloc[0] if len(hit) else None
        cv = ours[(ours["scenario"] == scen) & (ours["method"] == method) & (ours["metric"] == "test_mse")]
        cv_v, cv_se = (float(cv["value"].iloc[0]), float(cv["se"].iloc[0])) if len(cv) else (np.nan, np.nan)
        pub, pse = float(ref["value"]), float(ref.get("se", np.nan))
        at_v, at_se = (float(refit["test_mse"]), float(refit["test_mse_se"])) if refit is not None else (np.nan,
                                                                                                           np.nan)
        cv_fit = _cv_selected(study, scen, method, names)
        at_sel = (str(refit["selected"]).split() if pd.notna(refit["selected"]) else []) if refit is not None else []
        rows.append({
            "method": label_of(method), "parameters (source)": parameters_text(ref),
            "test MSE (SE), source": _with_se(pub, pse, _decimals(pub)),
            "at the source's tuning (regbench)": _with_se(at_v, at_se),
            "difference / SE (source's tuning)": _signed(_se_units(at_v, at_se, pub, pse)),
            "achieved s": f"{float(refit['s_achieved']):.3f}" if refit is not None else "",
            "CV-tuned (this study)": _with_se(cv_v, cv_se),
            "difference / SE (CV-tuned)": _signed(_se_units(cv_v, cv_se, pub, pse)),
            "variables, source": variables_text(ref.get("variables"), names),
            "variables, source's tuning": _selected(names, at_sel) if refit is not None else "",
            "variables, CV-tuned": cv_fit,
            "reproduced": _reproduction(ref, refit, names),
            "source": ref.get("source", ""),
        })
    table = pd.DataFrame(rows)
    if table["source"].nunique() == 1:  # one source: the page names it once, in the section's title
        table = table.drop(columns="source")
    return table


def _signed(x: float) -> str:
    """A difference in SE units with two decimals and its sign ("" when undefined)."""
    if not np.isfinite(x):
        return ""
    return "0.00" if round(x, 2) == 0 else f"{x:+.2f}"


def _column_names(study: Study, scenario: str) -> list[str] | None:
    """The predictors' names: the data file's, else x1 .. xp (p from scenarios.csv), else None."""
    names = feature_names(study, scenario)
    if names is not None:
        return names
    row = study.scenarios[study.scenarios["name"] == scenario]
    if row.empty or "p" not in row or pd.isna(row["p"].iloc[0]):
        return None
    return [f"x{j + 1}" for j in range(int(row["p"].iloc[0]))]


def _cv_selected(study: Study, scenario: str, method: str, names) -> str:
    reps = replicates(study, scenario)
    fit = load_fit(study, scenario, reps[0], method) if reps else None
    if fit is None:
        return ""
    coef = np.asarray(fit["coef"], float)
    labels = names if names is not None and len(names) == coef.size else [f"x{j + 1}" for j in range(coef.size)]
    return _selected(labels, [labels[j] for j in np.flatnonzero(coef)])


def _study_values(study: Study, refs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for scen in dict.fromkeys(refs["scenario"]):
        if scen not in study.scenario_names:
            continue
        reps = replicates(study, scen)
        errs = _squared_errors(study, scen, reps[0]) if len(reps) == 1 else {}
        for method in study.methods:
            if method in errs:
                value, se = mean_se(errs[method])
                rows.append(dict(scenario=scen, method=method, metric="test_mse", value=value, se=se))
            else:
                s = study.summary[(study.summary["scenario"] == scen) & (study.summary["method"] == method)]
                for metric in ("test_mse", "pred_error"):
                    if len(s) and f"{metric}_median" in s:
                        rows.append(dict(scenario=scen, method=method, metric=metric,
                                         value=float(s[f"{metric}_median"].iloc[0]),
                                         se=float(s[f"{metric}_se"].iloc[0])))
    return pd.DataFrame(rows, columns=["scenario", "method", "metric", "value", "se"])

"""Fit health: the hyperparameters each method chose, every fit that did not converge or warned, and every choice
at the edge of its grid (read from metrics.csv, the stored fits and, when the pipeline wrote it, warnings.csv).

A choice at a grid edge means the best value may lie outside the grid: the comparison it feeds cannot be trusted,
so the claims that rest on it are "inconclusive" (``edge_share``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import METHODS, label_of, ordered
from regbench.report.study import Study, load_fit, replicates

__all__ = ["HEALTH_COLUMNS", "chosen_hyperparameters", "edge_share", "fit_edges", "health_display", "health_summary",
           "health_table", "panel_title"]

#: the columns of warnings.csv (written by the pipeline) and of :func:`health_table`
HEALTH_COLUMNS = ["scenario", "replicate", "method", "seed", "kind", "message", "value"]

# a grid end that is no truncation: l1_ratio = 1 is the lasso, lambda2 = 0 the lasso too
_NATURAL_END = {"l1_ratio": 1.0, "lambda2": 0.0}


def fit_edges(fit: dict, method: str) -> list[tuple[str, float]]:
    """The grid edges a fit's choice sits on, as (message, value at the edge).

    The lambda path: its smallest value (the best fit may need less shrinkage), or for ridge its largest (the
    lasso's and elastic net's largest lambda is lambda_max, where every coefficient is already zero, so no
    truncation). The elastic net's second parameter: the first or last value of its grid, unless that value is a
    natural end (l1_ratio = 1 or lambda2 = 0, the lasso).
    """
    out = []
    lambdas = np.asarray(fit.get("cv_lambdas", []), dtype=float)
    k = int(fit.get("chosen_index", -1))
    if lambdas.size > 1 and k == lambdas.size - 1:
        out.append(("lambda at the smallest value of its grid", float(lambdas[k])))
    elif lambdas.size > 1 and k == 0 and METHODS.get(method) is not None and METHODS[method].l1_ratio == 0.0:
        out.append(("lambda at the largest value of its grid", float(lambdas[0])))
    values = np.asarray(fit.get("grid_values", []), dtype=float)
    best = np.asarray(fit.get("grid_best_mse", []), dtype=float)
    if values.size > 1 and best.size == values.size:
        kind = str(fit.get("grid_kind", "l1_ratio"))
        a = int(np.argmin(best))
        if a in (0, values.size - 1) and values[a] != _NATURAL_END.get(kind):
            end = "smallest" if values[a] == values.min() else "largest"
            out.append((f"{kind} at the {end} value of its grid", float(values[a])))
    return out


def _edge_rows(study: Study, scenarios) -> list[dict]:
    rows = []
    for scen in scenarios:
        for rep in replicates(study, scen):
            for method in study.methods:
                fit = load_fit(study, scen, rep, method)
                if fit is None:
                    continue
                for message, value in fit_edges(fit, method):
                    rows.append(dict(scenario=scen, replicate=int(rep), method=method, seed=np.nan,
                                     kind="grid_edge", message=message, value=value))
    return rows


def _nonconverged_rows(study: Study, scenarios) -> list[dict]:
    m = study.metrics[study.metrics["scenario"].isin(scenarios)]
    bad = m[~m["converged"].astype(bool)]
    return [dict(scenario=r["scenario"], replicate=int(r["replicate"]), method=r["method"], seed=np.nan,
                 kind="nonconvergence", message="duality gap above the tolerance at the chosen lambda",
                 value=float(r["gap"])) for _, r in bad.iterrows()]


def health_table(study: Study, scenario: str | None = None) -> pd.DataFrame:
    """Every non-converged fit, warning, exception and grid-edge choice of the study, one row each.

    The pipeline's warnings.csv (when present) comes first; the rows found here from metrics.csv (``converged``,
    ``gap``) and the stored fits (the chosen index) are added where warnings.csv has no row of the same kind for
    that fit, so the table is complete before and after the pipeline records warnings itself. ``scenario``
    restricts it to one scenario (reading only that scenario's fits).
    """
    scenarios = study.scenario_names if scenario is None else [scenario]
    w = study.warnings
    rows = list(w[w["scenario"].isin(scenarios)].to_dict("records")) if w is not None else []
    have = {(r["scenario"], int(r["replicate"]), r["method"], r["kind"]) for r in rows}
    rows += [r for r in _nonconverged_rows(study, scenarios) + _edge_rows(study, scenarios)
             if (r["scenario"], r["replicate"], r["method"], r["kind"]) not in have]
    t = pd.DataFrame(rows, columns=HEALTH_COLUMNS)
    if t.empty:
        return t
    scen = {s: i for i, s in enumerate(study.scenario_names)}
    meth = {m: i for i, m in enumerate(ordered(t["method"]))}
    t = t.assign(_s=t["scenario"].map(scen), _m=t["method"].map(meth))
    return t.sort_values(["_s", "replicate", "_m", "kind"], kind="stable").drop(columns=["_s", "_m"]) \
        .reset_index(drop=True)


def edge_share(health: pd.DataFrame, study: Study) -> dict[tuple[str, str], float]:
    """Share of replicates, per (scenario, method), whose choice sits on a grid edge."""
    if health.empty:
        return {}
    e = health[health["kind"] == "grid_edge"].drop_duplicates(["scenario", "replicate", "method"])
    n = study.metrics.groupby(["scenario", "method"])["replicate"].nunique()
    counts = e.groupby(["scenario", "method"]).size()
    return {key: float(c / n.get(key, c)) for key, c in counts.items()}


def _fmt(v: float) -> str:
    return "" if not np.isfinite(v) else f"{v:.3g}"


def chosen_hyperparameters(study: Study, scenario: str | None = None, health: pd.DataFrame | None = None
                           ) -> pd.DataFrame:
    """Per scenario x method: the median chosen alpha, l1_ratio, lambda1 and lambda2 over replicates, their
    range (min - max) for alpha, and how many replicates chose a grid edge (from ``health``, by default
    :func:`health_table`)."""
    m = study.metrics if scenario is None else study.metrics[study.metrics["scenario"] == scenario]
    edges = edge_share(health_table(study, scenario) if health is None else health, study)
    rows = []
    for scen in [s for s in study.scenario_names if s in set(m["scenario"])]:
        d = m[m["scenario"] == scen]
        for method in ordered(d["method"]):
            g = d[d["method"] == method]
            if not METHODS[method].penalized:
                continue
            a = g["alpha"].astype(float)
            rows.append({
                "scenario": scen, "method": label_of(method),
                "alpha (median)": _fmt(a.median()), "alpha (min - max)": f"{_fmt(a.min())} - {_fmt(a.max())}",
                "l1_ratio (median)": _fmt(g["l1_ratio"].astype(float).median()),
                "lambda1 (median)": _fmt(g["lambda1"].astype(float).median()),
                "lambda2 (median)": _fmt(g["lambda2"].astype(float).median()),
                "at a grid edge": f"{round(edges.get((scen, method), 0.0) * len(g))} of {len(g)}",
            })
    return pd.DataFrame(rows)


def panel_title(fit: dict, method: str) -> str:
    """A coefficient-path / CV-curve panel's title: the method and its chosen hyperparameters."""
    if not METHODS.get(method) or not METHODS[method].penalized:
        return label_of(method)
    parts = [f"alpha={float(fit['alpha']):.3g}"] if "alpha" in fit else []
    if METHODS[method].tunes_second_parameter and "l1_ratio" in fit:
        if str(fit.get("grid_kind", "l1_ratio")) == "lambda2":
            parts.append(f"lambda2={float(fit['lambda2']):.3g}")
        else:
            parts.append(f"l1_ratio={float(fit['l1_ratio']):.2g}")
    edge = "; grid edge" if fit_edges(fit, method) else ""
    return f"{label_of(method)} ({', '.join(parts)}{edge})" if parts else label_of(method)


def health_summary(health: pd.DataFrame) -> str:
    """One sentence: how many fits did not converge, raised, or chose a grid edge."""
    if health.empty:
        return "Every fit converged, none warned, and no choice sits on a grid edge."
    fits = health.drop_duplicates(["scenario", "replicate", "method", "kind"])
    counts = fits["kind"].value_counts()
    words = {"nonconvergence": "did not converge", "exception": "raised", "grid_edge": "chose a grid edge"}
    parts = [f"{int(counts[k])} fits {w}" for k, w in words.items() if k in counts]
    other = [k for k in counts.index if k not in words]
    parts += [f"{int(counts[k])} fits: {k}" for k in other]
    return "; ".join(parts) + "."


def health_display(health: pd.DataFrame) -> pd.DataFrame:
    """The health table for a page: one row per scenario, method and finding with the replicates it concerns
    (and their seeds when known), method labels, the values to 3 significant digits."""
    rows = []
    for (scen, method, kind, message), g in health.groupby(["scenario", "method", "kind", "message"], sort=False):
        reps = sorted(int(r) for r in g["replicate"])
        seeds = [str(int(x)) for x in g["seed"] if pd.notna(x)]
        vals = sorted({f"{float(v):.3g}" for v in g["value"] if pd.notna(v)})
        rows.append({"scenario": scen, "method": label_of(method), "what": kind.replace("_", " "),
                     "message": message, "replicates": ", ".join(map(str, reps)),
                     "seeds": ", ".join(seeds), "value (gap reached, or the value at the edge)": ", ".join(vals)})
    t = pd.DataFrame(rows)
    return t.drop(columns=["seeds"]) if len(t) and not t["seeds"].str.len().any() else t

"""The article's advice scored on a study's cells, beside simple baselines, and the regime map that ships with the
package. The one definition of these scores: the ``score_advice`` rule writes them and the report
(``regbench.report.regimes.advice_on_map``) shows them.

A cell's **winner** and the methods **tied** with it come from the paired comparison (``paired.csv``,
``regbench.evaluate.paired``): the winner has the smallest geometric-mean error over replicates, a method is tied
when the 95% interval of its paired ratio to the winner reaches 1. Four **policies** pick a method in every cell and
replicate (:func:`policy_picks`):

- ``advice``: the study's method of the category ``regbench advise`` picked on the cell's training data
  (``advice.csv``; for "elastic net" the corrected elastic net when the study has it, else the naive one);
- ``always_lasso``; ``always_enet`` (the same elastic net as the advice's);
- ``cv``: in each replicate, the method of smallest tuning error (``cv_error``: "CV on the data"; methods without a
  CV error, ols, are not candidates).

Per cell and policy (:func:`advice_scores`): **agreement**, the share of replicates whose pick is the winner or tied
with it; **regret**, the geometric mean over replicates of error(pick) / error(winner) (1: as good as the winner,
1.2: 20% worse; below 1 only where a replicate's pick beats the cell's winner), with a 95% percentile bootstrap
interval over replicates. For a fixed-method policy the regret equals paired.csv's ``to_best`` of that method.
:func:`score_summary` pools cells (overall, and per group such as the n/p shape): agreement is the mean over cells,
regret the geometric mean over cells and replicates with a stratified bootstrap interval
(``regbench.evaluate.paired.pooled_interval``), and ``vs_advice`` each baseline's paired ratio
error(advice) / error(baseline) replicate by replicate (below 1: the advice did better).

:func:`regime_map_table` condenses a regime study into the small table shipped as ``regime_map.csv`` (with its
provenance in comment lines) and :func:`nearest_cells` looks up the cells nearest to a data file's measured regime.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from regbench.evaluate.methods import METHOD_NAMES, category_of, ordered
from regbench.evaluate.paired import error_metric, paired_table, pooled_interval

__all__ = ["PICK_COLUMNS", "POLICIES", "REGIME_MAP", "SCORE_COLUMNS", "SUMMARY_COLUMNS", "advice_scores",
           "axis_groups", "load_regime_map", "nearest_cells", "policy_picks", "regime_map_table", "score_summary"]

POLICIES = ("advice", "always_lasso", "always_enet", "cv")
#: the regime map shipped with the package (written by ``regbench score-advice --out-map``, copied by
#: ``make regime-map``)
REGIME_MAP = Path(__file__).with_name("regime_map.csv")

PICK_COLUMNS = ["scenario", "replicate", "policy", "choice", "winner", "agrees", "log_ratio", "metric"]
SCORE_COLUMNS = ["scenario", "policy", "choice", "winner", "winner_category", "tied_with", "metric", "n_replicates",
                 "agreement", "regret", "regret_lo", "regret_hi"]
SUMMARY_COLUMNS = ["group", "policy", "cells", "agreement", "regret", "regret_lo", "regret_hi", "vs_advice",
                   "vs_advice_lo", "vs_advice_hi"]


def _frame(x, **kw) -> pd.DataFrame:
    return x if isinstance(x, pd.DataFrame) else pd.read_csv(x, **kw)


def _method_of(category, methods) -> str | None:
    """The study's method standing for an answer of the article: the corrected elastic net for "elastic net" when
    the study has it (the article's method), else the first of that category in registry order; None if none."""
    mine = [m for m in METHOD_NAMES if m in methods and category_of(m) == category]
    if "enet_corrected" in mine:
        return "enet_corrected"
    return mine[0] if mine else None


def _cell_errors(cell: pd.DataFrame, metric: str) -> pd.DataFrame:
    """replicate x method errors of one cell (only replicates where every method has one), as paired.csv uses."""
    e = cell.pivot_table(index="replicate", columns="method", values=metric, aggfunc="first")
    return e[ordered(e.columns)].astype(float).dropna(axis=0, how="any")


def policy_picks(advice, metrics, paired=None, *, seed: int = 0) -> pd.DataFrame:
    """Every policy's pick in every cell and replicate (``PICK_COLUMNS``): the method, whether it is the winner or
    tied with it (``agrees``), and ``log_ratio`` = log(error(pick) / error(winner)) on that replicate.

    ``advice``: advice.csv (scenario, advised); ``metrics``: metrics.csv; ``paired``: paired.csv (computed from
    ``metrics`` with ``seed`` when not given). A cell with a non-positive error has no ratio: its log ratios are NaN
    and a warning names it.
    """
    advice, metrics = _frame(advice), _frame(metrics)
    paired = paired_table(metrics, seed=seed) if paired is None else _frame(paired)
    advised = advice.drop_duplicates("scenario").set_index("scenario")["advised"] if len(advice) else pd.Series()
    rows = []
    for scenario, cell in metrics.groupby("scenario", sort=False):
        metric = error_metric(cell)
        errors = _cell_errors(cell, metric)
        pc = paired[paired["scenario"] == scenario]
        if errors.empty or pc.empty:
            continue
        winner = str(pc["best"].iloc[0])
        agreeing = set(pc.loc[pc["vs_best"].isin(["best", "tie"]), "method"])
        methods = list(errors.columns)
        positive = bool((errors.to_numpy() > 0).all())
        if not positive:
            warnings.warn(f"scenario {scenario!r}: a {metric} <= 0, so no ratio to the winner; its regrets are NaN",
                          stacklevel=2)
        cv = pd.DataFrame()
        if "cv_error" in cell:
            cv = cell.dropna(subset=["cv_error"]).pivot_table(index="replicate", columns="method",
                                                              values="cv_error", aggfunc="first")
            cv = cv[[m for m in cv.columns if m in methods]]
        fixed = {"advice": _method_of(advised.get(scenario), methods),
                 "always_lasso": "lasso" if "lasso" in methods else None,
                 "always_enet": _method_of("elastic net", methods)}
        for rep in errors.index:
            picks = dict(fixed)
            picks["cv"] = (str(cv.loc[rep].idxmin()) if rep in cv.index and cv.loc[rep].notna().any() else None)
            for policy in POLICIES:
                m = picks[policy]
                if m is None:
                    continue
                lr = math.log(errors.at[rep, m] / errors.at[rep, winner]) if positive else math.nan
                rows.append({"scenario": scenario, "replicate": int(rep), "policy": policy, "choice": m,
                             "winner": winner, "agrees": m in agreeing, "log_ratio": lr, "metric": metric})
    return pd.DataFrame(rows, columns=PICK_COLUMNS)


def _exp(v):
    return float(np.exp(v)) if np.isfinite(v) else math.nan


def _pooled_ratio(per_cell: dict, seed: int) -> tuple[float, float, float]:
    est, lo, hi = pooled_interval(per_cell, seed=seed)
    return _exp(est), _exp(lo), _exp(hi)


def advice_scores(picks: pd.DataFrame, paired=None, *, seed: int = 0) -> pd.DataFrame:
    """One row per cell and policy (``SCORE_COLUMNS``) from :func:`policy_picks`: the pick (``per replicate`` for
    cv), the winner and the methods tied with it (from ``paired`` when given), agreement, regret and its interval."""
    paired = None if paired is None else _frame(paired)
    rows = []
    for i, ((scenario, policy), g) in enumerate(picks.groupby(["scenario", "policy"], sort=False)):
        regret, lo, hi = _pooled_ratio({scenario: g["log_ratio"].to_numpy(float)}, seed + i)
        tied = ""
        if paired is not None:
            pc = paired[paired["scenario"] == scenario]
            tied = ", ".join(ordered(pc.loc[pc["vs_best"] == "tie", "method"]))
        choices = g["choice"].unique()
        winner = g["winner"].iloc[0]
        rows.append({"scenario": scenario, "policy": policy,
                     "choice": choices[0] if policy != "cv" else "per replicate", "winner": winner,
                     "winner_category": category_of(winner), "tied_with": tied, "metric": g["metric"].iloc[0],
                     "n_replicates": len(g), "agreement": float(g["agrees"].mean()), "regret": regret,
                     "regret_lo": lo, "regret_hi": hi})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def score_summary(picks: pd.DataFrame, groups=None, *, seed: int = 0) -> pd.DataFrame:
    """Per group of cells and policy (``SUMMARY_COLUMNS``): cells scored, agreement (mean over cells), regret (the
    geometric mean of error(pick) / error(winner) over cells and replicates, with a stratified bootstrap interval)
    and, for the baselines, ``vs_advice``: the paired ratio error(advice) / error(baseline) replicate by replicate,
    pooled the same way. ``groups`` maps a group label (e.g. ``shape=p_gg_n``) to its scenarios; the group ``all``
    (every cell) comes first."""
    sets = {"all": list(dict.fromkeys(picks["scenario"])), **(groups or {})}
    wide = picks.pivot_table(index=["scenario", "replicate"], columns="policy", values="log_ratio", aggfunc="first")
    rows = []
    for gi, (group, cells) in enumerate(sets.items()):
        for pi, policy in enumerate(POLICIES):
            d = picks[(picks["policy"] == policy) & picks["scenario"].isin(cells)]
            per_cell = {s: g["log_ratio"].to_numpy(float) for s, g in d.groupby("scenario", sort=False)}
            s = seed + 100 * gi + 10 * pi
            regret, lo, hi = _pooled_ratio(per_cell, s)
            vs = (math.nan,) * 3
            if policy != "advice" and "advice" in wide and policy in wide:
                w = wide.loc[wide.index.get_level_values("scenario").isin(cells), ["advice", policy]].dropna()
                diff = {sc: (g["advice"] - g[policy]).to_numpy(float) for sc, g in w.groupby(level="scenario")}
                vs = _pooled_ratio(diff, s + 1)
            rows.append({"group": group, "policy": policy, "cells": len(per_cell),
                         "agreement": float(d.groupby("scenario")["agrees"].mean().mean()) if len(d) else math.nan,
                         "regret": regret, "regret_lo": lo, "regret_hi": hi, "vs_advice": vs[0],
                         "vs_advice_lo": vs[1], "vs_advice_hi": vs[2]})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def axis_groups(scenarios) -> dict[str, list[str]]:
    """The groups of cells by each value of each axis of a crossed design (scenarios.csv's ``grid_axes``), labelled
    ``axis=value`` (``shape=p_gg_n``, ``rho=0.9``), in the order the study wrote them; empty without a grid."""
    scenarios = _frame(scenarios, keep_default_na=False, na_values=[""])
    out = {}
    if "grid_axes" not in scenarios:
        return out
    for _, row in scenarios.iterrows():
        if pd.isna(row["grid_axes"]):
            continue
        for axis in str(row["grid_axes"]).split():
            if axis in row and not pd.isna(row[axis]):
                value = row[axis]
                value = f"{value:g}" if isinstance(value, float) else str(value)
                out.setdefault(f"{axis}={value}", []).append(row["name"])
    return out


def regime_map_table(scenarios, paired, advice) -> pd.DataFrame:
    """The shipped map: per cell its regime (rho, n, p, n_over_p, nonzero_fraction, snr; and ``abs_r_q90``, the
    90th percentile of pairwise |r| that ``regbench advise`` measured on the cell's training data, the correlation
    a user's file is matched on), the winner, the methods tied with it and each method's regret (paired.csv's
    ``to_best``: geometric mean of error / the winner's, 1 = the winner)."""
    scenarios, paired, advice = _frame(scenarios, keep_default_na=False, na_values=[""]), _frame(paired), \
        _frame(advice)
    measured = advice.drop_duplicates("scenario").set_index("scenario")["abs_r_q90"]
    rows = []
    for s in scenarios.itertuples():
        pc = paired[paired["scenario"] == s.name].set_index("method")
        if pc.empty:
            continue
        winner = str(pc["best"].iloc[0])
        nonzero = 1.0 if s.truth == "dense" else float(s.k) / float(s.p)
        row = {"scenario": s.name, "rho": 0.0 if pd.isna(s.rho) else float(s.rho), "n": int(s.n_train),
               "p": int(s.p), "n_over_p": s.n_train / s.p, "nonzero_fraction": nonzero, "snr": float(s.snr),
               "abs_r_q90": float(measured.get(s.name, math.nan)), "winner": winner,
               "winner_category": category_of(winner),
               "tied_with": " ".join(ordered(pc.index[pc["vs_best"] == "tie"]))}
        for m in METHOD_NAMES:
            row[f"regret_{m}"] = float(pc.at[m, "to_best"]) if m in pc.index else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def load_regime_map(path=None) -> tuple[pd.DataFrame, dict]:
    """The shipped regime map and its provenance (the ``# key: value`` lines at its top)."""
    path = Path(path or REGIME_MAP)
    provenance = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        provenance[key.strip()] = value.strip()
    return pd.read_csv(path, comment="#", keep_default_na=False, na_values=[""]), provenance


def nearest_cells(regime_map: pd.DataFrame, *, n_over_p: float, abs_r_q90: float, k: int = 6) -> pd.DataFrame:
    """The ``k`` cells nearest to a measured regime: distance in (log10 n/p, 90th percentile of pairwise |r|), the
    two axes a data file shows (the truth's sparsity and the SNR are not observed, so the nearest cells span
    them). Equal distances are ordered by scenario name."""
    if not (np.isfinite(n_over_p) and n_over_p > 0):
        raise ValueError(f"n_over_p: expected a positive finite ratio, got {n_over_p!r}")
    if not np.isfinite(abs_r_q90):
        raise ValueError(f"abs_r_q90: expected a finite correlation in [0, 1], got {abs_r_q90!r}")
    if k < 1:
        raise ValueError(f"k: expected at least 1 cell, got {k!r}")
    d = np.hypot(np.log10(regime_map["n_over_p"].astype(float)) - math.log10(n_over_p),
                 regime_map["abs_r_q90"].astype(float) - abs_r_q90)
    return regime_map.assign(distance=d).sort_values(["distance", "scenario"], kind="stable").head(k)

"""The regime map: over a crossed design (scenarios expanded from a ``grid:`` block, one scenario per cell), which
method wins each cell, by how much over the runner-up (paired, with its interval; ties marked), and each method's
regret (its error over the cell's best) across cells; then the article's advice scored on the map (the scores
are defined in ``regbench.advise.map_scores``; this module only lays them out).

A study is crossed when scenarios.csv marks cells as coming from a grid (a ``grid`` column that is set, or an
``origin`` column equal to "grid"); the map's axes are the design columns that vary across those cells.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from regbench.advise.map_scores import POLICIES, advice_scores, policy_picks, score_summary
from regbench.evaluate.methods import METHODS, label_of, ordered
from regbench.report.study import Study

__all__ = ["AXIS_CANDIDATES", "POLICY_LABELS", "advice_on_map", "crossed_cells", "regime_axes", "regime_map",
           "regime_table", "regret_figure", "regret_table"]

#: scenario keys that can be a crossed design's axes, in the order the map prefers them
AXIS_CANDIDATES = ["rho", "n", "n_train", "p", "k", "density", "snr", "n_groups", "group_size", "group_noise",
                   "design", "truth", "support", "signs"]


def crossed_cells(study: Study) -> pd.DataFrame | None:
    """The scenarios that are cells of a crossed design (with metrics), or None when the study has none."""
    sc = study.scenarios
    mark = pd.Series(False, index=sc.index)
    if "grid" in sc:
        g = sc["grid"]
        mark |= g.notna() & ~g.astype(str).str.lower().isin(["", "false", "0", "nan", "none"])
    if "origin" in sc:
        mark |= sc["origin"].astype(str) == "grid"
    cells = sc[mark & sc["name"].isin(study.scenario_names)]
    return cells.reset_index(drop=True) if len(cells) > 1 else None


def regime_axes(cells: pd.DataFrame) -> list[str]:
    """The axes of the crossed design: scenarios.csv's ``grid_axes`` (space-separated, in the order the study
    wrote them) when present, else the design columns that vary across the cells (n_train left out when n varies
    with it); only axes with more than one value across the cells."""
    if "grid_axes" in cells and cells["grid_axes"].notna().any():
        named = list(dict.fromkeys(a for v in cells["grid_axes"].dropna() for a in str(v).split()))
        axes = [a for a in named if a in cells and cells[a].nunique(dropna=False) > 1]
        if axes:
            return axes
    axes = [c for c in AXIS_CANDIDATES if c in cells and cells[c].nunique(dropna=False) > 1]
    if "n" in axes and "n_train" in axes:
        axes.remove("n_train")
    return axes


def regime_table(study: Study, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per cell: its axis values, the winner, the runner-up and its paired margin (error over the winner's,
    with its 95% interval), and ``tie`` when that interval reaches 1 (the winner is not separated)."""
    cells = crossed_cells(study) if cells is None else cells
    if cells is None:
        return pd.DataFrame()
    axes = regime_axes(cells)
    rows = []
    for _, c in cells.iterrows():
        g = study.paired[study.paired["scenario"] == c["name"]].set_index("method")
        if g.empty:
            continue
        best = g["best"].iloc[0]
        others = g.drop(index=best)
        runner = others["to_best"].idxmin() if len(others) else None
        row = {"scenario": c["name"], **{a: c[a] for a in axes}, "winner": best, "runner_up": runner,
               "margin": others.loc[runner, "to_best"] if runner else np.nan,
               "margin_lo": others.loc[runner, "to_best_lo"] if runner else np.nan,
               "margin_hi": others.loc[runner, "to_best_hi"] if runner else np.nan,
               "tie": bool(runner) and others.loc[runner, "vs_best"] == "tie",
               "tied_with": ", ".join(ordered(others.index[others["vs_best"] == "tie"]))}
        rows.append(row)
    return pd.DataFrame(rows)


def regret_table(study: Study, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each method's regret across cells: its paired error over the cell's best (1 = best), summarized per method
    as cells won, cells won or tied, median, 90th percentile and largest regret."""
    cells = crossed_cells(study) if cells is None else cells
    if cells is None:
        return pd.DataFrame()
    p = study.paired[study.paired["scenario"].isin(cells["name"])]
    rows = []
    for m in ordered(p["method"]):
        d = p[p["method"] == m]
        r = d["to_best"].to_numpy(float)
        rows.append({"method": label_of(m), "cells": len(d), "won": int((d["vs_best"] == "best").sum()),
                     "won or tied": int(d["vs_best"].isin(["best", "tie"]).sum()),
                     "median regret": float(np.median(r)), "90% regret": float(np.quantile(r, 0.9)),
                     "largest regret": float(r.max())})
    return pd.DataFrame(rows).round(3)


def _facets(axes):
    """(row axis, column axis) of each heatmap, then the axes the small multiples run over."""
    if len(axes) == 1:
        return axes[0], None, []
    return axes[-2], axes[-1], axes[:-2]


def _sorted_levels(values):
    vals = list(dict.fromkeys(values))
    try:
        return sorted(vals, key=float)
    except (TypeError, ValueError):
        return vals


def regime_map(table: pd.DataFrame, axes: list[str]) -> Figure:
    """Small-multiple heatmaps: in each panel (one per combination of the outer axes) the cells over the two inner
    axes, coloured by the winning method, labelled with the runner-up's margin ("tie" when within noise, hatched)."""
    ry, rx, outer = _facets(axes)
    combos = list(itertools.product(*[_sorted_levels(table[a]) for a in outer])) or [()]
    ncols = min(len(combos), 3)
    nrows = int(np.ceil(len(combos) / ncols))
    ys = _sorted_levels(table[ry])
    xs = _sorted_levels(table[rx]) if rx else [None]
    fig = Figure(figsize=(max(6.5, max(3.0, 0.9 * len(xs) + 1.6) * ncols), (0.6 * len(ys) + 1.4) * nrows + 0.8),
                 layout="constrained")
    axs = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax in axs[len(combos):]:
        ax.set_visible(False)
    for ax, combo in zip(axs, combos):
        sub = table
        for a, v in zip(outer, combo):
            sub = sub[sub[a] == v]
        for i, yv in enumerate(ys):
            for j, xv in enumerate(xs):
                hit = sub[(sub[ry] == yv) & ((sub[rx] == xv) if rx else True)]
                if hit.empty:
                    continue
                r = hit.iloc[0]
                ax.add_patch(_cell_patch(j, i, r))
                text = "tie" if r["tie"] else f"{r['margin']:.2f}x"
                ax.text(j, i, text, ha="center", va="center", fontsize=8)
        ax.set(xlim=(-0.5, len(xs) - 0.5), ylim=(-0.5, len(ys) - 0.5))
        ax.set_xticks(range(len(xs)), [f"{v:g}" if isinstance(v, float) else str(v) for v in xs] if rx else [""])
        ax.set_yticks(range(len(ys)), [f"{v:g}" if isinstance(v, float) else str(v) for v in ys])
        ax.set_xlabel(rx or "")
        ax.set_ylabel(ry)
        ax.set_title(", ".join(f"{a}={v:g}" if isinstance(v, float) else f"{a}={v}" for a, v in zip(outer, combo)),
                     fontsize=9)
    winners = ordered(table["winner"])
    handles = [Patch(facecolor=METHODS[m].color, alpha=0.7, label=label_of(m)) for m in winners]
    handles.append(Patch(facecolor="white", edgecolor="k", hatch="///", label="tie within noise"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 3), frameon=False, fontsize=8)
    return fig


def _cell_patch(j, i, r):
    return Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=METHODS[r["winner"]].color, alpha=0.35 if r["tie"] else 0.7,
                     hatch="///" if r["tie"] else None, edgecolor="white")


def regret_figure(study: Study, cells: pd.DataFrame) -> Figure:
    """Each method's regret (error over the cell's best) in every cell, one point per cell, log scale."""
    p = study.paired[study.paired["scenario"].isin(cells["name"])]
    methods = ordered(p["method"])
    fig = Figure(figsize=(1.4 * len(methods) + 2, 3.4), layout="constrained")
    ax = fig.subplots()
    rng = np.random.default_rng(0)
    for i, m in enumerate(methods):
        r = p.loc[p["method"] == m, "to_best"].to_numpy(float)
        ax.plot(i + rng.uniform(-0.15, 0.15, r.size), r, "o", ms=4, color=METHODS[m].color, alpha=0.8)
        ax.plot([i - 0.3, i + 0.3], [np.median(r)] * 2, "k-", lw=1.5)
    ax.axhline(1, color="k", lw=0.5)
    ax.set_yscale("log")
    ax.set_xticks(range(len(methods)), [label_of(m) for m in methods], fontsize=8)
    ax.set_ylabel("regret: error / cell's best")
    return fig


#: how the report names the policies of ``regbench.advise.map_scores`` (where the scores are defined)
POLICY_LABELS = {"advice": "the article's advice (regbench advise)", "always_lasso": "always the lasso",
                 "always_enet": "always the elastic net", "cv": "CV on the data (smallest CV error)"}


def advice_on_map(study: Study, advice: pd.DataFrame, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article's advice (``advice.csv``: scenario, advised) scored on the map beside the baselines, as
    ``regbench.advise.map_scores`` defines the scores (the score_advice rule's ``advice_scores_summary.csv``): per
    policy, the share of cells where it picks the winner or a method tied with it, its regret (geometric mean of
    error / the winner's over cells and replicates, 95% interval), the largest regret in a cell, and the advice's
    paired error ratio to the policy (below 1: the advice did better)."""
    cells = crossed_cells(study) if cells is None else cells
    if cells is None:
        return pd.DataFrame()
    names = set(cells["name"])
    if not len(advice) or "advised" not in advice:
        advice = pd.DataFrame(columns=["scenario", "advised"])
    picks = policy_picks(advice, study.metrics[study.metrics["scenario"].isin(names)],
                         study.paired[study.paired["scenario"].isin(names)])
    summary = score_summary(picks).set_index("policy")
    largest = advice_scores(picks).groupby("policy")["regret"].max()
    rows = []
    for policy in POLICIES:
        r = summary.loc[policy]
        scored = r["cells"] > 0
        rows.append({"policy": POLICY_LABELS[policy], "cells": int(r["cells"]),
                     "picks the winner or a tie": f"{r['agreement']:.0%}" if scored else "",
                     "regret": round(r["regret"], 3) if scored else np.nan,
                     "regret 95% interval": f"[{r['regret_lo']:.3f}, {r['regret_hi']:.3f}]"
                     if scored and np.isfinite(r["regret_lo"]) else "",
                     "largest regret": round(float(largest.get(policy, np.nan)), 3),
                     "advice / this policy": f"{r['vs_advice']:.3f} [{r['vs_advice_lo']:.3f}, {r['vs_advice_hi']:.3f}]"
                     if np.isfinite(r["vs_advice"]) else ""})
    return pd.DataFrame(rows)

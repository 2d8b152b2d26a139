"""Paired comparison of the methods: every method is fitted on the same replicates, so compare them replicate by
replicate (paired.csv).

Per scenario, each method's error on replicate ``i`` is divided by the best method's error on the same replicate
(and by a reference method's, default the lasso). The statistic is the geometric mean of these per-replicate ratios
(``exp(mean(log ratio))``); its confidence interval is a percentile bootstrap over replicates (the same resampled
replicates for every method, so the pairing is kept), seeded and deterministic. The best method is the one with
the smallest geometric-mean error; a method whose interval of the ratio to the best reaches 1 is a *tie within
noise* with it. Where some error is not positive (ratios undefined), differences replace ratios and 0 replaces 1
(column ``scale``).

The error is ``pred_error`` (the noise-free prediction error) where the truth is known, else ``test_mse``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import ordered

__all__ = ["PAIRED_COLUMNS", "error_metric", "headline", "paired_scenario", "paired_table", "pooled_interval"]

PAIRED_COLUMNS = [
    "scenario", "method", "metric", "scale", "n_replicates", "reference", "best", "error_median",
    "to_best", "to_best_lo", "to_best_hi", "to_reference", "to_reference_lo", "to_reference_hi",
    "win_rate", "vs_best", "vs_reference",
]


def error_metric(metrics: pd.DataFrame) -> str:
    """``pred_error`` when it is known for some row (simulated truth), else ``test_mse`` (real data)."""
    pe = metrics["pred_error"] if "pred_error" in metrics else pd.Series(dtype=float)
    return "pred_error" if pe.notna().any() else "test_mse"


def _boot_interval(diff: np.ndarray, idx: np.ndarray, level: float) -> tuple[float, float]:
    """Percentile interval of mean(diff) over bootstrap resamples ``idx`` (B x R) of the replicates."""
    means = diff[idx].mean(axis=1)
    a = (1 - level) / 2
    return float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def _verdict(lo: float, hi: float, null: float, below: str, above: str) -> str:
    """``above`` when the interval lies above ``null``, ``below`` when below it, else a tie within noise."""
    if lo > null:
        return above
    if hi < null:
        return below
    return "tie"


def paired_scenario(errors: pd.DataFrame, *, reference: str = "lasso", n_boot: int = 2000, level: float = 0.95,
                    rng=None) -> pd.DataFrame:
    """Paired comparison of one scenario: ``errors`` is replicates x methods (one column per method).

    Only replicates where every method has a finite error are used. Returns one row per method with the columns
    of :data:`PAIRED_COLUMNS` except ``scenario`` and ``metric``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level: expected a confidence level in (0, 1), got {level!r}")
    if n_boot < 10:
        raise ValueError(f"n_boot: expected at least 10 bootstrap resamples, got {n_boot!r}")
    e = errors[ordered(errors.columns)].astype(float).dropna(axis=0, how="any")
    methods = list(e.columns)
    if e.empty or not methods:
        return pd.DataFrame(columns=[c for c in PAIRED_COLUMNS if c not in ("scenario", "metric")])
    x = e.to_numpy()
    ratio = bool((x > 0).all())
    t = np.log(x) if ratio else x  # compare on log scale (ratios) or as differences
    back = np.exp if ratio else (lambda v: v)
    best_j = int(np.argmin(t.mean(axis=0)))
    ref_j = methods.index(reference) if reference in methods else None
    r = x.shape[0]
    idx = np.random.default_rng(rng).integers(0, r, size=(n_boot, r))
    # win rate: share of replicates where the method has the smallest error (ties on a replicate split the win)
    lowest = t == t.min(axis=1, keepdims=True)
    wins = (lowest / lowest.sum(axis=1, keepdims=True)).mean(axis=0)
    rows = []
    for j, m in enumerate(methods):
        d_best = t[:, j] - t[:, best_j]
        lo, hi = _boot_interval(d_best, idx, level) if r > 1 else (np.nan, np.nan)
        row = dict(method=m, scale="ratio" if ratio else "difference", n_replicates=r,
                   reference=reference, best=methods[best_j], error_median=float(np.median(x[:, j])),
                   to_best=float(back(d_best.mean())), to_best_lo=float(back(lo)), to_best_hi=float(back(hi)),
                   win_rate=float(wins[j]))
        if j == best_j:
            row["vs_best"] = "best"
        elif r < 2:
            row["vs_best"] = "inconclusive"
        else:
            row["vs_best"] = "tie" if lo <= 0 else "worse"
        if ref_j is None:
            row.update(to_reference=np.nan, to_reference_lo=np.nan, to_reference_hi=np.nan, vs_reference="")
        else:
            d_ref = t[:, j] - t[:, ref_j]
            rlo, rhi = _boot_interval(d_ref, idx, level) if r > 1 else (np.nan, np.nan)
            row.update(to_reference=float(back(d_ref.mean())), to_reference_lo=float(back(rlo)),
                       to_reference_hi=float(back(rhi)))
            if j == ref_j:
                row["vs_reference"] = "reference"
            elif r < 2:
                row["vs_reference"] = "inconclusive"
            else:
                row["vs_reference"] = _verdict(rlo, rhi, 0.0, "better", "worse")
        rows.append(row)
    return pd.DataFrame(rows)


def paired_table(metrics: pd.DataFrame, *, reference: str = "lasso", metric: str | None = None,
                 n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """paired.csv: :func:`paired_scenario` for every scenario of ``metrics`` (metrics.csv).

    Each scenario's bootstrap has its own stream spawned from ``seed`` in scenario order, so the table is
    deterministic and a scenario's rows do not depend on the number of methods of another.
    """
    metric = metric or error_metric(metrics)
    if metric not in metrics:
        raise ValueError(f"metric: expected a column of metrics.csv, got {metric!r}")
    scenarios = list(dict.fromkeys(metrics["scenario"]))
    streams = np.random.SeedSequence(seed).spawn(len(scenarios))
    parts = []
    for scen, stream in zip(scenarios, streams):
        d = metrics[metrics["scenario"] == scen]
        errors = d.pivot_table(index="replicate", columns="method", values=metric, aggfunc="first")
        part = paired_scenario(errors, reference=reference, n_boot=n_boot, level=level, rng=stream)
        part.insert(0, "scenario", scen)
        part.insert(2, "metric", metric)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    return pd.concat(parts, ignore_index=True)[PAIRED_COLUMNS]


def headline(paired: pd.DataFrame) -> pd.DataFrame:
    """Scenarios x methods: each cell the ratio to the scenario's best (``best``, ``tie`` or the ratio and its
    interval), the winner marked; the columns are the methods in registry order."""
    methods = ordered(paired["method"])
    rows = {}
    for scen, g in paired.groupby("scenario", sort=False):
        cells = {}
        for _, r in g.iterrows():
            if r["vs_best"] == "best":
                cells[r["method"]] = "best"
            else:
                unit = "x" if r["scale"] == "ratio" else ""
                if np.isfinite(r["to_best_lo"]):
                    ival = f"{r['to_best']:.3f}{unit} [{r['to_best_lo']:.3f}, {r['to_best_hi']:.3f}]"
                else:  # one replicate: no interval over replicates
                    ival = f"{r['to_best']:.3f}{unit} (one replicate, no interval)"
                cells[r["method"]] = f"tie: {ival}" if r["vs_best"] == "tie" else ival
        rows[scen] = cells
    return pd.DataFrame.from_dict(rows, orient="index").reindex(columns=methods).fillna("")


def pooled_interval(per_scenario: dict, *, n_boot: int = 2000, level: float = 0.95, seed: int = 0):
    """Mean over scenarios of each scenario's mean per-replicate value, with a stratified percentile bootstrap
    (replicates resampled within each scenario, streams spawned from ``seed`` in scenario order).

    ``per_scenario`` maps a scenario to its per-replicate values (log ratios or differences). Returns
    ``(estimate, lo, hi)``; NaN when no scenario has a value, and an interval of NaN with one replicate only.
    """
    vals = [np.asarray(v, dtype=float) for v in per_scenario.values()]
    vals = [v[np.isfinite(v)] for v in vals]
    vals = [v for v in vals if v.size]
    if not vals:
        return float("nan"), float("nan"), float("nan")
    est = float(np.mean([v.mean() for v in vals]))
    if all(v.size < 2 for v in vals):
        return est, float("nan"), float("nan")
    streams = np.random.SeedSequence(seed).spawn(len(vals))
    boot = np.zeros(n_boot)
    for v, s in zip(vals, streams):
        idx = np.random.default_rng(s).integers(0, v.size, size=(n_boot, v.size))
        boot += v[idx].mean(axis=1)
    boot /= len(vals)
    a = (1 - level) / 2
    return est, float(np.quantile(boot, a)), float(np.quantile(boot, 1 - a))

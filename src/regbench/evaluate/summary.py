"""Aggregation over replicates: summary.csv (per study x scenario x method, the median and its bootstrap SE).

Each group's bootstrap uses its own random stream spawned from the study seed, so a summary does not depend on how
many columns or groups are summarized.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.metrics import METRIC_COLUMNS

__all__ = ["SUMMARY_COLUMNS", "bootstrap_se_median", "summarize", "summary_table"]

#: metrics.csv columns summarized in summary.csv (as <col>_median, <col>_se)
SUMMARY_COLUMNS = METRIC_COLUMNS[METRIC_COLUMNS.index("test_mse"):METRIC_COLUMNS.index("converged")] + ["gap"]


def bootstrap_se_median(values, *, n_boot: int = 1000, rng=None) -> float:
    """Bootstrap standard error of the median of ``values`` (NaNs dropped; NaN if fewer than 2 values).

    ``rng`` is a seed or a numpy Generator; the same seed gives the same answer.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        return float("nan")
    rng = np.random.default_rng(rng)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    return float(np.std(np.median(x[idx], axis=1), ddof=1))


def summarize(df: pd.DataFrame, by, columns, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Median and bootstrap SE of the median of each column per group.

    Returns one row per group (in first-appearance order) with the ``by`` columns, ``n_replicates`` (rows in the
    group), then ``<col>_median`` and ``<col>_se`` for each column. Each group's bootstrap uses its own stream
    (spawned from ``seed`` in group order), so results do not depend on how many columns are summarized.
    """
    by = list(by)
    rows = []
    groups = df.groupby(by, sort=False, dropna=False)
    streams = np.random.SeedSequence(seed).spawn(groups.ngroups)
    for (key, g), stream in zip(groups, streams):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        row["n_replicates"] = len(g)
        col_streams = stream.spawn(len(columns))
        for col, cs in zip(columns, col_streams):
            x = g[col].to_numpy(dtype=float)
            row[f"{col}_median"] = float(np.nanmedian(x)) if (~np.isnan(x)).any() else float("nan")
            row[f"{col}_se"] = bootstrap_se_median(x, n_boot=n_boot, rng=np.random.default_rng(cs))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_table(metrics, *, n_boot=1000, seed=0):
    """summary.csv: per study x scenario x method, n_replicates, the median and bootstrap SE of the median of every
    ``SUMMARY_COLUMNS`` column (``<col>_median``, ``<col>_se``), then ``converged_fraction``."""
    out = summarize(metrics, ["study", "scenario", "method"], SUMMARY_COLUMNS, n_boot=n_boot, seed=seed)
    conv = metrics.groupby(["study", "scenario", "method"], sort=False)["converged"].mean()
    out["converged_fraction"] = conv.to_numpy(dtype=float)
    return out

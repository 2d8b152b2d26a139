"""The advice scored on a finished regime study, as the Markdown tables of benchmarks/scale.md (issue 10, item 4):
per group of cells (all, then each n/p shape or any grid axis given) and policy, cells, agreement, regret with its
95% interval and the advice's paired ratio to the baseline; then the winners per shape.

    python benchmarks/regime_scores_table.py RESULTS_DIR [AXIS]       (RESULTS_DIR: results/<study>; AXIS: shape)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

LABELS = {"advice": "advice (regbench advise)", "always_lasso": "always lasso", "always_enet": "always elastic net",
          "cv": "CV on the data"}


def _ival(r, col):
    if pd.isna(r[col]):
        return ""
    return f"{r[col]:.3f} [{r[col + '_lo']:.3f}, {r[col + '_hi']:.3f}]"


def main(results, axis="shape"):
    results = Path(results)
    summary = pd.read_csv(results / "advice_scores_summary.csv")
    keep = summary["group"].eq("all") | summary["group"].str.startswith(f"{axis}=")
    print("| cells | policy | n cells | agreement | regret [95%] | advice / policy [95%] |\n|---|---|---|---|---|---|")
    for r in summary[keep].itertuples(index=False):
        r = r._asdict()
        print(f"| {r['group']} | {LABELS.get(r['policy'], r['policy'])} | {r['cells']} | {r['agreement']:.0%} | "
              f"{_ival(r, 'regret')} | {_ival(r, 'vs_advice')} |")
    scores = pd.read_csv(results / "advice_scores.csv")
    scenarios = pd.read_csv(results / "scenarios.csv", keep_default_na=False, na_values=[""])
    if axis in scenarios:
        adv = scores[scores["policy"] == "advice"].merge(scenarios[["name", axis]], left_on="scenario",
                                                          right_on="name")
        print(f"\n| {axis} | winners (cells) | advice picks (cells) |\n|---|---|---|")
        for value, g in adv.groupby(axis, sort=False):
            won = ", ".join(f"{m} {n}" for m, n in g["winner"].value_counts().items())
            picked = ", ".join(f"{m} {n}" for m, n in g["choice"].value_counts().items())
            print(f"| {value} | {won} | {picked} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])

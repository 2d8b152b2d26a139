"""The report's headline: who won which scenario, by how much, and how sure we are (from paired.csv).

``headline_table`` opens the comparison page; ``summary_paragraph`` opens the index.
"""

from __future__ import annotations

import pandas as pd

from regbench.evaluate.methods import label_of, ordered
from regbench.evaluate.paired import headline

__all__ = ["HEADLINE_NOTE", "headline_table", "scenario_verdicts", "summary_paragraph"]

HEADLINE_NOTE = (
    "Each cell: the method's error over the scenario's best method's, replicate by replicate (geometric mean of the "
    "per-replicate ratios), with its 95% bootstrap interval over replicates. **best**: the smallest error; "
    "**tie**: the interval reaches 1, so the method is within noise of the best. The error is the noise-free "
    "prediction error (test MSE where the truth is unknown)."
)


def headline_table(paired: pd.DataFrame, describe: dict | None = None) -> pd.DataFrame:
    """Scenarios x methods (labels as columns), the winner marked **best**, ties marked ``tie``."""
    h = headline(paired)
    h.columns = [label_of(m) for m in h.columns]
    h.index = [f"{s}: {describe[s]}" if describe and describe.get(s) else s for s in h.index]
    h.index.name = "scenario"
    return h


def scenario_verdicts(paired: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: the winner, the methods tied with it, and the runner-up's paired margin."""
    rows = []
    for scen, g in paired.groupby("scenario", sort=False):
        g = g.set_index("method")
        best = g["best"].iloc[0]
        ties = ordered(g.index[g["vs_best"] == "tie"])
        others = g.drop(index=best)
        runner = others["to_best"].idxmin() if len(others) else None
        rows.append(dict(scenario=scen, best=best, ties=ties, runner_up=runner,
                         margin=others.loc[runner, "to_best"] if runner else float("nan"),
                         margin_lo=others.loc[runner, "to_best_lo"] if runner else float("nan"),
                         margin_hi=others.loc[runner, "to_best_hi"] if runner else float("nan"),
                         scale=g["scale"].iloc[0], n_replicates=int(g["n_replicates"].iloc[0])))
    return pd.DataFrame(rows)


#: scenarios named one by one in the headline paragraph; beyond this, counts per winning method
MAX_NAMED = 12


def summary_paragraph(paired: pd.DataFrame) -> str:
    """One paragraph: per scenario the winner, or the methods tied within noise, and the runner-up's margin."""
    v = scenario_verdicts(paired)
    if v.empty:
        return "No scenario has paired results yet."
    clear = int(((v["ties"].map(len) == 0) & (v["n_replicates"] > 1)).sum())
    reps = sorted(set(v["n_replicates"]))
    if len(v) > MAX_NAMED:  # a crossed study: counts read better than tens of named scenarios
        wins = v.groupby("best", sort=False).size().sort_values(ascending=False)
        return (f"Winner per scenario (smallest paired error over {'/'.join(map(str, reps))} replicates), over "
                f"{len(v)} scenarios: " + ", ".join(f"{label_of(m)} {int(k)}" for m, k in wins.items())
                + f". A clear winner (separated from every other method by its 95% interval) in {clear} of "
                f"{len(v)}; in the others the best method is tied within noise with at least one other. Every "
                "scenario's winner and margin are in the table below.")
    parts = []
    for _, r in v.iterrows():
        unit = "x" if r["scale"] == "ratio" else ""
        if r["ties"]:
            who = f"{label_of(r['best'])}, tied within noise with {', '.join(label_of(m) for m in r['ties'])}"
        elif r["runner_up"] and r["n_replicates"] < 2:
            who = (f"{label_of(r['best'])}, ahead of {label_of(r['runner_up'])} by {r['margin']:.3f}{unit} on one "
                   "replicate (no interval: see the paired test-row differences)")
        elif r["runner_up"]:
            who = (f"{label_of(r['best'])}, ahead of {label_of(r['runner_up'])} by {r['margin']:.3f}{unit} "
                   f"[{r['margin_lo']:.3f}, {r['margin_hi']:.3f}]")
        else:
            who = label_of(r["best"])
        parts.append(f"{r['scenario']}: {who}")
    return (f"Winner per scenario (smallest paired error over {'/'.join(map(str, reps))} replicates; margins are "
            f"the runner-up's error over the winner's with 95% bootstrap intervals): " + "; ".join(parts)
            + f". A clear winner (separated from every other method by its interval) in {clear} of {len(v)} "
            "scenarios.")

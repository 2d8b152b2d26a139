"""``regbench score-advice``: the advice scored on a study's cells beside the baselines (the score_advice rule), and
the study's regime map (the table ``regbench advise`` ships, ``src/regbench/advise/regime_map.csv``)."""

from __future__ import annotations

import datetime
import subprocess

import pandas as pd

from regbench.advise.map_scores import advice_scores, regime_map_table, score_summary
from regbench.cli._args import log
from regbench.data.io import atomic_path, write_csv

HELP = "score the advice on a study's cells against always-lasso, always-elastic-net and CV (pipeline step)"


def add_arguments(p):
    p.add_argument("--advice", required=True, help="advice.csv")
    p.add_argument("--metrics", required=True, help="metrics.csv")
    p.add_argument("--scenarios", required=True, help="scenarios.csv")
    p.add_argument("--out", required=True, help="advice_scores.csv: one row per cell and policy")
    p.add_argument("--out-summary", required=True, help="advice_scores_summary.csv: one row per policy")
    p.add_argument("--out-map", required=True, help="regime_map.csv: the study's cells, winners and regrets")
    p.add_argument("--config-file", default="", help="the study's config file (provenance of the map)")


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def run(args):
    advice, metrics = pd.read_csv(args.advice), pd.read_csv(args.metrics)
    scores = advice_scores(advice, metrics)
    write_csv(scores, args.out)
    summary = score_summary(scores)
    write_csv(summary, args.out_summary)
    for r in summary.itertuples():
        log.info("%s: agreement %.0f%%, median regret %.3f over %d cells", r.policy, 100 * r.agreement,
                 r.regret_median, r.cells)
    table = regime_map_table(pd.read_csv(args.scenarios, keep_default_na=False, na_values=[""]), scores, metrics,
                             advice)
    study = str(metrics["study"].iloc[0]) if len(metrics) else ""
    header = (f"# study: {study}\n# config: {args.config_file}\n# commit: {_commit()}\n"
              f"# date: {datetime.date.today().isoformat()}\n# replicates: {int(scores['n_replicates'].max())}\n"
              f"# metric: {scores['metric'].iloc[0] if len(scores) else ''}\n")
    with atomic_path(args.out_map) as tmp:
        tmp.write_text(header + table.to_csv(index=False))

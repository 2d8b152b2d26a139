"""``regbench score-advice``: the advice scored on a study's cells beside the baselines (the score_advice rule), and
the study's regime map (the table ``regbench advise`` ships, ``src/regbench/advise/regime_map.csv``)."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from pathlib import Path

import pandas as pd

from regbench.advise.map_scores import advice_scores, axis_groups, policy_picks, regime_map_table, score_summary
from regbench.cli._args import log
from regbench.data.io import atomic_path, write_csv

HELP = "score the advice on a study's cells against always-lasso, always-elastic-net and CV (pipeline step)"


def add_arguments(p):
    p.add_argument("--advice", required=True, help="advice.csv")
    p.add_argument("--metrics", required=True, help="metrics.csv")
    p.add_argument("--scenarios", required=True, help="scenarios.csv")
    p.add_argument("--paired", required=True, help="paired.csv (each cell's winner and the methods tied with it)")
    p.add_argument("--out", required=True, help="advice_scores.csv: one row per cell and policy")
    p.add_argument("--out-summary", required=True, help="advice_scores_summary.csv: one row per group of cells (all, "
                   "then each value of each grid axis) and policy")
    p.add_argument("--out-map", required=True, help="regime_map.csv: the study's cells, winners and regrets")
    p.add_argument("--config-file", default="", help="the study's config file (provenance of the map)")


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def run(args):
    advice, metrics, paired = pd.read_csv(args.advice), pd.read_csv(args.metrics), pd.read_csv(args.paired)
    scenarios = pd.read_csv(args.scenarios, keep_default_na=False, na_values=[""])
    picks = policy_picks(advice, metrics, paired)
    scores = advice_scores(picks, paired)
    write_csv(scores, args.out)
    summary = score_summary(picks, axis_groups(scenarios))
    write_csv(summary, args.out_summary)
    for r in summary[summary["group"] == "all"].itertuples():
        log.info("%s: agreement %.0f%%, regret %.3f [%.3f, %.3f] over %d cells", r.policy, 100 * r.agreement,
                 r.regret, r.regret_lo, r.regret_hi, r.cells)
    table = regime_map_table(scenarios, paired, advice)
    study = str(metrics["study"].iloc[0]) if len(metrics) else ""
    header = (f"# study: {study}\n# config: {_shown(args.config_file)}\n# config_sha256: {_sha256(args.config_file)}\n"
              f"# commit: {_commit()}\n# date: {datetime.date.today().isoformat()}\n"
              f"# replicates: {int(scores['n_replicates'].max()) if len(scores) else 0}\n"
              f"# metric: {scores['metric'].iloc[0] if len(scores) else ''}\n"
              "# regret_<method>: paired.csv's to_best (geometric mean of error / the winner's; 1 = the winner)\n")
    with atomic_path(args.out_map) as tmp:
        tmp.write_text(header + table.to_csv(index=False))


def _shown(path) -> str:
    """The config's path relative to the working directory (the map ships: no machine paths), else its name."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.name


def _sha256(path) -> str:
    """The config file's sha256 (first 16 hex digits), or "unknown" when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unknown"

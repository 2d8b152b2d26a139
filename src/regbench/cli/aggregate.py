"""``regbench aggregate``: metrics.csv, summary.csv and scenarios.csv of a study (the collect_metrics rule)."""

from __future__ import annotations

import pandas as pd

from regbench.cli._args import json_arg, log
from regbench.data.io import write_csv
from regbench.evaluate.metrics import METRIC_COLUMNS
from regbench.evaluate.summary import summary_table
from regbench.study.config import scenario_table

HELP = "collect per-scenario metrics into metrics.csv, summary.csv and scenarios.csv"


def add_arguments(p):
    p.add_argument("--config", type=json_arg, required=True, help="the checked study config as JSON")
    p.add_argument("--metrics", nargs="+", required=True, help="per-scenario metrics tables, in scenario order")
    p.add_argument("--out-metrics", required=True)
    p.add_argument("--out-summary", required=True)
    p.add_argument("--out-scenarios", required=True)


def run(args):
    cfg = args.config
    metrics = pd.concat([pd.read_csv(p) for p in args.metrics], ignore_index=True)[METRIC_COLUMNS]
    write_csv(metrics, args.out_metrics)
    write_csv(summary_table(metrics, n_boot=cfg["bootstrap"], seed=cfg["seed"]), args.out_summary)
    write_csv(scenario_table(cfg), args.out_scenarios)
    log.info("aggregate: %d rows from %d scenarios", len(metrics), len(args.metrics))

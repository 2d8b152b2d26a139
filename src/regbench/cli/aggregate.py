"""``regbench aggregate``: metrics.csv, summary.csv, paired.csv, scenarios.csv of a study (collect_metrics)."""

from __future__ import annotations

import pandas as pd

from regbench.cli._args import fail, json_arg, log
from regbench.data.io import DamagedFileError, read_csv_checked, write_csv
from regbench.evaluate.diagnostics import WARNING_COLUMNS, warnings_table
from regbench.evaluate.metrics import METRIC_COLUMNS
from regbench.evaluate.paired import paired_table
from regbench.evaluate.summary import summary_table
from regbench.study.config import methods_for, scenario_table

HELP = "collect per-scenario metrics into metrics.csv, summary.csv, paired.csv, scenarios.csv and warnings.csv"


def add_arguments(p):
    p.add_argument("--config", type=json_arg, required=True, help="the checked study config as JSON")
    p.add_argument("--metrics", nargs="+", required=True, help="per-scenario metrics tables, in scenario order")
    p.add_argument("--out-metrics", required=True)
    p.add_argument("--out-summary", required=True)
    p.add_argument("--out-scenarios", required=True)
    p.add_argument("--out-paired", help="paired.csv: each method against the best and the reference, per replicate")
    p.add_argument("--warnings", nargs="*", default=[], help="per-scenario warnings tables")
    p.add_argument("--out-warnings", default=None, help="warnings.csv (with the study seed of each data set)")


def run(args):
    cfg = args.config
    if len(args.metrics) != len(cfg["scenarios"]):
        raise SystemExit(f"--metrics has {len(args.metrics)} tables for {len(cfg['scenarios'])} scenarios")
    try:  # a table is never built from a partial input: each scenario's rows = replicates x its methods
        parts = [read_csv_checked(path, METRIC_COLUMNS, rows=cfg["replicates"] * len(methods_for(cfg, scenario)))
                 for path, scenario in zip(args.metrics, cfg["scenarios"])]
        warned = [read_csv_checked(path, WARNING_COLUMNS) for path in args.warnings]
    except DamagedFileError as exc:
        return fail("aggregate", exc)
    metrics = pd.concat(parts, ignore_index=True)
    write_csv(metrics, args.out_metrics)
    write_csv(summary_table(metrics, n_boot=cfg["bootstrap"], seed=cfg["seed"]), args.out_summary)
    write_csv(scenario_table(cfg), args.out_scenarios)
    if args.out_paired:
        write_csv(paired_table(metrics, reference=cfg.get("reference", "lasso"), n_boot=max(cfg["bootstrap"], 10),
                               seed=cfg["seed"]), args.out_paired)
    log.info("aggregate: %d rows from %d scenarios", len(metrics), len(args.metrics))
    if args.out_warnings:
        table = warnings_table(warned, seed=cfg["seed"])
        write_csv(table, args.out_warnings)
        log.info("aggregate: %d warnings", len(table))

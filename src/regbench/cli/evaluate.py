"""``regbench evaluate``: the metrics of a scenario's fits against their data sets (the compute_metrics rule)."""

from __future__ import annotations

import pandas as pd

from regbench.cli._args import fail, log
from regbench.data.io import DamagedFileError, load_dataset, load_npz, write_csv
from regbench.evaluate.diagnostics import fit_warning_rows, warnings_table
from regbench.evaluate.metrics import FIT_INPUT_KEYS, METRIC_COLUMNS, evaluate

HELP = "compute the metrics of fits against their data sets"


def add_arguments(p):
    p.add_argument("--study", required=True)
    p.add_argument("--data", nargs="+", required=True, help="the scenario's data sets (.npz)")
    p.add_argument("--fits", nargs="+", required=True, help="fits (.npz) of those data sets, any order")
    p.add_argument("--out", required=True, help="the scenario's metrics table (.csv)")
    p.add_argument("--out-warnings", default=None, help="the scenario's warnings table (.csv): one row per warning")


def run(args):
    try:
        return _run(args)
    except DamagedFileError as exc:  # nothing written: the metrics are never built from a damaged input
        return fail("evaluate", exc)


def _run(args):
    datasets = {}
    for path in args.data:
        ds = load_dataset(path)
        datasets[(ds.scenario, ds.replicate)] = ds
    rows, warned = [], []
    for path in args.fits:
        fit = load_npz(path, keys=FIT_INPUT_KEYS)
        key = (str(fit["scenario"]), int(fit["replicate"]))
        if key not in datasets:
            raise SystemExit(f"{path}: fit of scenario {key[0]!r} replicate {key[1]} has no data set in --data")
        rows.append(evaluate(datasets[key], fit, study=args.study))
        warned += fit_warning_rows(fit)
    write_csv(pd.DataFrame(rows, columns=METRIC_COLUMNS), args.out)
    log.info("evaluate: %d rows -> %s", len(rows), args.out)
    if args.out_warnings:
        write_csv(warnings_table(warned), args.out_warnings)
        log.info("evaluate: %d warnings -> %s", len(warned), args.out_warnings)

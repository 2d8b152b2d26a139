"""The ``regbench`` command line: one subcommand per pipeline step (and more, registered with ``@command``).

    regbench simulate  --scenario JSON --seed S --replicates 0 1 --out data/0.npz data/1.npz
    regbench fit       --method lasso --spec JSON --data data/0.npz data/1.npz --out fits/0/lasso.npz ...
    regbench evaluate  --study NAME --data data/*.npz --fits fits/*/*.npz --out metrics/scenario.csv
    regbench aggregate --config JSON --metrics metrics/*.csv --out-metrics ... --out-summary ... --out-scenarios ...

Snakemake rules call these with ``2> {log}``; progress and errors go to stderr. Every output is written atomically.

To add a subcommand, decorate a function taking the parsed ``argparse.Namespace`` with
``@command(name, help, arguments)``, where ``arguments`` is a function adding the subcommand's options to its
parser. Imports of the heavy modules (the solver, pandas) happen inside the subcommand, so each step imports only
what it needs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

log = logging.getLogger("regbench")

#: subcommand name -> (help, add_arguments(parser), run(args))
COMMANDS: dict = {}


def command(name, help, arguments=None):
    """Register ``run(args) -> int | None`` as the subcommand ``name``."""

    def register(run):
        COMMANDS[name] = (help, arguments or (lambda parser: None), run)
        return run

    return register


def _json(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text[:80]!r}") from exc


# --------------------------------------------------------------------------- simulate
def _simulate_args(p):
    p.add_argument("--scenario", type=_json, required=True, help="the scenario's settings as a JSON object")
    p.add_argument("--seed", type=int, required=True, help="the study seed")
    p.add_argument("--tuning-method", choices=["cv", "validation"], default="cv")
    p.add_argument("--replicates", type=int, nargs="+", required=True, help="replicate numbers to draw")
    p.add_argument("--out", nargs="+", required=True, help="one .npz path per replicate, in the same order")


@command("simulate", "draw a scenario's replicates into .npz data sets", _simulate_args)
def _simulate(args):
    from regbench.io import save_dataset
    from regbench.simulate import simulate

    if len(args.out) != len(args.replicates):
        raise SystemExit(f"--out has {len(args.out)} paths for {len(args.replicates)} replicates")
    for rep, out in zip(args.replicates, args.out):
        ds = simulate(args.scenario, study_seed=args.seed, replicate=rep, tuning_method=args.tuning_method)
        save_dataset(out, ds)
        log.info("simulate %s replicate %d: X_train %s -> %s", ds.scenario, rep, ds.X_train.shape, out)


# --------------------------------------------------------------------------- fit
def _fit_args(p):
    p.add_argument("--method", required=True, help="ols, lasso, ridge, enet_naive or enet_corrected")
    p.add_argument("--spec", type=_json, required=True,
                   help='JSON: {"tuning": {...}, "grid": {...}, "solver": {...}, "standardize": bool}')
    p.add_argument("--data", nargs="+", required=True, help="data sets (.npz from simulate)")
    p.add_argument("--out", nargs="+", required=True, help="one fit .npz per data set, in the same order")


@command("fit", "tune and fit one method on each given data set", _fit_args)
def _fit(args):
    import time

    import scipy.sparse as sp

    from regbench.io import load_dataset, save_npz
    from regbench.study import fit_method, warm_up

    if len(args.out) != len(args.data):
        raise SystemExit(f"--out has {len(args.out)} paths for {len(args.data)} data sets")
    spec = args.spec
    warmed = set()
    for data, out in zip(args.data, args.out):
        ds = load_dataset(data)
        kind = sp.issparse(ds.X_train)
        if args.method != "ols" and kind not in warmed:
            t0 = time.perf_counter()
            warm_up(sparse=kind, standardize=spec.get("standardize", True))
            warmed.add(kind)
            log.info("warm-up (numba compile or cache load): %.2f s", time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = fit_method(ds, args.method, tuning=spec["tuning"], grid=spec.get("grid"), solver=spec.get("solver"),
                         standardize=spec.get("standardize", True))
        save_npz(out, **res)
        if len(res["cv_lambdas"]) > 1 and res["chosen_index"] == len(res["cv_lambdas"]) - 1:
            log.warning("%s on %s: the chosen lambda is the smallest of the grid; a smaller eps may fit better",
                        args.method, data)
        log.info("fit %s on %s: %.2f s, nnz %d -> %s", args.method, data, time.perf_counter() - t0,
                 int((res["coef"] != 0).sum()), out)


# --------------------------------------------------------------------------- evaluate
def _evaluate_args(p):
    p.add_argument("--study", required=True)
    p.add_argument("--data", nargs="+", required=True, help="the scenario's data sets (.npz)")
    p.add_argument("--fits", nargs="+", required=True, help="fits (.npz) of those data sets, any order")
    p.add_argument("--out", required=True, help="the scenario's metrics table (.csv)")


@command("evaluate", "compute the metrics of fits against their data sets", _evaluate_args)
def _evaluate(args):
    import pandas as pd

    from regbench.io import load_dataset, load_npz, write_csv
    from regbench.study import METRIC_COLUMNS, evaluate

    datasets = {}
    for path in args.data:
        ds = load_dataset(path)
        datasets[(ds.scenario, ds.replicate)] = ds
    rows = []
    for path in args.fits:
        fit = load_npz(path)
        key = (str(fit["scenario"]), int(fit["replicate"]))
        if key not in datasets:
            raise SystemExit(f"{path}: fit of scenario {key[0]!r} replicate {key[1]} has no data set in --data")
        rows.append(evaluate(datasets[key], fit, study=args.study))
    write_csv(pd.DataFrame(rows, columns=METRIC_COLUMNS), args.out)
    log.info("evaluate: %d rows -> %s", len(rows), args.out)


# --------------------------------------------------------------------------- aggregate
def _aggregate_args(p):
    p.add_argument("--config", type=_json, required=True, help="the checked study config as JSON")
    p.add_argument("--metrics", nargs="+", required=True, help="per-scenario metrics tables, in scenario order")
    p.add_argument("--out-metrics", required=True)
    p.add_argument("--out-summary", required=True)
    p.add_argument("--out-scenarios", required=True)


@command("aggregate", "collect per-scenario metrics into metrics.csv, summary.csv and scenarios.csv",
         _aggregate_args)
def _aggregate(args):
    import pandas as pd

    from regbench.io import write_csv
    from regbench.study import METRIC_COLUMNS, summary_table
    from regbench.studyconfig import scenario_table

    cfg = args.config
    metrics = pd.concat([pd.read_csv(p) for p in args.metrics], ignore_index=True)[METRIC_COLUMNS]
    write_csv(metrics, args.out_metrics)
    write_csv(summary_table(metrics, n_boot=cfg["bootstrap"], seed=cfg["seed"]), args.out_summary)
    write_csv(scenario_table(cfg), args.out_scenarios)
    log.info("aggregate: %d rows from %d scenarios", len(metrics), len(args.metrics))


# --------------------------------------------------------------------------- entry point
def build_parser() -> argparse.ArgumentParser:
    from regbench.cli_data import register as register_data_commands  # advise, compare, advise-study

    register_data_commands(command)
    parser = argparse.ArgumentParser(prog="regbench", description="regbench: L1, L2 and elastic net, measured.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_, add_arguments, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_)
        add_arguments(p)
        p.set_defaults(_run=run)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return args._run(args) or 0


if __name__ == "__main__":
    sys.exit(main())

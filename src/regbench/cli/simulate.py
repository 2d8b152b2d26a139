"""``regbench simulate``: draw a scenario's replicates into .npz data sets (the simulate_dataset rule)."""

from __future__ import annotations

from regbench.cli._args import json_arg, log, non_negative_int
from regbench.data.io import save_dataset
from regbench.data.simulate import simulate

HELP = "draw a scenario's replicates into .npz data sets"


def add_arguments(p):
    p.add_argument("--scenario", type=json_arg, required=True, help="the scenario's settings as a JSON object")
    p.add_argument("--seed", type=non_negative_int, required=True, help="the study seed")
    p.add_argument("--tuning-method", choices=["cv", "validation"], default="cv")
    p.add_argument("--replicates", type=non_negative_int, nargs="+", required=True, help="replicate numbers to draw")
    p.add_argument("--out", nargs="+", required=True, help="one .npz path per replicate, in the same order")


def run(args):
    if len(args.out) != len(args.replicates):
        raise SystemExit(f"--out has {len(args.out)} paths for {len(args.replicates)} replicates")
    for rep, out in zip(args.replicates, args.out):
        ds = simulate(args.scenario, study_seed=args.seed, replicate=rep, tuning_method=args.tuning_method)
        save_dataset(out, ds)
        log.info("simulate %s replicate %d: X_train %s -> %s", ds.scenario, rep, ds.X_train.shape, out)

"""Subcommands for real data and the article's advice (registered into ``regbench.cli``):

    regbench advise  DATA.csv --target COL [--validate] [--time-budget S] [--json OUT]
    regbench compare DATA.csv --target COL [--folds K] [--test-fraction F | --test-rows R ...] [--cores N]
    regbench advise-study --data results/<study>/data/<scenario>/0.npz ... --out results/<study>/advice.csv

Bad input (missing file, missing target column, non-numeric columns, missing values, fewer than 3 rows) prints one
clear error and exits with status 2; nothing is written.
"""

from __future__ import annotations

import json
import logging
import sys

log = logging.getLogger("regbench")

BAD_INPUT = 2


def _fail(cmd, exc) -> int:
    print(f"regbench {cmd}: error: {exc}", file=sys.stderr)
    return BAD_INPUT


# --------------------------------------------------------------------------- advise
def _advise_args(p):
    p.add_argument("data", help="a CSV (.csv, .csv.gz, .tsv) or parquet file with a header row")
    p.add_argument("--target", required=True, help="the response column; every other column is a predictor")
    p.add_argument("--validate", action="store_true",
                   help="question 2: run a quick cross-validated comparison and say whether the advice held")
    p.add_argument("--cv", type=int, default=5, help="folds of the validation (default 5)")
    p.add_argument("--time-budget", type=float, default=None,
                   help="question 3: seconds allowed for tuning on all rows (elastic net over budget -> L1 or L2)")
    p.add_argument("--no-measure", action="store_true", help="skip timing the methods on a subsample")
    p.add_argument("--json", default=None, help="also write the advice as a JSON record to this path")


def _advise(args):
    from regbench.advise import advise
    from regbench.datasets import DataError, load_table

    try:
        table = load_table(args.data, args.target)
    except DataError as exc:
        return _fail("advise", exc)
    adv = advise(table.X, table.y, feature_names=table.feature_names, validate=args.validate, cv=args.cv,
                 measure=not args.no_measure, time_budget=args.time_budget)
    print(f"regbench advise: {args.data} (target {args.target})")
    print(adv.to_text())
    if args.json:
        from regbench.io import atomic_path

        record = {k: (v.item() if hasattr(v, "item") else v) for k, v in adv.as_record().items()}
        with atomic_path(args.json) as tmp:
            tmp.write_text(json.dumps(record, indent=2, default=str))
    return 0


# --------------------------------------------------------------------------- compare
def _compare_args(p):
    p.add_argument("data", help="a CSV (.csv, .csv.gz, .tsv) or parquet file with a header row")
    p.add_argument("--target", required=True, help="the response column; every other column is a predictor")
    p.add_argument("--study", default=None, help="study name (default compare_<file stem>); results/<study>/")
    p.add_argument("--folds", type=int, default=5, help="K of the K-fold CV that tunes every method (default 5)")
    p.add_argument("--test-fraction", type=float, default=0.25, help="random test share (default 0.25)")
    p.add_argument("--test-rows", type=int, nargs="+", default=None, help="fixed test rows (1-based) instead")
    p.add_argument("--replicates", type=int, default=1, help="repeated random splits (default 1)")
    p.add_argument("--cores", type=int, default=2)


def _compare(args):
    import yaml

    from regbench.advise import agreement_table
    from regbench.compare import method_table, render, repository_root, run_study, study_config
    from regbench.datasets import DataError, load_table
    from regbench.io import atomic_path
    from regbench.studyconfig import StudyConfigError, check_config

    try:
        table = load_table(args.data, args.target)
        root = repository_root()
        cfg = study_config(args.data, args.target, study=args.study, folds=args.folds, replicates=args.replicates,
                           test_fraction=args.test_fraction, test_rows=args.test_rows)
        check_config(json.loads(json.dumps(cfg)), root / "workflow" / "schemas" / "config.schema.yaml")
    except (DataError, StudyConfigError, FileNotFoundError) as exc:
        return _fail("compare", exc)
    out = root / "results" / cfg["study"]
    cfg_path = out / "study.yaml"
    with atomic_path(cfg_path) as tmp:
        tmp.write_text(yaml.safe_dump(cfg, sort_keys=False))
    rel = f"results/{cfg['study']}"
    rc = run_study(cfg_path, [f"{rel}/summary.csv", f"{rel}/advice.csv"], cores=args.cores, root=root)
    if rc:
        print(f"regbench compare: the pipeline failed (exit {rc}); see logs/{cfg['study']}/", file=sys.stderr)
        return rc
    scenario = cfg["scenarios"][0]["name"]
    methods = method_table(out, scenario, list(table.feature_names))
    agree = agreement_table(out / "advice.csv", out / "summary.csv")
    split = (f"test rows: {len(args.test_rows)} given" if args.test_rows else
             f"random {args.test_fraction:.0%} test split, {args.replicates} replicate(s)")
    notes = [f"data `{args.data}`: n = {table.n} rows, p = {table.p} predictors, target `{args.target}`; {split}; "
             f"every method tuned by {args.folds}-fold CV on the training rows.",
             agree.attrs.get("caption", "") if args.replicates > 1 else ""]
    if len(agree):
        from regbench.advise import CATEGORY_OF_METHOD

        a = agree.iloc[0]
        best = methods.loc[methods["test_mse"].idxmin()]
        mine = methods[methods["method"].map(CATEGORY_OF_METHOD) == a["advised"]]
        held = bool(mine["test_mse"].min() <= best["test_mse"] + best["se"]) if len(mine) else None
        verdict = {True: "held", False: "did not hold", None: "cannot be judged (no method of that category ran)"}
        notes.append(f"Advised: **{a['advised']}**; lowest test MSE: **{best['method']}** "
                     f"({CATEGORY_OF_METHOD.get(best['method'])}); the advice {verdict[held]} (advised category "
                     "within one standard error of the lowest test MSE).")
    text = render(methods, title=f"regbench compare: {table.source}", notes=notes)
    with atomic_path(out / "compare.md") as tmp:
        tmp.write_text(text)
    print(text)
    print(f"report: {out / 'compare.md'}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- advise-study (pipeline)
def _advise_study_args(p):
    p.add_argument("--study", required=True)
    p.add_argument("--data", nargs="+", required=True, help="one data set (.npz) per scenario")
    p.add_argument("--out", required=True, help="advice.csv")
    p.add_argument("--no-measure", action="store_true", help="skip timing the methods")


def _advise_study(args):
    import pandas as pd

    from regbench.advise import advise_dataset
    from regbench.io import load_dataset, write_csv

    rows = []
    for path in args.data:
        ds = load_dataset(path)
        rec = advise_dataset(ds, measure=not args.no_measure)
        rows.append({"study": args.study, **rec})
        log.info("advise %s: %s", ds.scenario, rec["advised"])
    write_csv(pd.DataFrame(rows), args.out)


def register(command) -> None:
    """Add these subcommands to ``regbench.cli`` (``command`` is its registering decorator)."""
    command("advise", "the article's three questions for a CSV/parquet file: L1, L2, elastic net or none",
            _advise_args)(_advise)
    command("compare", "fit OLS, lasso, ridge and both elastic nets on a CSV/parquet file through the pipeline",
            _compare_args)(_compare)
    command("advise-study", "the advice for each scenario of a study (pipeline step)", _advise_study_args)(
        _advise_study)

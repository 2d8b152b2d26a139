"""``regbench compare DATA.csv --target COL``: the methods on the user's data, through the study pipeline.

The data file becomes a one-scenario study (``regbench.study.compare``), Snakemake runs it, and the Markdown report
(``regbench.report.compare``) is printed and written to ``results/<study>/compare.md``. Bad input stops with exit
status 2 before anything is written.
"""

from __future__ import annotations

import json
import sys

import yaml

from regbench.advise.scoring import agreement_table
from regbench.cli._args import fail
from regbench.data.io import atomic_path
from regbench.data.tables import DataError, load_table
from regbench.report.compare import advice_note, method_table, render
from regbench.study.compare import repository_root, run_study, study_config
from regbench.study.config import StudyConfigError, check_config

HELP = "fit OLS, lasso, ridge and both elastic nets on a CSV/parquet file through the pipeline"


def add_arguments(p):
    p.add_argument("data", help="a CSV (.csv, .csv.gz, .tsv) or parquet file with a header row")
    p.add_argument("--target", required=True, help="the response column; every other column is a predictor")
    p.add_argument("--study", default=None, help="study name (default compare_<file stem>); results/<study>/")
    p.add_argument("--folds", type=int, default=5, help="K of the K-fold CV that tunes every method (default 5)")
    p.add_argument("--test-fraction", type=float, default=0.25, help="random test share (default 0.25)")
    p.add_argument("--test-rows", type=int, nargs="+", default=None, help="fixed test rows (1-based) instead")
    p.add_argument("--replicates", type=int, default=1, help="repeated random splits (default 1)")
    p.add_argument("--cores", type=int, default=2)


def run(args):
    try:
        table = load_table(args.data, args.target)
        root = repository_root()
        cfg = study_config(args.data, args.target, study=args.study, folds=args.folds, replicates=args.replicates,
                           test_fraction=args.test_fraction, test_rows=args.test_rows)
        check_config(json.loads(json.dumps(cfg)), root / "workflow" / "schemas" / "config.schema.yaml")
    except (DataError, StudyConfigError, FileNotFoundError) as exc:
        return fail("compare", exc)
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
        notes.append(advice_note(methods, agree.iloc[0]["advised"]))
    text = render(methods, title=f"regbench compare: {table.source}", notes=notes)
    with atomic_path(out / "compare.md") as tmp:
        tmp.write_text(text)
    print(text)
    print(f"report: {out / 'compare.md'}", file=sys.stderr)
    return 0

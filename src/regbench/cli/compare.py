"""``regbench compare DATA.csv --target COL``: the methods on the user's data, through the study pipeline.

The data file becomes a one-scenario study (``regbench.study.compare``), Snakemake runs it, and the Markdown report
(``regbench.report.compare``) is printed and written to ``results/<study>/compare.md``. Bad input (the data, an
option out of its range, a results folder holding another file's comparison or that cannot be written) stops with
exit status 2 before anything is written. The results folder is keyed to the file's content; a run killed earlier
is unlocked and resumed; missing data sets and fits are rebuilt.
"""

from __future__ import annotations

import json
import sys

import yaml

from regbench.advise.scoring import agreement_table
from regbench.cli._args import bounded, fail, folds_arg, note, positive_int, unwritable
from regbench.data.io import DamagedFileError, atomic_path
from regbench.data.tables import DataError, load_table
from regbench.report.compare import advice_note, method_table, render
from regbench.study.compare import (
    RUNNING_FILE,
    CompareError,
    check_destination,
    data_digest,
    interrupted_run,
    repository_root,
    run_study,
    study_config,
    unlock_study,
    write_source,
)
from regbench.study.config import StudyConfigError, check_config

HELP = "fit OLS, lasso, ridge and both elastic nets on a CSV/parquet file through the pipeline"

#: the study-config keys the options set (a config error names the option too)
_OPTION_OF = {"tuning.folds": "--folds", "test_fraction": "--test-fraction", "test_rows": "--test-rows",
              "replicates": "--replicates", "study:": "--study"}
#: what the pipeline builds for compare (workflow: the data sets, fits, tables and advice, no report)
TARGETS = ["study_results"]


def add_arguments(p):
    p.add_argument("data", help="a CSV (.csv, .csv.gz, .tsv) or parquet file with a header row")
    p.add_argument("--target", required=True, help="the response column; every other column is a predictor")
    p.add_argument("--study", default=None,
                   help="study name, results/<study>/ (default compare_<file stem>_<first 10 digits of its sha256>)")
    p.add_argument("--folds", type=folds_arg, default=5,
                   help="K of the K-fold CV that tunes every method, 2..training rows (default 5)")
    p.add_argument("--test-fraction", type=bounded(float, 0, 1, low_open=True, high_open=True), default=0.25,
                   help="random test share, strictly between 0 and 1 (default 0.25)")
    p.add_argument("--test-rows", type=bounded(int, 1, what="1-based row numbers"), nargs="+", default=None,
                   help="fixed test rows (1-based) instead")
    p.add_argument("--replicates", type=positive_int, default=1, help="repeated random splits, >= 1 (default 1)")
    p.add_argument("--cores", type=positive_int, default=2, help="cores Snakemake may use, >= 1 (default 2)")
    p.add_argument("--replace", action="store_true",
                   help="rerun in a --study folder that holds another file's comparison (its results are replaced)")
    p.add_argument("--unlock", action="store_true",
                   help="remove Snakemake's lock left by an interrupted run of this study, then run")


def _config_message(exc) -> str:
    text = str(exc)
    named = [f"{opt} sets {key.rstrip(':')}" for key, opt in _OPTION_OF.items() if key in text]
    return text + (f" ({'; '.join(named)})" if named else "")


def run(args):
    try:
        table = load_table(args.data, args.target)
        root = repository_root()
        digest = data_digest(args.data)
        cfg = study_config(args.data, args.target, study=args.study, folds=args.folds, replicates=args.replicates,
                           test_fraction=args.test_fraction, test_rows=args.test_rows)
        check_config(json.loads(json.dumps(cfg)), root / "workflow" / "schemas" / "config.schema.yaml")
        out = root / "results" / cfg["study"]
        check_destination(out, args.data, digest, replace=args.replace)
    except StudyConfigError as exc:
        return fail("compare", _config_message(exc))
    except (DataError, CompareError, FileNotFoundError) as exc:
        return fail("compare", exc)
    note("compare", table.notes)
    previous = interrupted_run(out)
    if previous and previous[0] == "running":
        return fail("compare", f"another `regbench compare` of this study is running (pids {previous[1]}); wait for "
                    f"it to finish (or stop it), then run again")
    cfg_path = out / "study.yaml"
    try:
        with atomic_path(cfg_path) as tmp:
            tmp.write_text(yaml.safe_dump(cfg, sort_keys=False))
        write_source(out, args.data, digest)
    except OSError as exc:
        return fail("compare", unwritable(cfg_path, exc))
    if previous or args.unlock:
        why = "an earlier run of this study was interrupted" if previous else "--unlock"
        print(f"regbench compare: {why}: removing Snakemake's lock and resuming", file=sys.stderr)
        unlock_study(cfg_path, TARGETS, root=root)
    rc, locked = run_study(cfg_path, TARGETS, cores=args.cores, root=root, mark=out / RUNNING_FILE)
    if rc:
        hint = (" Snakemake found the study locked: if no other run of it is going on (a run was interrupted), run "
                "the same command with --unlock." if locked else "")
        print(f"regbench compare: the pipeline failed (exit {rc}); see logs/{cfg['study']}/.{hint}", file=sys.stderr)
        return rc
    scenario = cfg["scenarios"][0]["name"]
    try:
        methods = method_table(out, scenario, list(table.feature_names))
    except DamagedFileError as exc:
        return fail("compare", exc)
    agree = agreement_table(out / "advice.csv", out / "summary.csv")
    split = (f"test rows: {len(args.test_rows)} given" if args.test_rows else
             f"random {args.test_fraction:.0%} test split, {args.replicates} replicate(s)")
    notes = [f"data `{args.data}`: n = {table.n} rows, p = {table.p} predictors, target `{args.target}`; {split}; "
             f"every method tuned by {args.folds}-fold CV on the training rows.",
             agree.attrs.get("caption", "") if args.replicates > 1 else ""]
    notes += list(table.notes)
    if len(agree):
        notes.append(advice_note(methods, agree.iloc[0]["advised"]))
    text = render(methods, title=f"regbench compare: {table.source}", notes=notes)
    try:
        with atomic_path(out / "compare.md") as tmp:
            tmp.write_text(text)
    except OSError as exc:
        return fail("compare", unwritable(out / "compare.md", exc))
    print(text)
    print(f"report: {out / 'compare.md'}", file=sys.stderr)
    return 0

"""Study throughput against what users write by hand (issue 10, item 7).

One run, side by side, on the same machine:

1. **pipeline**: ``snakemake --profile workflow/profiles/default --cores C`` on a study (default: config/default.yaml)
   in a fresh directory, up to its tables (metrics.csv; the report pages are left out: the loop makes none),
   end to end: simulation, every fit, metrics, aggregation, Snakemake's own start-up and scheduling;
2. **loop**: the same study's fits as a plain Python loop over scikit-learn, on the *same data sets* (the
   pipeline's .npz files), the *same folds* (regbench's ``kfold_indices`` with each data set's ``cv_seed``) and the
   *same grids* (lasso and elastic net: ``alphas=n_lambdas``, ``eps``, ``l1_ratio`` of the study's grids, whose
   alpha_max on standardized X equals regbench's lambda_max; ridge: the study's grid, from 1000 x the lasso's
   lambda_max, in scikit-learn's scaling alpha = n * lambda): ``LassoCV``, ``RidgeCV(cv=folds)``, ``ElasticNetCV``
   (once for both elastic nets: scikit-learn has no corrected variant, which favours the loop), ``LinearRegression``
   where n > p, each with its refit on all training rows, X standardized once per data set (less work than
   regbench's per-fold standardization, again favouring the loop).

The loop runs twice: at scikit-learn's default ``tol=1e-4`` and at the pipeline's precision (regbench stops at a
duality gap <= tol * ||y - mean y||^2 / (2n); scikit-learn at gap <= tol * ||y - mean y||^2 in its unnormalized
objective, i.e. the same certificate with ``tol_sklearn = tol_regbench / 2``). Wall and CPU seconds of each are
printed (CPU: this process and its children, so a loaded, shared machine is reported honestly), and the ratios.

    .venv/bin/python benchmarks/bench_study.py [--config config/default.yaml] [--cores 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from regbench.data.io import load_dataset
from regbench.fitting.cv import kfold_indices
from regbench.study.config import check_config, methods_for

ROOT = Path(__file__).resolve().parents[1]


def _cpu():
    self_, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self_.ru_utime + self_.ru_stime + kids.ru_utime + kids.ru_stime


def run_pipeline(config_path, workdir, cores):
    cfg = yaml.safe_load(Path(config_path).read_text())
    cmd = [str(Path(sys.executable).with_name("snakemake")), "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           "--profile", str(ROOT / "workflow/profiles/default"), "--cores", str(cores), "--quiet", "rules",
           "--configfile", str(Path(config_path).resolve()), "--", f"results/{cfg['study']}/metrics.csv"]
    t0, c0 = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stdout + proc.stderr)
    return time.perf_counter() - t0, _cpu() - c0


def _standardize(X):
    if sp.issparse(X):
        X = X.tocsc()
        mean = np.asarray(X.mean(axis=0)).ravel()
        sq = np.asarray(X.multiply(X).mean(axis=0)).ravel()
        scale = np.sqrt(np.maximum(sq - mean**2, 0))
        scale[scale == 0] = 1
        return X @ sp.diags(1 / scale)  # scikit-learn centres sparse X implicitly (fit_intercept)
    scale = X.std(axis=0)
    scale[scale == 0] = 1
    return (X - X.mean(axis=0)) / scale


def _lasso_lambda_max(Xs, y):
    yc = y - y.mean()
    g = Xs.T @ yc
    if sp.issparse(Xs):  # implicit centring: X'(y - ybar) is unchanged by centring X
        g = np.asarray(g).ravel()
    return float(np.max(np.abs(g))) / len(y)


def run_loop(cfg, results, tol):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import ElasticNetCV, LassoCV, LinearRegression, RidgeCV

    grids = cfg["grids"]
    folds_k = cfg["tuning"]["folds"]
    n_fits = 0
    t0, c0 = time.perf_counter(), _cpu()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for s in cfg["scenarios"]:
            methods = methods_for(cfg, s)
            for rep in range(cfg["replicates"]):
                ds = load_dataset(results / "data" / s["name"] / f"{rep}.npz")
                X, y = ds.X_train, ds.y_train
                Xs = _standardize(X)
                n, p = X.shape
                folds = kfold_indices(n, folds_k, random_state=cfg["tuning"].get("fold_seed", ds.cv_seed))
                default_eps = 1e-3 if n >= p else 1e-2
                if "lasso" in methods:
                    g = {"n_lambdas": 50, "eps": None, **grids["lasso"]}
                    LassoCV(alphas=g["n_lambdas"], eps=g["eps"] or default_eps, cv=folds, tol=tol,
                            max_iter=10_000).fit(Xs, y)
                    n_fits += 1
                if "ridge" in methods:
                    g = {"n_lambdas": 50, "eps": None, **grids["ridge"]}
                    top = 1000 * _lasso_lambda_max(Xs, y)
                    lambdas = np.geomspace(top, top * (g["eps"] or default_eps * 1e-3), g["n_lambdas"])
                    RidgeCV(alphas=n * lambdas, cv=folds).fit(Xs, y)
                    n_fits += 1
                enets = [m for m in methods if m.startswith("enet")]
                if enets:
                    g = {"n_lambdas": 50, "eps": None, **grids[enets[0]]}
                    if g.get("second") == "lambda2":
                        raise SystemExit(f"grids.{enets[0]}: the loop mirrors l1_ratio grids only "
                                         "(scikit-learn's ElasticNetCV has no fixed-lambda2 tuning)")
                    ElasticNetCV(l1_ratio=g["l1_ratios"], alphas=g["n_lambdas"], eps=g["eps"] or default_eps,
                                 cv=folds, tol=tol, max_iter=10_000).fit(Xs, y)
                    n_fits += len(enets)
                if "ols" in methods:
                    LinearRegression().fit(X.toarray() if sp.issparse(X) else X, y)
                    n_fits += 1
    return time.perf_counter() - t0, _cpu() - c0, n_fits


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config/default.yaml"))
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--keep", default=None, help="run in this directory and keep it (default: a temp dir)")
    args = ap.parse_args(argv)
    cfg = check_config(yaml.safe_load(Path(args.config).read_text()), ROOT / "workflow/schemas/config.schema.yaml")
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="bench_study_"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        pipe_wall, pipe_cpu = run_pipeline(args.config, workdir, args.cores)
        results = workdir / "results" / cfg["study"]
        tol = cfg["solver"]["tol"]
        rows = [("regbench pipeline (end to end)", pipe_wall, pipe_cpu, None)]
        for label, t in (("scikit-learn loop, tol=1e-4 (its default)", 1e-4),
                         (f"scikit-learn loop, tol={tol / 2:g} (the pipeline's precision)", tol / 2)):
            wall, cpu, n_fits = run_loop(cfg, results, t)
            rows.append((label, wall, cpu, n_fits))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"study {cfg['study']}: {len(cfg['scenarios'])} scenarios x {cfg['replicates']} replicates, "
          f"{args.cores} cores for the pipeline, the loop in one process")
    print(f"{'':58} {'wall s':>8} {'CPU s':>8} {'wall ratio':>11} {'CPU ratio':>10}")
    for label, wall, cpu, _ in rows:
        print(f"{label:58} {wall:8.1f} {cpu:8.1f} {wall / pipe_wall:10.2f}x {cpu / pipe_cpu:9.2f}x")
    print("ratio = loop / pipeline (> 1: the pipeline is faster)")


if __name__ == "__main__":
    main()

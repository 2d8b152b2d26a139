"""Effect of glmnet's early path stop (``cross_validate(early_stop=True)``) on tuning time and on the
chosen hyperparameters, on the default study's scenarios (config/default.yaml).

Tunes exactly as the pipeline does (``regbench.evaluate.fits._penalized``: 5-fold CV, rule, standardize, grids and
solver settings of the study) with the early stop off and on, on the same simulated replicates, and
prints one Markdown table. Run: PYTHONPATH=src python benchmarks/early_stop.py [--replicates 5]
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import yaml

import regbench
from regbench.data.simulate import simulate
from regbench.evaluate.fits import warm_up

ROOT = Path(__file__).resolve().parents[1]


def tune(ds, study, method, early_stop, eps=None):
    grid = {"n_lambdas": 50, "eps": None, **study["grids"][method]}
    if eps is not None:
        grid["eps"] = eps
    values = (1.0,) if method == "lasso" else tuple(grid["l1_ratios"])
    variant = "corrected" if method == "enet_corrected" else "naive"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", regbench.ConvergenceWarning)
        t0 = time.perf_counter()
        cvr = regbench.cross_validate(
            ds.X_train, ds.y_train, l1_ratios=values, cv=study["tuning"]["folds"], rule=study["tuning"]["rule"],
            random_state=ds.cv_seed, variant=variant, standardize=study["standardize"], n_lambdas=grid["n_lambdas"],
            eps=grid["eps"], tol=study["solver"]["tol"], max_iter=study["solver"]["max_iter"], early_stop=early_stop)
        elapsed = time.perf_counter() - t0
    n_warn = sum(issubclass(w.category, regbench.ConvergenceWarning) for w in caught)
    a, k = cvr.best_index
    return dict(time=elapsed, lam=cvr.best_lambda, ratio=cvr.best_grid_value, k=k, L=cvr.lambdas.shape[1],
                warn=n_warn, cvmse=float(cvr.mse_mean[a, k]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--methods", default="lasso,enet_naive")
    ap.add_argument("--eps", type=float, default=None, help="override every grid's eps (lambda_min / lambda_max)")
    args = ap.parse_args()
    study = yaml.safe_load((ROOT / "config" / "default.yaml").read_text())
    warm_up(False)
    warm_up(True)
    rows = []
    for sc in study["scenarios"]:
        for method in args.methods.split(","):
            recs = {False: [], True: []}
            for rep in range(args.replicates):
                ds = simulate(sc, study_seed=study["seed"], replicate=rep, tuning_method="cv")
                for es in (False, True):
                    recs[es].append(tune(ds, study, method, es, args.eps))
            off, on = recs[False], recs[True]
            t_off = np.array([r["time"] for r in off])
            t_on = np.array([r["time"] for r in on])
            same = sum(a["lam"] == b["lam"] and a["ratio"] == b["ratio"] for a, b in zip(off, on))
            lam_ratio = np.array([b["lam"] / a["lam"] for a, b in zip(off, on)])
            mse_ratio = np.array([b["cvmse"] / a["cvmse"] for a, b in zip(off, on)])
            rows.append((sc["name"], method, f"{sc['n']}x{sc['p']}",
                         f"{np.median(t_off):.3f}", f"{np.median(t_on):.3f}", f"{np.median(t_on / t_off):.2f}",
                         f"{int(np.median([r['L'] for r in on]))}/{off[0]['L']}",
                         f"{same}/{len(off)}", f"{lam_ratio.min():.3g}-{lam_ratio.max():.3g}",
                         f"{mse_ratio.max():.4f}",
                         f"{sum(r['warn'] for r in off)} / {sum(r['warn'] for r in on)}",
                         f"{sum(r['k'] == r['L'] - 1 for r in off)} / {sum(r['k'] == r['L'] - 1 for r in on)}"))
            print(" | ".join(rows[-1]), flush=True)
    head = ("scenario", "method", "n x p", "tune s (off)", "tune s (on)", "on/off", "lambdas kept (median)",
            "same choice", "lambda on/off", "CV MSE on/off (max)", "ConvergenceWarnings off / on",
            "chosen at grid end off / on")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()

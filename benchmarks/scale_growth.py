"""How a study's cost grows with scenarios and with replicates (issue 10, item 6): fixed + per scenario + per fit.

Runs the same small crossed study (Toeplitz cells n = p = 100, k = 10, SNR 3; lasso, ridge and the naive elastic
net with 3 l1_ratios; 5-fold CV) at several (scenarios x replicates), each from an empty work directory (``-d``,
the checkout's Snakefile and code, so the numba cache is warm), up to its tables (metrics.csv, no report), and
prints per run: wall seconds, CPU seconds of Snakemake and all its jobs, the CPU inside the fits and the fit jobs'
start-up share (each fit job's log line, read by ``scale_table.fit_job``); then the least-squares fit
CPU ~ a + b * scenarios + c * fits over the runs.

    .venv/bin/python benchmarks/scale_growth.py [--designs 2x2,2x8,8x2,8x8] [--cores 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from scale_table import fit_job

ROOT = Path(__file__).resolve().parents[1]
METHODS = ["lasso", "ridge", "enet_naive"]


def _cpu():
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def config(scenarios: int, replicates: int) -> dict:
    rhos = [round(0.1 * i, 2) for i in range(scenarios)]
    return {
        "study": f"growth_s{scenarios}_r{replicates}", "seed": 7, "replicates": replicates, "methods": METHODS,
        "tuning": {"method": "cv", "folds": 5, "rule": "min"},
        "grids": {"lasso": {"n_lambdas": 40}, "ridge": {"n_lambdas": 100, "eps": 1.0e-7},
                  "enet_naive": {"n_lambdas": 40, "eps": 1.0e-3, "second": "l1_ratio", "l1_ratios": [0.1, 0.5, 0.9]}},
        "scenarios": [{"name": "cell", "design": "toeplitz", "n": 100, "p": 100, "n_test": 200, "truth": "sparse",
                       "k": 10, "snr": 3.0, "grid": {"rho": rhos}}],
    }


def run(scenarios, replicates, cores, workdir):
    cfg = config(scenarios, replicates)
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(cfg))
    cmd = [str(Path(sys.executable).with_name("snakemake")), "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           "--profile", str(ROOT / "workflow/profiles/default"), "--cores", str(cores), "--quiet", "rules",
           "--configfile", str(path), "--", f"results/{cfg['study']}/metrics.csv"]
    t0, c0 = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stdout + proc.stderr)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    jobs = [fit_job(f.read_text()) for f in (workdir / "logs" / cfg["study"]).glob("fit_model*/*.log")]
    jobs = np.array([j for j in jobs if j], dtype=float)
    return {"scenarios": scenarios, "replicates": replicates, "fits": int(jobs[:, 4].sum()), "wall": wall,
            "cpu": cpu, "fit_jobs_cpu": jobs[:, 0].sum(), "fitting": jobs[:, 1].sum(), "startup": jobs[:, 2].sum()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--designs", default="2x2,2x8,8x2,8x8", help="scenarios x replicates, comma-separated")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--keep", default=None, help="keep the work directories under this folder")
    args = ap.parse_args(argv)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="regbench-growth-"))
    rows = []
    try:
        for design in args.designs.split(","):
            s, r = (int(v) for v in design.split("x"))
            workdir = base / design
            shutil.rmtree(workdir, ignore_errors=True)
            workdir.mkdir(parents=True)
            rows.append(run(s, r, args.cores, workdir))
            print(f"# {design}: {rows[-1]['wall']:.1f} s wall", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print("| scenarios x replicates | fits | wall s | CPU s (Snakemake + jobs) | fit jobs' CPU s | in the fits s | "
          "fit jobs' start-up | outside the fits |\n|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['scenarios']} x {r['replicates']} | {r['fits']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
              f"{r['fit_jobs_cpu']:.1f} | {r['fitting']:.1f} | {r['startup'] / r['fit_jobs_cpu']:.0%} | "
              f"{1 - r['fitting'] / r['fit_jobs_cpu']:.0%} |")
    if len(rows) >= 3:
        A = np.array([[1.0, r["scenarios"], r["fits"]] for r in rows])
        for key in ("cpu", "wall"):
            coef, *_ = np.linalg.lstsq(A, np.array([r[key] for r in rows]), rcond=None)
            print(f"\n{key}: {coef[0]:.1f} s + {coef[1]:.2f} s x scenarios + {coef[2]:.3f} s x fits "
                  "(least squares over the runs)")


if __name__ == "__main__":
    main()

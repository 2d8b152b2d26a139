"""Where the time of a pipeline run goes, locally and on SLURM (the table of benchmarks/cluster.md).

    workflow/scripts/slurm-local-start.sh          # for --executor slurm (or a real cluster's login node)
    .venv/bin/python benchmarks/cluster.py --executor local slurm slurm-nogroups --replicates 2 6 --scenarios 2 4

Each run is the tiny study (.test/config.yaml) with R replicates and S scenarios (the two scenarios repeated under
new names, so new data), in a fresh copy of the pipeline files under a temporary directory. Per run it prints:
wall time; the fit_model jobs' wall time (their benchmark.tsv) split into the fitting itself (tune + path + cold
fit, summed from metrics.csv) and the rest (interpreter, imports, numba cache, I/O: "start-up"); and for SLURM the
SLURM jobs' summed elapsed time (squeue, while MinJobAge keeps finished jobs) against the rule jobs they ran.
`slurm-nogroups` is the SLURM profile without its `groups` (one SLURM job per rule job).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
PIPELINE = ["Snakefile", "workflow", "config", "src", ".test", "environment.yml", "notebooks"]
TABLES = ["results/tiny/metrics.csv", "results/tiny/summary.csv", "results/tiny/scenarios.csv"]


def checkout(dest, replicates, scenarios, executor):
    dest.mkdir(parents=True)
    for name in PIPELINE:
        src = ROOT / name
        copy = shutil.copytree if src.is_dir() else shutil.copy2
        kwargs = {"ignore": shutil.ignore_patterns("__pycache__")} if src.is_dir() else {}
        copy(src, dest / name, **kwargs)
    study = yaml.safe_load((ROOT / ".test/config.yaml").read_text())
    base = study["scenarios"]
    study["scenarios"] = [dict(s, name=f"{s['name']}{'' if i < len(base) else f'_{i // len(base)}'}")
                          for i, s in ((i, base[i % len(base)]) for i in range(scenarios))]
    study["replicates"] = replicates
    (dest / "study.yaml").write_text(yaml.safe_dump(study))
    if executor == "slurm-nogroups":
        prof = yaml.safe_load((dest / "workflow/profiles/slurm/config.yaml").read_text())
        for key in ("groups", "cores"):
            prof.pop(key)
        (dest / "workflow/profiles/slurm-nogroups").mkdir()
        (dest / "workflow/profiles/slurm-nogroups/config.yaml").write_text(yaml.safe_dump(prof))
    return dest


def slurm_jobs_after(first_id):
    """(jobid, elapsed seconds) of the finished SLURM jobs with id >= first_id (squeue sees them for MinJobAge)."""
    out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i %S %e"], capture_output=True, text=True,
                         check=True).stdout
    jobs = []
    for line in out.splitlines():
        jid, start, end = line.split()
        if int(jid) >= first_id and end != "N/A":
            jobs.append((int(jid), (pd.Timestamp(end) - pd.Timestamp(start)).total_seconds()))
    return jobs


def next_slurm_id():
    out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i"], capture_output=True, text=True).stdout
    ids = [int(x) for x in out.split()]
    return max(ids) + 1 if ids else 0


def run(workdir, executor):
    profile = {"local": "default"}.get(executor, executor)
    args = ["--cores", "2"] if executor == "local" else []
    first = next_slurm_id() if executor != "local" else None
    t0 = time.perf_counter()
    proc = subprocess.run([SNAKEMAKE, *TABLES, "--configfile", "study.yaml", "--profile",
                           f"workflow/profiles/{profile}", *args], cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    row = {"wall_s": wall}
    tsv = {p: pd.read_csv(p, sep="\t").iloc[0] for p in (workdir / "logs/tiny").rglob("*.benchmark.tsv")}
    bench = {p: b["s"] for p, b in tsv.items()}
    fit_jobs = {p: s for p, s in bench.items() if "fit_model" in p.parts}
    row["fit_jobs_cpu_s"] = sum(b["cpu_time"] for p, b in tsv.items() if "fit_model" in p.parts)
    metrics = pd.read_csv(workdir / TABLES[0])
    fitting = float((metrics["tune_time"] + metrics["path_time"] + metrics["fit_time"]).sum())
    row.update(rule_jobs=len(bench) + 1, fit_jobs=len(fit_jobs), fits=len(metrics),
               fit_jobs_s=sum(fit_jobs.values()), fitting_s=fitting, all_rule_jobs_s=sum(bench.values()))
    row["startup_per_fit_job_s"] = (row["fit_jobs_s"] - fitting) / len(fit_jobs)
    row["startup_share"] = (row["fit_jobs_s"] - fitting) / row["fit_jobs_s"]
    if first is not None:
        jobs = slurm_jobs_after(first)
        slurm_s = sum(e for _, e in jobs)
        remote = len(bench)  # every benchmarked rule runs in a SLURM job; collect_metrics is local
        row.update(slurm_jobs=len(jobs), slurm_job_s=slurm_s,
                   slurm_cost_per_rule_job_s=(slurm_s - sum(bench.values())) / remote)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--executor", nargs="+", default=["local", "slurm"],
                    choices=["local", "slurm", "slurm-nogroups"])
    ap.add_argument("--replicates", nargs="+", type=int, default=[2, 6])
    ap.add_argument("--scenarios", nargs="+", type=int, default=[2, 4])
    ap.add_argument("--out", type=Path, help="also write the table as CSV")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for executor in args.executor:
            for s in args.scenarios:
                for r in args.replicates:
                    wd = checkout(Path(tmp) / f"{executor}_{s}_{r}", r, s, executor)
                    row = {"executor": executor, "scenarios": s, "replicates": r, **run(wd, executor)}
                    print(row, flush=True)
                    rows.append(row)
    table = pd.DataFrame(rows)
    if args.out:
        table.to_csv(args.out, index=False)
    print(table.round(2).to_markdown(index=False) if hasattr(table, "to_markdown") else table.round(2))


if __name__ == "__main__":
    main()

"""Where a finished study's time went (issue 10, item 6): per rule, jobs, wall and CPU seconds from Snakemake's
benchmark files; for the fit jobs, from each job's own log line (``job: X s CPU in all: Y s fitting, S s start-up
(...), B s reading data and writing fits, ...``): the share of start-up (interpreter, imports, the kernels' cache)
and of bookkeeping (everything outside the fits).

    python benchmarks/scale_table.py WORKDIR STUDY [TOKEN,...]     (WORKDIR holds logs/<study>/)

With tokens (e.g. ``n_gg_p,n_eq_p,p_gg_n``, parts of crossed cells' names), the fit jobs' CPU is also given per
group of cells whose name contains ``-TOKEN-``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

# the fit job's summary line; logs written before 2026-12-01 evening have no start-up / io split (NaN then)
_JOB = re.compile(r"job: ([\d.]+) s CPU in all[:,] ([\d.]+) s fitting, (?:([\d.]+) s start-up \(interpreter[^)]*\), "
                  r"([\d.]+) s reading data and writing fits, )?.*?(\d+) fits")


def fit_job(text):
    """(job CPU, CPU in the fits, start-up CPU, reading and writing CPU, fits) from a fit job's log, or None."""
    m = _JOB.search(text)
    if not m:
        return None
    nan = float("nan")
    return (float(m.group(1)), float(m.group(2)), float(m.group(3) or nan), float(m.group(4) or nan),
            int(m.group(5)))


def _bench(path):
    head, row = Path(path).read_text().splitlines()[:2]
    values = dict(zip(head.split("\t"), row.split("\t")))
    return float(values["s"]), float(values["cpu_time"])


def main(workdir, study, tokens=""):
    logs = Path(workdir) / "logs" / study
    rules = {}
    for f in sorted(logs.rglob("*.benchmark.tsv")):
        rule = f.relative_to(logs).parts[0]
        wall, cpu = _bench(f)
        r = rules.setdefault(rule, [0, 0.0, 0.0])
        r[0] += 1
        r[1] += wall
        r[2] += cpu
    print("| rule | jobs | wall s (sum) | CPU s (sum) | CPU s per job |\n|---|---|---|---|---|")
    for rule, (n, wall, cpu) in rules.items():
        print(f"| {rule} | {n} | {wall:.0f} | {cpu:.1f} | {cpu / n:.2f} |")
    jobs = []
    for f in sorted(logs.glob("fit_model*/*.log")):
        job = fit_job(f.read_text())
        bench = f.with_suffix(".benchmark.tsv")
        if job and bench.is_file():
            jobs.append((*job, _bench(bench)[1], f.stem))
    if not jobs:
        return
    names = [j[-1] for j in jobs]
    total, fitting, startup, io, fits, bench_cpu = (np.array(c, dtype=float) for c in list(zip(*jobs))[:6])
    share = 1 - fitting / total  # in-process CPU (Snakemake's benchmark samples CPU every few seconds: coarser)
    print(f"\nfit jobs: {len(jobs)}, {int(fits.sum())} fits; CPU in the fits {fitting.sum():.1f} s of "
          f"{total.sum():.1f} s of the jobs' process CPU ({bench_cpu.sum():.1f} s by Snakemake's benchmark): "
          f"start-up (interpreter, imports, kernel cache) {startup.sum():.1f} s = "
          f"{100 * startup.sum() / total.sum():.1f}% (per job median {np.median(startup):.2f} s), reading data and "
          f"writing fits {io.sum():.1f} s; everything outside the fits {100 * (1 - fitting.sum() / total.sum()):.1f}% "
          f"overall, per job median {100 * np.median(share):.0f}% (quartiles {100 * np.quantile(share, 0.25):.0f}-"
          f"{100 * np.quantile(share, 0.75):.0f}%)")
    groups = [t for t in tokens.split(",") if t]
    if groups:
        print("\n| cells | fit jobs | fits | job CPU s | in the fits s | job CPU s per cell (median) |\n"
              "|---|---|---|---|---|---|")
    for t in groups:
        k = np.array([f"-{t}-" in n for n in names])
        if k.any():
            print(f"| {t} | {k.sum()} | {int(fits[k].sum())} | {total[k].sum():.1f} | {fitting[k].sum():.1f} | "
                  f"{np.median(total[k]):.2f} |")

if __name__ == "__main__":
    main(*sys.argv[1:4])

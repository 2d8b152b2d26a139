"""The paragraph a study's run ends with: fits that did not converge, grid-edge choices, failed jobs, where to look.

``workflow/rules/common.smk`` prints :func:`study_run_summary` from Snakemake's ``onsuccess:`` and ``onerror:``
handlers. It reads the study's warnings (``results/<study>/warnings.csv``, or the per-scenario tables when the
run stopped before the aggregate step), the fit step's failure records (``logs/<study>/fit_model/<scenario>
.failures.json``, written by ``regbench fit`` when a fit raises) and the failed jobs Snakemake logged. After a
failure it also writes ``warnings.csv`` from what exists, exceptions included, so the table is never missing the
fits that raised.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from regbench.data.io import write_csv
from regbench.evaluate.diagnostics import WARNING_COLUMNS, warnings_table

__all__ = ["failed_jobs", "study_run_summary", "summary_paragraph"]

_ERROR = re.compile(r"^Error in rule (\S+?):")


def failed_jobs(snakemake_log) -> list[str]:
    """The jobs a Snakemake log says failed, in log order: each rule with its job's log file."""
    if isinstance(snakemake_log, (list, tuple)):  # Snakemake hands its handlers a list of log paths
        return [job for path in snakemake_log for job in failed_jobs(path)]
    if not snakemake_log or not Path(snakemake_log).is_file():
        return []
    out, rule = [], None
    for line in Path(snakemake_log).read_text(errors="replace").splitlines():
        m = _ERROR.match(line.strip())
        if m:
            rule = m.group(1)
            out.append(rule)
        elif rule and line.strip().startswith("log:"):  # the job's log names it (the block lists no wildcards)
            out[-1] = f"{rule}, log {line.strip()[len('log:'):].split(' (')[0].strip()}"
            rule = None
    return out


def _list(items, limit=3) -> str:
    items = list(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def summary_paragraph(study, warnings, *, failures=(), jobs_failed=(), n_fits=None, where="") -> str:
    """One paragraph: how many fits did not converge (and where, worst gap), how many chose a lambda at a grid's
    edge (per method), which jobs failed and why, and where the details are."""
    warnings = warnings_table([warnings]) if len(warnings) else warnings_table()
    nonconv = warnings[warnings["kind"] == "nonconvergence"]
    edge = warnings[warnings["kind"] == "grid_edge"]
    keys = ["scenario", "replicate", "method"]
    fits = f"{n_fits} fits" if n_fits is not None else "the fits"
    parts = [f"regbench: study {study}, {fits}:"]
    if len(nonconv):
        bad = nonconv.drop_duplicates(keys)
        worst = pd.to_numeric(nonconv["value"], errors="coerce").max()
        worst_text = f", worst duality gap {worst:.3g}" if pd.notna(worst) else ""
        where_bad = _list(f"{r.method} on {r.scenario} replicate {r.replicate}" for r in bad.itertuples())
        parts.append(f"{len(bad)} did not converge ({where_bad}{worst_text});")
    else:
        parts.append("every fit converged;")
    if len(edge):
        per = edge.drop_duplicates(keys).groupby("method").size()
        parts.append(f"{int(per.sum())} chose a lambda at the end of its grid "
                     f"({', '.join(f'{m}: {c}' for m, c in per.items())});")
    else:
        parts.append("no lambda was chosen at a grid's end;")
    failures = list(failures)
    if failures or jobs_failed:
        raised = _list(f"{f['method']} on {f['scenario']} replicate {f['replicate']} ({f['message']})"
                       for f in failures)
        jobs = f"{len(jobs_failed)} job(s) failed ({_list(jobs_failed)})" if jobs_failed else "jobs failed"
        parts.append(f"{jobs}" + (f"; {len(failures)} fit(s) raised: {raised}" if failures else "") + ".")
    else:
        parts.append("no job failed.")
    if where:
        parts.append(where)
    return " ".join(parts)


def _failure_records(logs_dir, scenarios) -> list[dict]:
    out = []
    for name in scenarios:
        path = Path(logs_dir) / "fit_model" / f"{name}.failures.json"
        if path.is_file():
            try:
                out += json.loads(path.read_text())
            except json.JSONDecodeError:
                out.append({"scenario": name, "replicate": -1, "method": "?", "kind": "exception",
                            "message": f"unreadable failure record {path}"})
    return out


def study_run_summary(study, scenarios, *, seed, results_dir=None, logs_dir=None, snakemake_log=None,
                      failed=False) -> str:
    """The end-of-run paragraph of ``study`` (its scenario names, its seed), from the files the run left; with
    ``failed``, also (re)write ``warnings.csv`` from the per-scenario tables and the failure records."""
    results_dir = Path(results_dir or f"results/{study}")
    logs_dir = Path(logs_dir or f"logs/{study}")
    table_path = results_dir / "warnings.csv"
    failures = _failure_records(logs_dir, scenarios)
    if table_path.is_file() and not failed:
        warnings = pd.read_csv(table_path)
    else:
        parts = [pd.read_csv(p) for p in (results_dir / "warnings" / f"{s}.csv" for s in scenarios) if p.is_file()]
        exceptions = [{k: f.get(k) for k in WARNING_COLUMNS} for f in failures]
        warnings = warnings_table(parts + exceptions, seed=seed)
        if failed and (len(warnings) or failures):
            write_csv(warnings, table_path)
    metrics = results_dir / "metrics.csv"
    n_fits = sum(1 for _ in metrics.open()) - 1 if metrics.is_file() and not failed else None
    where = (f"Details: {table_path} (one row per warning, with the seed that reproduces the data set), the jobs' "
             f"logs in {logs_dir}/.")
    if failed:
        where += " Rerun the same command after fixing the cause (add --keep-going to let the other jobs finish)."
    return summary_paragraph(study, warnings, failures=failures, jobs_failed=failed_jobs(snakemake_log),
                             n_fits=n_fits, where=where)

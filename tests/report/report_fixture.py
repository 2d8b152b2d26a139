"""A tiny synthetic study, written with the exact columns and keys of API.md "Study outputs".

The report tests use it so that they do not depend on the pipeline: the numbers are made
up, but shaped like a real study (lasso sparse and capped at n, ridge dense, the naive
elastic net shrunk, elastic net slower to tune, one grouped scenario).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from regbench.evaluate.paired import paired_table

METRICS_COLUMNS = [
    "study", "scenario", "replicate", "method", "n_train", "n_val", "n_test", "p",
    "test_mse", "pred_error", "rel_estimation_error", "nnz", "precision", "recall", "f1",
    "sign_agreement", "grouping_spread", "alpha", "l1_ratio", "lambda1", "lambda2",
    "fit_time", "tune_time", "path_time", "converged", "gap",
]
METHODS = ["ols", "lasso", "ridge", "enet_naive", "enet_corrected"]
SCENARIOS = {
    # name: (n_train, p, k, grouped)
    "sparse_lowdim": (40, 10, 3, False),
    "grouped_highdim": (20, 40, 6, True),
}
#: the cells of a 2 x 2 crossed design ``cross`` over rho and snr (``make_study(..., crossed=True)``), named as
#: regbench.study.grid names them: name -> (n_train, p, k, grouped, rho, snr)
GRID = {"name": "cross", "grid": {"rho": [0.0, 0.9], "snr": [0.5, 5.0]}}
CELLS = {f"cross-rho{r}-snr{s}": (30, 10, 3, False, rv, sv)
         for r, rv in (("0", 0.0), ("0p9", 0.9)) for s, sv in (("0p5", 0.5), ("5", 5.0))}


def _truth(p, k, grouped):
    coef = np.zeros(p)
    groups = -np.ones(p, dtype=int)
    if grouped:
        coef[:k] = 3.0
        groups[:3] = 0
        groups[3:6] = 1
    else:
        coef[:k] = [3.0, -1.5, 2.0][:k]
    return coef, groups


def _fake_path(rng, p, n, method, coef_true, n_lambdas=12):
    lambdas = np.logspace(0, -2, n_lambdas)
    scale = np.linspace(0, 1, n_lambdas)
    coefs = np.outer(coef_true, scale) + 0.05 * rng.standard_normal((p, n_lambdas)) * scale
    if method == "ridge":
        coefs += 0.01 * scale  # dense: no exact zeros
    else:
        active = min(n, p)
        for j in range(n_lambdas):
            keep = max(1, int(round(scale[j] * active)))
            order = np.argsort(-np.abs(coefs[:, j]))
            coefs[order[keep:], j] = 0.0
        coefs[:, 0] = 0.0
    cv_mean = 1.0 + (scale - 0.7) ** 2 + 0.01 * rng.random(n_lambdas)
    cv_se = np.full(n_lambdas, 0.05)
    chosen = int(np.argmin(cv_mean))
    above = np.nonzero(cv_mean <= cv_mean[chosen] + cv_se[chosen])[0]
    shrink = 0.6 if method == "enet_naive" else 1.0
    out = dict(
        lambdas=lambdas, coefs=coefs * shrink, intercepts=np.zeros(n_lambdas),
        cv_lambdas=lambdas, cv_mean=cv_mean, cv_se=cv_se, chosen_index=chosen,
        lambda_min=lambdas[chosen], lambda_1se=lambdas[above.min()],
        coef=coefs[:, chosen] * shrink, intercept=0.0,
    )
    if method.startswith("enet"):
        out["grid_values"] = np.array([0.1, 0.5, 0.9, 1.0])
        out["grid_best_mse"] = np.array([1.2, 1.05, 1.0, 1.01])
    return out


def make_study(root: Path, study: str = "tiny", n_replicates: int = 3, seed: int = 0, crossed: bool = False) -> Path:
    """Write results/<study>/{metrics,summary,scenarios}.csv and fits/ under ``root``; return the study dir.
    ``crossed`` adds the cells of the crossed design :data:`GRID` (:data:`CELLS`) after the scenarios."""
    rng = np.random.default_rng(seed)
    out = Path(root) / "results" / study
    rows, scen_rows = [], []
    specs = {name: (*v, 0.9 if v[3] else 0.5, 3.0, "", "") for name, v in SCENARIOS.items()}
    if crossed:
        specs.update({name: (*v, GRID["name"], "rho snr") for name, v in CELLS.items()})
    for name, (n, p, k, grouped, rho, snr, grid, grid_axes) in specs.items():
        scen_rows.append(dict(name=name, design="toeplitz", truth="grouped" if grouped else "sparse",
                              n_train=n, n_val=n, n_test=200, p=p, rho=rho,
                              snr=snr, density=k / p, k=k, grid=grid, grid_axes=grid_axes))
        coef_true, groups = _truth(p, k, grouped)
        for rep in range(n_replicates):
            for method in METHODS:
                if method == "ols":
                    fit = dict(lambdas=np.array([]), coefs=np.zeros((p, 0)), intercepts=np.array([]),
                               cv_lambdas=np.array([]), cv_mean=np.array([]), cv_se=np.array([]),
                               chosen_index=-1, lambda_min=np.nan, lambda_1se=np.nan,
                               coef=coef_true + 0.5 * rng.standard_normal(p), intercept=0.0)
                else:
                    fit = _fake_path(rng, p, n, method, coef_true)
                fit.update(coef_true=coef_true, groups=groups)
                d = out / "fits" / name / str(rep)
                d.mkdir(parents=True, exist_ok=True)
                np.savez(d / f"{method}.npz", **fit)
                coef = fit["coef"]
                sel, true = coef != 0, coef_true != 0
                tp = int((sel & true).sum())
                base = {"ols": 2.0, "lasso": 0.5, "ridge": 0.8, "enet_naive": 0.7, "enet_corrected": 0.45}
                pred_error = base[method] * (1 + 0.3 * rng.random())
                tune = {"ols": 0.0, "lasso": 0.02, "ridge": 0.01, "enet_naive": 0.1,
                        "enet_corrected": 0.1}[method] * (1 + rng.random())
                rows.append(dict(
                    study=study, scenario=name, replicate=rep, method=method, n_train=n, n_val=n,
                    n_test=200, p=p, test_mse=1.0 + pred_error, pred_error=pred_error,
                    rel_estimation_error=pred_error / 3, nnz=int(sel.sum()),
                    precision=tp / max(sel.sum(), 1), recall=tp / true.sum(),
                    f1=2 * tp / (sel.sum() + true.sum()), sign_agreement=0.9,
                    grouping_spread=(np.nan if not grouped else {"lasso": 0.9}.get(method, 0.2)),
                    alpha=np.nan if method == "ols" else 0.1,
                    l1_ratio={"ols": np.nan, "lasso": 1.0, "ridge": 0.0}.get(method, 0.5),
                    lambda1=0.05, lambda2=0.05, fit_time=0.001 * (1 + rng.random()),
                    tune_time=tune, path_time=tune / 5, converged=True, gap=1e-9,
                ))
    metrics = pd.DataFrame(rows, columns=METRICS_COLUMNS)
    out.mkdir(parents=True, exist_ok=True)
    metrics.to_csv(out / "metrics.csv", index=False)
    pd.DataFrame(scen_rows).to_csv(out / "scenarios.csv", index=False)
    numeric = [c for c in METRICS_COLUMNS[8:] if c != "converged"]
    summ = []
    for (scen, method), g in metrics.groupby(["scenario", "method"], sort=False):
        row = dict(study=study, scenario=scen, method=method, n_replicates=len(g))
        for c in numeric:
            row[f"{c}_median"] = g[c].median()
            row[f"{c}_se"] = g[c].std() / np.sqrt(len(g))
        summ.append(row)
    pd.DataFrame(summ).to_csv(out / "summary.csv", index=False)
    paired_table(metrics).to_csv(out / "paired.csv", index=False)
    return out


REPO = Path(__file__).resolve().parents[2]
REPORT_SMK = REPO / "workflow" / "rules" / "report.smk"


def venv_env() -> dict:
    """The environment for the report rules: this interpreter's bin first on PATH."""
    import os
    import sys

    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def build_report(base: Path, study: str = "tiny") -> Path:
    """Run workflow/rules/report.smk on the synthetic study in ``base`` (its scenarios and the crossed design
    :data:`GRID`'s cells); return the report dir.

    Built once per ``base`` (the report tests share it). The working directory mirrors a
    checkout: notebooks/ and src/ are links to this repository's.
    """
    import subprocess
    import sys

    wd = Path(base) / "report_wd"
    report = wd / "results" / study / "report"
    if (report / "index.html").is_file():
        return report
    wd.mkdir(parents=True, exist_ok=True)
    for name in ("notebooks", "src"):
        if not (wd / name).exists():
            (wd / name).symlink_to(REPO / name)
    make_study(wd, study, crossed=True)
    scen = "".join(f"  - name: {s}\n" for s in SCENARIOS)
    grid = f"  - name: {GRID['name']}\n    grid: {json.dumps(GRID['grid'])}\n"
    (wd / "config.yaml").write_text(f"study: {study}\nscenarios:\n{scen}{grid}")
    cmd = [str(Path(sys.executable).parent / "snakemake"), "-s", str(REPORT_SMK),
           "--configfile", "config.yaml", "--cores", "2",
           f"results/{study}/report/index.html"]
    res = subprocess.run(cmd, cwd=wd, env=venv_env(), capture_output=True, text=True)
    if res.returncode != 0:
        logs = "\n".join(f"--- {p}\n{p.read_text()[-3000:]}" for p in (wd / "logs").rglob("*.log"))
        raise RuntimeError(f"report build failed:\n{res.stderr[-4000:]}\n{logs}")
    return report

"""``regbench compare DATA.csv --target COL``: the four methods (and OLS) on the user's data, through the pipeline.

The data file becomes a one-scenario study (``design: data``) written to ``results/<study>/study.yaml``; Snakemake
runs it with the repository's Snakefile (the same rules as every study: simulate/split, fit_model with K-fold CV,
evaluate, aggregate, advise), and :func:`method_table` / :func:`render` turn the results into a small Markdown
report, ``results/<study>/compare.md``. The data are checked first, so bad input stops before anything is written.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["repository_root", "study_config", "run_study", "method_table", "render"]

DEFAULT_METHODS = ("ols", "lasso", "ridge", "enet_naive", "enet_corrected")


def repository_root() -> Path:
    """The checkout holding the Snakefile (regbench is installed editable from it)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "Snakefile").is_file():
        raise FileNotFoundError(f"no Snakefile in {root}: `regbench compare` runs the pipeline of a regbench source "
                                "checkout (pip install -e .)")
    return root


def _name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_-") or "data"
    return name if name[0].isalnum() else f"d{name}"


def study_config(data, target, *, study=None, folds=5, replicates=1, test_fraction=0.25, test_rows=None,
                 methods=DEFAULT_METHODS, seed=0) -> dict:
    """The one-scenario study of a data file (absolute path), K-fold CV tuning, ridge grid six decades deep."""
    path = Path(data).resolve()
    stem = path.name.split(".")[0]
    scenario = {"name": _name(stem), "design": "data", "data": str(path), "target": target}
    if test_rows:
        scenario["test_rows"] = [int(r) for r in test_rows]
    else:
        scenario["test_fraction"] = float(test_fraction)
    return {
        "study": study or f"compare_{_name(stem)}",
        "seed": int(seed),
        "replicates": int(replicates),
        "methods": list(methods),
        "standardize": True,
        "tuning": {"method": "cv", "folds": int(folds), "rule": "min"},
        "grids": {"ridge": {"n_lambdas": 100, "eps": 1.0e-6}},
        "bootstrap": 500,
        "scenarios": [scenario],
    }


def run_study(config_path, targets, *, cores=2, root=None) -> int:
    """Run Snakemake on the study config for the given targets (paths relative to the repository root)."""
    root = Path(root) if root else repository_root()
    exe = Path(sys.executable).with_name("snakemake")
    # targets first: --configfile takes every word after it
    cmd = [str(exe) if exe.exists() else "snakemake", *map(str, targets), "--snakefile", str(root / "Snakefile"),
           "--directory", str(root), "--profile", str(root / "workflow" / "profiles" / "default"), "--cores",
           str(cores), "--configfile", str(Path(config_path).resolve())]
    try:  # Snakemake's progress goes to our stderr (stdout stays the report's)
        sys.stderr.fileno()
        out = sys.stderr
    except (AttributeError, OSError, ValueError):  # a captured stream (e.g. under pytest)
        out = subprocess.DEVNULL
    return subprocess.run(cmd, cwd=root, stdout=out).returncode


def method_table(results_dir, scenario: str, feature_names=None) -> pd.DataFrame:
    """Per method: test MSE with its standard error (over test rows for one replicate; over replicates, the
    bootstrap SE of the median, for several), nonzeros, the selected variables (replicate 0) and the chosen
    hyperparameters."""
    from regbench.io import load_dataset, load_npz

    results_dir = Path(results_dir)
    metrics = pd.read_csv(results_dir / "metrics.csv")
    metrics = metrics[metrics["scenario"] == scenario]
    summary = pd.read_csv(results_dir / "summary.csv")
    summary = summary[summary["scenario"] == scenario].set_index("method")
    reps = sorted(metrics["replicate"].unique())
    rows = []
    for method in metrics["method"].unique():
        m = metrics[metrics["method"] == method]
        first = m[m["replicate"] == reps[0]].iloc[0]
        fit = load_npz(results_dir / "fits" / scenario / str(reps[0]) / f"{method}.npz")
        coef = np.asarray(fit["coef"], dtype=float)
        if len(reps) == 1:
            ds = load_dataset(results_dir / "data" / scenario / f"{reps[0]}.npz")
            err = (ds.y_test - (np.asarray(ds.X_test @ coef).ravel() + float(fit["intercept"]))) ** 2
            mse, se = float(err.mean()), float(err.std(ddof=1) / np.sqrt(err.size))
        else:
            mse, se = float(summary.loc[method, "test_mse_median"]), float(summary.loc[method, "test_mse_se"])
        sel = np.flatnonzero(coef)
        names = [feature_names[j] if feature_names is not None else str(j + 1) for j in sel]
        rows.append({"method": method, "test_mse": mse, "se": se, "nnz": int(sel.size),
                     "selected": ", ".join(names) if sel.size < coef.size else "all",
                     "alpha": first["alpha"], "l1_ratio": first["l1_ratio"], "lambda2": first["lambda2"],
                     "tune_time_s": float(m["tune_time"].median())})
    return pd.DataFrame(rows)


def render(table: pd.DataFrame, *, title: str, notes=(), advice_text: str | None = None) -> str:
    """The Markdown report: the method table, then the advice."""
    lines = [f"# {title}", ""] + [f"{n}  " for n in notes] + [""]
    lines.append("| method | test MSE (SE) | nonzeros | selected variables | alpha | l1_ratio | lambda2 | tuning s |")
    lines.append("|---|---|---|---|---|---|---|---|")
    best = table["test_mse"].idxmin() if len(table) else None
    for i, r in table.iterrows():
        star = " **(best)**" if i == best else ""
        lines.append(f"| {r['method']}{star} | {r['test_mse']:.4g} ({r['se']:.3g}) | {r['nnz']} | {r['selected']} | "
                     f"{r['alpha']:.4g} | {r['l1_ratio']:.3g} | {r['lambda2']:.4g} | {r['tune_time_s']:.3f} |")
    if advice_text:
        lines += ["", "## The article's three questions for these data", "", "```", advice_text, "```"]
    return "\n".join(lines) + "\n"

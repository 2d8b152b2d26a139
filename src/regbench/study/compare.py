"""``regbench compare DATA.csv --target COL``: the four methods (and OLS) on the user's data, through the pipeline.

The data file becomes a one-scenario study (``design: data``) written to ``results/<study>/study.yaml``; Snakemake
runs it with the repository's Snakefile (the same rules as every study: simulate/split, fit_model with K-fold CV,
evaluate, aggregate, advise), and ``regbench.report.compare`` turns the results into a small Markdown
report, ``results/<study>/compare.md``. The data are checked first, so bad input stops before anything is written.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from regbench.evaluate.methods import METHOD_NAMES

__all__ = ["repository_root", "study_config", "run_study"]


def repository_root() -> Path:
    """The checkout holding the Snakefile (regbench is installed editable from it)."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "Snakefile").is_file():
        raise FileNotFoundError(f"no Snakefile in {root}: `regbench compare` runs the pipeline of a regbench source "
                                "checkout (pip install -e .)")
    return root


def _name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_-") or "data"
    return name if name[0].isalnum() else f"d{name}"


def study_config(data, target, *, study=None, folds=5, replicates=1, test_fraction=0.25, test_rows=None,
                 methods=METHOD_NAMES, seed=0) -> dict:
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

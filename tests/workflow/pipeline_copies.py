"""What the workflow tests share: a copy of the pipeline's files to run in, and a study's tables without timings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from regbench.evaluate.metrics import TIMING_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
#: what a study run needs from the checkout
PIPELINE = ["Snakefile", "workflow", "config", "src", ".test", "environment.yml", "notebooks"]


def copy_pipeline(dest: Path) -> Path:
    """Copy the pipeline's files (``PIPELINE``) into ``dest`` (created) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PIPELINE:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def study_tables(workdir, tables) -> dict:
    """The study tables without their timing columns (the only ones allowed to differ between runs)."""
    timing = set(TIMING_COLUMNS) | {f"{c}_{s}" for c in TIMING_COLUMNS for s in ("median", "se")}
    out = {}
    for t in tables:
        df = pd.read_csv(Path(workdir) / t)
        out[t] = df.drop(columns=[c for c in df.columns if c in timing])
    return out

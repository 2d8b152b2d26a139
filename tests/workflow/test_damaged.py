"""Missing and damaged intermediates of a study (the tiny study, .test/config.yaml): a deleted data set or fit is
rebuilt by the next run, with the same numbers; a cut fit or per-scenario metrics table stops the step that reads
it with the file's path and the fix ("delete it and rerun"), no table is built from it, and following the fix gives
the original tables back."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from regbench.evaluate.metrics import TIMING_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
CONFIG = ROOT / ".test/config.yaml"
STUDY = yaml.safe_load(CONFIG.read_text())["study"]
RES = f"results/{STUDY}"
TABLES = [f"{RES}/{t}.csv" for t in ("metrics", "summary", "scenarios")]

pytestmark = pytest.mark.slow


def _run(workdir, *args, target="study_results"):
    cmd = [SNAKEMAKE, *([target] if target else []), "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
           "--profile", str(ROOT / "workflow/profiles/default"), "--cores", "2", *args, "--configfile", str(CONFIG)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout + proc.stderr


def _tables(workdir):
    out = {}
    for t in TABLES:
        df = pd.read_csv(Path(workdir) / t)
        out[t] = df.drop(columns=[c for c in df.columns if c in TIMING_COLUMNS or c.split("_")[0] in
                                  ("fit", "tune", "path") and c.endswith(("_median", "_se"))])
    return out


def _same_tables(a, b):
    ta, tb = _tables(a), _tables(b)
    for t in TABLES:
        pd.testing.assert_frame_equal(ta[t], tb[t], check_exact=True, obj=t)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("damaged_base")
    rc, out = _run(workdir)
    assert rc == 0, out
    return workdir


@pytest.fixture
def work(finished, tmp_path):
    """A copy of the finished study (mtimes and Snakemake's metadata kept)."""
    dest = tmp_path / "w"
    shutil.copytree(finished, dest, symlinks=True)
    return dest


def test_rule_all_requests_every_intermediate(work):
    """The default target (rule all) sees a deleted fit: Snakemake schedules its fit and what reads it."""
    os.symlink(ROOT / "notebooks", work / "notebooks")  # the report's notebooks are read from the working dir
    (work / f"{RES}/fits/grouped/0/lasso.npz").unlink()
    rc, out = _run(work, "-n", target=None)
    assert rc == 0, out
    assert "rule fit_model" in out and "compute_metrics" in out and "Nothing to be done" not in out, out


@pytest.mark.parametrize("victim", ["fits/grouped/0/lasso.npz", "data/sparse_x/1.npz", "metrics/grouped.csv"])
def test_deleted_intermediate_is_rebuilt_with_the_same_numbers(finished, work, victim):
    path = work / RES / victim
    before = np.load(path) if path.suffix == ".npz" else None
    before = {k: before[k] for k in before.files} if before is not None else path.read_text()
    path.unlink()
    rc, out = _run(work)
    assert rc == 0, out
    assert path.exists(), out
    if isinstance(before, dict):
        with np.load(path) as after:
            assert set(after.files) == set(before)
            for k in before:
                if k not in ("fit_time", "tune_time", "path_time"):
                    np.testing.assert_array_equal(after[k], before[k], err_msg=k)
    _same_tables(finished, work)


@pytest.mark.parametrize("victim, reader", [("metrics/grouped.csv", "collect_metrics"),
                                            ("fits/sparse_x/1/enet_corrected.npz", "compute_metrics"),
                                            ("data/grouped/0.npz", "fit_model")])
def test_cut_intermediate_is_reported_then_the_fix_works(finished, work, victim, reader):
    path = work / RES / victim
    metrics_before = (work / TABLES[0]).read_bytes()
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    rc, out = _run(work)
    assert rc != 0, out
    assert f"damaged file '{RES}/{victim}'" in out and "delete it and rerun" in out, out
    assert reader in out, out
    assert "Traceback" not in out, out
    # no table built from the partial input: metrics.csv is the earlier one, or (the failed job's output, removed
    # by Snakemake) gone until the fix
    table = work / TABLES[0]
    assert not table.exists() if reader == "collect_metrics" else table.read_bytes() == metrics_before
    path.unlink()  # the fix the message gives
    rc, out = _run(work)
    assert rc == 0, out
    _same_tables(finished, work)

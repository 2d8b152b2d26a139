"""The Snakemake pipeline end to end on the tiny study (.test/config.yaml): outputs as the contract says, nothing
to do on a finished study, identical tables from clean runs with -c2 and -c1 and after a kill and rerun, and only
the touched jobs rerun after a config change.

The tests target the study tables (metrics.csv, summary.csv, scenarios.csv); the report's and the advisor's rules
have their own tests.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pipeline_copies import study_tables

from regbench.evaluate.fits import FIT_KEYS
from regbench.evaluate.metrics import METRIC_COLUMNS
from regbench.evaluate.paired import PAIRED_COLUMNS
from regbench.evaluate.summary import SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
CONFIG = ROOT / ".test/config.yaml"
STUDY = yaml.safe_load(CONFIG.read_text())
TABLES = [f"results/{STUDY['study']}/{t}.csv" for t in ("metrics", "summary", "scenarios")]

pytestmark = pytest.mark.slow


def _cmd(workdir, *args, cores=2, config=CONFIG):
    return [SNAKEMAKE, "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
            "--profile", str(ROOT / "workflow/profiles/default"), "--configfile", str(config),
            "--cores", str(cores), *args, *TABLES]


def _run(workdir, *args, cores=2, config=CONFIG):
    proc = subprocess.run(_cmd(workdir, *args, cores=cores, config=config), capture_output=True, text=True,
                          timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    return out


def _tables(workdir):
    return study_tables(workdir, TABLES)


def _job_stats(out):
    """The first "Job stats" table of a Snakemake run: {rule: count} (total left out)."""
    lines = out.splitlines()
    start = lines.index("Job stats:") + 3  # header, column names, dashes
    counts = {}
    for line in lines[start:]:
        rule, count = line.split()
        if rule == "total":
            return counts
        counts[rule] = count
    raise AssertionError(out)


def _assert_same_tables(a, b):
    ta, tb = _tables(a), _tables(b)
    for t in TABLES:
        pd.testing.assert_frame_equal(ta[t], tb[t], check_exact=True, obj=t)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A clean run of the tiny study with 2 cores."""
    workdir = tmp_path_factory.mktemp("run_c2")
    t0 = time.perf_counter()
    _run(workdir, cores=2)
    print(f"tiny study, -c2: {time.perf_counter() - t0:.1f} s")
    return workdir


def test_outputs_follow_the_contract(finished):
    from regbench.study.config import check_config, methods_for

    cfg = check_config(yaml.safe_load(CONFIG.read_text()), ROOT / "workflow/schemas/config.schema.yaml")
    metrics = pd.read_csv(finished / TABLES[0])
    assert list(metrics.columns) == METRIC_COLUMNS
    expected = [(s["name"], r, m) for s in cfg["scenarios"] for r in range(cfg["replicates"])
                for m in methods_for(cfg, s)]
    assert list(metrics[["scenario", "replicate", "method"]].itertuples(index=False, name=None)) == expected
    assert (metrics["study"] == cfg["study"]).all()
    assert metrics["converged"].dtype == bool
    assert metrics[["test_mse", "pred_error", "nnz", "f1"]].notna().all().all()
    # the grouped scenario has a grouping measure, the others not
    grouped = metrics["scenario"] == "grouped"
    assert metrics.loc[grouped, "grouping_spread"].notna().any()
    assert metrics.loc[~grouped, "grouping_spread"].isna().all()

    summary = pd.read_csv(finished / TABLES[1])
    assert list(summary.columns[:4]) == ["study", "scenario", "method", "n_replicates"]
    for col in SUMMARY_COLUMNS:
        assert f"{col}_median" in summary.columns and f"{col}_se" in summary.columns
    assert (summary["n_replicates"] == cfg["replicates"]).all()
    assert len(summary) == len(metrics) // cfg["replicates"]

    scenarios = pd.read_csv(finished / TABLES[2])
    assert list(scenarios.columns[:12]) == ["name", "description", "design", "truth", "n_train", "n_val", "n_test",
                                            "p", "rho", "snr", "density", "k"]
    assert scenarios["name"].tolist() == [s["name"] for s in cfg["scenarios"]]
    # paired.csv: every scenario x method once, one best per scenario, the reference compared with itself
    paired = pd.read_csv(finished / f"results/{STUDY['study']}/paired.csv")
    assert list(paired.columns) == PAIRED_COLUMNS
    assert len(paired) == len(summary)
    assert (paired.groupby("scenario")["vs_best"].apply(lambda v: (v == "best").sum()) == 1).all()
    assert set(paired.loc[paired["method"] == cfg.get("reference", "lasso"), "vs_reference"]) == {"reference"}

    for scenario, rep, method in expected:
        fit = np.load(finished / f"results/{cfg['study']}/fits/{scenario}/{rep}/{method}.npz")
        assert set(FIT_KEYS) <= set(fit.files), (scenario, method)
        p = fit["coef_true"].shape[0]
        assert fit["coefs"].shape == (p, fit["lambdas"].shape[0]) and fit["coef"].shape == (p,)
        if method.startswith("enet"):
            assert fit["grid_values"].shape == fit["grid_best_mse"].shape
        if method == "lasso":  # the lasso selects at most n_train variables
            n_train = int(metrics.query("scenario == @scenario").n_train.iloc[0])
            assert (np.count_nonzero(fit["coefs"], axis=0) <= n_train).all()


def test_dry_run_on_finished_study_has_nothing_to_do(finished):
    t0 = time.perf_counter()
    out = _run(finished, "-n")
    elapsed = time.perf_counter() - t0
    assert "Nothing to be done" in out, out
    print(f"snakemake -n on a finished study: {elapsed:.1f} s")


def test_real_noop_rerun_touches_nothing(finished):
    before = {t: os.stat(finished / t).st_mtime_ns for t in TABLES}
    out = _run(finished)
    assert "Nothing to be done" in out, out
    assert {t: os.stat(finished / t).st_mtime_ns for t in TABLES} == before


def test_clean_runs_identical_with_one_core(finished, tmp_path):
    _run(tmp_path, cores=1)
    _assert_same_tables(finished, tmp_path)


def test_killed_then_rerun_gives_identical_tables(finished, tmp_path):
    proc = subprocess.Popen(_cmd(tmp_path, cores=1), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    fits = tmp_path / "results" / STUDY["study"] / "fits"
    deadline = time.monotonic() + 600
    try:
        while not (fits.exists() and any(fits.rglob("*.npz"))):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole run, jobs included, mid-way
        proc.wait()
    assert not (tmp_path / TABLES[0]).exists()
    # nothing half-written: whatever output exists is complete (atomic writes), temp files aside
    for f in (tmp_path / "results").rglob("*.npz"):
        np.load(f).files
    subprocess.run(_cmd(tmp_path, "--unlock"), capture_output=True, check=True)
    _run(tmp_path, cores=2)
    _assert_same_tables(finished, tmp_path)


def test_config_change_reruns_only_what_it_touches(finished, tmp_path):
    cfg = yaml.safe_load(CONFIG.read_text())
    cfg["grids"]["enet_corrected"]["lambda2s"] = [0.1, 1.0, 10.0]
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(cfg))
    out = _run(finished, "-n", config=changed)
    counts = _job_stats(out)
    # each scenario's fit job (one per scenario: fit_model where ols applies, fit_model_no_ols elsewhere), their
    # metrics, the tables; no data set is redrawn
    assert counts == {"fit_model": "1", "fit_model_no_ols": "1", "compute_metrics": str(len(cfg["scenarios"])),
                      "collect_metrics": "1"}, out

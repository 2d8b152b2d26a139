"""Studies at scale, end to end through Snakemake: a crossed design whose fits cannot converge (solver.max_iter: 1)
lands every non-convergence in warnings.csv with the seed that reproduces its data set, the run ends with a summary
paragraph saying so, adding a value to one axis reruns only the new cells; a fit that raises fails its job with its
message while --keep-going lets the other scenarios finish, and the summary and warnings.csv name it."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from regbench.advise.map_scores import load_regime_map
from regbench.data.io import load_dataset
from regbench.data.simulate import simulate
from regbench.evaluate.diagnostics import WARNING_COLUMNS
from regbench.study.config import check_config

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"

pytestmark = pytest.mark.slow

GRID = {
    "study": "gridt", "seed": 3, "replicates": 2, "bootstrap": 20, "methods": ["ols", "lasso", "ridge"],
    "solver": {"max_iter": 1}, "tuning": {"method": "cv", "folds": 3},
    "grids": {"lasso": {"n_lambdas": 10}, "ridge": {"n_lambdas": 10}},
    "scenarios": [{"name": "c", "design": "toeplitz", "n_test": 50,
                   "grid": {"rho": [0.0, 0.9], "shape": {"tall": {"n": 40, "p": 10}, "wide": {"n": 20, "p": 40}}}}],
}


def _snakemake(workdir, config, *args):
    path = Path(workdir) / f"{config['study']}-{len(list(Path(workdir).glob('*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(config))
    study = config["study"]
    cmd = [SNAKEMAKE, "-s", str(ROOT / "Snakefile"), "-d", str(workdir), "--profile",
           str(ROOT / "workflow/profiles/default"), "--cores", "2", *args,
           f"results/{study}/metrics.csv", f"results/{study}/warnings.csv", "--configfile", str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout + proc.stderr


def _job_stats(out):
    lines = out.splitlines()
    start = lines.index("Job stats:") + 3
    counts = {}
    for line in lines[start:]:
        rule, count = line.split()
        if rule == "total":
            return counts
        counts[rule] = int(count)
    raise AssertionError(out)


@pytest.fixture(scope="module")
def grid_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("grid")
    rc, out = _snakemake(workdir, GRID)
    assert rc == 0, out
    return workdir, out


def test_every_nonconvergence_is_in_the_warnings_table(grid_run):
    workdir, _ = grid_run
    table = pd.read_csv(workdir / "results/gridt/warnings.csv")
    metrics = pd.read_csv(workdir / "results/gridt/metrics.csv")
    assert list(table.columns) == WARNING_COLUMNS
    assert set(table["kind"]) <= {"nonconvergence", "grid_edge", "exception"}
    assert (table["seed"] == GRID["seed"]).all()
    # every fit metrics.csv marks as not converged has a row, with the gap it reached
    unconverged = metrics.loc[~metrics["converged"], ["scenario", "replicate", "method", "gap"]]
    assert len(unconverged) > 0
    chosen = table[table["message"].str.startswith("the fit at the chosen lambda")]
    merged = unconverged.merge(chosen, on=["scenario", "replicate", "method"], how="left")
    assert merged["kind"].eq("nonconvergence").all(), merged
    np.testing.assert_allclose(merged["value"], merged["gap"], rtol=1e-12)
    assert set(table["method"]) <= {"lasso", "ridge"}  # ols has no iterations


def test_the_seed_column_reproduces_the_data_set(grid_run):
    workdir, _ = grid_run
    row = pd.read_csv(workdir / "results/gridt/warnings.csv").iloc[-1]
    cfg = check_config(yaml.safe_load(yaml.safe_dump(GRID)), SCHEMA)
    settings = {s["name"]: s for s in cfg["scenarios"]}[row["scenario"]]
    again = simulate(settings, study_seed=int(row["seed"]), replicate=int(row["replicate"]))
    stored = load_dataset(workdir / f"results/gridt/data/{row['scenario']}/{row['replicate']}.npz")
    np.testing.assert_array_equal(np.asarray(again.X_train), np.asarray(stored.X_train))
    np.testing.assert_array_equal(again.y_train, stored.y_train)


def test_the_run_ends_with_a_summary_paragraph(grid_run):
    workdir, out = grid_run
    table = pd.read_csv(workdir / "results/gridt/warnings.csv")
    n_bad = len(table[table["kind"] == "nonconvergence"].drop_duplicates(["scenario", "replicate", "method"]))
    line = next(ln for ln in out.splitlines() if ln.startswith("regbench: study gridt"))
    assert f"{n_bad} did not converge" in line
    assert "no job failed." in line
    assert "results/gridt/warnings.csv" in line


def test_adding_a_value_to_an_axis_reruns_only_the_new_cells(grid_run):
    workdir, _ = grid_run
    grown = yaml.safe_load(yaml.safe_dump(GRID))
    grown["scenarios"][0]["grid"]["rho"] = [0.0, 0.5, 0.9]
    rc, out = _snakemake(workdir, grown, "-n")
    assert rc == 0, out
    assert _job_stats(out) == {"simulate_dataset": 2, "fit_model": 1, "fit_model_no_ols": 1, "compute_metrics": 2,
                               "collect_metrics": 1}, out
    jobs = [ln.split("wildcards:")[1] for ln in out.splitlines() if "scenario=" in ln]
    assert jobs and all("scenario=c-rho0p5-" in j for j in jobs), jobs
    rc, out = _snakemake(workdir, GRID, "-n")  # the original grid is still complete
    assert rc == 0 and "Nothing to be done" in out, out


def test_a_fit_that_raises_fails_its_job_and_the_rest_finish(tmp_path):
    study = {
        "study": "boom", "seed": 1, "replicates": 2, "bootstrap": 20, "methods": ["lasso"],
        "tuning": {"method": "cv", "folds": 3}, "grids": {"lasso": {"n_lambdas": 10}},
        "scenarios": [
            {"name": "fine", "design": "independent", "n": 30, "p": 5, "n_test": 20},
            # 2% nonzeros in 12 rows: most columns are all zero, which standardize cannot scale
            {"name": "zero_columns", "design": "sparse", "density": 0.02, "n": 12, "p": 30, "k": 3, "n_test": 20},
        ],
    }
    rc, out = _snakemake(tmp_path, study, "--keep-going")
    assert rc != 0
    assert (tmp_path / "results/boom/metrics/fine.csv").is_file()  # the other scenario finished
    assert not (tmp_path / "results/boom/metrics.csv").exists()   # no table from a partial input
    log = (tmp_path / "logs/boom/fit_model/zero_columns.log").read_text()
    assert "FAILED: ValueError: cannot standardize" in log
    line = next(ln for ln in out.splitlines() if ln.startswith("regbench: study boom"))
    assert "1 job(s) failed (fit_model, log logs/boom/fit_model/zero_columns.log)" in line, line
    assert "fit(s) raised: lasso on zero_columns replicate 0 (ValueError: cannot standardize" in line
    table = pd.read_csv(tmp_path / "results/boom/warnings.csv")
    raised = table[table["kind"] == "exception"]
    assert sorted(raised["replicate"]) == [0, 1] and (raised["scenario"] == "zero_columns").all()
    assert raised["message"].str.contains("cannot standardize").all() and (raised["seed"] == 1).all()


def test_the_advice_is_scored_on_the_cells_and_the_map_written(grid_run):
    # the score_advice rule end to end on the crossed study: scores per cell and policy, the summary per grid-axis
    # value, and the regime map with its provenance lines (what `make regime-map` copies into the package)
    workdir, _ = grid_run
    res = Path(workdir) / "results" / "gridt"
    rc, out = _snakemake(workdir, GRID, "results/gridt/advice_scores.csv", "results/gridt/regime_map.csv")
    assert rc == 0, out
    scores = pd.read_csv(res / "advice_scores.csv")
    paired = pd.read_csv(res / "paired.csv")
    assert set(scores["scenario"]) == set(paired["scenario"]) and len(set(scores["scenario"])) == 4
    winners = scores.drop_duplicates("scenario").set_index("scenario")["winner"]
    assert winners.to_dict() == paired.drop_duplicates("scenario").set_index("scenario")["best"].to_dict()
    summary = pd.read_csv(res / "advice_scores_summary.csv")
    assert set(summary["group"]) == {"all", "rho=0", "rho=0.9", "shape=tall", "shape=wide"}
    table, prov = load_regime_map(res / "regime_map.csv")
    assert prov["study"] == "gridt" and prov["replicates"] == "2" and len(prov["config_sha256"]) == 16
    assert sorted(table["scenario"]) == sorted(winners.index) and len(table) == 4  # one row per cell

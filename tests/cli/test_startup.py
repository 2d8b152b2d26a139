"""Each pipeline step imports only what it runs: a job's start-up (interpreter and imports) is paid once per job, and
for small scenarios it is a large share of the job (benchmarks/scale.md). The steps that only read fits (evaluate,
aggregate) must not import the solver and numba; simulate needs neither pandas nor numba; fit needs no pandas."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from regbench.cli import subcommand_module
from regbench.study.code import module_files

HEAVY = ("numba", "pandas", "matplotlib", "scipy.stats")
#: subcommand -> the heavy third-party modules it may import
ALLOWED = {
    "simulate": set(),
    "fit": {"numba"},
    "evaluate": {"pandas"},
    "aggregate": {"pandas"},
}


def _imported_heavy(subcommand: str) -> set[str]:
    code = (f"import sys, json, importlib; importlib.import_module({subcommand_module(subcommand)!r}); "
            f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("subcommand", sorted(ALLOWED))
def test_step_imports_only_what_it_runs(subcommand):
    heavy = _imported_heavy(subcommand)
    assert heavy <= ALLOWED[subcommand], f"`regbench {subcommand}` imports {sorted(heavy - ALLOWED[subcommand])}"


@pytest.mark.parametrize("subcommand", ["evaluate", "aggregate"])
def test_readers_of_fits_do_not_depend_on_the_solver(subcommand):
    """Their code inputs (derived from their imports) exclude the solver: editing it reruns the fits, and the
    metrics only because the fits changed."""
    files = module_files(subcommand_module(subcommand))
    assert not [f for f in files if "/fitting/" in f], files


def _fit_job_modules(tmp_path, sparse: bool) -> set[str]:
    """The scipy subpackages loaded by a `regbench fit` process (ols, lasso and ridge on one small data set)."""
    from regbench.data.io import save_dataset
    from regbench.data.simulate import simulate

    scenario = {"name": "s", "design": "independent", "n": 60, "p": 8, "n_test": 20}
    if sparse:
        scenario.update(design="sparse", density=0.5)
    data = tmp_path / "0.npz"
    save_dataset(data, simulate(scenario, study_seed=1, replicate=0))
    spec = {"tuning": {"method": "cv", "folds": 3, "rule": "min"}, "grid": {"n_lambdas": 5, "eps": 0.01}}
    methods = ["ols", "lasso", "ridge"]
    code = ("import sys, json; from regbench.cli import main; rc = main(sys.argv[1:]); "
            "print(json.dumps([m for m in sys.modules if m.startswith('scipy.') and m.count('.') == 1])); "
            "sys.exit(rc)")
    argv = ["fit", "--method", *methods, "--spec", json.dumps(spec), "--data", str(data),
            "--out", *[str(tmp_path / f"{m}.npz") for m in methods]]
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert all((tmp_path / f"{m}.npz").is_file() for m in methods)
    return set(json.loads(out.stdout.splitlines()[-1])), out.stderr


def test_a_dense_fit_job_loads_neither_scipy_sparse_nor_scipy_linalg(tmp_path):
    """Each costs a fit job ~0.15-0.3 s of CPU (scipy 1.17's array-API layer; benchmarks/scale.md): dense data need
    neither (`regbench.lazy_sparse`, numpy's LAPACK in ridge and OLS, `fitting._jit.init_target`)."""
    loaded, log = _fit_job_modules(tmp_path, sparse=False)
    assert not loaded & {"scipy.sparse", "scipy.linalg"}, sorted(loaded)
    # the job's account of its CPU (benchmarks/scale_table.py reads it): the parts add up to the whole
    m = re.search(r"job: ([\d.]+) s CPU in all: ([\d.]+) s fitting, ([\d.]+) s start-up \(interpreter, imports, "
                  r"kernel cache: \d+%\), ([\d.]+) s reading data and writing fits, (-?[\d.]+) s other; 3 fits", log)
    assert m, log
    total, *parts = (float(v) for v in m.groups())
    assert parts[1] > 0.1 and all(v >= -0.01 for v in parts) and abs(sum(parts) - total) <= 0.02


def test_a_sparse_fit_job_still_fits_on_its_csc_matrix(tmp_path):
    assert "scipy.sparse" in _fit_job_modules(tmp_path, sparse=True)[0]

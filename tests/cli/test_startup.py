"""Each pipeline step imports only what it runs: a job's start-up (interpreter and imports) is paid once per job, and
for small scenarios it is a large share of the job (benchmarks/scale.md). The steps that only read fits (evaluate,
aggregate) must not import the solver and numba; simulate needs neither pandas nor numba; fit needs no pandas."""

from __future__ import annotations

import json
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

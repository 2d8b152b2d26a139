"""A study file given with --configfile is the whole study: config/default.yaml is not merged under it.

Cluster jobs see the Snakefile without the profile's `replace-workflow-config` (executor plugins do not forward it),
so these runs leave the profile out on purpose: that is the command line a SLURM job gets. The config the jobs
see is read back from a dry run's shell commands (collect_metrics receives the whole config as JSON) and compared
with the study file completed by the schema's defaults, computed here without the workflow.
"""

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pipeline_copies import copy_pipeline

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
# what the pipeline reads; config/default.yaml is read from the working directory, so the runs happen in a copy


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    return copy_pipeline(tmp_path_factory.mktemp("checkout"))


def expected_config(path):
    """The study file alone, completed by the schema's defaults (as common.smk does), without Snakemake."""
    from snakemake.utils import validate

    from regbench.study.config import check_config

    cfg = check_config(yaml.safe_load(Path(path).read_text()), SCHEMA)
    validate(cfg, str(SCHEMA))
    return cfg


def dry_run_config(workdir, *args):
    """The config the jobs of a dry run of the study tables would get (collect_metrics' --config JSON)."""
    cmd = [SNAKEMAKE, "-n", "-p", "-F", "--cores", "1", *args]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    lines = [line for line in out.splitlines() if line.strip().startswith("Shell command: regbench aggregate")]
    assert len(lines) == 1, out
    words = shlex.split(lines[0].split("Shell command:", 1)[1])
    return json.loads(words[words.index("--config") + 1]), out


def test_study_configfile_is_not_merged_with_the_default_study(checkout):
    # no profile: the job's view (no replace-workflow-config); targets before --configfile (it takes several files)
    seen, out = dry_run_config(checkout, "results/tiny/metrics.csv", "--configfile", ".test/config.yaml")
    assert "config/default.yaml is extended" not in out, out
    expected = expected_config(checkout / ".test/config.yaml")
    # the keys the default study sets and the tiny study leaves to the schema (seen merged under SLURM:
    # grids.enet_corrected.eps 1e-3 instead of null, grids of methods the study does not fit)
    assert set(seen["grids"]) == set(expected["grids"]), seen["grids"]
    assert seen == expected


def test_default_study_without_configfile(checkout):
    seen, _ = dry_run_config(checkout, "--profile", "workflow/profiles/default", "results/default/metrics.csv")
    assert seen == expected_config(checkout / "config/default.yaml")


def test_config_overrides_still_apply_to_the_default_study(checkout):
    seen, _ = dry_run_config(checkout, "results/default/metrics.csv", "--config", "replicates=2")
    expected = expected_config(checkout / "config/default.yaml")
    assert seen["replicates"] == 2 != expected["replicates"]
    expected["replicates"] = 2
    assert seen == expected

"""A wrong study config fails before any job runs, with a message naming the key (one test per kind of mistake)."""

import copy
import glob
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from regbench.study.config import StudyConfigError, check_config, methods_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))

VALID = {
    "study": "t",
    "scenarios": [
        {"name": "wide", "design": "independent", "n": 20, "p": 50},
        {"name": "tall", "design": "toeplitz", "n": 100, "p": 10, "n_val": 30},
    ],
}


def _check(edit=None):
    cfg = copy.deepcopy(VALID)
    if edit:
        edit(cfg)
    return check_config(cfg, SCHEMA)


def _fails(edit, *fragments):
    with pytest.raises(StudyConfigError) as info:
        _check(edit)
    msg = str(info.value)
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_valid_config_gets_defaults():
    cfg = _check()
    assert cfg["seed"] == 0 and cfg["replicates"] == 5 and cfg["standardize"] is True
    assert cfg["tuning"] == {"method": "cv", "folds": 5, "rule": "min"}
    assert cfg["grids"]["lasso"] == {"n_lambdas": 50, "eps": None}
    assert cfg["grids"]["enet_naive"]["second"] == "l1_ratio"
    assert cfg["scenarios"][0]["truth"] == "sparse" and cfg["scenarios"][0]["snr"] == 3.0
    assert cfg["methods"] == ["ols", "lasso", "ridge", "enet_naive", "enet_corrected"]
    # ols only where n_train > p
    assert "ols" not in methods_for(cfg, cfg["scenarios"][0]) and "ols" in methods_for(cfg, cfg["scenarios"][1])


@pytest.mark.parametrize("path", sorted(glob.glob(str(ROOT / "config/*.yaml"))) + [str(ROOT / ".test/config.yaml")])
def test_shipped_configs_are_valid(path):
    with open(path) as fh:
        check_config(yaml.safe_load(fh), SCHEMA)


def test_unknown_key():
    _fails(lambda c: c.update(replicatess=3), "replicatess: unknown key", "replicates")
    _fails(lambda c: c["scenarios"][1].update(rhoo=0.3), "scenarios[1] (name: tall).rhoo: unknown key")
    _fails(lambda c: c.update(tuning={"method": "cv", "fold": 3}), "tuning.fold: unknown key")
    _fails(lambda c: c.update(grids={"lasso": {"nlambdas": 3}}), "grids.lasso.nlambdas: unknown key")


def test_wrong_type():
    _fails(lambda c: c.update(replicates="five"), "replicates: 'five' is not of type 'integer'")
    _fails(lambda c: c["scenarios"][0].update(p=10.5), "scenarios[0] (name: wide).p: 10.5 is not of type")
    _fails(lambda c: c.update(scenarios={"wide": {}}), "scenarios:", "not of type 'array'")
    # YAML 1.1 reads 1e-7 as a string: the message says how to write it
    _fails(lambda c: c.update(solver={"tol": "1e-7"}), "solver.tol", "write 1.0e-7")


def test_negative_size():
    _fails(lambda c: c["scenarios"][0].update(n_test=-5), "scenarios[0] (name: wide).n_test: -5 is less than")
    _fails(lambda c: c["scenarios"][1].update(n=-1), "scenarios[1] (name: tall).n: -1 is less than")
    _fails(lambda c: c.update(replicates=-2), "replicates: -2 is less than the minimum of 1")


def test_n_or_p_zero():
    _fails(lambda c: c["scenarios"][0].update(p=0), "scenarios[0] (name: wide).p: 0 is less than the minimum of 1")
    _fails(lambda c: c["scenarios"][0].update(n=0), "scenarios[0] (name: wide).n: 0 is less than the minimum of 2")


def test_missing_required_key():
    _fails(lambda c: c["scenarios"][0].pop("p"), "scenarios[0] (name: wide): 'p' is a required property")


def test_unknown_method():
    _fails(lambda c: c.update(methods=["lasso", "group_lasso"]), "methods[1]: 'group_lasso' is not one of")


def test_unknown_scenario_kind():
    _fails(lambda c: c["scenarios"][0].update(design="blocky"), "scenarios[0] (name: wide).design: 'blocky'")
    _fails(lambda c: c["scenarios"][0].update(truth="medium"), "scenarios[0] (name: wide).truth: 'medium'")


def test_duplicate_scenario_name():
    _fails(lambda c: c["scenarios"][1].update(name="wide"), "scenarios[1] (name: wide).name: duplicate")


def test_bad_scenario_name():
    _fails(lambda c: c["scenarios"][0].update(name="a/b"), "scenarios[0] (name: a/b).name: 'a/b' does not match")


def test_validation_set_larger_than_data():
    _fails(lambda c: c["scenarios"][1].update(n_val=100), "scenarios[1] (name: tall).n_val",
           "smaller than the data n=100")
    _fails(lambda c: c["scenarios"][1].update(n_val=500), "scenarios[1] (name: tall).n_val")
    # with validation tuning every scenario needs a validation set
    _fails(lambda c: c.update(tuning={"method": "validation"}), "scenarios[0] (name: wide).n_val", "at least 2")


def test_folds_more_than_training_rows():
    _fails(lambda c: c.update(tuning={"folds": 30}), "tuning.folds: 30 folds", "scenarios[0] (name: wide)")


def test_grid_out_of_range():
    _fails(lambda c: c.update(grids={"enet_naive": {"l1_ratios": [0.0, 0.5]}}),
           "grids.enet_naive.l1_ratios[0]: 0.0 is less than or equal to the minimum of 0")
    _fails(lambda c: c.update(grids={"enet_corrected": {"l1_ratios": [1.5]}}),
           "grids.enet_corrected.l1_ratios[0]: 1.5 is greater than the maximum of 1")
    _fails(lambda c: c.update(grids={"enet_naive": {"second": "lambda2", "lambda2s": [-1.0]}}),
           "grids.enet_naive.lambda2s[0]: -1.0 is less than the minimum of 0")
    _fails(lambda c: c.update(grids={"lasso": {"n_lambdas": 1}}), "grids.lasso.n_lambdas: 1 is less than")
    _fails(lambda c: c.update(grids={"ridge": {"eps": 2.0}}), "grids.ridge.eps: 2.0")
    _fails(lambda c: c.update(grids={"enet_naive": {"l1_ratios": []}}),
           "grids.enet_naive.l1_ratios: [] should be non-empty")


def test_other_ranges():
    _fails(lambda c: c["scenarios"][0].update(rho=1.0), "scenarios[0] (name: wide).rho: 1.0")
    _fails(lambda c: c["scenarios"][0].update(snr=0), "scenarios[0] (name: wide).snr: 0")
    _fails(lambda c: c["scenarios"][0].update(density=0), "scenarios[0] (name: wide).density: 0")
    _fails(lambda c: c["scenarios"][0].update(k=60), "scenarios[0] (name: wide).k: a sparse truth with k=60")
    _fails(lambda c: c["scenarios"][1].update(design="grouped", n_groups=4, group_size=3),
           "scenarios[1] (name: tall).group_size: n_groups * group_size = 12")
    _fails(lambda c: c.update(standardize=False), "standardize: enet_corrected")


def test_all_problems_reported_at_once():
    def edit(c):
        c["scenarios"][0]["p"] = 0
        c["methods"] = ["lasso", "bogus"]
    msg = _fails(edit, "scenarios[0] (name: wide).p", "methods[1]")
    assert msg.count("\n") >= 2


@pytest.mark.slow
def test_snakemake_stops_before_any_job(tmp_path):
    """Through Snakemake itself: a bad config fails at load time, naming the key, and nothing is written."""
    cfg = copy.deepcopy(VALID)
    cfg["scenarios"][1]["n_val"] = 100
    cfg["methods"] = ["lasso", "lassso"]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(cfg))
    proc = subprocess.run(
        [SNAKEMAKE, "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path), "--configfile", "bad.yaml",
         "--cores", "1"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "methods[1]: 'lassso' is not one of" in out, out
    assert not (tmp_path / "results").exists() and not (tmp_path / "logs").exists()


def test_scenario_table_leaves_settings_that_do_not_apply_empty():
    from regbench.study.config import scenario_table

    config = {"study": "s", "replicates": 2, "tuning": {"method": "cv"},
              "scenarios": [{"name": "ind", "design": "independent", "truth": "dense", "n": 50, "p": 5, "rho": 0.5,
                             "k": 5, "density": 0.1, "n_val": 0, "n_test": 100},
                            {"name": "toe", "design": "toeplitz", "truth": "sparse", "n": 50, "p": 5, "rho": 0.7,
                             "k": 2, "density": 0.1, "n_val": 0, "n_test": 100}]}
    table = scenario_table(config).set_index("name")
    assert table.loc["ind", ["rho", "k", "density"]].isna().all()
    assert table.loc["toe", "rho"] == 0.7 and table.loc["toe", "k"] == 2 and pd_isna(table.loc["toe", "density"])


def pd_isna(value):
    import pandas as pd

    return bool(pd.isna(value))

"""Crossed designs (regbench.study.grid through check_config): cell names, cells checked one by one with errors naming
the cell and the key, grid-block errors naming the axis, names that do not move when an axis grows, scenarios.csv."""

import copy
from pathlib import Path

import pytest
import yaml

from regbench.study.config import StudyConfigError, check_config, scenario_table
from regbench.study.grid import cell_part

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"

GRID_STUDY = """
study: g
scenarios:
  - {name: plain, design: independent, n: 50, p: 10}
  - name: reg
    design: toeplitz
    n_test: 100
    grid:
      rho: [0.0, 0.95]
      shape: {n_gg_p: {n: 200, p: 20}, p_gg_n: {n: 40, p: 400}}
      snr: [0.5, 5]
"""


def _checked(text=GRID_STUDY, edit=None):
    cfg = yaml.safe_load(text)
    if edit:
        edit(cfg)
    return check_config(cfg, SCHEMA)


def test_cells_are_the_cross_product_with_readable_names():
    cfg = _checked()
    names = [s["name"] for s in cfg["scenarios"]]
    assert names == ["plain"] + [f"reg-{r}-{s}-{q}" for r in ("rho0", "rho0p95") for s in ("n_gg_p", "p_gg_n")
                                 for q in ("snr0p5", "snr5")]
    cell = {s["name"]: s for s in cfg["scenarios"]}["reg-rho0p95-p_gg_n-snr5"]
    # the entry's keys, the cell's values, the schema's defaults: an ordinary scenario
    assert (cell["design"], cell["rho"], cell["n"], cell["p"], cell["snr"], cell["n_test"]) == \
        ("toeplitz", 0.95, 40, 400, 5, 100)
    assert cell["k"] == 5 and "grid" not in cell
    assert cell["cell"] == {"grid": "reg", "rho": 0.95, "shape": "p_gg_n", "snr": 5}


@pytest.mark.parametrize("axis, value, part", [
    ("rho", 0.0, "rho0"), ("rho", 0.9, "rho0p9"), ("n", 200, "n200"), ("snr", 1e-3, "snr0p001"),
    ("snr", 2.5e-7, "snr2p5em07"), ("design", "toeplitz", "toeplitz"), ("standardize", True, "standardizetrue"),
])
def test_name_parts(axis, value, part):
    assert cell_part(axis, value) == part


def test_names_and_other_cells_do_not_move_when_an_axis_grows():
    before = {s["name"]: s for s in _checked()["scenarios"]}

    def add_rho(cfg):
        cfg["scenarios"][1]["grid"]["rho"].insert(1, 0.5)

    after = {s["name"]: s for s in _checked(edit=add_rho)["scenarios"]}
    assert set(before) < set(after)
    assert sorted(set(after) - set(before)) == sorted(f"reg-rho0p5-{s}-{q}" for s in ("n_gg_p", "p_gg_n")
                                                       for q in ("snr0p5", "snr5"))
    for name, s in before.items():  # the settings every rule's params see are unchanged: no rerun, no reseed
        assert after[name] == s


def test_an_invalid_cell_is_reported_by_name_and_key():
    def many_nonzeros(cfg):
        cfg["scenarios"][1]["k"] = 30  # fine where p = 400, not where p = 20

    with pytest.raises(StudyConfigError) as err:
        _checked(edit=many_nonzeros)
    msg = str(err.value)
    assert "(name: reg-rho0-n_gg_p-snr0p5, a cell of grid reg).k: a sparse truth with k=30 nonzeros needs k <= p=20" \
        in msg
    assert msg.count("a cell of grid reg") == 4  # the four n_gg_p cells, and only them
    assert "p_gg_n" not in msg


def test_a_schema_error_in_a_cell_names_the_cell_and_key():
    def bad_rho(cfg):
        cfg["scenarios"][1]["grid"]["rho"] = [0.0, 1.5]

    with pytest.raises(StudyConfigError) as err:
        _checked(edit=bad_rho)
    msg = str(err.value)
    assert "(name: reg-rho1p5-n_gg_p-snr0p5, a cell of grid reg).rho: 1.5 is greater than or equal to the maximum" \
        in msg
    assert "reg-rho0-" not in msg


def test_an_unknown_key_on_an_axis_is_named():
    def typo(cfg):
        cfg["scenarios"][1]["grid"]["sn"] = [1.0]

    with pytest.raises(StudyConfigError, match=r"a cell of grid reg\)\.sn: unknown key"):
        _checked(edit=typo)


@pytest.mark.parametrize("grid, expected", [
    ({}, r"scenarios\[1\] \(name: reg\)\.grid: expected a mapping"),
    ({"rho": []}, r"\.grid\.rho: expected a non-empty list"),
    ({"rho": 0.5}, r"\.grid\.rho: expected a non-empty list of values or a mapping"),
    ({"design": ["toeplitz"]}, r"\.grid\.design: 'design' is both set in the entry"),
    ({"shape": {"a": {"n": 30}}, "n": [40]}, r"\.grid\.n: 'n' is varied by two axes \(shape and n\)"),
    ({"shape": {"bad label": {"n": 30}}}, r"\.grid\.shape: label 'bad label' must be"),
    ({"shape": {"a": 3}}, r"\.grid\.shape\.a: expected a mapping of scenario keys"),
    ({"coef": [[1.0, 2.0]]}, r"\.grid\.coef: value \[1.0, 2.0\] cannot be part of a scenario name"),
    ({"name": ["x"]}, r"\.grid\.name: 'name' cannot be an axis"),
])
def test_grid_block_errors_name_the_axis(grid, expected):
    def set_grid(cfg):
        cfg["scenarios"][1]["grid"] = grid

    with pytest.raises(StudyConfigError, match=expected):
        _checked(edit=set_grid)


def test_duplicate_cell_names_are_refused():
    def clash(cfg):
        cfg["scenarios"].append({"name": "reg-rho0-n_gg_p-snr5", "design": "independent", "n": 20, "p": 5})

    with pytest.raises(StudyConfigError, match=r"duplicate scenario name 'reg-rho0-n_gg_p-snr5'"):
        _checked(edit=clash)


def test_expansion_is_idempotent():
    cfg = _checked()
    again = check_config(copy.deepcopy(cfg), SCHEMA)
    assert again["scenarios"] == cfg["scenarios"]


def test_scenario_table_has_the_grid_and_its_axes():
    table = scenario_table(_checked())
    assert len(table) == 9
    plain, cell = table.iloc[0], table.set_index("name").loc["reg-rho0p95-p_gg_n-snr0p5"]
    assert plain["grid"] == "" and plain["grid_axes"] == ""
    assert cell["grid"] == "reg" and cell["grid_axes"] == "rho shape snr"
    assert (cell["shape"], cell["rho"], cell["snr"], cell["n"], cell["p"]) == ("p_gg_n", 0.95, 0.5, 40, 400)
    assert "cell" not in table.columns

"""A study's `references` rows: the tuning values (lambda2, s, lambda) and published variables are checked before any
job runs, each problem named by its row (scenario, method) and key."""

import copy
from pathlib import Path

import pytest

from regbench.study.config import StudyConfigError, check_config

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"

VALID = {
    "study": "t",
    "scenarios": [{"name": "wide", "design": "independent", "n": 40, "p": 8}],
    "references": [
        {"scenario": "wide", "method": "ols", "value": 0.5, "source": "paper", "variables": "all"},
        {"scenario": "wide", "method": "ridge", "value": 0.5, "source": "paper", "lambda": 1},
        {"scenario": "wide", "method": "lasso", "value": 0.5, "se": 0.1, "source": "paper", "s": 0.39,
         "variables": [1, 2, 4]},
        {"scenario": "wide", "method": "enet_corrected", "value": 0.4, "source": "paper", "lambda2": 1000,
         "s": 0.26, "variables": ["x1", "x2"]},
        {"scenario": "wide", "method": "enet_naive", "value": 0.4, "source": "paper", "parameters": "free text"},
    ],
}


def _fails(edit, *fragments):
    cfg = copy.deepcopy(VALID)
    edit(cfg["references"])
    with pytest.raises(StudyConfigError) as info:
        check_config(cfg, SCHEMA)
    msg = str(info.value)
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_valid_references_pass():
    cfg = check_config(copy.deepcopy(VALID), SCHEMA)
    assert cfg["references"][3]["lambda2"] == 1000 and cfg["references"][0]["metric"] == "test_mse"


def test_a_key_the_method_does_not_take():
    _fails(lambda r: r[0].update(lambda2=1.0),
           "references[0] (scenario: wide, method: ols).lambda2: ols takes no tuning values", "got lambda2: 1.0")
    _fails(lambda r: r[1].update(s=0.5), "references[1] (scenario: wide, method: ridge).s: ridge takes lambda")
    _fails(lambda r: r[2].update(lambda2=2.0), "references[2] (scenario: wide, method: lasso).lambda2: lasso takes s")


def test_a_missing_key():
    _fails(lambda r: r[3].pop("s"),
           "references[3] (scenario: wide, method: enet_corrected).s: enet_corrected's tuning needs lambda2 and s; "
           "s missing")


def test_out_of_range_values():
    _fails(lambda r: r[2].update(s=1.5), "references[2] (scenario: wide, method: lasso).s: 1.5 is greater than")
    _fails(lambda r: r[3].update(lambda2=-1), "references[3] (scenario: wide, method: enet_corrected).lambda2: -1 is "
           "less than the minimum of 0")
    _fails(lambda r: r[1].update({"lambda": "1e-3"}), "references[1] (scenario: wide, method: ridge).lambda:",
           "YAML 1.1")


def test_numbers_and_free_text_together():
    _fails(lambda r: r[2].update(parameters="s = 0.39"),
           "references[2] (scenario: wide, method: lasso).parameters: the tuning values (s) already define")


def test_tuning_values_need_test_mse():
    _fails(lambda r: r[2].update(metric="pred_error"),
           "references[2] (scenario: wide, method: lasso).metric: a row with tuning values is refitted",
           "got 'pred_error'")


def test_variables():
    _fails(lambda r: r[2].update(variables=[1, 9]), "references[2] (scenario: wide, method: lasso).variables: "
           "expected 1-based column numbers in 1..8 (p of scenario wide), got [9]")
    _fails(lambda r: r[2].update(variables=[1, "x2"]), "references[2] (scenario: wide, method: lasso).variables: "
           "expected all column numbers or all names")
    expected = 'expected: The variables the source reports as selected: "all", or a non-empty list of distinct'
    for bad in ("some", [], [0], [1, 1]):
        _fails(lambda r, bad=bad: r[2].update(variables=bad),
               f"references[2] (scenario: wide, method: lasso).variables: {bad!r} is not valid", expected)


def test_unknown_scenario_names_the_row():
    _fails(lambda r: r[2].update(scenario="tall"),
           "references[2] (scenario: tall, method: lasso).scenario: expected one of the study's scenarios ['wide']")

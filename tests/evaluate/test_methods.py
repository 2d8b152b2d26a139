"""The method registry is the one list of methods: the schema, the fit step, the advisor and the report agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from regbench.data.simulate import simulate
from regbench.evaluate.fits import fit_method
from regbench.evaluate.methods import CATEGORIES, METHOD_NAMES, METHODS, category_of, label_of, ordered
from regbench.report.plotting import COLORS

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def test_schema_lists_the_registry():
    schema = yaml.safe_load(SCHEMA.read_text())
    assert schema["properties"]["methods"]["items"]["enum"] == list(METHOD_NAMES)


def test_every_method_has_a_category_label_and_colour():
    assert {m.category for m in METHODS.values()} == set(CATEGORIES)
    assert set(COLORS) == set(METHODS) and len(set(COLORS.values())) == len(METHODS)
    assert len({label_of(m) for m in METHODS}) == len(METHODS)
    assert category_of("nope") == "?" and ordered(["ridge", "nope", "lasso"]) == ["lasso", "ridge"]


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_fit_step_fits_every_registered_method(method):
    ds = simulate({"name": "m", "design": "independent", "n": 40, "p": 5, "k": 2}, study_seed=1, replicate=0)
    grid = {"n_lambdas": 8, "second": "l1_ratio", "l1_ratios": [0.5]}
    out = fit_method(ds, method, tuning={"method": "cv", "folds": 3, "rule": "min"}, grid=grid)
    spec = METHODS[method]
    assert out["coef"].shape == (5,) and np.isfinite(out["coef"]).all()
    if spec.penalized and not spec.tunes_second_parameter:
        assert out["l1_ratio"] == spec.l1_ratio
    assert ("grid_values" in out) == spec.tunes_second_parameter

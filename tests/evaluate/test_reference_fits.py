"""regbench.evaluate.references / reference_fits: config/prostate.yaml's Zou & Hastie (2005) Table 1 refitted at
the paper's own tuning values reproduces the table to its printed precision (test MSE, SE, selected variables),
and the lasso and elastic-net solutions agree with scikit-learn's Lasso / ElasticNet at the converted alpha on the
same standardized data (an independent solver), with the paper's s recomputed from scikit-learn's coefficients."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from sklearn.linear_model import ElasticNet, Lasso

from regbench.data.tables import data_scenario, scenario_table
from regbench.evaluate.reference_fits import COLUMNS, reference_fit, reference_fits
from regbench.evaluate.references import paper_tuning, parameters_text, refitted, variables_text
from regbench.fitting.zou_hastie import fit_lambda2_s
from regbench.study.config import check_config

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"


@pytest.fixture(scope="module")
def prostate():
    config = check_config(yaml.safe_load((ROOT / "config/prostate.yaml").read_text()), SCHEMA)
    scenario = config["scenarios"][0]
    ds = data_scenario(scenario, study_seed=config["seed"], replicate=0, tuning_method=config["tuning"]["method"])
    return config, ds, list(scenario_table(scenario).feature_names)


def _decimals(x):
    return len(repr(float(x)).split(".")[1])


def test_prostate_references_give_the_paper_tuning(prostate):
    config, _, _ = prostate
    refs = config["references"]
    assert [r["method"] for r in refitted(refs)] == ["ols", "ridge", "lasso", "enet_naive", "enet_corrected"]
    by = {r["method"]: r for r in refs}
    assert paper_tuning(by["enet_corrected"]) == (1000.0, 0.26, "corrected")
    assert paper_tuning(by["lasso"]) == (0.0, 0.39, "naive")
    assert paper_tuning(by["ridge"]) == (1.0, 1.0, "naive")
    assert paper_tuning(by["ols"]) == (0.0, 1.0, "naive")
    assert parameters_text(by["enet_corrected"]) == "lambda2 = 1000, s = 0.26"
    assert parameters_text(by["ols"]) == ""


@pytest.mark.parametrize("method", ["ols", "ridge", "lasso", "enet_naive", "enet_corrected"])
def test_reproduces_table1_to_its_printed_precision(prostate, method):
    config, ds, names = prostate
    ref = next(r for r in config["references"] if r["method"] == method)
    row = reference_fit(ds, ref, names)
    d = _decimals(ref["value"])
    assert round(row["test_mse"], d) == pytest.approx(ref["value"], abs=1e-12), row
    assert round(row["test_mse_se"], _decimals(ref["se"])) == pytest.approx(ref["se"], abs=1e-12), row
    published = names if ref["variables"] == "all" else variables_text(ref["variables"], names).split(", ")
    assert row["selected"].split() == published
    assert row["n_selected"] == len(published)
    lambda2, s, _ = paper_tuning(ref)
    assert row["s_achieved"] == pytest.approx(s, abs=1e-6)


def _standardized(X, y):
    mu, sd = X.mean(axis=0), X.std(axis=0)
    return (X - mu) / sd, y - y.mean(), sd


@pytest.mark.parametrize("method", ["lasso", "enet_corrected"])
def test_solutions_match_scikit_learn_at_the_converted_alpha(prostate, method):
    """Zou & Hastie's (lambda1, lambda2) on unit-norm columns -> regbench's (lambda1 / (2 sqrt n), lambda2) on
    unit-variance columns -> scikit-learn's alpha = lambda1' + lambda2', l1_ratio = lambda1' / alpha."""
    config, ds, names = prostate
    ref = next(r for r in config["references"] if r["method"] == method)
    row = reference_fit(ds, ref, names)
    lambda2, s, variant = paper_tuning(ref)
    X, y = np.asarray(ds.X_train), np.asarray(ds.y_train)
    n = X.shape[0]
    Z, yc, sd = _standardized(X, y)
    l1 = row["lambda1"] / (2 * np.sqrt(n))
    if lambda2 == 0:
        sk = Lasso(alpha=l1, fit_intercept=False, tol=1e-14, max_iter=10**6).fit(Z, yc)
        full = np.linalg.lstsq(Z, yc, rcond=None)[0]
    else:
        sk = ElasticNet(alpha=l1 + lambda2, l1_ratio=l1 / (l1 + lambda2), fit_intercept=False, tol=1e-14,
                        max_iter=10**6).fit(Z, yc)
        full = np.linalg.solve(Z.T @ Z / n + lambda2 * np.eye(Z.shape[1]), Z.T @ yc / n)
    # the paper's s from scikit-learn's solution: |b|_1 / |b(lambda1 = 0)|_1
    assert np.abs(sk.coef_).sum() / np.abs(full).sum() == pytest.approx(s, abs=1e-5)
    # regbench's refit, rebuilt from its lambda1 through regbench's own solver, equals scikit-learn's solution
    scale = (1 + lambda2) if variant == "corrected" else 1.0
    ours = reference_fits([ref], {ds.scenario: ds}, {ds.scenario: names})
    assert ours.iloc[0]["lambda1"] == pytest.approx(row["lambda1"])
    fit = fit_lambda2_s(X, y, lambda2, s, variant=variant)
    np.testing.assert_allclose(fit.coef * sd / scale, sk.coef_, rtol=1e-6, atol=1e-8)
    # and its test MSE, from scikit-learn's coefficients on the original scale
    coef = scale * sk.coef_ / sd
    err = (ds.y_test - ds.X_test @ coef - (y.mean() - X.mean(axis=0) @ coef)) ** 2
    assert row["test_mse"] == pytest.approx(err.mean(), rel=1e-6)


def test_table_columns_and_refitted_rows(prostate):
    config, ds, names = prostate
    refs = [dict(r) for r in config["references"]]
    table = reference_fits(refs, {ds.scenario: ds}, {ds.scenario: names})
    assert list(table.columns) == COLUMNS
    assert table["method"].tolist() == ["ols", "ridge", "lasso", "enet_naive", "enet_corrected"]
    # without any tuning values nothing is refitted (no job, no table)
    bare = [{k: v for k, v in r.items() if k not in ("lambda", "lambda2", "s")} for r in refs]
    assert refitted(bare) == []
    # a row without its tuning values is left out once another row gives them
    partial = bare[:2] + refs[2:]
    assert [r["method"] for r in refitted(partial)] == ["ols", "lasso", "enet_naive", "enet_corrected"]


def test_unknown_variable_names_and_missing_data_are_errors(prostate):
    config, ds, names = prostate
    ref = dict(next(r for r in config["references"] if r["method"] == "lasso"), variables=["lcavol", "psa"])
    with pytest.raises(ValueError, match=r"variables: expected column names .* got \['psa'\]"):
        reference_fits([ref], {ds.scenario: ds}, {ds.scenario: names})
    with pytest.raises(ValueError, match="no data set given for scenario 'prostate'"):
        reference_fits([ref], {}, {})


def test_variables_text():
    assert variables_text([1, 2, 5], ["a", "b", "c", "d", "e"]) == "a, b, e"
    assert variables_text("all", ["a"]) == "all"
    assert variables_text(["b", "a"]) == "b, a"
    assert variables_text(None) == ""

"""Every bad-input case: a ValueError whose message names the problem; non-convergence is never silent."""

import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import make_data

import regbench

X0, Y0, _ = make_data(30, 8, rho=0.5, seed=0)


def _entry_points():
    """Every public function that takes (X, y), called with small, fast settings."""
    return {
        "path": lambda X, y, **kw: regbench.path(X, y, n_lambdas=3, **kw),
        "fit": lambda X, y, **kw: regbench.fit(X, y, 0.1, **kw),
        "ridge_path": lambda X, y, **kw: regbench.ridge_path(X, y, n_lambdas=3, **kw),
        "cross_validate": lambda X, y, **kw: regbench.cross_validate(X, y, cv=3, n_lambdas=3, **kw),
        "Lasso": lambda X, y, **kw: regbench.Lasso(alpha=0.1, **kw).fit(X, y),
        "Ridge": lambda X, y, **kw: regbench.Ridge(alpha=0.1, **kw).fit(X, y),
        "ElasticNet": lambda X, y, **kw: regbench.ElasticNet(alpha=0.1, l1_ratio=0.5, **kw).fit(X, y),
    }


ENTRY = _entry_points()
NAMES = list(ENTRY)


def _with(arr, i, j, value):
    out = arr.copy()
    if j is None:
        out[i] = value
    else:
        out[i, j] = value
    return out


BAD_VALUES = {
    "nan-in-X": (_with(X0, 3, 2, np.nan), Y0, r"(?i)\bX\b.*(nan|inf|finite)"),
    "inf-in-X": (_with(X0, 0, 0, np.inf), Y0, r"(?i)\bX\b.*(nan|inf|finite)"),
    "-inf-in-X": (_with(X0, 5, 7, -np.inf), Y0, r"(?i)\bX\b.*(nan|inf|finite)"),
    "nan-in-y": (X0, _with(Y0, 4, None, np.nan), r"(?i)\by\b.*(nan|inf|finite)"),
    "inf-in-y": (X0, _with(Y0, 0, None, np.inf), r"(?i)\by\b.*(nan|inf|finite)"),
    "nan-in-sparse-X": (sp.csc_matrix(_with(X0, 1, 1, np.nan)), Y0, r"(?i)\bX\b.*(nan|inf|finite)"),
    "mismatched-rows": (X0, Y0[:-1], r"(?i)(inconsistent|mismatch|same number|samples).*"),
    "y-2d-multi": (X0, np.column_stack([Y0, Y0]), r"(?i)\by\b.*(one-dimensional|1-?d|shape)"),
    "X-1d": (X0[:, 0], Y0, r"(?i)\bX\b.*(2-?D|two-dimensional|dimension)"),
    "one-sample": (X0[:1], Y0[:1], r"(?i)sample"),
    "zero-samples": (X0[:0], Y0[:0], r"(?i)sample"),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
@pytest.mark.parametrize("entry", NAMES)
def test_bad_arrays_raise_value_error_naming_the_problem(entry, case):
    X, y, pattern = BAD_VALUES[case]
    with pytest.raises(ValueError, match=pattern):
        ENTRY[entry](X, y)


@pytest.mark.parametrize("call,pattern", [
    (lambda: regbench.path(X0, Y0, lambdas=[1.0, -0.1]), r"lambda.*(negative|>= ?0)"),
    (lambda: regbench.path(X0, Y0, lambdas=[-1.0]), r"lambda.*(negative|>= ?0)"),
    (lambda: regbench.fit(X0, Y0, -0.5), r"alpha.*(negative|>= ?0)"),
    (lambda: regbench.ridge_path(X0, Y0, lambdas=[0.5, -2.0]), r"lambda.*(negative|>= ?0)"),
    (lambda: regbench.path(X0, Y0, lambda2=-0.1), r"lambda2.*(negative|>= ?0)"),
    (lambda: regbench.cross_validate(X0, Y0, lambda2s=[0.1, -1.0], cv=3, n_lambdas=3), r"lambda2.*(negative|>= ?0)"),
    (lambda: regbench.Lasso(alpha=-1.0).fit(X0, Y0), r"alpha.*(negative|>= ?0)"),
    (lambda: regbench.Ridge(alpha=-1.0).fit(X0, Y0), r"alpha.*(negative|>= ?0)"),
    (lambda: regbench.ElasticNet(alpha=-1.0).fit(X0, Y0), r"alpha.*(negative|>= ?0)"),
], ids=["path-lambdas", "path-lambdas-single", "fit-alpha", "ridge_path-lambdas", "path-lambda2",
        "cv-lambda2s", "Lasso-alpha", "Ridge-alpha", "ElasticNet-alpha"])
def test_negative_penalty_raises(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


@pytest.mark.parametrize("value", [-0.1, 1.5, np.nan])
@pytest.mark.parametrize("call", [
    lambda v: regbench.path(X0, Y0, l1_ratio=v, n_lambdas=3),
    lambda v: regbench.fit(X0, Y0, 0.1, l1_ratio=v),
    lambda v: regbench.cross_validate(X0, Y0, l1_ratios=[0.5, v], cv=3, n_lambdas=3),
    lambda v: regbench.ElasticNet(alpha=0.1, l1_ratio=v).fit(X0, Y0),
    lambda v: regbench.ElasticNetCV(l1_ratio=[0.5, v]).fit(X0, Y0),
    lambda v: regbench.params.glmnet_to_article(1.0, v),
    lambda v: regbench.params.article_to_glmnet(1.0, v),
], ids=["path", "fit", "cross_validate", "ElasticNet", "ElasticNetCV", "glmnet_to_article", "article_to_glmnet"])
def test_mixing_parameter_outside_unit_interval_raises(call, value):
    with pytest.raises(ValueError, match=r"(?i)(l1_ratio|\ba\b)"):
        call(value)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("entry", NAMES)
def test_constant_column_with_standardize_raises(entry, sparse):
    X = X0.copy()
    X[:, 3] = 2.5 if not sparse else 0.0  # a sparse all-zero column is constant too
    X = sp.csc_matrix(X) if sparse else X
    with pytest.raises(ValueError, match=r"(?i)(constant|zero variance|standard deviation|zero spread)"):
        ENTRY[entry](X, Y0, standardize=True)


@pytest.mark.parametrize("entry", ["path", "fit", "ridge_path", "Lasso"])
def test_constant_column_without_standardize_is_fine(entry):
    X = X0.copy()
    X[:, 3] = 2.5
    out = ENTRY[entry](X, Y0)
    coef = getattr(out, "coef_", None)
    if coef is None:
        coef = out.coef if hasattr(out, "coef") else out.coefs
    assert np.all(np.isfinite(coef))
    # a constant column (with an intercept) carries no signal: zero coefficient (to rounding for the SVD)
    assert np.all(np.abs(np.asarray(coef)[3]) <= 1e-12), np.asarray(coef)[3]


@pytest.mark.parametrize("call", [
    lambda: regbench.path(X0, Y0, lambdas=[]),
    lambda: regbench.path(X0, Y0, lambdas=np.array([])),
    lambda: regbench.ridge_path(X0, Y0, lambdas=[]),
    lambda: regbench.cross_validate(X0, Y0, l1_ratios=[], cv=3),
    lambda: regbench.cross_validate(X0, Y0, lambda2s=[], cv=3),
], ids=["path", "path-array", "ridge_path", "cv-l1_ratios", "cv-lambda2s"])
def test_empty_grid_raises(call):
    with pytest.raises(ValueError, match=r"(?i)empty"):
        call()


@pytest.mark.parametrize("call,pattern", [
    (lambda: regbench.path(X0, Y0, variant="bogus"), r"variant"),
    (lambda: regbench.path(X0, Y0, variant="corrected", standardize=False), r"standardize"),
    (lambda: regbench.path(X0, Y0, n_lambdas=0), r"n_lambdas"),
    (lambda: regbench.path(X0, Y0, eps=0.0), r"eps"),
    (lambda: regbench.path(X0, Y0, eps=2.0), r"eps"),
    (lambda: regbench.path(X0, Y0, tol=-1.0), r"tol"),
    (lambda: regbench.path(X0, Y0, max_iter=0), r"max_iter"),
    (lambda: regbench.cross_validate(X0, Y0, rule="best"), r"rule"),
    (lambda: regbench.cross_validate(X0, Y0, cv=1), r"cv"),
    (lambda: regbench.cross_validate(X0, Y0, validation=(X0[:, :3], Y0)), r"(?i)features"),
    (lambda: regbench.cross_validate(X0, Y0, validation=(X0, Y0[:5])), r"(?i)(rows|samples)"),
    (lambda: regbench.ElasticNet(variant="bogus").fit(X0, Y0), r"variant"),
], ids=["variant", "corrected-unstandardized", "n_lambdas", "eps0", "eps2", "tol", "max_iter", "rule", "cv1",
        "validation-features", "validation-rows", "ElasticNet-variant"])
def test_bad_options_raise(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def _hard_problem():
    return make_data(25, 60, rho=0.9, seed=3)


_NUM = r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)"


def _numbers(msg):
    return [float(x) for x in re.findall(_NUM, msg)]


def test_non_convergence_warns_naming_lambda_and_gap_path():
    X, y, _ = _hard_problem()
    with pytest.warns(regbench.ConvergenceWarning) as rec:
        res = regbench.path(X, y, n_lambdas=5, tol=1e-14, max_iter=1)
    assert issubclass(regbench.ConvergenceWarning, UserWarning)
    assert not np.all(res.converged)
    msgs = [str(w.message) for w in rec if issubclass(w.category, regbench.ConvergenceWarning)]
    assert msgs
    msg = msgs[0]
    assert re.search(r"(?i)lambda", msg) and re.search(r"(?i)gap", msg), msg
    bad = np.flatnonzero(~res.converged)
    nums = _numbers(msg)
    # the message names one of the unconverged lambdas and the gap reached there
    named = [k for k in bad if any(np.isclose(x, res.lambdas[k], rtol=1e-4) for x in nums)]
    assert named, f"no unconverged lambda {res.lambdas[bad]} in the message: {msg}"
    assert any(np.isclose(x, res.gaps[k], rtol=1e-2) for k in named for x in nums), \
        f"the gap reached {res.gaps[named]} is not in the message: {msg}"


def test_non_convergence_warns_fit_and_flag_false():
    X, y, _ = _hard_problem()
    with pytest.warns(regbench.ConvergenceWarning, match=r"(?i)lambda.*gap|gap.*lambda"):
        r = regbench.fit(X, y, 0.01, tol=1e-14, max_iter=1)
    assert r.converged is False or r.converged == np.False_
    assert r.gap > 0


@pytest.mark.parametrize("est", [
    lambda: regbench.Lasso(alpha=0.01, tol=1e-14, max_iter=1),
    lambda: regbench.ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-14, max_iter=1),
    lambda: regbench.ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-14, max_iter=1, variant="corrected",
                                standardize=True),
], ids=["Lasso", "ElasticNet", "ElasticNet-corrected"])
def test_non_convergence_warns_in_estimators(est):
    X, y, _ = _hard_problem()
    with pytest.warns(regbench.ConvergenceWarning, match=r"(?i)gap"):
        est().fit(X, y)


def test_converging_runs_do_not_warn():
    X, y, _ = make_data(40, 10, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = regbench.path(X, y, n_lambdas=20)
    assert np.all(res.converged)

"""The estimator API as scikit-learn users rely on it: pickling, score(), input types, fitted attributes.

scikit-learn itself is the oracle for shapes, signs and messages: its LassoCV / ElasticNetCV /
RidgeCV on the same folds and grids, ``sklearn.metrics.r2_score`` and its own feature-name checks.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from conftest import make_data
from sklearn import linear_model
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold
from sklearn.utils.estimator_checks import parametrize_with_checks

import regbench

TIGHT = 1e-14
FOLDID = np.tile(np.arange(1, 4), 10)  # 30 rows, 3 folds

ALL = {
    "Lasso": lambda: regbench.Lasso(alpha=0.05),
    "ElasticNet": lambda: regbench.ElasticNet(alpha=0.05, l1_ratio=0.5),
    "ElasticNet-corrected": lambda: regbench.ElasticNet(alpha=0.05, variant="corrected", standardize=True),
    "Ridge": lambda: regbench.Ridge(alpha=0.1),
    "LassoCV-3": lambda: regbench.LassoCV(n_lambdas=8, cv=3),
    "LassoCV-foldid": lambda: regbench.LassoCV(n_lambdas=8, cv=FOLDID),
    "LassoCV-KFold": lambda: regbench.LassoCV(n_lambdas=8, cv=KFold(3, shuffle=True, random_state=0)),
    "ElasticNetCV": lambda: regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=8, cv=3),
    "ElasticNetCV-l1_ratio-0": lambda: regbench.ElasticNetCV(l1_ratio=(0.0,), n_lambdas=8, cv=3),
    "RidgeCV-auto": lambda: regbench.RidgeCV(n_lambdas=8),
    "RidgeCV-loo": lambda: regbench.RidgeCV(n_lambdas=8, cv="loo"),
    "RidgeCV-gcv": lambda: regbench.RidgeCV(n_lambdas=8, cv="gcv"),
    "RidgeCV-3": lambda: regbench.RidgeCV(n_lambdas=8, cv=3),
    "RidgeCV-foldid": lambda: regbench.RidgeCV(n_lambdas=8, cv=FOLDID),
}


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("name", list(ALL))
def test_every_fitted_estimator_pickles(name, sparse):
    X, y, _ = make_data(30, 8, rho=0.5, sparse=sparse, seed=201)
    est = ALL[name]().fit(X, y)
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))
    np.testing.assert_array_equal(back.coef_, est.coef_)
    assert back.intercept_ == est.intercept_ and back.get_params().keys() == est.get_params().keys()
    path = getattr(est, "path_", None)
    if isinstance(path, regbench.RidgePathResult):  # the lazily computed LOO survives the round trip
        np.testing.assert_array_equal(back.path_.loo, est.path_.loo)
    if name == "ElasticNetCV-l1_ratio-0":
        assert est.l1_ratio_ == 0.0 and isinstance(est.path_, regbench.RidgePathResult)


def test_a_pickled_ridge_path_carries_its_loo_errors():
    X, y, _ = make_data(25, 40, seed=202)
    res = regbench.ridge_path(X, y, n_lambdas=6)
    back = pickle.loads(pickle.dumps(res))
    fresh = regbench.ridge_path(X, y, n_lambdas=6)
    np.testing.assert_allclose(back.loo, fresh.loo, rtol=1e-12)
    np.testing.assert_array_equal(back.gcv, fresh.gcv)


@pytest.mark.parametrize("name", list(ALL))
def test_score_is_r2_score_including_constant_y(name):
    X, y, _ = make_data(30, 8, rho=0.5, seed=203)
    est = ALL[name]().fit(X, y)
    X_new, y_new, _ = make_data(30, 8, rho=0.5, seed=204)
    assert est.score(X_new, y_new) == pytest.approx(r2_score(y_new, est.predict(X_new)), rel=1e-12)
    const = np.full(30, 2.5)
    assert est.score(X_new, const) == r2_score(const, est.predict(X_new)) == 0.0  # not exact: 0, not an error
    flat = ALL[name]().fit(X, const)  # constant y: w = 0, intercept = 2.5, exact predictions
    assert flat.score(X_new, const) == r2_score(const, flat.predict(X_new)) == 1.0


@pytest.mark.parametrize("name", list(ALL))
def test_complex_y_is_refused_like_complex_X(name):
    X, y, _ = make_data(30, 8, seed=205)
    with pytest.raises(ValueError, match="Complex data not supported: X"):
        ALL[name]().fit(X + 1j, y)
    with pytest.raises(ValueError, match="Complex data not supported: y"):
        ALL[name]().fit(X, y + 0j)
    with pytest.raises(ValueError, match="Complex data not supported: y"):
        regbench.cross_validate(X, y + 1j, cv=3, n_lambdas=3)


@pytest.mark.parametrize("name", list(ALL))
def test_intercept_is_a_numpy_float64(name):
    X, y, _ = make_data(30, 8, seed=206)
    est = ALL[name]().fit(X, y)
    assert type(est.intercept_) is np.float64


def test_lasso_cv_attributes_match_scikit_learns():
    """Same folds and alphas: alphas_, mse_path_ (n_alphas, n_folds), alpha_ and coef_ as scikit-learn's."""
    X, y, _ = make_data(60, 10, rho=0.5, seed=207, snr=2.0)
    alphas = np.geomspace(0.5, 0.002, 12)
    folds = list(KFold(4, shuffle=True, random_state=1).split(X))  # 15 rows each: means agree with sklearn's
    ours = regbench.LassoCV(alphas=alphas, cv=folds, tol=TIGHT, max_iter=100_000).fit(X, y)
    ref = linear_model.LassoCV(alphas=alphas, cv=folds, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-14)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (12, 4)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert ours.l1_ratio_ == 1.0


def test_elastic_net_cv_attributes_match_scikit_learns():
    X, y, _ = make_data(60, 10, rho=0.5, seed=208, snr=2.0)
    alphas = np.geomspace(1.0, 0.002, 10)
    folds = list(KFold(3, shuffle=True, random_state=2).split(X))
    kw = dict(alphas=alphas, cv=folds, max_iter=100_000)
    ours = regbench.ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], tol=TIGHT, **kw).fit(X, y)
    ref = linear_model.ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], tol=1e-12, **kw).fit(X, y)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (3, 10, 3)
    assert ours.alphas_.shape == ref.alphas_.shape == (10,)  # one explicit grid, shared
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-14)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    assert (ours.alpha_, ours.l1_ratio_) == pytest.approx((ref.alpha_, ref.l1_ratio_), rel=1e-12)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    # default grids: one per l1_ratio, (n_l1_ratio, n_alphas) as scikit-learn's alphas=<int>
    grids = regbench.ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], n_lambdas=10, cv=folds).fit(X, y)
    assert grids.alphas_.shape == linear_model.ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], alphas=10, cv=folds).fit(
        X, y).alphas_.shape == (3, 10)
    assert grids.mse_path_.shape == (3, 10, 3)
    # one l1_ratio (scalar or list of one): the l1_ratio axis is dropped, as in scikit-learn
    for l1 in (0.5, [0.5]):
        one = regbench.ElasticNetCV(l1_ratio=l1, tol=TIGHT, **kw).fit(X, y)
        one_ref = linear_model.ElasticNetCV(l1_ratio=l1, tol=1e-12, **kw).fit(X, y)
        assert one.mse_path_.shape == one_ref.mse_path_.shape == (10, 3)
        assert one.alphas_.shape == one_ref.alphas_.shape == (10,)


def test_ridge_cv_best_score_is_scikit_learns():
    """best_score_ is minus the leave-one-out MSE at alpha_ (greater is better). scikit-learn's Ridge alpha is
    n times ours (its objective has no 1/(2n))."""
    X, y, _ = make_data(40, 12, rho=0.5, seed=209)
    n = X.shape[0]
    alphas = np.geomspace(10.0, 1e-4, 15)
    ours = regbench.RidgeCV(alphas=alphas).fit(X, y)
    ref = linear_model.RidgeCV(alphas=n * alphas).fit(X, y)
    assert ours.alpha_ * n == pytest.approx(ref.alpha_, rel=1e-12)
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-8)
    assert ours.best_score_ < 0
    kf = regbench.RidgeCV(alphas=alphas, cv=4).fit(X, y)
    assert kf.best_score_ == -kf.cv_result_.mse_mean[0, kf.cv_result_.best_index[1]]
    gcv = regbench.RidgeCV(alphas=alphas, cv="gcv").fit(X, y)
    assert gcv.best_score_ == -np.min(gcv.path_.gcv)


def _frame(X, names):
    return pd.DataFrame(X, columns=names)


@pytest.mark.parametrize("name", ["Lasso", "Ridge", "LassoCV-3", "ElasticNetCV", "RidgeCV-auto"])
def test_feature_names_follow_scikit_learn(name):
    X, y, _ = make_data(30, 8, seed=210)
    names = [f"col_{i}" for i in range(8)]
    ours = ALL[name]().fit(_frame(X, names), y)
    ref = linear_model.Lasso(alpha=0.05).fit(_frame(X, names), y)
    assert isinstance(ours.feature_names_in_, np.ndarray) and ours.feature_names_in_.dtype == object
    np.testing.assert_array_equal(ours.feature_names_in_, names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours.predict(_frame(X, names))
        ours.score(_frame(X, names), y)
    for bad in (names[::-1], [f"another_prefix_{i}" for i in range(8)], names[:3]):
        Xb = _frame(X[:, :len(bad)], bad)
        with pytest.raises(ValueError) as expected:
            ref.predict(Xb)
        with pytest.raises(ValueError) as got:
            ours.predict(Xb)
        assert str(got.value) == str(expected.value)
    with pytest.warns(UserWarning, match=f"X does not have valid feature names, but {type(ours).__name__} was "
                                         "fitted with feature names"):
        ours.predict(X)
    # refit on an array: no names remembered, and a DataFrame at predict time warns
    ours.fit(X, y)
    assert not hasattr(ours, "feature_names_in_")
    with pytest.warns(UserWarning, match=f"X has feature names, but {type(ours).__name__} was fitted without"):
        ours.predict(_frame(X, names))
    # non-string column names are not feature names; mixed ones are refused (as scikit-learn)
    assert not hasattr(ALL[name]().fit(pd.DataFrame(X), y), "feature_names_in_")
    with pytest.raises(TypeError, match="Feature names are only supported if all input features have string"):
        ALL[name]().fit(_frame(X, names[:4] + [0, 1, 2, 3]), y)


def test_dataframe_input_gives_the_array_answer():
    X, y, _ = make_data(30, 8, seed=211)
    names = [f"x{i}" for i in range(8)]
    a = regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=8, cv=3).fit(X, y)
    b = regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=8, cv=3).fit(_frame(X, names), pd.Series(y))
    # a DataFrame arrives column-major: BLAS sums in another order, so equal up to rounding
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b.predict(_frame(X, names)), a.predict(X), rtol=1e-12)


def test_sparse_input_with_a_foldid():
    X, y, _ = make_data(30, 8, sparse=True, seed=212)
    est = regbench.LassoCV(n_lambdas=6, cv=FOLDID).fit(X, y)
    assert not hasattr(est, "feature_names_in_") and sp.issparse(X)
    assert est.mse_path_.shape == (6, 3)


def _saturating_problem(seed=0, n=40, p=300):
    """p >> n, little noise: the deviance explained saturates well before the end of a 1e-4 grid."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:10] = rng.uniform(1, 2, 10)
    return X, X @ w + 0.5 * rng.standard_normal(n)


@pytest.mark.filterwarnings("ignore::regbench.ConvergenceWarning")
@pytest.mark.parametrize("make, ratios", [
    (lambda **kw: regbench.LassoCV(**kw), (1.0,)),
    (lambda **kw: regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), **kw), (0.5, 1.0)),
], ids=["LassoCV", "ElasticNetCV"])
def test_cv_estimators_pass_early_stop_to_cross_validate(make, ratios):
    X, y = _saturating_problem()
    kw = dict(n_lambdas=60, eps=1e-4, cv=3)
    default = make(**kw).fit(X, y)
    est = make(early_stop=True, **kw).fit(X, y)
    ref = regbench.cross_validate(X, y, l1_ratios=ratios, early_stop=True, **kw)
    k = ref.lambdas.shape[1]
    assert k < 60 and default.early_stop is False and default.alphas_.shape[-1] == 60
    np.testing.assert_array_equal(est.alphas_, ref.lambdas[0] if len(ratios) == 1 else ref.lambdas)
    assert est.mse_path_.shape[-2:] == (k, 3)
    assert est.alpha_ == ref.best_lambda and est.l1_ratio_ == ref.best_grid_value
    np.testing.assert_array_equal(est.path_.lambdas, ref.lambdas[ref.best_index[0]])


def test_cv_estimators_refuse_a_non_bool_early_stop():
    X, y = _saturating_problem()
    with pytest.raises(ValueError, match=r"early_stop must be True or False, got 'yes'"):
        regbench.LassoCV(n_lambdas=5, cv=3, early_stop="yes").fit(X, y)


@parametrize_with_checks([
    regbench.LassoCV(n_lambdas=5, cv=KFold(3), early_stop=True),
    regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=5, cv=3, early_stop=True),
    regbench.LassoCV(n_lambdas=5, cv=KFold(3)),
    regbench.RidgeCV(n_lambdas=5, cv=KFold(3)),
    regbench.ElasticNetCV(l1_ratio=(0.0, 1.0), alphas=[1.0, 0.1, 0.01], cv=3),
])
def test_new_cv_options_keep_check_estimator_clean(estimator, check):
    check(estimator)

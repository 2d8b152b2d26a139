"""scikit-learn-compatible estimators: check_estimator, agreement with the path functions, sparse input,
warm_start, cross-validation (determinism, from-scratch curves, min vs 1-SE)."""

import numpy as np
import pytest
from conftest import column_scales, dense, lambda_max, make_data, oracle
from sklearn.utils.estimator_checks import parametrize_with_checks

import regbench

TIGHT = 1e-14
COEF_TOL = 1e-6

ESTIMATORS = [
    regbench.Lasso(),
    regbench.Ridge(),
    regbench.ElasticNet(),
    regbench.ElasticNet(variant="corrected", standardize=True),
    regbench.LassoCV(n_lambdas=10, cv=3),
    regbench.RidgeCV(n_lambdas=10),
    regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=10, cv=3),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_parameter_names_follow_the_contract():
    common = {"alpha", "fit_intercept", "standardize", "tol", "max_iter", "warm_start"}
    assert common <= set(regbench.Lasso().get_params())
    assert common | {"l1_ratio", "variant"} <= set(regbench.ElasticNet().get_params())
    assert {"alpha", "fit_intercept", "standardize"} <= set(regbench.Ridge().get_params())
    for cls in (regbench.LassoCV, regbench.RidgeCV, regbench.ElasticNetCV):
        assert {"fit_intercept", "standardize"} <= set(cls().get_params()), cls
    assert {"l1_ratio", "variant"} <= set(regbench.ElasticNetCV().get_params())


def _attrs(est, cv=False):
    names = ["coef_", "intercept_", "n_iter_", "dual_gap_", "n_features_in_"]
    if cv:
        names += ["alpha_", "cv_result_", "path_"]
    for name in names:
        assert hasattr(est, name), f"{type(est).__name__} lacks {name}"


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("standardize", [False, True])
def test_lasso_and_enet_equal_the_path_functions(sparse, standardize):
    X, y, _ = make_data(40, 25, rho=0.5, sparse=sparse, seed=21)
    alpha = 0.05 * lambda_max(X, y, 1.0, standardize=standardize)
    las = regbench.Lasso(alpha=alpha, tol=TIGHT, standardize=standardize).fit(X, y)
    _attrs(las)
    ref = regbench.fit(X, y, alpha, l1_ratio=1.0, tol=TIGHT, standardize=standardize)
    np.testing.assert_allclose(las.coef_, ref.coef, atol=COEF_TOL)
    assert np.isclose(las.intercept_, ref.intercept, atol=10 * COEF_TOL)
    b0, w = oracle(X, y, alpha, 1.0, standardize=standardize)
    np.testing.assert_allclose(las.coef_, w, atol=COEF_TOL)
    for variant in (["naive", "corrected"] if standardize else ["naive"]):
        en = regbench.ElasticNet(alpha=alpha, l1_ratio=0.4, variant=variant, tol=TIGHT,
                                 standardize=standardize).fit(X, y)
        pr = regbench.path(X, y, l1_ratio=0.4, lambdas=[alpha], variant=variant, tol=TIGHT,
                           standardize=standardize)
        np.testing.assert_allclose(en.coef_, pr.coefs[:, 0], atol=COEF_TOL)
        np.testing.assert_allclose(en.predict(X), pr.predict(X)[:, 0], atol=1e-5)
        b0, w = oracle(X, y, alpha, 0.4, standardize=standardize)
        factor = 1 + alpha * 0.6 if variant == "corrected" else 1.0
        np.testing.assert_allclose(en.coef_, factor * w, atol=COEF_TOL * factor)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("standardize", [False, True])
def test_ridge_equals_ridge_path_and_closed_form(sparse, standardize):
    X, y, _ = make_data(40, 25, rho=0.5, sparse=sparse, seed=22)
    alpha = 0.3
    r = regbench.Ridge(alpha=alpha, standardize=standardize).fit(X, y)
    _attrs(r)
    rp = regbench.ridge_path(X, y, lambdas=[alpha], standardize=standardize)
    np.testing.assert_allclose(r.coef_, rp.coefs[:, 0], atol=1e-12)
    b0, w = oracle(X, y, alpha, 0.0, standardize=standardize)
    np.testing.assert_allclose(r.coef_, w, atol=COEF_TOL)
    assert np.isclose(r.intercept_, b0, atol=10 * COEF_TOL)


def test_corrected_estimator_is_factor_times_naive():
    X, y, _ = make_data(50, 20, rho=0.9, seed=23)
    kw = dict(alpha=0.2, l1_ratio=0.3, standardize=True, tol=TIGHT)
    nai = regbench.ElasticNet(variant="naive", **kw).fit(X, y)
    cor = regbench.ElasticNet(variant="corrected", **kw).fit(X, y)
    factor = regbench.params.correction_factor(0.2, 0.3)
    np.testing.assert_allclose(cor.coef_, factor * nai.coef_, atol=COEF_TOL * factor)
    assert np.isclose(cor.intercept_, y.mean() - X.mean(axis=0) @ cor.coef_, atol=1e-10)


@pytest.mark.parametrize("make", [
    lambda: regbench.Lasso(alpha=0.05, tol=TIGHT),
    lambda: regbench.ElasticNet(alpha=0.05, l1_ratio=0.5, tol=TIGHT),
    lambda: regbench.ElasticNet(alpha=0.05, l1_ratio=0.5, tol=TIGHT, variant="corrected", standardize=True),
    lambda: regbench.Ridge(alpha=0.05),
    lambda: regbench.LassoCV(n_lambdas=8, eps=1e-2, cv=3, tol=TIGHT, max_iter=300_000),
    lambda: regbench.ElasticNetCV(l1_ratio=(0.5, 1.0), n_lambdas=8, eps=1e-2, cv=3, tol=TIGHT, max_iter=300_000),
    lambda: regbench.RidgeCV(n_lambdas=8),
], ids=["Lasso", "ElasticNet", "ElasticNet-corrected", "Ridge", "LassoCV", "ElasticNetCV", "RidgeCV"])
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_input_gives_the_dense_answer(make, fmt):
    X, y, _ = make_data(40, 30, sparse=True, density=0.3, seed=24)
    d = make().fit(dense(X), y)
    s = make().fit(X.asformat(fmt), y)
    if hasattr(d, "alpha_"):
        assert np.isclose(s.alpha_, d.alpha_, rtol=1e-10), "CV picked a different alpha for sparse input"
    np.testing.assert_allclose(s.coef_, d.coef_, atol=COEF_TOL)
    np.testing.assert_allclose(s.predict(X.asformat(fmt)), d.predict(dense(X)), atol=1e-5)


@pytest.mark.parametrize("variant", ["naive", "corrected"])
def test_warm_start(variant):
    X, y, _ = make_data(30, 60, rho=0.9, seed=25)
    kw = dict(l1_ratio=0.7, variant=variant, standardize=True, tol=TIGHT, max_iter=300_000)
    cold = regbench.ElasticNet(alpha=0.02, **kw).fit(X, y)
    est = regbench.ElasticNet(alpha=0.03, warm_start=True, **kw).fit(X, y)
    est.set_params(alpha=0.02).fit(X, y)
    np.testing.assert_allclose(est.coef_, cold.coef_, atol=COEF_TOL)
    n_first = est.n_iter_
    est.fit(X, y)  # refit from its own solution: (almost) nothing left to do
    assert est.n_iter_ <= max(2, n_first // 2), (est.n_iter_, n_first, cold.n_iter_)
    np.testing.assert_allclose(est.coef_, cold.coef_, atol=COEF_TOL)
    # without warm_start a refit starts from scratch and matches the cold fit exactly
    again = regbench.ElasticNet(alpha=0.02, **kw).fit(X, y).fit(X, y)
    np.testing.assert_array_equal(again.coef_, cold.coef_)
    assert again.n_iter_ == cold.n_iter_


def test_lasso_warm_start_on_new_feature_count_does_not_break():
    X, y, _ = make_data(30, 20, seed=26)
    est = regbench.Lasso(alpha=0.05, warm_start=True).fit(X, y)
    est.fit(X[:, :10], y)
    assert est.coef_.shape == (10,)


@pytest.mark.parametrize("kw", [dict(), dict(l1_ratios=(0.3, 0.8)), dict(lambda2s=(0.1, 1.0))],
                         ids=["lasso", "l1_ratios", "lambda2s"])
def test_cv_is_deterministic_for_a_fixed_random_state(kw):
    X, y, _ = make_data(45, 20, rho=0.5, seed=27)
    a = regbench.cross_validate(X, y, cv=4, n_lambdas=12, random_state=3, **kw)
    b = regbench.cross_validate(X, y, cv=4, n_lambdas=12, random_state=3, **kw)
    np.testing.assert_array_equal(a.mse_mean, b.mse_mean)
    np.testing.assert_array_equal(a.mse_se, b.mse_se)
    assert a.best_index == b.best_index and a.best_lambda == b.best_lambda
    c = regbench.cross_validate(X, y, cv=4, n_lambdas=12, random_state=4, **kw)
    assert not np.array_equal(a.mse_mean, c.mse_mean), "random_state has no effect on the folds"


def test_cv_estimators_are_deterministic():
    X, y, _ = make_data(45, 20, rho=0.5, seed=28)
    for make in (lambda: regbench.LassoCV(n_lambdas=12, cv=4, random_state=1),
                 lambda: regbench.ElasticNetCV(l1_ratio=(0.4, 0.9), n_lambdas=12, cv=4, random_state=1),
                 lambda: regbench.RidgeCV(n_lambdas=12, cv=4, random_state=1)):
        a, b = make().fit(X, y), make().fit(X, y)
        assert a.alpha_ == b.alpha_
        np.testing.assert_array_equal(a.coef_, b.coef_)


@pytest.mark.parametrize("sparse,standardize", [(False, False), (False, True), (True, True)])
def test_kfold_mse_from_scratch(sparse, standardize):
    """mse_mean / mse_se recomputed with the oracle on the documented seeded folds:
    mean of the K fold MSEs, and their standard deviation (ddof=1) / sqrt(K)."""
    X, y, _ = make_data(36, 10, rho=0.5, seed=29, sparse=sparse, density=0.6)
    K = 3
    cvr = regbench.cross_validate(X, y, l1_ratios=(0.6,), cv=K, n_lambdas=5, random_state=5, tol=TIGHT,
                                  standardize=standardize)
    assert cvr.grid_kind == "l1_ratio" and cvr.lambdas.shape == (1, 5) and cvr.mse_mean.shape == (1, 5)
    # the grid is the full-data default grid
    lm = lambda_max(X, y, 0.6, standardize=standardize)
    np.testing.assert_allclose(cvr.lambdas[0], lm * np.geomspace(1, 1e-3, 5), rtol=1e-10)
    folds = regbench.kfold_indices(len(y), K, random_state=5)
    assert sorted(np.concatenate([te for _, te in folds]).tolist()) == list(range(len(y)))
    Xd = dense(X)
    fold_mse = np.empty((K, 5))
    for i, (tr, te) in enumerate(folds):
        for k, lam in enumerate(cvr.lambdas[0]):
            b0, w = oracle(Xd[tr], y[tr], lam, 0.6, standardize=standardize)
            fold_mse[i, k] = np.mean((y[te] - b0 - Xd[te] @ w) ** 2)
    np.testing.assert_allclose(cvr.mse_mean[0], fold_mse.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(cvr.mse_se[0], fold_mse.std(axis=0, ddof=1) / np.sqrt(K), rtol=1e-5)


def test_validation_set_mse_from_scratch():
    X, y, _ = make_data(60, 10, rho=0.5, seed=30)
    Xt, yt, Xv, yv = X[:40], y[:40], X[40:], y[40:]
    cvr = regbench.cross_validate(Xt, yt, lambda2s=(0.5,), validation=(Xv, yv), n_lambdas=5, tol=TIGHT)
    assert cvr.grid_kind == "lambda2"
    for k, lam1 in enumerate(cvr.lambdas[0]):
        b0, w = oracle(Xt, yt, lam1 + 0.5, lam1 / (lam1 + 0.5))
        e = (yv - b0 - Xv @ w) ** 2
        assert np.isclose(cvr.mse_mean[0, k], e.mean(), rtol=1e-6)
        assert np.isclose(cvr.mse_se[0, k], e.std(ddof=1) / np.sqrt(len(e)), rtol=1e-5)


@pytest.mark.parametrize("seed", range(4))
def test_one_se_rule_picks_a_larger_or_equal_lambda(seed):
    X, y, _ = make_data(50, 30, rho=0.5, seed=31 + seed, snr=1.0)
    mn = regbench.cross_validate(X, y, cv=5, n_lambdas=20, rule="min", random_state=seed)
    se = regbench.cross_validate(X, y, cv=5, n_lambdas=20, rule="1se", random_state=seed)
    assert mn.rule == "min" and se.rule == "1se"
    np.testing.assert_array_equal(mn.mse_mean, se.mse_mean)
    assert se.best_lambda >= mn.best_lambda
    assert mn.lambda_1se >= mn.lambda_min and mn.best_lambda == mn.lambda_min and se.best_lambda == se.lambda_1se
    # the 1-SE lambda from the curve: the largest lambda within one SE of the minimum
    m, s, lams = mn.mse_mean[0], mn.mse_se[0], mn.lambdas[0]
    k = int(np.argmin(m))
    assert np.isclose(mn.lambda_min, lams[k])
    assert np.isclose(mn.lambda_1se, lams[m <= m[k] + s[k]].max())
    a = regbench.LassoCV(n_lambdas=20, cv=5, rule="min", random_state=seed).fit(X, y)
    b = regbench.LassoCV(n_lambdas=20, cv=5, rule="1se", random_state=seed).fit(X, y)
    assert b.alpha_ >= a.alpha_


def test_cv_estimators_refit_on_all_data():
    X, y, _ = make_data(50, 20, rho=0.5, seed=35)
    est = regbench.ElasticNetCV(l1_ratio=(0.3, 0.9), n_lambdas=12, cv=4, tol=TIGHT).fit(X, y)
    _attrs(est, cv=True)
    cvr = est.cv_result_
    assert isinstance(cvr, regbench.CVResult) and isinstance(est.path_, regbench.PathResult)
    a, k = cvr.best_index
    assert np.unravel_index(np.argmin(cvr.mse_mean), cvr.mse_mean.shape) == (a, k)
    assert est.alpha_ == cvr.best_lambda and est.l1_ratio_ == cvr.best_grid_value
    np.testing.assert_allclose(est.path_.lambdas, cvr.lambdas[a], rtol=1e-14)
    b0, w = oracle(X, y, est.alpha_, est.l1_ratio_)
    np.testing.assert_allclose(est.coef_, w, atol=COEF_TOL)
    las = regbench.LassoCV(n_lambdas=12, cv=4, tol=TIGHT).fit(X, y)
    _attrs(las, cv=True)
    np.testing.assert_allclose(las.coef_, regbench.fit(X, y, las.alpha_, tol=TIGHT).coef, atol=COEF_TOL)


def test_ridge_cv_picks_the_loo_minimum():
    X, y, _ = make_data(40, 15, rho=0.5, seed=36)
    est = regbench.RidgeCV(n_lambdas=15).fit(X, y)
    _attrs(est)
    k = int(np.argmin(est.path_.loo))
    assert est.alpha_ == est.path_.lambdas[k]
    b0, w = oracle(X, y, est.alpha_, 0.0)
    np.testing.assert_allclose(est.coef_, w, atol=1e-9)


def test_standardized_estimator_ignores_column_units():
    X, y, _ = make_data(40, 12, rho=0.5, seed=37)
    D = np.geomspace(1e-2, 1e2, 12)
    for make in (lambda: regbench.Lasso(alpha=0.05, standardize=True, tol=TIGHT),
                 lambda: regbench.ElasticNet(alpha=0.05, standardize=True, variant="corrected", tol=TIGHT),
                 lambda: regbench.Ridge(alpha=0.05, standardize=True)):
        a, b = make().fit(X, y), make().fit(X * D, y)
        np.testing.assert_allclose(b.predict(X * D), a.predict(X), atol=1e-5)
    assert column_scales(X * D).min() > 0


def test_corrected_variant_through_cross_validation():
    """variant="corrected" is first-class in CV: the curve is that of the corrected predictions and the
    refit coefficients are (1 + lambda2) times the naive ones at the chosen point."""
    X, y, _ = make_data(60, 12, rho=0.9, seed=38)
    Xt, yt, Xv, yv = X[:40], y[:40], X[40:], y[40:]
    cvr = regbench.cross_validate(Xt, yt, l1_ratios=(0.5,), validation=(Xv, yv), n_lambdas=5, tol=TIGHT,
                                  variant="corrected", standardize=True)
    for k, lam in enumerate(cvr.lambdas[0]):
        b0, w = oracle(Xt, yt, lam, 0.5, standardize=True)
        w = (1 + lam * 0.5) * w
        b0 = yt.mean() - Xt.mean(axis=0) @ w
        assert np.isclose(cvr.mse_mean[0, k], np.mean((yv - b0 - Xv @ w) ** 2), rtol=1e-6)
    est = regbench.ElasticNetCV(l1_ratio=(0.3, 0.8), variant="corrected", standardize=True, n_lambdas=10, cv=3,
                                tol=TIGHT).fit(X, y)
    assert est.path_.variant == "corrected"
    naive = regbench.fit(X, y, est.alpha_, l1_ratio=est.l1_ratio_, standardize=True, tol=TIGHT)
    factor = regbench.params.correction_factor(est.alpha_, est.l1_ratio_)
    np.testing.assert_allclose(est.coef_, factor * naive.coef, atol=COEF_TOL * factor)


def test_result_objects_carry_the_contract_fields():
    X, y, _ = make_data(40, 10, rho=0.5, seed=39)
    r = regbench.fit(X, y, 0.05, l1_ratio=0.5)
    assert isinstance(r, regbench.FitResult)
    assert r.coef.shape == (10,) and np.isscalar(r.intercept) and r.gap >= 0 and r.time >= 0
    assert isinstance(r.n_iter, (int, np.integer)) and bool(r.converged) is True
    cvr = regbench.cross_validate(X, y, l1_ratios=(0.2, 0.7, 1.0), cv=3, n_lambdas=6, rule="1se")
    assert isinstance(cvr, regbench.CVResult)
    assert cvr.grid_kind == "l1_ratio"
    np.testing.assert_array_equal(cvr.grid_values, [0.2, 0.7, 1.0])
    for name in ("lambdas", "mse_mean", "mse_se"):
        assert getattr(cvr, name).shape == (3, 6), name
    assert np.all(cvr.mse_se >= 0) and cvr.time >= 0 and cvr.rule == "1se"
    a, k = cvr.best_index
    assert cvr.best_grid_value == cvr.grid_values[a] and cvr.best_lambda == cvr.lambdas[a, k]
    # the grid value is chosen by the minimum; the 1-SE lambda is taken on that grid value's curve
    a_min, k_min = np.unravel_index(np.argmin(cvr.mse_mean), cvr.mse_mean.shape)
    assert a == a_min and cvr.lambda_min == cvr.lambdas[a, k_min]
    m, s = cvr.mse_mean[a], cvr.mse_se[a]
    assert cvr.lambda_1se == cvr.lambdas[a][m <= m[k_min] + s[k_min]].max() == cvr.best_lambda
    for a2, v in enumerate(cvr.grid_values):  # each grid value has its own full-data default grid
        assert np.isclose(cvr.lambdas[a2, 0], lambda_max(X, y, v), rtol=1e-10)
    c2 = regbench.cross_validate(X, y, lambda2s=(0.1, 1.0), cv=3, n_lambdas=6)
    assert c2.grid_kind == "lambda2" and np.allclose(c2.grid_values, [0.1, 1.0])
    assert np.allclose(c2.lambdas[:, 0], lambda_max(X, y, 1.0), rtol=1e-10)

"""Cross-validation as cv.glmnet computes it, and folds given every way users give them.

cv.glmnet (``cvstats`` with ``grouped=TRUE``): with folds of n_k test rows, N = sum n_k,
    cvm  = sum_k n_k mse_k / N
    cvsd = sqrt( sum_k n_k (mse_k - cvm)^2 / N / (K - 1) )
lambda.min = the (largest) lambda of smallest cvm; lambda.1se = the largest lambda with
cvm <= cvm[min] + cvsd[min]. The references below recompute every fold's fit with the
independent oracle of conftest and these formulas written out term by term.
"""

import numpy as np
import pytest
from conftest import dense, make_data, oracle
from sklearn.model_selection import GroupKFold, KFold

import regbench

TIGHT = 1e-14


def _glmnet_stats(fold_mse, sizes):
    """cvm and cvsd of cv.glmnet, one lambda at a time, from the fold MSEs (K, L)."""
    K, L = fold_mse.shape
    N = float(sum(sizes))
    cvm, cvsd = np.empty(L), np.empty(L)
    for j in range(L):
        cvm[j] = sum(sizes[k] * fold_mse[k, j] for k in range(K)) / N
        var = sum(sizes[k] * (fold_mse[k, j] - cvm[j]) ** 2 for k in range(K)) / N
        cvsd[j] = np.sqrt(var / (K - 1))
    return cvm, cvsd


def _oracle_fold_mse(X, y, folds, lambdas, l1_ratio, standardize):
    Xd = dense(X)
    out = np.empty((len(folds), len(lambdas)))
    for i, (tr, te) in enumerate(folds):
        for j, lam in enumerate(lambdas):
            b0, w = oracle(Xd[tr], y[tr], lam, l1_ratio, standardize=standardize)
            out[i, j] = np.mean((y[te] - b0 - Xd[te] @ w) ** 2)
    return out


def _unequal_foldid(n, sizes, seed):
    labels = np.repeat(np.arange(1, len(sizes) + 1), sizes)
    assert labels.size == n
    return np.random.default_rng(seed).permutation(labels)


@pytest.mark.parametrize("l1_ratio,standardize", [(1.0, True), (0.5, False)])
def test_cv_mean_and_se_are_cv_glmnets_fold_size_weighted_statistics(l1_ratio, standardize):
    X, y, _ = make_data(40, 8, rho=0.5, seed=101, snr=1.0)
    sizes = [3, 5, 8, 10, 14]  # very unequal folds: the weighted and unweighted means differ
    foldid = _unequal_foldid(40, sizes, seed=2)
    lambdas = np.geomspace(1.0, 1e-3, 6)
    cvr = regbench.cross_validate(X, y, l1_ratios=[l1_ratio], lambdas=lambdas, cv=foldid, tol=TIGHT,
                                  standardize=standardize)
    np.testing.assert_array_equal(cvr.lambdas[0], lambdas)
    folds = [(np.flatnonzero(foldid != k), np.flatnonzero(foldid == k)) for k in range(1, 6)]
    fold_mse = _oracle_fold_mse(X, y, folds, lambdas, l1_ratio, standardize)
    cvm, cvsd = _glmnet_stats(fold_mse, sizes)
    np.testing.assert_allclose(cvr.mse_mean[0], cvm, rtol=1e-7)
    np.testing.assert_allclose(cvr.mse_se[0], cvsd, rtol=1e-6)
    # the check has power: the unweighted statistics are far from these
    assert not np.allclose(fold_mse.mean(axis=0), cvm, rtol=1e-3)
    assert not np.allclose(fold_mse.std(axis=0, ddof=1) / np.sqrt(5), cvsd, rtol=1e-3)
    np.testing.assert_allclose(cvr.fold_mse[:, 0, :], fold_mse, rtol=1e-7)
    np.testing.assert_array_equal(cvr.fold_sizes, sizes)
    # min and 1-SE rules on these curves, as cv.glmnet's getOptcv
    k = int(np.argmin(cvm))
    assert cvr.lambda_min == lambdas[k]
    assert cvr.lambda_1se == lambdas[cvm <= cvm[k] + cvsd[k]].max()


def test_integer_k_with_unequal_folds_is_weighted():
    """n = 23 in K = 5 folds: sizes 5, 5, 5, 4, 4; the curve is the weighted one."""
    X, y, _ = make_data(23, 6, seed=102, snr=1.0)
    cvr = regbench.cross_validate(X, y, cv=5, n_lambdas=5, random_state=7, tol=TIGHT)
    folds = regbench.kfold_indices(23, 5, random_state=7)
    sizes = [te.size for _, te in folds]
    assert sorted(sizes) == [4, 4, 5, 5, 5]
    fold_mse = _oracle_fold_mse(X, y, folds, cvr.lambdas[0], 1.0, False)
    cvm, cvsd = _glmnet_stats(fold_mse, sizes)
    np.testing.assert_allclose(cvr.mse_mean[0], cvm, rtol=1e-7)
    np.testing.assert_allclose(cvr.mse_se[0], cvsd, rtol=1e-6)


def test_the_r_oracle_call_takes_an_explicit_grid_and_a_1_to_k_foldid():
    """The call the R-glmnet oracle test makes: l1_ratios=[a], lambdas=LAMBDAS, cv=foldid (1..K), standardize."""
    X, y, _ = make_data(30, 6, seed=103)
    foldid = np.tile(np.arange(1, 4), 10)  # glmnet's 1..K labels
    LAMBDAS = np.geomspace(0.5, 0.005, 7)
    cvr = regbench.cross_validate(X, y, l1_ratios=[0.7], lambdas=LAMBDAS, cv=foldid, standardize=True)
    assert cvr.mse_mean.shape == cvr.mse_se.shape == (1, 7) and cvr.n_folds == 3
    np.testing.assert_array_equal(cvr.lambdas[0], LAMBDAS)
    # an increasing grid is sorted decreasing, and lambdas says so
    up = regbench.cross_validate(X, y, l1_ratios=[0.7], lambdas=LAMBDAS[::-1], cv=foldid, standardize=True)
    np.testing.assert_array_equal(up.lambdas[0], LAMBDAS)
    np.testing.assert_allclose(up.mse_mean, cvr.mse_mean, rtol=1e-12)


def _specs(X, y):
    """The same 4 folds given five ways."""
    pairs = list(KFold(4).split(X))
    foldid = np.empty(len(y), dtype=int)
    for k, (_, te) in enumerate(pairs):
        foldid[te] = 10 * (k + 1)  # arbitrary integer labels
    return {
        "foldid-10..40": foldid,
        "foldid-1..K-float": (foldid // 10).astype(float),  # R hands over doubles
        "splitter": KFold(4),
        "pairs": pairs,
        "generator": KFold(4).split(X),
        "masks": [(np.isin(np.arange(len(y)), tr), np.isin(np.arange(len(y)), te)) for tr, te in pairs],
    }


def test_folds_given_every_way_give_the_same_curves():
    X, y, _ = make_data(32, 7, rho=0.5, seed=104)
    ref = None
    for name, cv in _specs(X, y).items():
        cvr = regbench.cross_validate(X, y, l1_ratios=(0.5, 1.0), cv=cv, n_lambdas=6)
        if ref is None:
            ref = cvr
        np.testing.assert_array_equal(cvr.mse_mean, ref.mse_mean, err_msg=name)
        np.testing.assert_array_equal(cvr.mse_se, ref.mse_se, err_msg=name)
        assert cvr.n_folds == 4, name


@pytest.mark.parametrize("make", [
    lambda cv: regbench.LassoCV(n_lambdas=6, cv=cv),
    lambda cv: regbench.ElasticNetCV(l1_ratio=(0.3, 1.0), n_lambdas=6, cv=cv),
    lambda cv: regbench.RidgeCV(n_lambdas=6, cv=cv),
], ids=["LassoCV", "ElasticNetCV", "RidgeCV"])
def test_cv_estimators_take_every_fold_specification(make):
    X, y, _ = make_data(32, 7, rho=0.5, seed=105)
    fits = {name: make(cv).fit(X, y) for name, cv in _specs(X, y).items()}
    ref = fits["pairs"]
    for name, est in fits.items():
        assert est.alpha_ == ref.alpha_, name
        np.testing.assert_array_equal(est.coef_, ref.coef_, err_msg=name)


def test_group_kfold_through_fit_groups():
    X, y, _ = make_data(36, 6, seed=106)
    groups = np.repeat(np.arange(9), 4)
    est = regbench.LassoCV(n_lambdas=6, cv=GroupKFold(3)).fit(X, y, groups=groups)
    # the same folds as a fold-id vector: the groups reached the splitter
    foldid = np.empty(36, dtype=int)
    for k, (_, te) in enumerate(GroupKFold(3).split(X, y, groups)):
        foldid[te] = k
        assert np.unique(groups[te]).size * 4 == te.size  # whole groups only
    ref = regbench.LassoCV(n_lambdas=6, cv=foldid).fit(X, y)
    np.testing.assert_array_equal(est.mse_path_, ref.mse_path_)
    # without them GroupKFold refuses, and the error reaches the user
    with pytest.raises(ValueError, match="groups"):
        regbench.LassoCV(n_lambdas=6, cv=GroupKFold(3)).fit(X, y)
    r = regbench.RidgeCV(n_lambdas=6, cv=GroupKFold(3)).fit(X, y, groups=groups)
    assert r.alpha_ == regbench.RidgeCV(n_lambdas=6, cv=foldid).fit(X, y).alpha_


X0, Y0, _ = make_data(20, 4, seed=107)


@pytest.mark.parametrize("cv,match", [
    (np.arange(19) % 4, r"expected length n_samples=20, got 19"),
    (np.ones(20, dtype=int), r"1 fold\(s\) on n_samples=20.*at least 2"),
    (np.linspace(0, 1, 20), r"integer fold labels"),
    (np.zeros(20, dtype=bool), r"integer fold labels"),
    ([(np.arange(10), np.array([], dtype=int)), (np.arange(10, 20), np.arange(10))], r"fold 1 of 2 has no test rows"),
    ([(np.array([0]), np.arange(1, 20)), (np.arange(1, 20), np.array([0]))], r"fold 1 of 2 leaves 1 training row"),
    ([(np.arange(10), np.arange(10, 25)), (np.arange(10, 20), np.arange(10))], r"must lie in 0\.\.19"),
    (50, r"cv=50 folds need at least 50 samples, got n_samples=20"),
    (1, r"cv must be >= 2"),
    ("five", r"cv must be an integer K"),
    (2.5, r"cv must be an integer K"),
], ids=["foldid-length", "one-label", "float-labels", "bool", "empty-test", "one-train-row", "out-of-range",
        "K>n", "K=1", "string", "float"])
def test_bad_fold_specifications_are_refused_clearly(cv, match):
    with pytest.raises(ValueError, match=match):
        regbench.cross_validate(X0, Y0, cv=cv, n_lambdas=3)
    with pytest.raises(ValueError, match=match):
        regbench.LassoCV(cv=cv, n_lambdas=3).fit(X0, Y0)


def test_lasso_cv_on_two_rows_names_the_folds_and_rows():
    X, y = X0[:2], Y0[:2]
    with pytest.raises(ValueError, match=r"cv=2: fold 1 of 2 leaves 1 training row\(s\) of n_samples=2"):
        regbench.LassoCV(cv=2).fit(X, y)
    with pytest.raises(ValueError, match=r"cv=5 folds need at least 5 samples, got n_samples=2"):
        regbench.LassoCV().fit(X, y)


def test_eps_above_one_is_refused_everywhere_with_the_solvers_message():
    with pytest.raises(ValueError) as ref:
        regbench.path(X0, Y0, eps=2)
    assert "eps" in str(ref.value)
    for call in (lambda: regbench.cross_validate(X0, Y0, cv=3, eps=2),
                 lambda: regbench.LassoCV(cv=3, eps=2).fit(X0, Y0),
                 lambda: regbench.ElasticNetCV(cv=3, eps=2).fit(X0, Y0),
                 lambda: regbench.RidgeCV(eps=2).fit(X0, Y0)):
        with pytest.raises(ValueError) as got:
            call()
        assert str(got.value) == str(ref.value)


def test_explicit_alphas_grid_in_the_cv_estimators():
    X, y, _ = make_data(30, 6, seed=108)
    grid = [0.001, 0.3, 0.01, 0.1]
    las = regbench.LassoCV(alphas=grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(las.alphas_, sorted(grid, reverse=True))
    assert las.alpha_ in grid and las.mse_path_.shape == (4, 3)
    en = regbench.ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(en.alphas_, sorted(grid, reverse=True))  # shared by both l1_ratios
    np.testing.assert_array_equal(en.cv_result_.lambdas, np.tile(sorted(grid, reverse=True), (2, 1)))
    rcv = regbench.RidgeCV(alphas=grid, cv=3).fit(X, y)
    assert rcv.alpha_ in grid
    np.testing.assert_array_equal(rcv.path_.lambdas, sorted(grid, reverse=True))
    for bad, match in ((50, r"alphas must be an array-like grid.*n_lambdas"), ([0.1, -1.0], r"alphas must be "
                                                                                         r"non-negative")):
        with pytest.raises(ValueError, match=match):
            regbench.LassoCV(alphas=bad, cv=3).fit(X, y)


def test_validate_advice_draws_its_folds_from_kfold_indices(monkeypatch):
    """One K-fold splitter in the package: the advice check's outer folds come from regbench.kfold_indices."""
    from regbench.advise import validate
    from regbench.advise.validate import validate_advice

    X, y, _ = make_data(24, 4, seed=109)
    calls = []
    original = regbench.kfold_indices

    def spy(n, k, random_state=0):
        calls.append((n, k))
        return original(n, k, random_state)

    assert validate.kfold_indices is original
    monkeypatch.setattr(validate, "kfold_indices", spy)
    validate_advice(X, y, "L1", cv=3, inner_cv=3)
    assert calls == [(24, 3)]


def test_a_study_can_fix_its_fold_assignment_with_tuning_fold_seed():
    """tuning.fold_seed (schema-checked) seeds every data set's folds; left out, each replicate's own cv_seed does."""
    from pathlib import Path

    from regbench.data.simulate import simulate
    from regbench.evaluate.fits import fit_method
    from regbench.study.config import StudyConfigError, check_config

    schema = Path(__file__).resolve().parents[2] / "workflow/schemas/config.schema.yaml"
    cfg = check_config({"study": "t", "tuning": {"folds": 3, "fold_seed": 11},
                        "scenarios": [{"name": "s", "design": "independent", "n": 30, "p": 8}]}, schema)
    assert cfg["tuning"] == {"method": "cv", "folds": 3, "rule": "min", "fold_seed": 11}
    with pytest.raises(StudyConfigError, match="fold_seed"):
        check_config({"study": "t", "tuning": {"fold_seed": -1},
                      "scenarios": [{"name": "s", "design": "independent", "n": 30, "p": 8}]}, schema)
    ds = simulate(cfg["scenarios"][0], study_seed=1, replicate=0)
    grid = {"n_lambdas": 6, "eps": None}
    for tuning, seed in ((cfg["tuning"], 11), ({k: v for k, v in cfg["tuning"].items() if k != "fold_seed"},
                                                ds.cv_seed)):
        fit = fit_method(ds, "lasso", tuning=tuning, grid=grid)
        ref = regbench.cross_validate(ds.X_train, ds.y_train, cv=3, random_state=seed, n_lambdas=6,
                                      standardize=True)
        np.testing.assert_allclose(fit["cv_mean"], ref.mse_mean[0], rtol=1e-12)
    assert ds.cv_seed != 11

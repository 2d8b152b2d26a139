"""A feature that is constant inside one CV training fold (a rare sparse feature) must not break tuning."""

import numpy as np
import pytest
import scipy.sparse as sp

import regbench


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("l1_ratios", [(1.0,), (0.0,), (0.5,)], ids=["lasso", "ridge", "enet"])
def test_column_constant_in_a_fold_gets_zero_coefficient_there(sparse, l1_ratios):
    rng = np.random.default_rng(3)
    n, p = 40, 6
    X = rng.standard_normal((n, p))
    X[:, 5] = 0.0
    X[7, 5] = 1.0  # nonzero in one row only: constant in the training fold that leaves row 7 out
    y = X[:, 0] - X[:, 1] + 0.1 * rng.standard_normal(n)
    Xin = sp.csc_matrix(X) if sparse else X
    res = regbench.cross_validate(Xin, y, l1_ratios=l1_ratios, cv=5, standardize=True, n_lambdas=10)
    assert np.all(np.isfinite(res.mse_mean))
    # the fold without row 7 fits the same as if column 5 were dropped
    fold = next((tr, te) for tr, te in regbench.kfold_indices(n, 5, 0) if 7 in te)
    tr = fold[0]
    with_col = regbench.path(Xin[tr], y[tr], l1_ratio=l1_ratios[0], lambdas=res.lambdas[0], standardize=True,
                             constant_columns="zero", tol=1e-12)
    without = regbench.path(X[tr][:, :5], y[tr], l1_ratio=l1_ratios[0], lambdas=res.lambdas[0],
                            standardize=True, tol=1e-12)
    assert np.all(with_col.coefs[5] == 0.0)
    np.testing.assert_allclose(with_col.coefs[:5], without.coefs, atol=1e-7)


def test_constant_column_in_the_full_data_still_raises():
    X = np.ones((20, 3))
    X[:, :2] = np.random.default_rng(0).standard_normal((20, 2))
    with pytest.raises(ValueError, match="constant"):
        regbench.cross_validate(X, X[:, 0], standardize=True)


def test_default_ridge_grid_reaches_down_to_the_lasso_scale():
    """Ridge's lambda_max is glmnet's 1000-fold anchor; the default grid must still end at eps * lasso lambda_max."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 10))
    y = X @ rng.standard_normal(10) + rng.standard_normal(80)
    lasso = regbench.path(X, y, l1_ratio=1.0)
    for res in (regbench.ridge_path(X, y), regbench.path(X, y, l1_ratio=0.0)):
        assert np.isclose(res.lambdas[0], 1e3 * lasso.lambdas[0])
        assert np.isclose(res.lambdas[-1], lasso.lambdas[-1])
        assert np.isclose(res.lambda_max, 1e3 * lasso.lambda_max)
    cv = regbench.RidgeCV().fit(X, y)
    assert cv.alpha_ > cv.path_.lambdas[-1], "LOO optimum sits at the end of the grid"

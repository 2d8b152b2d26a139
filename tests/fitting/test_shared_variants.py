"""One naive solve serves the naive and the corrected elastic net (path_variants, cross_validate(variants=...)):
each result equals the variant's own call, bit for bit, and the corrected fit is (1 + lambda2) times the naive."""

import numpy as np
import pytest
from conftest import make_data

from regbench.fitting.cv import cross_validate
from regbench.fitting.solver import path, path_variants

BOTH = ("naive", "corrected")


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("second", [{"l1_ratio": 0.5}, {"l1_ratio": 0.1}, {"lambda2": 0.3}])
def test_path_variants_equal_each_variants_path(sparse, second):
    X, y, _ = make_data(60, 25, sparse=sparse, seed=4)
    out = path_variants(X, y, BOTH, standardize=True, n_lambdas=15, **second)
    for v in BOTH:
        alone = path(X, y, variant=v, standardize=True, n_lambdas=15, **second)
        np.testing.assert_array_equal(out[v].coefs, alone.coefs)
        np.testing.assert_array_equal(out[v].intercepts, alone.intercepts)
        np.testing.assert_array_equal(out[v].lambdas, alone.lambdas)
        assert out[v].variant == v
    # Zou & Hastie's correction on the original scale too (the column scaling is linear)
    np.testing.assert_allclose(out["corrected"].coefs, out["naive"].coefs * (1.0 + out["naive"].lambda2s),
                               rtol=1e-13, atol=0)


def test_path_variants_refuses_bad_variants():
    X, y, _ = make_data(30, 5)
    with pytest.raises(ValueError, match="variant"):
        path_variants(X, y, ("naive", "nope"), standardize=True)
    with pytest.raises(ValueError, match="variants"):
        path_variants(X, y, "naive", standardize=True)
    with pytest.raises(ValueError, match="standardize=True"):
        path_variants(X, y, BOTH, l1_ratio=0.5)


@pytest.mark.parametrize("extra", [{}, {"early_stop": True}, {"rule": "1se"}, {"lambda2s": (0.1, 1.0)},
                                   {"validation": "set"}])
def test_cross_validate_variants_equal_each_variants_cv(extra):
    X, y, _ = make_data(80, 30, seed=7)
    kw = dict(l1_ratios=(0.0, 0.1, 0.5, 0.9), standardize=True, n_lambdas=12, cv=4, random_state=2, **extra)
    if extra.get("validation") == "set":
        X, Xv, y, yv = X[:60], X[60:], y[:60], y[60:]
        kw["validation"] = (Xv, yv)
    if "lambda2s" in extra:
        kw.pop("l1_ratios")
    both = cross_validate(X, y, variants=BOTH, **kw)
    assert set(both) == set(BOTH)
    for v in BOTH:
        alone = cross_validate(X, y, variant=v, **kw)
        np.testing.assert_array_equal(both[v].mse_mean, alone.mse_mean)
        np.testing.assert_array_equal(both[v].mse_se, alone.mse_se)
        np.testing.assert_array_equal(both[v].lambdas, alone.lambdas)
        assert both[v].best_index == alone.best_index and both[v].time > 0
    # the two variants do differ (the correction changes the predictions), so the comparison above can fail
    assert not np.array_equal(both["naive"].mse_mean, both["corrected"].mse_mean)


def test_cross_validate_variants_refuses_bad_names():
    X, y, _ = make_data(40, 5)
    with pytest.raises(ValueError, match="variants"):
        cross_validate(X, y, variants=("naive", "both"), standardize=True)
    with pytest.raises(ValueError, match="variants"):
        cross_validate(X, y, variants=(), standardize=True)

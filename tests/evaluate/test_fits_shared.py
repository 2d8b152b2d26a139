"""The fit step solves the elastic net's CV folds and path once for the naive and the corrected variant: the fits are
those of each method alone, and each method's recorded time is still what it costs alone."""

import numpy as np

from regbench.data.simulate import simulate
from regbench.evaluate.fits import fit_method

TUNING = {"method": "cv", "folds": 3, "rule": "min"}
GRID = {"n_lambdas": 10, "second": "l1_ratio", "l1_ratios": [0.1, 0.5, 0.9], "eps": 1e-3}
SCENARIO = {"name": "shared", "design": "equicorrelated", "rho": 0.7, "n": 60, "p": 30, "k": 6}


def _fresh():
    return simulate(SCENARIO, study_seed=3, replicate=0)


def test_corrected_after_naive_equals_corrected_alone():
    ds = _fresh()
    naive = fit_method(ds, "enet_naive", tuning=TUNING, grid=GRID)
    shared = fit_method(ds, "enet_corrected", tuning=TUNING, grid=GRID)
    alone = fit_method(_fresh(), "enet_corrected", tuning=TUNING, grid=GRID)  # a new data set: nothing shared
    for key in ("coef", "intercept", "coefs", "intercepts", "cv_mean", "cv_se", "chosen_index", "lambda_min",
                "l1_ratio", "alpha", "gap", "grid_best_mse"):
        np.testing.assert_array_equal(shared[key], alone[key], err_msg=key)
    assert not np.array_equal(naive["coef"], shared["coef"])
    # honest timings: the shared solves count for both methods (not a cache look-up's ~0 s for the second)
    assert shared["tune_time"] > 0.5 * naive["tune_time"]
    assert shared["path_time"] > 0


def test_a_new_data_set_is_not_served_from_the_last_ones_work():
    a = fit_method(_fresh(), "enet_naive", tuning=TUNING, grid=GRID)
    other = simulate(SCENARIO, study_seed=3, replicate=1)
    b = fit_method(other, "enet_corrected", tuning=TUNING, grid=GRID)
    c = fit_method(simulate(SCENARIO, study_seed=3, replicate=1), "enet_corrected", tuning=TUNING, grid=GRID)
    np.testing.assert_array_equal(b["coef"], c["coef"])
    assert not np.array_equal(a["cv_mean"], b["cv_mean"])

"""The penalty objects against brute force: value, proximal step, subdifferential distance, conjugate."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import regbench
from regbench.fitting.penalties import L1, L2, ElasticNetPenalty

PENALTIES = [L1(0.7), L2(0.7), ElasticNetPenalty(0.7, 0.3), ElasticNetPenalty(2.0, 0.9), ElasticNetPenalty(0.0, 0.5)]
IDS = [repr(p) for p in PENALTIES]


def _scalar(pen, x):
    return pen.value(np.array([x]))


@pytest.mark.parametrize("pen", PENALTIES, ids=IDS)
def test_value_is_the_stated_formula(pen):
    w = np.array([1.5, -2.0, 0.0, 0.25])
    expected = pen.alpha * (pen.l1_ratio * np.abs(w).sum() + 0.5 * (1 - pen.l1_ratio) * (w @ w))
    assert np.isclose(pen.value(w), expected, rtol=1e-15)


@pytest.mark.parametrize("pen", PENALTIES, ids=IDS)
@pytest.mark.parametrize("value", [-3.0, -0.4, 0.0, 0.1, 0.69, 2.5])
@pytest.mark.parametrize("step", [0.1, 1.0, 3.0])
def test_prox_minimizes_the_proximal_objective(pen, value, step):
    x = pen.prox_1d(value, step)
    res = minimize_scalar(lambda z: (z - value) ** 2 / (2 * step) + _scalar(pen, z), bounds=(-10, 10),
                          method="bounded", options={"xatol": 1e-12})
    f = lambda z: (z - value) ** 2 / (2 * step) + _scalar(pen, z)  # noqa: E731
    assert f(x) <= f(res.x) + 1e-12
    assert abs(x - res.x) < 1e-5


@pytest.mark.parametrize("pen", PENALTIES, ids=IDS)
def test_conjugate_matches_a_brute_force_supremum(pen):
    grid = np.linspace(-50, 50, 200_001)
    for v in [-2.5, -0.3, 0.0, 0.2, 1.9]:
        brute = np.max(v * grid - pen.alpha * (pen.l1_ratio * np.abs(grid)
                                               + 0.5 * (1 - pen.l1_ratio) * grid ** 2))
        exact = pen.conjugate(np.array([v]))
        if np.isinf(exact):
            assert brute >= 25 * (abs(v) - pen.l1) > 0  # unbounded: grows linearly with the grid half-width
        else:
            assert np.isclose(exact, brute, atol=1e-6)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_subdiff_distance_is_zero_at_the_solver_solution_and_not_elsewhere(l1_ratio):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 15))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + rng.standard_normal(60)
    alpha = 0.1
    res = regbench.fit(X, y, alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=100_000)
    assert regbench.kkt_violation(X, y, res.coef, res.intercept, alpha, l1_ratio) < 1e-6
    moved = res.coef.copy()
    moved[0] += 0.05
    assert regbench.kkt_violation(X, y, moved, res.intercept, alpha, l1_ratio) > 1e-3
    assert regbench.kkt_violation(X, y, res.coef, res.intercept + 0.1, alpha, l1_ratio) > 1e-2

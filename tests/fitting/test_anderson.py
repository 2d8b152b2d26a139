"""Anderson extrapolation of CD iterates (fitting/_anderson.py): it proposes (nearly) the fixed point of a linear
iteration, keeps the residual consistent with w, and never raises the objective (a worse proposal is undone)."""

import numpy as np
import pytest
import scipy.sparse as sp

from regbench.fitting._anderson import ANDERSON_K, anderson
from regbench.fitting._kernels import prox_enet


def _cd_iterates(X, y, l1, l2, n_epochs):
    """Plain cyclic CD (Gauss-Seidel with the prox) written out here, independent of the kernels."""
    n, p = X.shape
    L = (X ** 2).sum(axis=0) / n
    w = np.zeros(p)
    out = [w.copy()]
    for _ in range(n_epochs):
        for j in range(p):
            g = X[:, j] @ (y - X @ w) / n
            w[j] = prox_enet(w[j] + g / L[j], 1.0 / L[j], l1, l2)
        out.append(w.copy())
    return np.array(out)


def _objective(X, y, w, l1, l2):
    r = y - X @ w
    return r @ r / (2 * len(y)) + l1 * np.abs(w).sum() + 0.5 * l2 * w @ w


def _call(X, y, hist, l1, l2, sparse):
    n, p = X.shape
    w = hist[-1].copy()
    r = y - X @ w
    state = np.zeros(3)
    empty_f, empty_u = np.zeros(0), np.zeros(1, dtype=np.uint64)
    if sparse:
        Xc = sp.csc_matrix(X)
        args = (np.zeros((1, 1)), Xc.data, Xc.indices.astype(np.int64).view(np.uint64),
                Xc.indptr.astype(np.int64).view(np.uint64), np.zeros(p), np.ones(p))
    else:
        args = (np.asfortranarray(X), empty_f, empty_u, np.zeros(p + 1, dtype=np.uint64), np.zeros(p), np.ones(p))
    anderson(sparse, np.arange(p), p, np.ascontiguousarray(hist.T[:, -(ANDERSON_K + 1):].T), w, l1, l2, float(n),
             *args, r, state)
    return w, r


@pytest.mark.parametrize("sparse", [False, True])
def test_recovers_least_squares_from_few_iterates(sparse):
    rng = np.random.default_rng(0)
    n, p = 40, 4  # p < K: the iterates span the error space, so the extrapolation is near the fixed point
    X = rng.standard_normal((n, p)) @ (np.eye(p) + 0.8)  # strongly correlated: plain CD is slow here
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    hist = _cd_iterates(X, y, 0.0, 0.0, ANDERSON_K)
    w, r = _call(X, y, hist, 0.0, 0.0, sparse)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    before, after = np.abs(hist[-1] - w_ls).max(), np.abs(w - w_ls).max()
    assert before > 1e-2 and after < 1e-2 * before, (before, after)  # CD alone is far from it
    np.testing.assert_allclose(r, y - X @ w, atol=1e-10)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("l1, l2", [(0.05, 0.0), (0.05, 0.1), (0.3, 0.0)])
def test_never_raises_the_objective_and_keeps_the_residual(sparse, l1, l2):
    rng = np.random.default_rng(1)
    n, p = 30, 12
    X = rng.standard_normal((n, p)) + 0.9 * rng.standard_normal((n, 1))
    y = X[:, :3].sum(axis=1) + rng.standard_normal(n)
    hist = _cd_iterates(X, y, l1, l2, ANDERSON_K + 3)
    w, r = _call(X, y, hist, l1, l2, sparse)
    assert _objective(X, y, w, l1, l2) <= _objective(X, y, hist[-1], l1, l2) + 1e-15
    np.testing.assert_allclose(r, y - X @ w, atol=1e-10)


def test_a_worse_proposal_is_undone():
    rng = np.random.default_rng(2)
    n, p = 25, 6
    X = rng.standard_normal((n, p))
    y = rng.standard_normal(n)
    # iterates that oscillate away from the optimum: their extrapolation is worse than the last one
    w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
    hist = np.array([w_opt + (3.0 if k % 2 else -1.0) * (k + 1) * np.eye(p)[k % p] for k in range(ANDERSON_K + 1)])
    hist[-1] = w_opt + 1e-3
    w, r = _call(X, y, hist, 0.0, 0.0, False)
    np.testing.assert_array_equal(w, hist[-1])
    np.testing.assert_allclose(r, y - X @ hist[-1], atol=1e-12)


def test_mixing_weights_solve_as_lapack_and_refuse_a_singular_system():
    """The written-out elimination (no LAPACK: see ``_anderson._mixing_weights``) against numpy's solve, on
    Gram matrices of random iterate differences like the ones the extrapolation builds."""
    from regbench.fitting._anderson import _mixing_weights

    rng = np.random.default_rng(0)
    for _ in range(50):
        U = rng.standard_normal((5, int(rng.integers(5, 40)))) * 10.0 ** rng.uniform(-8, 2)
        C = U @ U.T
        C[np.diag_indices(5)] += 1e-10 * C.diagonal().max()
        z = np.linalg.solve(C, np.ones(5))
        c, ok = _mixing_weights(C.copy())
        assert ok and np.allclose(c, z / z.sum(), rtol=1e-8, atol=1e-12)
    c, ok = _mixing_weights(np.zeros((5, 5)))
    assert not ok
    c, ok = _mixing_weights(np.array([[1.0, 1.0], [1.0, 1.0]]))  # rank one: elimination leaves a zero pivot
    assert not ok

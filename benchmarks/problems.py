"""The benchmark problems (seeded, deterministic) and the one objective every solver is scored on.

Conventions shared by every solver in the benchmark
---------------------------------------------------
* Objective (glmnet / scikit-learn scaling):
      P(w) = 1/(2n) ||y - X w||^2 + alpha * (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2)
* No intercept and no standardization in any solver (fit_intercept=False / intercept=False /
  isd=0 / standardize=False). Instead the data are pre-processed once, before any timing:
  dense X has centred columns, y is centred and scaled to unit population variance
  (so glmnet's internal y-scaling, which changes the L2 term when sd(y) != 1, is a no-op and
  every peer solves exactly P). Sparse X is not centred (centring would densify it); y still is.
* One lambda grid per (problem, l1_ratio): alpha_max = ||X^T y||_inf / (n l1_ratio) down to
  eps * alpha_max, 100 log-spaced values, decreasing.
* Sub-optimality is reported relative to P(0) = ||y||^2 / (2n) (= 0.5 here).
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass
class Problem:
    name: str
    X: object  # ndarray (Fortran order) or scipy.sparse CSC
    y: np.ndarray
    eps: float
    description: str
    coef_true: np.ndarray = field(repr=False, default=None)

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def p(self):
        return self.X.shape[1]

    @property
    def sparse(self):
        return sp.issparse(self.X)

    def alpha_max(self, l1_ratio):
        return float(np.max(np.abs(self.X.T @ self.y))) / (self.n * l1_ratio)

    def grid(self, l1_ratio, n_lambdas=100):
        return np.geomspace(self.alpha_max(l1_ratio), self.alpha_max(l1_ratio) * self.eps, n_lambdas)

    @property
    def p0(self):
        """Objective at w = 0."""
        return float(self.y @ self.y) / (2 * self.n)


def _toeplitz_design(rng, n, p, rho):
    """Rows i.i.d. N(0, Sigma) with Sigma_jk = rho^|j-k| (an AR(1) recursion across columns)."""
    Z = rng.standard_normal((n, p))
    if rho == 0.0:
        return Z
    X = np.empty((n, p))
    X[:, 0] = Z[:, 0]
    c = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + c * Z[:, j]
    return X


def _response(rng, X, k, snr):
    p = X.shape[1]
    coef = np.zeros(p)
    support = rng.choice(p, size=k, replace=False)
    coef[support] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(0.5, 1.5, size=k)
    signal = X @ coef
    sigma = np.sqrt(np.var(signal) / snr)
    y = signal + sigma * rng.standard_normal(X.shape[0])
    return y, coef


def _finish_y(y):
    y = y - y.mean()
    return y / np.sqrt(np.mean(y * y))


def make_dense(name, n, p, rho, k, eps, snr=3.0, seed=0):
    rng = np.random.default_rng(seed)
    X = _toeplitz_design(rng, n, p, rho)
    y, coef = _response(rng, X, k, snr)
    X = np.asfortranarray(X - X.mean(axis=0))
    desc = f"n={n}, p={p}, Toeplitz rho={rho}, {k} nonzeros, eps={eps}, SNR={snr}"
    return Problem(name, X, _finish_y(y), eps, desc, coef)


def make_sparse(name, n, p, density, k, eps, snr=3.0, seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=density, format="csc", random_state=rng,
                  data_rvs=rng.standard_normal, dtype=np.float64)
    X.sort_indices()
    coef = np.zeros(p)
    support = rng.choice(p, size=k, replace=False)
    coef[support] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(0.5, 1.5, size=k)
    signal = X @ coef
    sigma = np.sqrt(np.var(signal) / snr)
    y = signal + sigma * rng.standard_normal(n)
    desc = f"sparse CSC n={n}, p={p}, density={density}, {k} nonzeros, eps={eps}, SNR={snr}, X not centred"
    return Problem(name, X, _finish_y(y), eps, desc, coef)


PROBLEMS = {
    "a": lambda: make_dense("a", 200, 5000, 0.5, 10, 1e-2, seed=1),
    "b": lambda: make_dense("b", 10000, 200, 0.9, 20, 1e-3, seed=2),
    "c": lambda: make_dense("c", 1000, 1000, 0.0, 100, 1e-2, seed=3),
    "d": lambda: make_sparse("d", 2000, 20000, 0.01, 50, 1e-2, seed=4),
}


def objective(prob, w, alpha, l1_ratio):
    r = prob.y - prob.X @ w
    return float(r @ r) / (2 * prob.n) + alpha * (l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * float(w @ w))


def objectives(prob, W, alphas, l1_ratio):
    """P(w_k) at alpha_k for every column of W (p, L)."""
    R = prob.y[:, None] - prob.X @ W
    R = np.asarray(R)
    quad = np.einsum("ij,ij->j", R, R) / (2 * prob.n)
    return quad + alphas * (l1_ratio * np.abs(W).sum(axis=0) + 0.5 * (1 - l1_ratio) * np.einsum("ij,ij->j", W, W))


def duality_gaps(prob, W, alphas, l1_ratio):
    """Certified duality gaps (scikit-learn's dual point), in the units of P."""
    n = prob.n
    R = np.asarray(prob.y[:, None] - prob.X @ W)
    XtR = np.asarray(prob.X.T @ R)
    gaps = np.empty(W.shape[1])
    for k, a in enumerate(alphas):
        l1, l2 = a * l1_ratio, a * (1 - l1_ratio)
        w, r = W[:, k], R[:, k]
        xtr = XtR[:, k] - n * l2 * w
        dn = np.max(np.abs(xtr))
        const = n * l1 / dn if dn > n * l1 else 1.0
        rr = r @ r
        wn2 = w @ w
        gap = 0.5 * rr * (1 + const * const) + n * l1 * np.abs(w).sum() - const * (r @ prob.y) \
            + 0.5 * n * l2 * (1 + const * const) * wn2
        gaps[k] = gap / n
    return gaps

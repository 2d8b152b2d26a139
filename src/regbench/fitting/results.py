"""Result objects returned by the solver, the ridge path and cross-validation."""

from dataclasses import dataclass, field

import numpy as np

from regbench.fitting.params import penalty_weights


@dataclass(frozen=True)
class FitResult:
    """One solution of the problem at one (alpha, l1_ratio)."""

    coef: np.ndarray
    intercept: float
    gap: float
    objective: float
    n_iter: int
    converged: bool
    time: float


@dataclass(frozen=True)
class PathResult:
    """A regularization path: column k of ``coefs`` solves the problem at ``lambdas[k]``.

    ``lambdas`` decrease. With a fixed ``lambda2`` (Zou & Hastie's tuning) the
    ``lambdas`` are lambda1 values; otherwise they are the ``alpha`` values of the
    objective at the fixed ``l1_ratio``. ``gaps`` are certified duality gaps of the
    naive problem in the solver's (standardized) coordinates, ``times`` the seconds
    spent at each lambda and ``n_iter`` the coordinate-descent epochs.
    ``early_stop`` is "" when every lambda of the grid was solved, else the glmnet
    criterion ("fdev" or "devmax") after which ``path(..., early_stop=True)`` cut the
    grid: then every per-lambda array has the shorter length (a prefix of the grid).
    """

    lambdas: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    gaps: np.ndarray
    objectives: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    times: np.ndarray
    l1_ratio: float | None
    lambda2: float | None
    variant: str
    lambda_max: float
    setup_time: float = 0.0
    mode: str = "dense"
    extras: dict = field(default_factory=dict)
    early_stop: str = ""

    @property
    def lambda1s(self):
        """The L1 weight of the penalty at each step: alpha * l1_ratio, or lambda1."""
        if self.lambda2 is not None:
            return self.lambdas.copy()
        return penalty_weights(self.lambdas, self.l1_ratio)[0]

    @property
    def lambda2s(self):
        """The L2 weight of the penalty at each step: alpha * (1 - l1_ratio), or the fixed lambda2."""
        if self.lambda2 is not None:
            return np.full_like(self.lambdas, self.lambda2)
        return penalty_weights(self.lambdas, self.l1_ratio)[1]

    @property
    def n_nonzero(self):
        """Number of nonzero coefficients at each lambda."""
        return np.count_nonzero(self.coefs, axis=0)

    @property
    def total_time(self):
        """Seconds for the whole path, set-up included."""
        return float(self.setup_time + self.times.sum())

    def predict(self, X):
        """Predictions of every fit on the path, shape (n_samples, n_lambdas)."""
        return X @ self.coefs + self.intercepts[None, :]


@dataclass(frozen=True)
class CVResult:
    """Tuning curves over lambda (and a second parameter) with the chosen point.

    ``grid_values`` are the l1_ratios (``grid_kind == "l1_ratio"``) or the fixed
    lambda2 values (``"lambda2"``) tried; ``lambdas[a]`` is the lambda grid used for
    ``grid_values[a]``; ``mse_mean`` / ``mse_se`` the validation error and its
    standard error (cv.glmnet's ``cvm`` and ``cvsd``: fold-size weighted, see
    ``regbench.fitting.cv.cv_statistics``). ``best_index`` = (a, k) is the chosen point under ``rule``:
    "min" takes the smallest mean error, "1se" the largest lambda (for the best
    grid value) whose error is within one standard error of that minimum.
    ``fold_mse`` (n_folds, n_grid_values, n_lambdas) holds each fold's mean squared error
    and ``fold_sizes`` each fold's number of test rows (one "fold" for a validation set).
    """

    grid_values: np.ndarray
    grid_kind: str
    lambdas: np.ndarray
    mse_mean: np.ndarray
    mse_se: np.ndarray
    best_index: tuple
    rule: str
    lambda_min: float
    lambda_1se: float
    time: float
    n_folds: int
    fold_mse: np.ndarray = None
    fold_sizes: np.ndarray = None

    @property
    def best_grid_value(self):
        return float(self.grid_values[self.best_index[0]])

    @property
    def best_lambda(self):
        return float(self.lambdas[self.best_index])

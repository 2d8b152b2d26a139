"""Measurements behind the article's questions 1 and 3: a data set's sparsity, correlation and conditioning
(:func:`profile_data`), and each method's measured tuning cost (:func:`measure_cost`)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from regbench.advise.validate import ENET_L1_RATIOS
from regbench.fitting._design import standardized
from regbench.fitting.ridge import ols, ridge_path
from regbench.fitting.solver import path

__all__ = ["CostEstimate", "DataProfile", "Thresholds", "measure_cost", "profile_data"]


_MAX_CORR_COLUMNS = 2000


_MAX_SVD_ROWS = 5000


_MAX_CORR_ROWS = 10000


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs that turn the article's qualitative words into numbers (all documented in :func:`recommend`)."""

    very_sparse: float = 0.5        # fraction of zero entries at or above which X is "very sparse"
    dense: float = 0.1              # fraction of zero entries at or below which X is "dense"
    corr_pair: float = 0.5          # a pair is correlated when |r| exceeds this
    many_corr: float = 0.10         # share of correlated pairs that is "a large amount of pairwise correlations"
    few_corr: float = 0.02          # share of correlated pairs below which correlation is "low"
    group_r: float = 0.8            # |r| linking two predictors into a correlated group
    none_n_per_p: float = 10.0      # n >= this * p ...
    none_condition: float = 10.0    # ... and condition number <= this: regularization is unlikely to help


@dataclass(frozen=True)
class DataProfile:
    """What question 1 asks about the data."""

    n: int
    p: int
    zero_fraction: float
    constant_columns: tuple
    abs_r_quantiles: dict           # min, q25, median, q75, q90, max of pairwise |r|
    share_above_05: float
    share_above_08: float
    n_pairs: int
    groups: tuple                   # tuples of feature names, |r| >= group_r (connected components, size >= 2)
    condition_number: float         # of the centred, unit-variance design (inf when rank-deficient)
    rank: int
    corr_columns_sampled: bool      # pairwise |r| estimated on a random subset of columns (or rows)
    feature_names: tuple = ()

    def as_dict(self) -> dict:
        return {"n": self.n, "p": self.p, "n_over_p": self.n / max(self.p, 1), "zero_fraction": self.zero_fraction,
                "share_abs_r_above_0.5": self.share_above_05, "share_abs_r_above_0.8": self.share_above_08,
                **{f"abs_r_{k}": v for k, v in self.abs_r_quantiles.items()},
                "n_groups": len(self.groups), "largest_group": max((len(g) for g in self.groups), default=0),
                "condition_number": self.condition_number, "rank": self.rank,
                "n_constant_columns": len(self.constant_columns)}


@dataclass(frozen=True)
class CostEstimate:
    """Question 3: seconds measured on a row subsample, and the extrapolated cost of tuning on the full data."""

    n_sub: int
    n: int
    path_seconds: dict              # method -> seconds for its whole tuning grid on the subsample (one fit per grid)
    cv_folds: int

    def full_cv_seconds(self, method: str) -> float:
        """Estimated seconds to tune ``method`` by K-fold CV on all n rows (cost linear in n, K + 1 paths)."""
        return self.path_seconds[method] * (self.n / self.n_sub) * (self.cv_folds + 1)

    def relative(self, method: str, base: str = "lasso") -> float:
        return self.path_seconds[method] / max(self.path_seconds[base], 1e-12)


# ----------------------------------------------------------------------------------------------- question 1
def profile_data(X, *, feature_names=None, thresholds: Thresholds | None = None, random_state=0) -> DataProfile:
    """Sparsity, pairwise correlation, groups, n vs p and conditioning of the design ``X`` (dense or sparse)."""
    th = thresholds or Thresholds()
    n, p = X.shape
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j}" for j in range(p))
    if sp.issparse(X):
        X = X.tocsc()
        zero_fraction = 1.0 - X.count_nonzero() / float(n * p)
    else:
        X = np.asarray(X, dtype=np.float64)
        zero_fraction = float(np.mean(X == 0))
    rng = np.random.default_rng(random_state)
    cols = np.arange(p)
    sampled = p > _MAX_CORR_COLUMNS
    if sampled:
        cols = np.sort(rng.choice(p, _MAX_CORR_COLUMNS, replace=False))
    Xc = X[:, cols]
    if n > _MAX_CORR_ROWS:  # correlations from a row subsample (the n x p dense copy would not fit)
        Xc = Xc[np.sort(rng.choice(n, _MAX_CORR_ROWS, replace=False))]
        sampled = True
    Z, _, sd = standardized(Xc)
    constant = tuple(names[cols[j]] for j in np.flatnonzero(sd == 0))
    keep = sd > 0
    R = (Z[:, keep].T @ Z[:, keep]) / Z.shape[0]
    iu = np.triu_indices(R.shape[0], k=1)
    r = np.abs(R[iu])
    if r.size:
        q = np.quantile(r, [0.0, 0.25, 0.5, 0.75, 0.9, 1.0])
        quantiles = dict(zip(("min", "q25", "median", "q75", "q90", "max"), map(float, q)))
        share05 = float(np.mean(r > th.corr_pair))
        share08 = float(np.mean(r > 0.8))
    else:
        quantiles = dict.fromkeys(("min", "q25", "median", "q75", "q90", "max"), float("nan"))
        share05 = share08 = 0.0
    groups = _groups(np.abs(R) >= th.group_r, [names[c] for c in cols[keep]])
    condition, rank = _conditioning(X, rng)
    return DataProfile(n=n, p=p, zero_fraction=float(zero_fraction), constant_columns=constant,
                       abs_r_quantiles=quantiles, share_above_05=share05, share_above_08=share08, n_pairs=int(r.size),
                       groups=groups, condition_number=condition, rank=rank, corr_columns_sampled=sampled,
                       feature_names=names)


def _groups(adjacency, names) -> tuple:
    from scipy.sparse.csgraph import connected_components
    if adjacency.shape[0] == 0:
        return ()
    _, labels = connected_components(sp.csr_matrix(adjacency), directed=False)
    out = []
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        if members.size >= 2:
            out.append(tuple(names[m] for m in members))
    return tuple(sorted(out, key=len, reverse=True))


def _conditioning(X, rng):
    n, p = X.shape
    rows = np.arange(n)
    if n > _MAX_SVD_ROWS:
        rows = np.sort(rng.choice(n, _MAX_SVD_ROWS, replace=False))
    if p > _MAX_CORR_COLUMNS:  # a wide matrix is rank-deficient anyway (rank <= n)
        return float("inf"), int(min(n, p))
    Z, _, sd = standardized(X[rows])
    Z = Z[:, sd > 0]
    if Z.shape[1] == 0:
        return float("inf"), 0
    s = np.linalg.svd(Z, compute_uv=False)
    tol = s[0] * max(Z.shape) * np.finfo(float).eps
    rank = int(np.sum(s > tol))
    rank_full = rank == p
    return (float(s[0] / s[-1]) if rank_full else float("inf")), rank


# ----------------------------------------------------------------------------------------------- question 3
def measure_cost(X, y, *, max_rows=1000, cv=5, n_lambdas=50, random_state=0) -> CostEstimate:
    """Time one tuning path per method on a row subsample (JIT warm-up excluded).

    lasso: one path (l1_ratio = 1); ridge: one ridge path (thin SVD); elastic net: one path per l1_ratio of
    :data:`ENET_L1_RATIOS` (the 2-D grid is what makes it more expensive, the article's point); ols: one
    least-squares solve. Each is the best of two runs.
    """
    n = X.shape[0]
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(n, max_rows, replace=False)) if n > max_rows else np.arange(n)
    Xs, ys = X[rows], np.asarray(y, dtype=np.float64)[rows]
    warm = np.random.default_rng(0).standard_normal((20, 4))  # compile the kernels outside the timing
    for Xw in ([warm, sp.csc_matrix(warm)] if sp.issparse(Xs) else [warm]):
        path(Xw, warm[:, 0], n_lambdas=3, standardize=True)
        path(Xw, warm[:, 0], l1_ratio=0.5, n_lambdas=3, standardize=True)

    def best_of(fn, reps=2):
        out = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        return min(out)

    secs = {
        "ols": best_of(lambda: ols(Xs, ys)),
        "lasso": best_of(lambda: path(Xs, ys, l1_ratio=1.0, n_lambdas=n_lambdas, standardize=True)),
        "ridge": best_of(lambda: ridge_path(Xs.toarray() if sp.issparse(Xs) else Xs, ys,
                                                     n_lambdas=n_lambdas, standardize=True)),
        "enet": best_of(lambda: [path(Xs, ys, l1_ratio=a, n_lambdas=n_lambdas, standardize=True)
                                 for a in ENET_L1_RATIOS]),
    }
    return CostEstimate(n_sub=len(rows), n=n, path_seconds=secs, cv_folds=cv)


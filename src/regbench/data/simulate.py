"""Simulated regression scenarios for regbench studies.

Model: ``y = X @ coef + sigma * eps`` with ``eps ~ N(0, 1)`` and no intercept. The noise level is set from the
signal-to-noise ratio ``snr = Var(x' coef) / sigma**2``, where ``Var(x' coef) = coef' Sigma coef`` is computed from
the design's population covariance ``Sigma`` (not from the sample), so every replicate has the same noise level.

Designs (the ``DESIGNS`` registry, the config's ``design`` key):

- ``independent``: x_ij ~ N(0, 1).
- ``toeplitz``: corr(x_i, x_j) = rho**|i - j| (an AR(1) process along the columns).
- ``equicorrelated``: corr(x_i, x_j) = rho for i != j (one shared factor).
- ``grouped``: Zou & Hastie (2005), Example 4: ``n_groups`` latent factors Z_g ~ N(0, 1); the first
  ``n_groups * group_size`` columns are x_j = Z_g + group_noise * e_j (group g of consecutive columns), the rest
  are independent N(0, 1).
- ``sparse``: a sparse design matrix: each entry is nonzero with probability ``density`` (``1 - density`` is the
  fraction of zeros), nonzero entries are N(0, 1); X is a ``scipy.sparse.csc_matrix`` and is never densified.

Truths (the ``TRUTHS`` registry, the config's ``truth`` key):

- ``sparse``: ``k`` nonzero coefficients of magnitude 1, at the first ``k`` columns (``support: first``) or at
  random columns (``support: random``); signs random or all positive (``signs``).
- ``dense``: every coefficient nonzero and small: N(0, 1) draws (the scale is irrelevant once ``snr`` fixes
  sigma).
- ``fixed``: the scenario's ``coef`` list (length p), e.g. Zou & Hastie's examples; with ``sigma`` given, the noise
  level is ``sigma`` instead of the one ``snr`` implies.

Real data (``design: data``): the scenario names a CSV/parquet file (or ``prostate``) and its ``target``; see
``regbench.data.tables.data_scenario`` (no truth: ``coef_true`` is NaN, and the metrics that need it are NaN).

Randomness: each data set is drawn from ``numpy.random.default_rng(scenario_seed(study_seed, name, replicate))``
(``regbench.data.dataset``),
a ``SeedSequence`` of (study seed, a stable hash of the scenario name, replicate). Adding, removing or reordering
scenarios therefore never changes another scenario's data, and adding replicates never changes existing ones.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from regbench.data.dataset import SCENARIO_DEFAULTS, Dataset, scenario_seed, split_sizes

__all__ = ["DESIGNS", "TRUTHS", "simulate"]


# --------------------------------------------------------------------------- designs
# Each design draws an (n, p) matrix and returns (X, groups, signal_variance), where groups (p,) gives each
# column's correlated group (-1 = none) and signal_variance(coef) = coef' Sigma coef for the population Sigma.


def _independent(rng, n, p, s):
    X = rng.standard_normal((n, p))
    return X, np.full(p, -1), lambda b: float(b @ b)


def _ar1_filter(Z, rho):
    """x_1 = z_1, x_j = rho x_{j-1} + z_j along the last axis."""
    X = np.array(Z, dtype=float)
    for j in range(1, X.shape[-1]):
        X[..., j] += rho * X[..., j - 1]
    return X


def _toeplitz(rng, n, p, s):
    rho = s["rho"]
    Z = rng.standard_normal((n, p))
    # AR(1) along the columns: x_1 = z_1, x_j = rho x_{j-1} + sqrt(1 - rho^2) z_j  =>  corr = rho^|i-j|.
    Z[:, 1:] *= np.sqrt(1.0 - rho**2)
    X = _ar1_filter(Z, rho)

    def signal_variance(b):
        # Sigma b for Sigma_ij = rho^|i-j|: a forward plus a backward exponential filter, minus the diagonal.
        fwd = _ar1_filter(b, rho)
        bwd = _ar1_filter(b[::-1], rho)[::-1]
        return float(b @ (fwd + bwd - b))

    return X, np.full(p, -1), signal_variance


def _equicorrelated(rng, n, p, s):
    rho = s["rho"]
    shared = rng.standard_normal((n, 1))
    X = np.sqrt(rho) * shared + np.sqrt(1.0 - rho) * rng.standard_normal((n, p))
    return X, np.full(p, -1), lambda b: float((1.0 - rho) * (b @ b) + rho * b.sum() ** 2)


def _grouped(rng, n, p, s):
    G, size, tau = s["n_groups"], s["group_size"], s["group_noise"]
    m = G * size
    if m > p:
        raise ValueError(f"n_groups * group_size = {m} exceeds p = {p}")
    groups = np.full(p, -1)
    groups[:m] = np.repeat(np.arange(G), size)
    latent = rng.standard_normal((n, G))
    X = np.empty((n, p))
    X[:, :m] = np.repeat(latent, size, axis=1) + tau * rng.standard_normal((n, m))
    X[:, m:] = rng.standard_normal((n, p - m))

    def signal_variance(b):
        grouped = b[:m].reshape(G, size)
        return float((grouped.sum(axis=1) ** 2).sum() + tau**2 * (grouped**2).sum() + b[m:] @ b[m:])

    return X, groups, signal_variance


def _sparse(rng, n, p, s):
    density = s["density"]
    nnz = int(rng.binomial(n * p, density))
    flat = np.sort(rng.choice(n * p, size=nnz, replace=False))
    rows, cols = np.divmod(flat, p)
    X = sp.csc_matrix((rng.standard_normal(nnz), (rows, cols)), shape=(n, p))
    X.sort_indices()
    return X, np.full(p, -1), lambda b: float(density * (b @ b))


DESIGNS = {
    "independent": _independent,
    "toeplitz": _toeplitz,
    "equicorrelated": _equicorrelated,
    "grouped": _grouped,
    "sparse": _sparse,
}


# --------------------------------------------------------------------------- truths
def _sparse_truth(rng, p, s):
    k = s["k"]
    if not 1 <= k <= p:
        raise ValueError(f"k must be in [1, p={p}], got {k}")
    support = np.arange(k) if s["support"] == "first" else np.sort(rng.choice(p, size=k, replace=False))
    signs = np.ones(k) if s["signs"] == "positive" else rng.choice([-1.0, 1.0], size=k)
    coef = np.zeros(p)
    coef[support] = signs
    return coef


def _dense_truth(rng, p, s):
    coef = rng.standard_normal(p)
    if s["signs"] == "positive":
        coef = np.abs(coef)
    return coef


def _fixed_truth(rng, p, s):
    coef = np.asarray(s.get("coef") or [], dtype=float)
    if coef.shape != (p,):
        raise ValueError(f"truth 'fixed' needs coef with p={p} values, got {coef.size}")
    return coef


TRUTHS = {"sparse": _sparse_truth, "dense": _dense_truth, "fixed": _fixed_truth}


def _rows(X, start, stop):
    return X[start:stop]


def simulate(scenario: dict, *, study_seed: int, replicate: int, tuning_method: str = "cv") -> Dataset:
    """Draw one replicate of a scenario.

    Parameters
    ----------
    scenario : dict
        The scenario's settings: ``name``, ``design``, ``n``, ``p`` and optionally the keys of ``SCENARIO_DEFAULTS``
        (``truth``, ``k``, ``snr``, ``rho``, ``density``, ``n_groups``, ``group_size``, ``group_noise``,
        ``support``, ``signs``, ``n_val``, ``n_test``).
    study_seed, replicate : int
        With the scenario's name, they fix the random stream (see ``scenario_seed``).
    tuning_method : {"cv", "validation"}
        Decides the split (see ``split_sizes``); the draws themselves do not depend on it.
    """
    s = {**SCENARIO_DEFAULTS, **scenario}
    name, design, truth = s["name"], s["design"], s["truth"]
    if design == "data":  # a real data set (CSV/parquet or a shipped one): split, no truth
        # pandas (which real tables need) costs ~0.8 s per job: simulated scenarios do not import it
        from regbench.data.tables import data_scenario

        return data_scenario(s, study_seed=study_seed, replicate=replicate, tuning_method=tuning_method)
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}; choose one of {sorted(DESIGNS)}")
    if truth not in TRUTHS:
        raise ValueError(f"unknown truth {truth!r}; choose one of {sorted(TRUTHS)}")
    n, p, n_test = s["n"], s["p"], s["n_test"]
    if n < 2 or p < 1 or n_test < 1:
        raise ValueError(f"need n >= 2, p >= 1, n_test >= 1; got n={n}, p={p}, n_test={n_test}")
    n_train, n_val, _ = split_sizes(s, tuning_method)
    if n_train < 2:
        raise ValueError(f"n_val={s['n_val']} leaves {n_train} training rows out of n={n}")

    seq = scenario_seed(study_seed, name, replicate)
    data_seq, cv_seq = seq.spawn(2)
    rng = np.random.default_rng(data_seq)
    coef = TRUTHS[truth](rng, p, s)
    X, groups, signal_variance = DESIGNS[design](rng, n + n_test, p, s)
    # an explicit noise level (sigma) wins over snr (Zou & Hastie's examples give sigma)
    sigma = float(s["sigma"]) if s.get("sigma") is not None else float(np.sqrt(signal_variance(coef) / s["snr"]))
    signal = np.asarray(X @ coef).ravel()
    y = signal + sigma * rng.standard_normal(n + n_test)
    if sp.issparse(X):
        X = X.tocsr()  # cheap row slicing, then back to CSC (the solver's column access)
        conv = sp.csc_matrix
    else:
        conv = np.ascontiguousarray
    return Dataset(
        X_train=conv(_rows(X, 0, n_train)),
        y_train=y[:n_train],
        X_val=conv(_rows(X, n_train, n_train + n_val)),
        y_val=y[n_train : n_train + n_val],
        X_test=conv(_rows(X, n, n + n_test)),
        y_test=y[n:],
        coef_true=coef,
        groups=groups,
        sigma=sigma,
        scenario=name,
        replicate=int(replicate),
        cv_seed=int(cv_seq.generate_state(1)[0]),
    )

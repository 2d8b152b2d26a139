"""Input checks shared by the solver, the ridge path, cross-validation and the estimators.

Each check raises ``ValueError`` with a message that names the offending input,
what was expected and what was received.
"""

import warnings
from numbers import Integral, Real

import numpy as np

from regbench.exceptions import DataConversionWarning
from regbench.lazy_sparse import issparse, sparse_module


def check_X_y(X, y, *, min_samples=2):
    """Return ``(X, y)`` as float64 (X dense or CSC) after checking them."""
    X = check_X(X, min_samples=min_samples)
    if y is None:
        raise ValueError("y is required: this estimator requires y to be passed, but the target y is None")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected; it was flattened to "
                      "shape (n_samples,)", DataConversionWarning, stacklevel=3)
        y = y.ravel()
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported: y has a complex dtype")
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional (n_samples,), got an array of shape {y.shape}")
    try:
        y = y.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Unknown label type: y must be numeric, got dtype {y.dtype}") from exc
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: X has {X.shape[0]} rows, y has {y.shape[0]} values"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError(f"y contains NaN or inf ({int(np.sum(~np.isfinite(y)))} non-finite values)")
    return X, y


def check_X(X, *, min_samples=1, n_features=None, name=None):
    """Return X as a float64 array or a CSC matrix, rejecting bad shapes and values."""
    if issparse(X):
        X = sparse_module().csc_matrix(X, dtype=np.float64)
        X.sort_indices()
        values = X.data
    else:
        X = np.asarray(X)
        if X.dtype.kind == "c":
            raise ValueError("Complex data not supported: X has a complex dtype")
        if X.dtype.kind not in "biuf":
            try:
                X = X.astype(np.float64)
            except TypeError as exc:
                raise TypeError(f"X must be numeric; converting dtype {X.dtype} failed: {exc}") from exc
            except ValueError as exc:
                raise ValueError(f"X must be numeric; converting dtype {X.dtype} failed: {exc}") from exc
        if X.ndim != 2:
            raise ValueError(
                f"X must be a 2-D array (n_samples, n_features), got {X.ndim} dimension(s). Reshape your data: "
                "X.reshape(-1, 1) for a single feature or X.reshape(1, -1) for a single sample"
            )
        X = np.asarray(X, dtype=np.float64)
        values = X
    n, p = X.shape
    if n < min_samples:
        raise ValueError(
            f"X has {n} sample(s) (n_samples = {n}); at least {min_samples} are required"
        )
    if p < 1:
        raise ValueError(f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"X contains NaN or inf ({int(np.sum(~np.isfinite(values)))} non-finite entries)")
    if n_features is not None and p != n_features:
        who = name or "the model"
        raise ValueError(f"X has {p} features, but {who} is expecting {n_features} features as input")
    return X


def check_scalar(value, name, *, low=None, high=None, integer=False, low_open=False):
    """Check that a hyperparameter is a real (or integer) number within ``[low, high]``."""
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an integer" if integer else "a real number"
        raise ValueError(f"{name} must be {expected}, got {value!r} of type {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        bound = f"> {low}" if low_open else f">= {low}"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return value


def check_l1_ratio(l1_ratio, name="l1_ratio"):
    """The mixing parameter must lie in [0, 1]."""
    return float(check_scalar(l1_ratio, name, low=0.0, high=1.0))


def check_lambdas(lambdas, name="lambdas"):
    """A user grid of penalty strengths: non-empty, finite, non-negative; returned sorted decreasing."""
    lambdas = np.asarray(lambdas, dtype=np.float64).ravel()
    if lambdas.size == 0:
        raise ValueError(f"{name} is empty: give at least one regularization strength")
    if not np.all(np.isfinite(lambdas)):
        raise ValueError(f"{name} contains NaN or inf")
    if np.any(lambdas < 0):
        raise ValueError(f"{name} must be non-negative, got minimum {lambdas.min()!r}")
    return np.sort(lambdas)[::-1].copy()


def check_option(value, name, options):
    """A string option from a fixed set."""
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value

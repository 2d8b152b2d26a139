"""regbench: compare L1, L2 and elastic-net regularization on one shared solver.

The public names below load on first use (PEP 562), so that a pipeline job that
only simulates data or computes metrics does not pay for importing numba and the
solver.
"""

import importlib

__version__ = "0.1.0"

_LAZY = {
    "params": None,
    "cross_validate": "cv",
    "kfold_indices": "cv",
    "ElasticNet": "estimators",
    "ElasticNetCV": "estimators",
    "Lasso": "estimators",
    "LassoCV": "estimators",
    "Ridge": "estimators",
    "RidgeCV": "estimators",
    "ConvergenceWarning": "exceptions",
    "NotFittedError": "exceptions",
    "L1": "penalties",
    "L2": "penalties",
    "ElasticNetPenalty": "penalties",
    "CVResult": "results",
    "FitResult": "results",
    "PathResult": "results",
    "RidgePathResult": "ridge",
    "ols": "ridge",
    "ridge_path": "ridge",
    "fit": "solver",
    "lambda_max": "solver",
    "objective": "solver",
    "kkt_violation": "solver",
    "path": "solver",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'regbench' has no attribute {name!r}")
    module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    value = module if _LAZY[name] is None else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

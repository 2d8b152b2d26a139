"""regbench: compare L1, L2 and elastic-net regularization on one shared solver.

The package is laid out by step, in the order data flows through a study:
``data`` (data sets: simulated, real, stored) -> ``fit`` (the shared solver) -> ``evaluate`` (the compared
methods, their metrics and summaries) -> ``advise`` (the article's three questions) -> ``report`` (tables, claims,
figures); ``study`` checks a study's config and ``cli`` holds one module per ``regbench`` subcommand.

The public names below are the solver's; they load on first use (PEP 562), so that a pipeline job that only
simulates data or computes metrics does not pay for importing numba and the solver.
"""

import importlib

__version__ = "0.1.0"

_LAZY = {
    "params": "fitting.params",
    "cross_validate": "fitting.cv",
    "kfold_indices": "fitting.cv",
    "ElasticNet": "fitting.estimators",
    "ElasticNetCV": "fitting.estimators",
    "Lasso": "fitting.estimators",
    "LassoCV": "fitting.estimators",
    "Ridge": "fitting.estimators",
    "RidgeCV": "fitting.estimators",
    "ConvergenceWarning": "exceptions",
    "NotFittedError": "exceptions",
    "L1": "fitting.penalties",
    "L2": "fitting.penalties",
    "ElasticNetPenalty": "fitting.penalties",
    "CVResult": "fitting.results",
    "FitResult": "fitting.results",
    "PathResult": "fitting.results",
    "RidgePathResult": "fitting.ridge",
    "ols": "fitting.ridge",
    "ridge_path": "fitting.ridge",
    "fit": "fitting.solver",
    "lambda_max": "fitting.solver",
    "objective": "fitting.solver",
    "kkt_violation": "fitting.solver",
    "path": "fitting.solver",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'regbench' has no attribute {name!r}")
    module = importlib.import_module(f".{_LAZY[name]}", __name__)
    value = module if module.__name__.endswith(f".{name}") else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

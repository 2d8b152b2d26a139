"""regbench: compare L1, L2 and elastic-net regularization on one shared solver."""

from . import params
from .cv import cross_validate, kfold_indices
from .estimators import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge, RidgeCV
from .exceptions import ConvergenceWarning, NotFittedError
from .penalties import L1, L2, ElasticNetPenalty
from .results import CVResult, FitResult, PathResult
from .ridge import RidgePathResult, ols, ridge_path
from .solver import fit, lambda_max, objective, path

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "CVResult",
    "ElasticNet",
    "ElasticNetCV",
    "ElasticNetPenalty",
    "FitResult",
    "L1",
    "L2",
    "Lasso",
    "LassoCV",
    "NotFittedError",
    "PathResult",
    "Ridge",
    "RidgeCV",
    "RidgePathResult",
    "cross_validate",
    "fit",
    "kfold_indices",
    "lambda_max",
    "objective",
    "ols",
    "params",
    "path",
    "ridge_path",
]

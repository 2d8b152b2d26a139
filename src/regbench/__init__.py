"""regbench: compare L1, L2 and elastic-net regularization on one shared solver."""

from .exceptions import ConvergenceWarning
from .penalties import L1, L2, ElasticNetPenalty
from .results import CVResult, FitResult, PathResult
from .solver import fit, lambda_max, objective, path

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "CVResult",
    "ElasticNetPenalty",
    "FitResult",
    "L1",
    "L2",
    "PathResult",
    "fit",
    "lambda_max",
    "objective",
    "path",
]

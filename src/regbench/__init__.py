"""regbench: compare L1, L2 and elastic-net regularization on one shared solver."""

__version__ = "0.1.0"

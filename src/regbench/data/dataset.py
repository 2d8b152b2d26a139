"""One data set of a study, its seed and its split: the type every step passes on.

A :class:`Dataset` is one replicate of one scenario, already split into training, validation and test rows; the
simulation designs (``regbench.data.simulate``) and the real tables (``regbench.data.tables``) both produce it,
``regbench.data.io`` stores it, and the fit, evaluate and advise steps read it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SCENARIO_DEFAULTS", "Dataset", "scenario_seed", "split_sizes"]


# --------------------------------------------------------------------------- seeds
def _name_hash(name: str) -> int:
    """A stable 64-bit integer for a scenario name (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def scenario_seed(study_seed: int, name: str, replicate: int) -> np.random.SeedSequence:
    """The seed sequence of one data set: a function of (study seed, scenario name, replicate) only."""
    if study_seed < 0 or replicate < 0:
        raise ValueError(f"seed and replicate must be >= 0, got seed={study_seed}, replicate={replicate}")
    return np.random.SeedSequence([int(study_seed), _name_hash(name), int(replicate)])


#: Defaults of the optional scenario settings (the config schema holds the same values).
SCENARIO_DEFAULTS = {
    "truth": "sparse",
    "k": 5,
    "snr": 3.0,
    "rho": 0.5,
    "density": 0.1,
    "n_groups": 3,
    "group_size": 5,
    "group_noise": 0.1,
    "support": "random",
    "signs": "random",
    "n_val": 0,
    "n_test": 1000,
}


# --------------------------------------------------------------------------- data set
@dataclass(frozen=True)
class Dataset:
    """One simulated replicate, already split. X_* are ndarrays or scipy.sparse CSC matrices."""

    X_train: object
    y_train: np.ndarray
    X_val: object
    y_val: np.ndarray
    X_test: object
    y_test: np.ndarray
    coef_true: np.ndarray
    groups: np.ndarray
    sigma: float
    intercept_true: float = 0.0
    scenario: str = ""
    replicate: int = 0
    cv_seed: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    @property
    def n_val(self) -> int:
        return self.X_val.shape[0]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[0]

    @property
    def p(self) -> int:
        return self.X_train.shape[1]


def split_sizes(scenario: dict, tuning_method: str) -> tuple[int, int, int]:
    """(n_train, n_val, n_test) of a scenario under a tuning method.

    ``n`` observations are available for fitting. With validation-set tuning the last ``n_val`` of them are held out
    for validation; with K-fold CV all ``n`` are training rows (CV splits them) and there is no validation set.
    """
    s = {**SCENARIO_DEFAULTS, **scenario}
    n, n_val = s["n"], s["n_val"]
    if tuning_method == "validation":
        return n - n_val, n_val, s["n_test"]
    return n, 0, s["n_test"]


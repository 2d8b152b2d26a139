"""Penalties as small objects: value, proximal step, subdifferential distance, conjugate.

Every penalty here is a member of the separable elastic-net family

    pen(w) = l1 ||w||_1 + l2/2 ||w||_2^2,

and states its place in it through the attributes ``l1`` and ``l2``; the compiled
solver (``_kernels.solve_lambda``) only ever calls the family's proximal step,
so a new penalty of this family is a new class here and no change to the solver.
In the project's scaling, ``ElasticNetPenalty(alpha, l1_ratio)`` has
l1 = alpha * l1_ratio and l2 = alpha * (1 - l1_ratio).
"""

import numpy as np

from regbench.fitting._kernels import prox_enet
from regbench.fitting._validation import check_l1_ratio, check_scalar
from regbench.fitting.params import penalty_weights


class ElasticNetPenalty:
    """alpha * (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||_2^2)."""

    def __init__(self, alpha, l1_ratio=0.5):
        self.alpha = float(check_scalar(alpha, "alpha", low=0.0))
        self.l1_ratio = check_l1_ratio(l1_ratio)

    @property
    def l1(self):
        return penalty_weights(self.alpha, self.l1_ratio)[0]

    @property
    def l2(self):
        return penalty_weights(self.alpha, self.l1_ratio)[1]

    def value(self, w):
        """pen(w) = l1 ||w||_1 + l2/2 ||w||^2."""
        w = np.asarray(w, dtype=np.float64)
        return self.l1 * np.abs(w).sum() + 0.5 * self.l2 * np.dot(w, w)

    def prox_1d(self, value, stepsize, j=None):
        """argmin_x (x - value)^2 / (2 stepsize) + pen_j(x): soft-threshold then shrink."""
        return prox_enet(float(value), float(stepsize), self.l1, self.l2)

    def subdiff_distance(self, w, grad):
        """Distance of -grad to the subdifferential of pen at w, per coordinate.

        ``grad`` is the gradient of the datafit; the distances are all zero exactly
        at a minimizer (KKT), so their maximum measures optimality.
        """
        w = np.asarray(w, dtype=np.float64)
        grad = np.asarray(grad, dtype=np.float64)
        smooth = -grad - self.l2 * w
        dist = np.abs(smooth - self.l1 * np.sign(w))
        zero = w == 0.0
        dist[zero] = np.maximum(np.abs(smooth[zero]) - self.l1, 0.0)
        return dist

    def conjugate(self, v):
        """pen*(v) = sum_j (|v_j| - l1)_+^2 / (2 l2); for l2 = 0, 0 if |v| <= l1 everywhere else inf."""
        excess = np.maximum(np.abs(np.asarray(v, dtype=np.float64)) - self.l1, 0.0)
        if self.l2 == 0.0:
            return 0.0 if not np.any(excess > 0) else np.inf
        return float(np.dot(excess, excess) / (2.0 * self.l2))

    def __repr__(self):
        return f"{type(self).__name__}(alpha={self.alpha!r}, l1_ratio={self.l1_ratio!r})"


class L1(ElasticNetPenalty):
    """alpha ||w||_1 (the lasso penalty)."""

    def __init__(self, alpha):
        super().__init__(alpha, 1.0)

    def __repr__(self):
        return f"L1(alpha={self.alpha!r})"


class L2(ElasticNetPenalty):
    """alpha/2 ||w||_2^2 (the ridge penalty)."""

    def __init__(self, alpha):
        super().__init__(alpha, 0.0)

    def __repr__(self):
        return f"L2(alpha={self.alpha!r})"

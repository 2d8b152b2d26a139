"""Warnings raised by regbench."""


class ConvergenceWarning(UserWarning):
    """The solver stopped at ``max_iter`` before its duality gap reached ``tol``.

    The message names the regularization strength and the gap reached; the
    result's ``converged`` flag is False for that fit.
    """

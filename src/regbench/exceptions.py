"""Warnings raised by regbench."""


class ConvergenceWarning(UserWarning):
    """The solver stopped at ``max_iter`` before its duality gap reached ``tol``.

    The message names the regularization strength and the gap reached; the
    result's ``converged`` flag is False for that fit.
    """


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` was called."""


class DataConversionWarning(UserWarning):
    """Input was converted: a column-vector y was flattened to one dimension."""


def not_fitted_error(message):
    """A NotFittedError that scikit-learn's tooling also recognizes when scikit-learn is installed."""
    try:
        from sklearn.exceptions import NotFittedError as SklearnNotFittedError
    except ImportError:
        return NotFittedError(message)
    return type("NotFittedError", (NotFittedError, SklearnNotFittedError), {})(message)

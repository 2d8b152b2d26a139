"""The scikit-learn estimator contract without a run-time dependency on scikit-learn.

Parameters are the keyword arguments of ``__init__`` (stored as given); ``fit``
validates them and sets attributes ending in ``_``. scikit-learn itself is only
imported when its own tooling asks for tags (``__sklearn_tags__``).
"""

import inspect

import numpy as np

from regbench.exceptions import not_fitted_error
from regbench.fitting._validation import check_X


class LinearRegressor:
    """Base of every regbench estimator: parameters, prediction, R^2 score, tags."""

    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep=True):
        """The constructor parameters and their current values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set constructor parameters; unknown names raise ValueError."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"Invalid parameter {name!r} for estimator {type(self).__name__}; valid: {valid}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = []
        for name, value in self.get_params().items():
            default = defaults.get(name)
            same = value is default or (type(value) is type(default) and _equal(value, default))
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, RegressorTags, Tags, TargetTags

        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True), transformer_tags=None,
                    regressor_tags=RegressorTags(), input_tags=InputTags(sparse=True))

    def __sklearn_is_fitted__(self):
        return hasattr(self, "coef_")

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise not_fitted_error(
                f"This {type(self).__name__} instance is not fitted yet: call 'fit' with appropriate arguments "
                "before using this estimator."
            )

    def predict(self, X):
        """Predictions X @ coef_ + intercept_."""
        self._check_fitted()
        X = check_X(X, n_features=self.n_features_in_, name=type(self).__name__)
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    def score(self, X, y):
        """Coefficient of determination R^2 of the predictions."""
        y = np.asarray(y, dtype=np.float64).ravel()
        resid = y - self.predict(X)
        total = y - y.mean()
        return 1.0 - float(resid @ resid) / float(total @ total)


def _equal(a, b):
    try:
        return bool(np.all(a == b))
    except (TypeError, ValueError):
        return False

"""The scikit-learn estimator contract without a run-time dependency on scikit-learn.

Parameters are the keyword arguments of ``__init__`` (stored as given); ``fit``
validates them and sets attributes ending in ``_``. scikit-learn itself is only
imported when its own tooling asks for tags (``__sklearn_tags__``).
"""

import inspect
import warnings

import numpy as np

from regbench.exceptions import not_fitted_error
from regbench.fitting._validation import check_X, check_X_y


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

    def _fit_data(self, X, y):
        """Checked (X, y) for ``fit``; records ``feature_names_in_`` when X is a DataFrame with string columns."""
        names = _feature_names(X)
        if names is None:
            self.__dict__.pop("feature_names_in_", None)
        X, y = check_X_y(X, y)
        if names is not None:
            self.feature_names_in_ = names
        return X, y

    def _check_feature_names(self, X):
        """scikit-learn's feature-name checks at predict time: warn on a missing side, raise on a mismatch."""
        fitted = getattr(self, "feature_names_in_", None)
        names = _feature_names(X)
        who = type(self).__name__
        if fitted is None and names is None:
            return
        if fitted is None:
            warnings.warn(f"X has feature names, but {who} was fitted without feature names", UserWarning,
                          stacklevel=3)
        elif names is None:
            warnings.warn(f"X does not have valid feature names, but {who} was fitted with feature names",
                          UserWarning, stacklevel=3)
        elif len(fitted) != len(names) or np.any(fitted != names):
            raise ValueError(_mismatch_message(fitted, names))

    def predict(self, X):
        """Predictions X @ coef_ + intercept_."""
        self._check_fitted()
        self._check_feature_names(X)
        X = check_X(X, n_features=self.n_features_in_, name=type(self).__name__)
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    def score(self, X, y):
        """Coefficient of determination R^2 of the predictions, as ``sklearn.metrics.r2_score``.

        For a constant y (zero total sum of squares) it is 1.0 when the predictions are
        exact and 0.0 otherwise (scikit-learn's ``force_finite=True``).
        """
        pred = self.predict(X)
        _, y = check_X_y(check_X(X), y, min_samples=1)
        ss_res = float(np.sum((y - pred) ** 2))
        ss_tot = float(np.sum((y - np.average(y)) ** 2))
        if ss_tot == 0.0:
            return 1.0 if ss_res == 0.0 else 0.0
        return 1.0 - ss_res / ss_tot


def _feature_names(X):
    """The column names of a DataFrame-like X when all are strings (scikit-learn's rule), else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "dtypes"):
        return None
    names = np.asarray(columns, dtype=object)
    if names.size == 0:
        return None
    types = sorted(t.__qualname__ for t in {type(v) for v in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, but your input has "
            f"{types} as feature name / column name types. Convert them all to strings (X.columns = "
            "X.columns.astype(str)) or to a non-string type.")
    return names if types == ["str"] else None


def _mismatch_message(fitted, names):
    """scikit-learn's message for feature names that differ from those seen in fit."""
    def listed(items):
        shown = [f"- {v}\n" for v in items[:5]]
        return "".join(shown) + ("- ...\n" if len(items) > 5 else "")

    unexpected = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    message = "The feature names should match those that were passed during fit.\n"
    if unexpected:
        message += "Feature names unseen at fit time:\n" + listed(unexpected)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + listed(missing)
    if not unexpected and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    return message


def _equal(a, b):
    try:
        return bool(np.all(a == b))
    except (TypeError, ValueError):
        return False

"""scikit-learn-compatible estimators on the shared solver.

Every estimator minimizes

    1/(2n) ||y - b0 - X w||^2 + alpha * ( l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||_2^2 )

with l1_ratio fixed to 1 (Lasso), 0 (Ridge) or given (ElasticNet); the CV
versions pick alpha (and l1_ratio) by K-fold cross-validation.
``variant="corrected"`` is Zou & Hastie's elastic net: the naive solution rescaled
by (1 + alpha (1 - l1_ratio)) in standardized coordinates.
"""

import numpy as np

from regbench.fitting._base import LinearRegressor
from regbench.fitting._validation import check_l1_ratio, check_lambdas, check_option, check_scalar
from regbench.fitting.cv import RULES, cross_validate, fit_path
from regbench.fitting.params import penalty_weights, uncorrect
from regbench.fitting.ridge import ridge_path
from regbench.fitting.solver import VARIANTS, fit


class ElasticNet(LinearRegressor):
    """Elastic net, naive or corrected (Zou & Hastie 2005), by pathwise coordinate descent.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength (lambda in glmnet).
    l1_ratio : float in [0, 1], default=0.5
        Share of the L1 part (glmnet's alpha): 1 is the lasso, 0 ridge.
    variant : {"naive", "corrected"}, default="naive"
        "corrected" requires standardize=True.
    fit_intercept : bool, default=True
    standardize : bool, default=False
        Penalize the coefficients of unit-variance columns (glmnet's default is True).
    tol : float, default=1e-7
        Stop when the certified duality gap <= tol * ||y - mean(y)||^2 / (2n).
    max_iter : int, default=10_000
        Maximum epochs.
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.

    Attributes
    ----------
    coef_, intercept_ (numpy float64), n_iter_, dual_gap_, n_features_in_, converged_,
    feature_names_in_ (when fitted on a DataFrame with string column names)
    """

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, variant="naive", fit_intercept=True, standardize=False,
                 tol=1e-7, max_iter=10_000, warm_start=False):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.variant = variant
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def _mixing(self):
        return check_l1_ratio(self.l1_ratio), check_option(self.variant, "variant", VARIANTS)

    def fit(self, X, y):
        """Fit on (X, y); X may be dense or scipy.sparse."""
        check_scalar(self.alpha, "alpha", low=0.0)
        l1_ratio, variant = self._mixing()
        X, y = self._fit_data(X, y)
        coef_init = None
        if self.warm_start and getattr(self, "coef_", None) is not None and self.coef_.shape == (X.shape[1],):
            coef_init = self.coef_
            if variant == "corrected":
                coef_init = uncorrect(coef_init, penalty_weights(self.alpha, l1_ratio)[1])
        res = fit(X, y, float(self.alpha), l1_ratio=l1_ratio, fit_intercept=self.fit_intercept,
                  standardize=self.standardize, variant=variant, tol=self.tol, max_iter=self.max_iter,
                  coef_init=coef_init)
        self.coef_, self.intercept_ = res.coef, np.float64(res.intercept)
        self.n_iter_, self.dual_gap_, self.converged_ = res.n_iter, res.gap, res.converged
        self.n_features_in_ = X.shape[1]
        return self


class Lasso(ElasticNet):
    """The lasso: ElasticNet with l1_ratio = 1 (see ElasticNet for the objective and parameters)."""

    def __init__(self, alpha=1.0, *, fit_intercept=True, standardize=False, tol=1e-7, max_iter=10_000,
                 warm_start=False):
        # No super().__init__: l1_ratio and variant are not parameters of the lasso.
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def _mixing(self):
        return 1.0, "naive"


class Ridge(LinearRegressor):
    """Ridge regression: 1/(2n) ||y - b0 - X w||^2 + alpha/2 ||w||^2, from one thin SVD (dense X).

    Note the 1/(2n) scaling: scikit-learn's ``Ridge(alpha=a)`` equals ``Ridge(alpha=a / n)`` here.
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, standardize=False):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize

    def fit(self, X, y):
        """Fit on (X, y); a sparse X goes through coordinate descent instead of the SVD."""
        check_scalar(self.alpha, "alpha", low=0.0)
        X, y = self._fit_data(X, y)
        res = ridge_path(X, y, lambdas=[float(self.alpha)], fit_intercept=self.fit_intercept,
                         standardize=self.standardize)
        self.coef_, self.intercept_ = res.coefs[:, 0], np.float64(res.intercepts[0])
        self.n_iter_, self.dual_gap_ = int(res.n_iter[0]), float(res.gaps[0])
        self.n_features_in_ = X.shape[1]
        return self


class ElasticNetCV(LinearRegressor):
    """Elastic net with alpha and l1_ratio chosen by cross-validation ("min" or "1se" rule), as cv.glmnet.

    Parameters
    ----------
    l1_ratio : float or sequence of floats in [0, 1], default=(0.1, 0.5, 0.7, 0.9, 0.95, 1.0)
    n_lambdas, eps : the default lambda grid of each l1_ratio (see ``regbench.path``)
    alphas : array-like, default=None
        An explicit grid of alpha values shared by every l1_ratio (sorted decreasing);
        overrides ``n_lambdas`` and ``eps``.
    cv : int, fold-id vector, splitter or iterable of (train_idx, test_idx), default=5
        K seeded folds, glmnet's ``foldid`` (one integer label per row), any object with
        ``split(X, y[, groups])`` (scikit-learn's KFold, GroupKFold: pass ``groups`` to
        ``fit``) or explicit index pairs (see ``regbench.fitting.cv.resolve_folds``).
    rule : {"min", "1se"}, random_state, variant, fit_intercept, standardize, tol, max_iter
    early_stop : bool, default=False
        glmnet's early path stop, as cv.glmnet applies it (see ``regbench.cross_validate``):
        each l1_ratio's grid is cut after the lambda where the deviance explained saturates
        on all of (X, y) (fdev / devmax; every grid keeps the length of the longest cut path),
        the folds and the refit solve only those lambdas, so ``alphas_`` and ``mse_path_``
        are shorter. Grids with an l1_ratio of 0 (ridge) are never cut.

    Attributes
    ----------
    alpha_, l1_ratio_ : the chosen point.
    alphas_ : (n_alphas,), or (n_l1_ratio, n_alphas) when several l1_ratios each have their default grid
        (scikit-learn's shapes: an explicit ``alphas`` grid is shared, so it is one row).
    mse_path_ : (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds): each fold's test MSE
        (scikit-learn's shapes and meaning).
    cv_result_ : CVResult (curves, cv.glmnet's fold-size weighted mean and standard error).
    path_ : the refit path on all data at ``l1_ratio_``.
    coef_, intercept_ (numpy float64), n_iter_, dual_gap_, n_features_in_, feature_names_in_
    """

    def __init__(self, *, l1_ratio=(0.1, 0.5, 0.7, 0.9, 0.95, 1.0), variant="naive", n_lambdas=100, eps=None,
                 alphas=None, cv=5, rule="min", random_state=0, fit_intercept=True, standardize=False, tol=1e-7,
                 max_iter=10_000, early_stop=False):
        self.l1_ratio = l1_ratio
        self.variant = variant
        self.n_lambdas = n_lambdas
        self.eps = eps
        self.alphas = alphas
        self.cv = cv
        self.rule = rule
        self.random_state = random_state
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.early_stop = early_stop

    def _ratios(self):
        return np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))

    def _variant(self):
        return check_option(self.variant, "variant", VARIANTS)

    def fit(self, X, y, groups=None):
        """Cross-validate, then refit the path on all of (X, y) and keep the chosen solution.

        ``groups`` is passed to ``cv.split`` (for GroupKFold and other group splitters).
        """
        variant = self._variant()
        check_option(self.rule, "rule", RULES)
        X, y = self._fit_data(X, y)
        options = dict(variant=variant, standardize=self.standardize, fit_intercept=self.fit_intercept,
                       tol=self.tol, max_iter=self.max_iter)
        ratios = self._ratios()
        cvr = cross_validate(X, y, l1_ratios=ratios, cv=self.cv, rule=self.rule, random_state=self.random_state,
                             n_lambdas=self.n_lambdas, eps=self.eps, lambdas=_alphas_grid(self.alphas),
                             groups=groups, early_stop=self.early_stop, **options)
        a, k = cvr.best_index
        self.cv_result_ = cvr
        self.l1_ratio_ = cvr.best_grid_value
        self.alpha_ = cvr.best_lambda
        one = ratios.size == 1  # scikit-learn drops the l1_ratio axis for a single l1_ratio
        self.alphas_ = cvr.lambdas[0].copy() if one or self.alphas is not None else cvr.lambdas.copy()
        mse_path = np.moveaxis(cvr.fold_mse, 0, -1)  # (n_l1_ratio, n_alphas, n_folds)
        self.mse_path_ = mse_path[0].copy() if one else mse_path.copy()
        self.path_ = fit_path(X, y, self.l1_ratio_, cvr.lambdas[a], **options)
        self.coef_ = self.path_.coefs[:, k].copy()
        self.intercept_ = np.float64(self.path_.intercepts[k])
        # a ridge solution (l1_ratio_ = 0) comes from one decomposition, no epochs: count it as 1 (>= 1, as
        # scikit-learn expects of an estimator with max_iter)
        self.n_iter_ = max(1, int(self.path_.n_iter[k]))
        self.dual_gap_ = float(self.path_.gaps[k])
        self.n_features_in_ = X.shape[1]
        return self


class LassoCV(ElasticNetCV):
    """The lasso with alpha chosen by cross-validation (see ElasticNetCV; ``mse_path_`` is (n_alphas, n_folds))."""

    def __init__(self, *, n_lambdas=100, eps=None, alphas=None, cv=5, rule="min", random_state=0,
                 fit_intercept=True, standardize=False, tol=1e-7, max_iter=10_000, early_stop=False):
        # No super().__init__: l1_ratio and variant are not parameters of the lasso.
        self.n_lambdas = n_lambdas
        self.eps = eps
        self.alphas = alphas
        self.cv = cv
        self.rule = rule
        self.random_state = random_state
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.early_stop = early_stop

    def _ratios(self):
        return np.array([1.0])

    def _variant(self):
        return "naive"


class RidgeCV(LinearRegressor):
    """Ridge with alpha chosen by leave-one-out ("loo"), GCV ("gcv") from one decomposition, or CV folds.

    ``cv`` is "auto" (exact leave-one-out, the default), "loo", "gcv", or any fold
    specification of ElasticNetCV (an integer K, a fold-id vector, a splitter with
    ``split(X, y[, groups])``, or (train_idx, test_idx) pairs). ``alphas`` is an
    explicit grid (sorted decreasing), overriding ``n_lambdas`` and ``eps``.

    After fitting: ``alpha_``, ``best_score_`` (minus the selection criterion's mean
    squared error at ``alpha_``: scikit-learn's sign convention, greater is better, as its
    RidgeCV's default leave-one-out score), ``path_``, ``cv_result_`` (a CVResult with
    CV folds, else None), ``coef_``, ``intercept_`` (numpy float64), ``feature_names_in_``.
    """

    def __init__(self, *, n_lambdas=100, eps=None, alphas=None, cv="auto", rule="min", random_state=0,
                 fit_intercept=True, standardize=False):
        self.n_lambdas = n_lambdas
        self.eps = eps
        self.alphas = alphas
        self.cv = cv
        self.rule = rule
        self.random_state = random_state
        self.fit_intercept = fit_intercept
        self.standardize = standardize

    def fit(self, X, y, groups=None):
        """Select alpha, then keep the solution at it from the same path (``groups`` as in ElasticNetCV)."""
        check_option(self.rule, "rule", RULES)
        if self.eps is not None:
            check_scalar(self.eps, "eps", low=0.0, high=1.0, low_open=True)
        cv = self.cv
        if isinstance(cv, str):
            cv = check_option(cv, "cv", ("auto", "loo", "gcv"))
            cv = "loo" if cv == "auto" else cv
        X, y = self._fit_data(X, y)
        alphas = _alphas_grid(self.alphas)
        self.path_ = ridge_path(X, y, n_lambdas=self.n_lambdas, eps=self.eps, lambdas=alphas,
                                fit_intercept=self.fit_intercept, standardize=self.standardize)
        if isinstance(cv, str):
            curve = self.path_.loo if cv == "loo" else self.path_.gcv
            k = int(np.nanargmin(curve))
            self.best_score_ = -float(curve[k])
            self.cv_result_ = None
        else:
            cvr = cross_validate(X, y, l1_ratios=(0.0,), cv=cv, rule=self.rule, groups=groups,
                                 random_state=self.random_state, n_lambdas=self.n_lambdas, eps=self.eps,
                                 lambdas=self.path_.lambdas,  # the path's own grid, so k indexes both
                                 fit_intercept=self.fit_intercept, standardize=self.standardize)
            self.cv_result_ = cvr
            k = cvr.best_index[1]
            self.best_score_ = -float(cvr.mse_mean[0, k])
        self.alpha_ = float(self.path_.lambdas[k])
        self.coef_ = self.path_.coefs[:, k].copy()
        self.intercept_ = np.float64(self.path_.intercepts[k])
        self.n_iter_, self.dual_gap_ = 0, float(self.path_.gaps[k])
        self.n_features_in_ = X.shape[1]
        return self


def _alphas_grid(alphas):
    """An explicit alpha grid (scikit-learn's ``alphas``) as a decreasing array, or None for the default grid."""
    if alphas is None:
        return None
    if isinstance(alphas, (int, np.integer)) and not isinstance(alphas, bool):
        raise ValueError(f"alphas must be an array-like grid of penalty strengths, got the integer {alphas!r}; "
                         "for the number of grid values use n_lambdas")
    return check_lambdas(alphas, "alphas")

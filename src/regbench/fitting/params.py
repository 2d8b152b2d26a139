"""Every conversion between the parametrizations of the elastic net, and Zou & Hastie's correction.

The project's (glmnet / scikit-learn) objective, with n samples:

    1/(2n) ||y - X w||^2 + alpha * ( l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2 )
                       = ... + lambda1 ||w||_1 + lambda2/2 ||w||^2,
    lambda1 = alpha * l1_ratio,  lambda2 = alpha * (1 - l1_ratio)          (:func:`penalty_weights`)

* The article's: the same datafit plus ``lam * [(1 - a) ||w||_1 + a ||w||^2]``, with
  a = 1 ridge and a = 0 lasso (the opposite of glmnet's alpha). Matching the L1 and
  L2 weights gives alpha * l1_ratio = lam (1 - a) and alpha (1 - l1_ratio) / 2 = lam a.
* Zou & Hastie (2005): ``||y - X_u b||^2 + lambda2 ||b||^2 + lambda1 ||b||_1`` on y
  centred and columns centred and scaled to unit norm (X_u = X_s / sqrt(n) for the
  unit-variance X_s the project standardizes to, so b = sqrt(n) w). Multiplying the
  project's objective by 2n gives the same lambda2 and lambda1_ZH = 2 sqrt(n) lambda1.
* The corrected elastic net is (1 + lambda2) times the naive solution, with lambda2 in
  the standardized (unit-variance) scaling above (:func:`correct`).

This module is the only place these formulas are written; the solver, the estimators,
the study pipeline and the (lambda2, s) helpers all call it.
"""

import math

from regbench.fitting._validation import check_l1_ratio, check_scalar

__all__ = [
    "article_to_glmnet", "glmnet_to_article", "glmnet_to_zou_hastie", "zou_hastie_to_glmnet",
    "penalty_weights", "mixing", "regbench_to_zh", "zh_to_regbench", "correction_factor", "correct", "uncorrect",
]


def penalty_weights(alpha, l1_ratio):
    """(alpha, l1_ratio) -> (lambda1, lambda2) = (alpha l1_ratio, alpha (1 - l1_ratio)); arrays broadcast."""
    return alpha * l1_ratio, alpha * (1.0 - l1_ratio)


def mixing(lambda1, lambda2):
    """(lambda1, lambda2) -> (alpha, l1_ratio), the inverse of :func:`penalty_weights`; (0, 0) maps to (0, 1)."""
    alpha = lambda1 + lambda2
    return alpha, (lambda1 / alpha if alpha > 0 else 1.0)


def regbench_to_zh(lambda1, lambda2, n):
    """The project's (lambda1, lambda2) on unit-variance columns -> the paper's on unit-norm columns."""
    return 2.0 * math.sqrt(n) * lambda1, float(lambda2)


def zh_to_regbench(lambda1, lambda2, n):
    """The paper's (lambda1, lambda2) on unit-norm columns -> the project's on unit-variance columns."""
    return lambda1 / (2.0 * math.sqrt(n)), float(lambda2)


def article_to_glmnet(lam, a):
    """(lam, a) of the article's penalty -> (alpha, l1_ratio)."""
    check_scalar(lam, "lam", low=0.0)
    a = check_l1_ratio(a, "a")
    return mixing(lam * (1.0 - a), 2.0 * lam * a)


def glmnet_to_article(alpha, l1_ratio):
    """(alpha, l1_ratio) -> (lam, a) of the article's ``lam [(1 - a)|w|_1 + a |w|^2]``."""
    check_scalar(alpha, "alpha", low=0.0)
    lambda1, lambda2 = penalty_weights(alpha, check_l1_ratio(l1_ratio))
    lam = lambda1 + lambda2 / 2.0
    return lam, (lambda2 / 2.0 / lam if lam > 0 else (1.0 - l1_ratio) / (1.0 + l1_ratio))


def glmnet_to_zou_hastie(alpha, l1_ratio, n):
    """(alpha, l1_ratio) on unit-variance columns -> Zou & Hastie's (lambda1, lambda2) on unit-norm columns."""
    check_scalar(alpha, "alpha", low=0.0)
    check_scalar(n, "n", low=1, integer=True)
    return regbench_to_zh(*penalty_weights(alpha, check_l1_ratio(l1_ratio)), n)


def zou_hastie_to_glmnet(lambda1, lambda2, n):
    """Zou & Hastie's (lambda1, lambda2) -> (alpha, l1_ratio); (0, 0) maps to (0, 1)."""
    check_scalar(lambda1, "lambda1", low=0.0)
    check_scalar(lambda2, "lambda2", low=0.0)
    check_scalar(n, "n", low=1, integer=True)
    return mixing(*zh_to_regbench(lambda1, lambda2, n))


def correct(coef, lambda2):
    """Zou & Hastie's corrected elastic net from the naive one: (1 + lambda2) * coef (arrays broadcast)."""
    return coef * (1.0 + lambda2)


def uncorrect(coef, lambda2):
    """The naive elastic net from the corrected one: coef / (1 + lambda2)."""
    return coef / (1.0 + lambda2)


def correction_factor(alpha, l1_ratio):
    """Zou & Hastie's (1 + lambda2) in the project's scaling: 1 + alpha (1 - l1_ratio)."""
    check_scalar(alpha, "alpha", low=0.0)
    return correct(1.0, penalty_weights(alpha, check_l1_ratio(l1_ratio))[1])

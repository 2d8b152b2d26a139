"""Conversions between the parametrizations of the elastic net.

The project's (glmnet / scikit-learn) objective, with n samples:

    1/(2n) ||y - X w||^2 + alpha * ( l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2 )

* The article's: the same datafit plus ``lam * [(1 - a) ||w||_1 + a ||w||^2]``, with
  a = 1 ridge and a = 0 lasso (the opposite of glmnet's alpha). Matching the L1 and
  L2 weights gives alpha * l1_ratio = lam (1 - a) and alpha (1 - l1_ratio) / 2 = lam a.
* Zou & Hastie (2005): ``||y - X_u b||^2 + lambda2 ||b||^2 + lambda1 ||b||_1`` on y
  centred and columns centred and scaled to unit norm (X_u = X_s / sqrt(n) for the
  unit-variance X_s the project standardizes to, so b = sqrt(n) w). Multiplying the
  project's objective by 2n gives lambda2 = alpha (1 - l1_ratio) and
  lambda1 = 2 sqrt(n) alpha l1_ratio.
"""

import math

from ._validation import check_l1_ratio, check_scalar


def article_to_glmnet(lam, a):
    """(lam, a) of the article's penalty -> (alpha, l1_ratio)."""
    check_scalar(lam, "lam", low=0.0)
    a = check_l1_ratio(a, "a")
    alpha = lam * (1.0 + a)
    l1_ratio = (1.0 - a) / (1.0 + a)
    return alpha, l1_ratio


def glmnet_to_article(alpha, l1_ratio):
    """(alpha, l1_ratio) -> (lam, a) of the article's ``lam [(1 - a)|w|_1 + a |w|^2]``."""
    check_scalar(alpha, "alpha", low=0.0)
    l1_ratio = check_l1_ratio(l1_ratio)
    lam = alpha * (1.0 + l1_ratio) / 2.0
    a = (1.0 - l1_ratio) / (1.0 + l1_ratio)
    return lam, a


def glmnet_to_zou_hastie(alpha, l1_ratio, n):
    """(alpha, l1_ratio) on unit-variance columns -> Zou & Hastie's (lambda1, lambda2) on unit-norm columns."""
    check_scalar(alpha, "alpha", low=0.0)
    l1_ratio = check_l1_ratio(l1_ratio)
    check_scalar(n, "n", low=1, integer=True)
    return 2.0 * math.sqrt(n) * alpha * l1_ratio, alpha * (1.0 - l1_ratio)


def zou_hastie_to_glmnet(lambda1, lambda2, n):
    """Zou & Hastie's (lambda1, lambda2) -> (alpha, l1_ratio); (0, 0) maps to (0, 1)."""
    check_scalar(lambda1, "lambda1", low=0.0)
    check_scalar(lambda2, "lambda2", low=0.0)
    check_scalar(n, "n", low=1, integer=True)
    l1 = lambda1 / (2.0 * math.sqrt(n))
    alpha = l1 + lambda2
    return alpha, (l1 / alpha if alpha > 0 else 1.0)


def correction_factor(alpha, l1_ratio):
    """Zou & Hastie's (1 + lambda2) in the project's scaling: 1 + alpha (1 - l1_ratio)."""
    check_scalar(alpha, "alpha", low=0.0)
    return 1.0 + alpha * (1.0 - check_l1_ratio(l1_ratio))

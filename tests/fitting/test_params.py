"""regbench.params: every parametrization round-trips and gives the same objective.

glmnet / scikit-learn (the solver's):  1/(2n)||y - Xw||^2 + alpha (l1_ratio |w|_1 + (1 - l1_ratio)/2 |w|^2)
the article's penalty:                 lam [(1 - a) |w|_1 + a |w|^2]     (a = 1 ridge, a = 0 lasso)
Zou & Hastie (2005):                   |y - X_u b|^2 + lambda2 |b|^2 + lambda1 |b|_1, columns of X_u centred
                                       with unit norm; with X_s = sqrt(n) X_u (unit variance), b = sqrt(n) w
                                       and the ZH objective equals 2n times glmnet's.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regbench.fitting import params

SETTINGS = settings(max_examples=60, deadline=None)
pos = st.floats(1e-6, 1e3, allow_nan=False, allow_infinity=False)
unit = st.floats(0.0, 1.0, allow_nan=False)
unit_open = st.floats(1e-6, 1.0, allow_nan=False)  # lambda1 > 0 so the ZH -> glmnet map is invertible
sizes = st.integers(2, 10_000)


def glmnet_objective(X, y, w, alpha, l1_ratio):
    n = len(y)
    r = y - X @ w
    return r @ r / (2 * n) + alpha * (l1_ratio * np.abs(w).sum() + (1 - l1_ratio) / 2 * w @ w)


def article_objective(X, y, w, lam, a):
    n = len(y)
    r = y - X @ w
    return r @ r / (2 * n) + lam * ((1 - a) * np.abs(w).sum() + a * w @ w)


def zh_objective(Xu, y, b, lambda1, lambda2):
    r = y - Xu @ b
    return r @ r + lambda2 * b @ b + lambda1 * np.abs(b).sum()


def _std_problem(n, p, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.uniform(-2, 2, p)
    Xc = X - X.mean(axis=0)
    Xs = Xc / Xc.std(axis=0)              # unit variance (glmnet's standardize)
    Xu = Xc / np.linalg.norm(Xc, axis=0)  # unit norm (Zou & Hastie)
    y = rng.standard_normal(n)
    y -= y.mean()
    return Xs, Xu, y, rng


@SETTINGS
@given(lam=pos, a=unit)
def test_article_round_trip(lam, a):
    alpha, l1_ratio = params.article_to_glmnet(lam, a)
    assert alpha >= 0 and 0.0 <= l1_ratio <= 1.0
    lam2, a2 = params.glmnet_to_article(alpha, l1_ratio)
    assert np.isclose(lam2, lam, rtol=1e-12) and np.isclose(a2, a, rtol=1e-12, atol=1e-15)


@SETTINGS
@given(alpha=pos, l1_ratio=unit)
def test_glmnet_to_article_round_trip(alpha, l1_ratio):
    lam, a = params.glmnet_to_article(alpha, l1_ratio)
    assert lam >= 0 and 0.0 <= a <= 1.0
    alpha2, l1_ratio2 = params.article_to_glmnet(lam, a)
    assert np.isclose(alpha2, alpha, rtol=1e-12) and np.isclose(l1_ratio2, l1_ratio, rtol=1e-12, atol=1e-15)


def test_article_endpoints_and_a_known_value():
    # a = 0 is the lasso, a = 1 is ridge: the opposite of glmnet's mixing parameter
    assert np.allclose(params.article_to_glmnet(2.0, 0.0), (2.0, 1.0))
    alpha, l1_ratio = params.article_to_glmnet(2.0, 1.0)  # 2 |w|^2 = alpha/2 |w|^2  ->  alpha = 4
    assert np.isclose(alpha, 4.0) and l1_ratio == 0.0
    # lam=1, a=0.5: 0.5|w|_1 + 0.5|w|^2 = alpha (l1 |w|_1 + (1-l1)/2 |w|^2): alpha = 1.5, l1_ratio = 1/3
    assert np.allclose(params.article_to_glmnet(1.0, 0.5), (1.5, 1.0 / 3.0))


@SETTINGS
@given(lam=pos, a=unit, seed=st.integers(0, 2**32 - 1))
def test_article_conversion_preserves_objective(lam, a, seed):
    rng = np.random.default_rng(seed)
    X, y, w = rng.standard_normal((9, 4)), rng.standard_normal(9), rng.standard_normal(4)
    alpha, l1_ratio = params.article_to_glmnet(lam, a)
    f_art = article_objective(X, y, w, lam, a)
    assert np.isclose(glmnet_objective(X, y, w, alpha, l1_ratio), f_art, rtol=1e-11)


@SETTINGS
@given(alpha=pos, l1_ratio=unit_open, n=sizes)
def test_zou_hastie_round_trip(alpha, l1_ratio, n):
    lambda1, lambda2 = params.glmnet_to_zou_hastie(alpha, l1_ratio, n)
    assert lambda1 >= 0 and lambda2 >= 0
    alpha2, l1_ratio2 = params.zou_hastie_to_glmnet(lambda1, lambda2, n)
    assert np.isclose(alpha2, alpha, rtol=1e-12) and np.isclose(l1_ratio2, l1_ratio, rtol=1e-12)


@SETTINGS
@given(lambda1=pos, lambda2=st.floats(0.0, 1e3), n=sizes)
def test_zou_hastie_reverse_round_trip(lambda1, lambda2, n):
    alpha, l1_ratio = params.zou_hastie_to_glmnet(lambda1, lambda2, n)
    assert alpha >= 0 and 0.0 <= l1_ratio <= 1.0
    l1b, l2b = params.glmnet_to_zou_hastie(alpha, l1_ratio, n)
    # (alpha, l1_ratio) mixes both weights: each comes back to rounding of alpha = lambda1/(2 sqrt n) + lambda2
    atol = 1e-13 * alpha
    assert np.isclose(l1b, lambda1, rtol=1e-12, atol=atol) and np.isclose(l2b, lambda2, rtol=1e-12, atol=atol)


def test_zou_hastie_known_values():
    # lambda2 = alpha (1 - l1_ratio), lambda1 = 2 sqrt(n) alpha l1_ratio
    assert np.allclose(params.glmnet_to_zou_hastie(0.5, 0.4, 100), (2 * 10 * 0.5 * 0.4, 0.5 * 0.6))


@SETTINGS
@given(alpha=pos, l1_ratio=unit, n=st.integers(5, 40), seed=st.integers(0, 2**32 - 1))
def test_zou_hastie_conversion_preserves_objective(alpha, l1_ratio, n, seed):
    """On unit-variance columns X_s = sqrt(n) X_u, w <-> b = sqrt(n) w: ZH objective = 2n x glmnet's."""
    Xs, Xu, y, rng = _std_problem(n, 4, seed)
    w = rng.standard_normal(4)
    lambda1, lambda2 = params.glmnet_to_zou_hastie(alpha, l1_ratio, n)
    f_glm = glmnet_objective(Xs, y, w, alpha, l1_ratio)
    f_zh = zh_objective(Xu, y, np.sqrt(n) * w, lambda1, lambda2)
    assert np.isclose(f_zh, 2 * n * f_glm, rtol=1e-10)


@SETTINGS
@given(alpha=pos, l1_ratio=unit, n=sizes)
def test_correction_factor_is_one_plus_lambda2(alpha, l1_ratio, n):
    c = params.correction_factor(alpha, l1_ratio)
    assert np.isclose(c, 1 + alpha * (1 - l1_ratio), rtol=1e-14)
    _, lambda2 = params.glmnet_to_zou_hastie(alpha, l1_ratio, n)
    assert np.isclose(c, 1 + lambda2, rtol=1e-14)


@SETTINGS
@given(alpha=pos, l1_ratio=unit)
def test_penalty_weights_and_mixing_round_trip(alpha, l1_ratio):
    lambda1, lambda2 = params.penalty_weights(alpha, l1_ratio)
    assert np.isclose(lambda1, alpha * l1_ratio, rtol=1e-14) and np.isclose(lambda2, alpha - lambda1, atol=1e-12)
    a2, r2 = params.mixing(lambda1, lambda2)
    assert np.isclose(a2, alpha, rtol=1e-12) and np.isclose(r2, l1_ratio, atol=1e-12)
    # arrays broadcast (the solver splits a whole grid at once)
    l1s, l2s = params.penalty_weights(np.array([alpha, 2 * alpha]), l1_ratio)
    assert np.allclose(l1s, [lambda1, 2 * lambda1]) and np.allclose(l2s, [lambda2, 2 * lambda2])


def test_mixing_of_nothing_is_the_lasso_convention():
    assert params.mixing(0.0, 0.0) == (0.0, 1.0)


@SETTINGS
@given(lambda1=pos, lambda2=pos, n=sizes)
def test_zh_lambda_scaling_round_trips(lambda1, lambda2, n):
    zh = params.regbench_to_zh(lambda1, lambda2, n)
    assert np.isclose(zh[0], 2 * np.sqrt(n) * lambda1, rtol=1e-14) and zh[1] == lambda2
    assert np.allclose(params.zh_to_regbench(*zh, n), (lambda1, lambda2), rtol=1e-12)


@SETTINGS
@given(lambda2=pos)
def test_correct_and_uncorrect_are_inverse(lambda2):
    w = np.array([0.5, -2.0, 0.0])
    np.testing.assert_allclose(params.correct(w, lambda2), (1 + lambda2) * w, rtol=1e-15)
    np.testing.assert_allclose(params.uncorrect(params.correct(w, lambda2), lambda2), w, rtol=1e-13)


def test_correction_factor_lasso_is_one():
    assert params.correction_factor(3.0, 1.0) == 1.0


@pytest.mark.parametrize("call", [
    lambda: params.article_to_glmnet(1.0, 1.5),
    lambda: params.article_to_glmnet(1.0, -0.1),
    lambda: params.article_to_glmnet(-1.0, 0.5),
    lambda: params.glmnet_to_article(1.0, 1.2),
    lambda: params.glmnet_to_article(-1.0, 0.5),
    lambda: params.glmnet_to_zou_hastie(1.0, -0.2, 10),
    lambda: params.glmnet_to_zou_hastie(-1.0, 0.5, 10),
    lambda: params.zou_hastie_to_glmnet(-1.0, 0.5, 10),
    lambda: params.zou_hastie_to_glmnet(1.0, -0.5, 10),
    lambda: params.correction_factor(1.0, 2.0),
    lambda: params.correction_factor(-1.0, 0.5),
], ids=["article-a>1", "article-a<0", "article-lam<0", "glmnet-l1>1", "glmnet-alpha<0", "zh-l1<0",
        "zh-alpha<0", "zh-lambda1<0", "zh-lambda2<0", "cf-l1>1", "cf-alpha<0"])
def test_conversions_reject_out_of_range(call):
    with pytest.raises(ValueError, match=r"(?i)alpha|l1_ratio|lam|\ba\b|lambda1|lambda2"):
        call()


def test_every_public_conversion_is_tested():
    """A new parametrization in regbench.params must get a round-trip test here."""
    tested = {"article_to_glmnet", "glmnet_to_article", "glmnet_to_zou_hastie", "zou_hastie_to_glmnet",
              "correction_factor", "penalty_weights", "mixing", "regbench_to_zh", "zh_to_regbench", "correct",
              "uncorrect"}
    public = {n for n in getattr(params, "__all__", dir(params))
              if not n.startswith("_") and callable(getattr(params, n)) and getattr(
                  getattr(params, n), "__module__", "") == params.__name__}
    assert public <= tested, f"untested conversions: {sorted(public - tested)}"
    assert tested <= set(dir(params)), f"missing from regbench.params: {sorted(tested - set(dir(params)))}"

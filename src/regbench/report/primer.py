"""The article's worked story, recomputed: the computations behind ``notebooks/primer.ipynb``.

A bank's new loans (x, $k) against its weekly cash flow (y, $k); a degree-3 and a degree-10
polynomial (numpy.polyfit); the degree-10 model refitted with ridge, lasso and elastic net
through regbench's solver; L1 norms; the penalties' gradients.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from regbench.fitting import solver
from regbench.fitting._design import standardized
from regbench.fitting.cv import cross_validate


def loans_data(n: int = 12, seed: int = 0, noise: float = 0.4):
    """Seeded toy data: cash flow = a smooth, saturating function of new loans, plus noise."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.5, 5.0, n))
    y = 4.0 * (1 - np.exp(-0.6 * x)) - 0.3 * x + noise * rng.standard_normal(n)
    return x, y


def grid_for(x, n: int = 400):
    """Points to draw a fitted curve on, over the observed range of loans."""
    return np.linspace(np.min(x), np.max(x), n)


def polyfit_curves(x, y, degrees=(3, 10), grid=None) -> dict:
    """numpy.polyfit of each degree, evaluated on ``grid``: label -> values."""
    grid = grid_for(x) if grid is None else grid
    out = {}
    with warnings.catch_warnings():
        # degree 10 through 12 points is ill-conditioned: that is the point of the demo,
        # reported below through the oscillation table rather than as a warning.
        warnings.simplefilter("ignore", np.exceptions.RankWarning)
        for d in degrees:
            out[f"degree {d} (polyfit)"] = np.polyval(np.polyfit(x, y, d), grid)
    return out


def oscillation_table(x, y, grid, curves: dict) -> pd.DataFrame:
    """How far each curve swings between the observed weeks, against the data's own range."""
    rows = [dict(model="data", lowest=np.min(y), highest=np.max(y), train_rmse=np.nan)]
    for label, values in curves.items():
        fitted = np.interp(x, grid, values)
        rows.append(dict(model=label, lowest=values.min(), highest=values.max(),
                         train_rmse=float(np.sqrt(np.mean((fitted - y) ** 2)))))
    t = pd.DataFrame(rows).set_index("model")
    t["swing / data range"] = (t["highest"] - t["lowest"]) / (np.max(y) - np.min(y))
    return t.round(3)


def poly_features(x, degree: int):
    """Columns x, x^2, ..., x^degree (the intercept is fitted separately)."""
    return np.vander(np.asarray(x, float), degree + 1, increasing=True)[:, 1:]


def regularized_poly_fits(x, y, degree: int = 10, alpha: float = 0.05, enet_l1_ratio: float = 0.5,
                          grid=None):
    """The degree-``degree`` model fitted by regbench with ridge, lasso and elastic net.

    Columns are standardized (the penalty acts on unit-variance columns, coefficients come
    back on the original scale). Returns (curves, coefficient table).
    """
    grid = grid_for(x) if grid is None else grid
    X, G = poly_features(x, degree), poly_features(grid, degree)
    specs = {"ridge (L2)": (0.0, "naive"), "lasso (L1)": (1.0, "naive"),
             f"elastic net (l1_ratio={enet_l1_ratio:g})": (enet_l1_ratio, "naive"),
             "corrected elastic net": (enet_l1_ratio, "corrected")}
    curves, coefs, facts = {}, {}, []
    for label, (l1_ratio, variant) in specs.items():
        res = solver.fit(X, y, alpha, l1_ratio=l1_ratio, standardize=True, variant=variant,
                           tol=1e-8, max_iter=200_000)
        curves[f"degree {degree}, {label}"] = G @ res.coef + res.intercept
        coefs[label] = res.coef
        facts.append(dict(model=label, nonzero=int(np.sum(res.coef != 0)),
                          exact_zeros=int(np.sum(res.coef == 0)),
                          converged=bool(res.converged)))
    # on the standardized scale (coefficient x column sd) the columns are comparable
    sd = standardized(X)[2]
    table = pd.DataFrame({k: v * sd for k, v in coefs.items()},
                         index=[f"x^{k}" for k in range(1, degree + 1)])
    return curves, table, pd.DataFrame(facts).set_index("model")


def l1_norms(vectors) -> pd.DataFrame:
    """|w_i| per dimension and their sum, the L1 (taxicab) norm."""
    rows = []
    for w in vectors:
        w = np.asarray(w, float)
        row = {"w": "[" + ", ".join(f"{v:g}" for v in w) + "]"}
        row.update({f"|w{i + 1}|": abs(v) for i, v in enumerate(w)})
        row["||w||_1"] = float(np.linalg.norm(w, 1))
        rows.append(row)
    return pd.DataFrame(rows).set_index("w")


def penalty_gradients(w=None):
    """Gradient of |w| (sign, undefined at 0) and of w^2 (2w) on a grid of weights."""
    w = np.linspace(-2, 2, 401) if w is None else w
    g1 = np.sign(w).astype(float)
    g1[w == 0] = np.nan
    return w, {"L1: d|w|/dw = sign(w)": g1, "L2: d(w^2)/dw = 2w": 2 * w}


def penalty_descent(w0: float = 1.0, step: float = 0.125, n_steps: int = 16):
    """A weight moved by the penalty's gradient alone (the thought experiment of the article).

    L1 moves by a constant ``step`` each time and stops at exactly 0 (the proximal step
    clips at zero instead of overshooting); L2 moves by ``step * 2w``, shrinking the weight
    by the factor (1 - 2 step) each time: it halves and halves again, never reaching 0.
    """
    l1, l2 = [w0], [w0]
    for _ in range(n_steps):
        l1.append(np.sign(l1[-1]) * max(abs(l1[-1]) - step, 0.0))
        l2.append(l2[-1] - step * 2 * l2[-1])
    l1, l2 = np.array(l1), np.array(l2)
    steps = {"L1 (constant steps)": l1, "L2 (steps of size 2w)": l2}
    first_zero = {k: (int(np.flatnonzero(v == 0)[0]) if np.any(v == 0) else None)
                  for k, v in steps.items()}
    table = pd.DataFrame({
        "weight after all steps": {k: v[-1] for k, v in steps.items()},
        "exactly zero": {k: bool(v[-1] == 0) for k, v in steps.items()},
        f"first of {n_steps} steps at exactly zero": {k: ("never" if z is None else z)
                                       for k, z in first_zero.items()},
    })
    return steps, table


def data_table(x, y) -> pd.DataFrame:
    """The observed weeks, one column each."""
    t = pd.DataFrame({"new loans ($k)": x, "cash flow ($k)": y}).round(2).T
    t.columns = [f"week {i + 1}" for i in range(len(x))]
    return t


def format_coefficients(table: pd.DataFrame):
    """Coefficients in 3 significant digits, so a tiny ridge value does not print as 0."""
    return table.style.format("{:.3g}")


def held_out_table(x, y, degrees=(3, 10), seed: int = 0, n_new: int = 200) -> pd.DataFrame:
    """Training error against held-out error: each polynomial fitted on the observed weeks, then scored on
    ``n_new`` fresh weeks drawn from the same process (seed ``seed + 1``). Degree 10 fits the observed weeks
    better and predicts new ones far worse: the article's point, measured."""
    x_new, y_new = loans_data(n_new, seed + 1)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.RankWarning)
        for d in degrees:
            c = np.polyfit(x, y, d)
            rows.append({"model": f"degree {d} (polyfit)",
                         "training RMSE": float(np.sqrt(np.mean((np.polyval(c, x) - y) ** 2))),
                         "held-out RMSE": float(np.sqrt(np.mean((np.polyval(c, x_new) - y_new) ** 2)))})
    return pd.DataFrame(rows).set_index("model").round(3)


def cv_strengths(x, y, degree: int = 10, enet_l1_ratio: float = 0.5, folds: int = 4, seed: int = 0) -> dict:
    """Each penalty's strength alpha chosen by K-fold CV on the degree-``degree`` model (standardized columns):
    label -> alpha. The penalized fits are then drawn at these strengths, each stated in its label."""
    X = poly_features(x, degree)
    out = {}
    for label, r in (("ridge (L2)", 0.0), ("lasso (L1)", 1.0), (f"elastic net (l1_ratio={enet_l1_ratio:g})",
                                                               enet_l1_ratio)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cross_validate(X, y, l1_ratios=[r], cv=folds, random_state=seed, standardize=True,
                                 n_lambdas=40, eps=1e-4, tol=1e-8, max_iter=200_000)
        out[label] = float(res.lambda_min)
    return out


def fits_at_strengths(x, y, strengths: dict, degree: int = 10, grid=None):
    """The degree-``degree`` model fitted at each label's strength (see :func:`cv_strengths`); returns
    (curves labelled with their alpha, facts table)."""
    grid = grid_for(x) if grid is None else grid
    X, G = poly_features(x, degree), poly_features(grid, degree)
    curves, facts = {}, []
    for label, alpha in strengths.items():
        r = 0.0 if label.startswith("ridge") else 1.0 if label.startswith("lasso") else float(
            label.split("=")[1].rstrip(")"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = solver.fit(X, y, alpha, l1_ratio=r, standardize=True, tol=1e-8, max_iter=200_000)
        curves[f"{label}, alpha={alpha:.3g}"] = G @ res.coef + res.intercept
        facts.append({"model": label, "alpha (chosen by CV)": round(alpha, 4),
                      "nonzero coefficients": int(np.sum(res.coef != 0)), "exact zeros": int(np.sum(res.coef == 0))})
    return curves, pd.DataFrame(facts).set_index("model")


def lasso_path(x, y, degree: int = 10):
    """The lasso's path on the degree-``degree`` model: (alphas, standardized coefficients (p, n_alphas))."""
    X = poly_features(x, degree)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = solver.path(X, y, l1_ratio=1.0, standardize=True, n_lambdas=60, eps=1e-4, tol=1e-8, max_iter=200_000)
    return np.asarray(res.lambdas), np.asarray(res.coefs) * standardized(X)[2][:, None]


def constrained_solutions(center=(1.5, 0.3), scale=(1.0, 1.5), radius: float = 1.0, n: int = 4001) -> dict:
    """A least-squares loss (w - c)' diag(scale) (w - c) and its minimizer on the L1 and L2 balls of ``radius``
    (searched on each ball's boundary, where the minimum lies when c is outside): name -> (w, loss at w).
    With these values the L1 solution sits on a corner (w2 = 0), the L2 solution does not."""
    c, a = np.asarray(center, float), np.asarray(scale, float)
    t = np.linspace(0, 2 * np.pi, n)
    l2 = radius * np.c_[np.cos(t), np.sin(t)]
    u = np.linspace(-1, 1, n)
    l1 = np.r_[np.c_[u, 1 - np.abs(u)], np.c_[u, -(1 - np.abs(u))]] * radius
    out = {}
    for name, pts in (("L1 (lasso)", l1), ("L2 (ridge)", l2)):
        loss = ((pts - c) ** 2 * a).sum(axis=1)
        i = int(np.argmin(loss))
        out[name] = (pts[i], float(loss[i]))
    return out


def descent_factor(step: float = 0.125) -> float:
    """The factor an L2 gradient step of size ``step`` multiplies a weight by: w - step * 2w = (1 - 2 step) w."""
    return 1 - 2 * step


#: the primer's figures and their alt text (what a reader who cannot see the figure should know)
FIGURES = {
    "polyfit": "The loans data with the degree-3 and degree-10 least-squares polynomials; degree 10 oscillates.",
    "penalized": "The degree-10 least-squares curve against the ridge, lasso and elastic-net fits at their "
                 "CV-chosen strengths.",
    "lasso-path": "The lasso coefficients of the degree-10 model against log alpha, the CV choice dashed.",
    "l1-norm": "Taxicab walks for the vectors [2, 4] and [-1, -2.5].",
    "gradients": "Left: the gradients sign(w) and 2w; right: a weight driven by each penalty alone.",
    "contours": "Elliptical loss contours touching the L1 ball at a corner (w2 = 0) and the L2 ball off the axes.",
    "unit-balls": "The unit balls of the L1, elastic-net and L2 penalties.",
}


def descent_text(step: float) -> str:
    """The text of the penalty-only descent, with the numbers of :func:`penalty_descent` at this ``step``."""
    f = descent_factor(step)
    return (f"Driven by the penalty alone with step {step:g}, an L1 weight moves by constant steps of {step:g} and "
            f"lands exactly on zero; an L2 weight is multiplied by 1 − 2·{step:g} = {f:g} at each step (1, {f:g}, "
            f"{f ** 2:g}, …) and never gets there.")

#: the primer's opening paragraph
LEAD = ("The article's story, with real computation: a bank's loans and cash flow, an over-flexible polynomial, and "
        "how the three regularizers tame it. regbench's solver minimizes 1/(2n)‖y − b0 − Xw‖² + "
        "alpha·(l1_ratio·‖w‖₁ + (1 − l1_ratio)/2·‖w‖₂²); the colours are those of every other page.")

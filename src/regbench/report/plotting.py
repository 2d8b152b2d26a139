"""Figure functions for the report notebooks.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (so no global
state, no duplicate display in notebooks). Methods keep one colour everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from regbench.evaluate.methods import METHOD_NAMES, METHODS, label_of, ordered
from regbench.report.health import panel_title

#: one colour per method on every figure (the registry's)
COLORS = {name: m.color for name, m in METHODS.items()}
PANEL = (4.2, 3.2)
#: colours of the primer's unpenalized polynomial fits (no method of the registry: two greys apart from OLS's)
_POLY = {"degree 3": "#8c564b", "degree 10": "#7f7f7f"}


def color_of(label: str) -> str:
    """The registry colour of the method a label names (a method name, its label, "lasso"/"L1", "ridge"/"L2",
    "elastic net", "corrected elastic net"), so the primer's figures use the comparison page's palette."""
    if label in COLORS:
        return COLORS[label]
    low = label.lower()
    for key, method in (("corrected", "enet_corrected"), ("elastic net", "enet_naive"), ("lasso", "lasso"),
                        ("ridge", "ridge"), ("l1", "lasso"), ("l2", "ridge")):
        if key in low:
            return COLORS[method]
    for key, c in _POLY.items():
        if low.startswith(key + " ") or low == key or low.startswith(key + ","):
            return c
    return "#333333"


def _tick_labels(methods):
    return [label_of(m).replace(" elastic net", "\nelastic net").replace(" (", "\n(") for m in methods]


def _grid(n, ncols=3, panel=PANEL, sharey=False):
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(panel[0] * ncols, panel[1] * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharey=sharey, squeeze=False)).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _methods(df):
    present = set(df["method"])
    return ordered(present)


def _legend(fig, methods, **kw):
    handles = [Line2D([], [], color=COLORS[m], marker="o", ls="", label=label_of(m))
               for m in methods]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(methods), frameon=False,
               **kw)


def _lines(ax, x, rows, **style) -> None:
    """One line per row of ``rows`` against ``x``, as a single LineCollection: a path of p = 1000 coefficients is
    1000 lines, and 1000 Line2D artists cost seconds to draw where one collection costs milliseconds."""
    rows = np.asarray(rows, float)
    if rows.size == 0:
        return
    segments = np.stack([np.broadcast_to(np.asarray(x, float), rows.shape), rows], axis=-1)
    ax.add_collection(LineCollection(segments, **style))
    ax.autoscale_view()


def _positive_log(ax, values):
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size and v.min() > 0 and v.max() / v.min() > 30:
        ax.set_yscale("log")


def error_by_method(metrics: pd.DataFrame, metric: str = "pred_error", scenarios=None,
                    ncols: int = 2) -> Figure:
    """Box plot plus the replicates as points: one panel per scenario (two per row, so labels stay readable when
    the page narrows to 700 px), one box per method."""
    scenarios = list(scenarios) if scenarios is not None else list(dict.fromkeys(metrics["scenario"]))
    fig, axes = _grid(len(scenarios), ncols)
    methods = _methods(metrics)
    rng = np.random.default_rng(0)
    for ax, scen in zip(axes, scenarios):
        d = metrics[metrics["scenario"] == scen]
        data = [d.loc[d["method"] == m, metric].dropna().to_numpy() for m in methods]
        pos = np.arange(len(methods))
        bp = ax.boxplot(data, positions=pos, widths=0.6, showfliers=False, patch_artist=True,
                        medianprops=dict(color="k"))
        for patch, m in zip(bp["boxes"], methods):
            patch.set(facecolor=COLORS[m], alpha=0.25, edgecolor=COLORS[m])
        for i, (vals, m) in enumerate(zip(data, methods)):
            ax.plot(i + rng.uniform(-0.15, 0.15, vals.size), vals, "o", ms=3, color=COLORS[m])
        ax.set_xticks(pos, _tick_labels(methods), fontsize=8)
        ax.set_title(scen, fontsize=10)
        ax.set_ylabel(metric.replace("_", " "))
        _positive_log(ax, d[metric])
    return fig


def sparsity_vs_error(metrics: pd.DataFrame, true_sizes: dict | None = None,
                      metric: str = "pred_error", ncols: int = 2) -> Figure:
    """Number of nonzero coefficients against error, per method; the true number dashed."""
    names = list(dict.fromkeys(metrics["scenario"]))
    fig, axes = _grid(len(names), ncols)
    methods = _methods(metrics)
    k = true_sizes or {}
    for ax, scen in zip(axes, names):
        d = metrics[metrics["scenario"] == scen]
        for m in methods:
            dm = d[d["method"] == m]
            ax.plot(dm["nnz"], dm[metric], "o", ms=4, alpha=0.7, color=COLORS[m])
        if scen in k and np.isfinite(k[scen]):
            ax.axvline(k[scen], ls="--", color="k", lw=0.8)
        ax.set_title(scen, fontsize=10)
        ax.set_xlabel("nonzero coefficients")
        ax.set_ylabel(metric.replace("_", " "))
        _positive_log(ax, d[metric])
    _legend(fig, methods)
    return fig


def support_recovery(summary: pd.DataFrame, ncols: int = 2) -> Figure:
    """Precision, recall and F1 of the selected support: median bars, bootstrap SE whiskers."""
    names = list(dict.fromkeys(summary["scenario"]))
    fig, axes = _grid(len(names), ncols)
    methods = [m for m in _methods(summary) if m != "ols"]
    scores = ("precision", "recall", "f1")
    width = 0.8 / max(len(methods), 1)
    for ax, scen in zip(axes, names):
        d = summary[summary["scenario"] == scen].set_index("method")
        for j, m in enumerate(methods):
            if m not in d.index:
                continue
            med = [d.loc[m, f"{s}_median"] for s in scores]
            se = [d.loc[m, f"{s}_se"] for s in scores]
            med, se = np.asarray(med, float), np.nan_to_num(np.asarray(se, float))
            # whiskers clipped to [0, 1]: precision, recall and F1 cannot leave it
            yerr = np.vstack([np.minimum(se, med), np.minimum(se, 1 - med)])
            ax.bar(np.arange(3) + (j - (len(methods) - 1) / 2) * width, med, width, yerr=yerr,
                   color=COLORS[m], capsize=2)
        ax.set_xticks(np.arange(3), scores)
        ax.set_ylim(0, 1.05)
        ax.set_title(scen, fontsize=10)
    _legend(fig, methods)
    return fig


def _top_nnz_axis(ax, x, nnz):
    top = ax.secondary_xaxis("top")
    idx = np.unique(np.linspace(0, len(x) - 1, min(6, len(x))).astype(int))
    top.set_xticks(x[idx], [str(int(v)) for v in nnz[idx]], fontsize=7)
    top.set_xlabel("nonzero", fontsize=8)


def _mark_choices(ax, fit):
    for key, style, label in (("lambda_min", "--", "min"), ("lambda_1se", ":", "1-SE")):
        lam = float(fit.get(key, np.nan))
        if np.isfinite(lam) and lam > 0:
            ax.axvline(np.log(lam), ls=style, color="k", lw=1, label=f"lambda {label}")


def _label_top(ax, x_end, coefs_end, names, k=5):
    """Name the ``k`` largest coefficients at the right end of a path."""
    if names is None:
        names = [f"x{j + 1}" for j in range(len(coefs_end))]
    top = [j for j in np.argsort(-np.abs(coefs_end))[:k] if coefs_end[j] != 0]
    for j in top:
        ax.annotate(names[j], (x_end, coefs_end[j]), xytext=(3, 0), textcoords="offset points", fontsize=7,
                    va="center", ha="left", clip_on=False)


def coefficient_path(fit: dict, ax, title: str = "", names=None, color="C0") -> None:
    """glmnet's plot: each coefficient against log(lambda); true nonzeros (all, for real data) in ``color``, the
    largest coefficients at the chosen lambda named."""
    lam, coefs = np.asarray(fit["lambdas"]), np.asarray(fit["coefs"])
    x = np.log(lam)
    raw = np.asarray(fit["coef_true"], float)
    truth = np.ones_like(raw) if not np.isfinite(raw).all() else np.nan_to_num(raw)
    on = truth != 0
    _lines(ax, x, coefs[~on], lw=0.7, color="0.6", alpha=0.7)  # noise first, signal on top
    _lines(ax, x, coefs[on], lw=1.2, color=color)
    if coefs.shape[1]:
        _label_top(ax, x[-1], coefs[:, -1], names)
    ax.axhline(0, color="k", lw=0.5)
    _mark_choices(ax, fit)
    _top_nnz_axis(ax, x, (coefs != 0).sum(axis=0))
    ax.set_xlabel("log(lambda)")
    ax.set_ylabel("coefficients")
    ax.set_title(title, fontsize=10)


def cv_curve(fit: dict, ax, title: str = "", color="C3") -> None:
    """glmnet's plot.cv: mean CV error with +-1 SE bars, lambda_min and lambda_1se marked."""
    lam = np.asarray(fit["cv_lambdas"])
    x = np.log(lam)
    ax.errorbar(x, fit["cv_mean"], yerr=fit["cv_se"], fmt="o", ms=3, color=color,
                ecolor="0.6", elinewidth=0.8)
    _mark_choices(ax, fit)
    if len(fit["coefs"]) and np.shape(fit["coefs"])[1] == lam.size:
        _top_nnz_axis(ax, x, (np.asarray(fit["coefs"]) != 0).sum(axis=0))
    ax.set_xlabel("log(lambda)")
    ax.set_ylabel("CV mean squared error")
    ax.set_title(title, fontsize=10)


def cv_note(fits: dict) -> str:
    """A sentence on CV curves that rise far above the null model's error at small lambda (fits that interpolate
    the training folds), so a reader does not take the scale for a bug."""
    notes = []
    for m, f in fits.items():
        cv = np.asarray(f.get("cv_mean", []), float)
        if cv.size > 1 and np.isfinite(cv).all() and cv.max() > 3 * cv[0]:
            notes.append(f"{label_of(m)}'s CV error reaches {cv.max() / cv[0]:.1f} times the null model's (its "
                         "value at the largest lambda) at the small-lambda end")
    if not notes:
        return ""
    return ("Note: " + "; ".join(notes) + ". With p >> n, weakly penalized fits interpolate the training folds and "
            "predict the held-out fold badly; the chosen lambda sits well before that end.")


def paths_and_curves(fits: dict, names=None) -> Figure:
    """One row per penalized method: coefficient path (left) and CV curve (right), titled with the chosen
    hyperparameters (and "grid edge" when the choice sits on one)."""
    methods = [m for m in METHOD_NAMES if m in fits and m != "ols"
               and np.size(fits[m]["lambdas"]) > 1 and np.size(fits[m]["cv_lambdas"]) > 0]
    fig = Figure(figsize=(10, 3.2 * max(len(methods), 1)), layout="constrained")
    axes = fig.subplots(max(len(methods), 1), 2, squeeze=False)
    for row, m in zip(axes, methods):
        title = panel_title(fits[m], m)
        coefficient_path(fits[m], row[0], f"{title}: path", names, COLORS[m])
        cv_curve(fits[m], row[1], f"{title}: CV curve", COLORS[m])
        for ax in row:
            ax.title.set_fontsize(8.5)
    if methods:
        axes[0, 1].legend(fontsize=8)
    return fig


def paths_common_x(fits: dict, names=None) -> Figure:
    """Every penalized method's path against the fraction of the L1 norm (Zou & Hastie's s), side by side on one
    x axis from 0 to 1; the chosen fit marked."""
    methods = [m for m in METHOD_NAMES if m in fits and METHODS[m].penalized and np.size(fits[m]["lambdas"]) > 1
               and METHODS[m].l1_ratio != 0.0]
    fig, axes = _grid(max(len(methods), 1), min(max(len(methods), 1), 3), panel=(4.2, 3.2))
    for ax, m in zip(axes, methods):
        coefs = np.asarray(fits[m]["coefs"], float)
        l1 = np.abs(coefs).sum(axis=0)
        s = l1 / l1.max() if l1.max() > 0 else l1
        _lines(ax, s, coefs, lw=0.8, color=COLORS[m], alpha=0.8)
        k = int(fits[m].get("chosen_index", -1))
        if 0 <= k < coefs.shape[1]:
            ax.axvline(s[k], ls="--", color="k", lw=0.8)
        _label_top(ax, s[-1], coefs[:, -1], names)
        ax.axhline(0, color="k", lw=0.5)
        ax.set(xlabel="fraction of the L1 norm s", ylabel="coefficients", xlim=(0, 1.05))
        ax.set_title(label_of(m), fontsize=10)
    return fig


def runtime_by_method(metrics: pd.DataFrame) -> Figure:
    """Fit, tuning and whole-path time per method (all scenarios and replicates pooled)."""
    kinds = ("fit_time", "tune_time", "path_time")
    fig, axes = _grid(3, 3)
    methods = _methods(metrics)
    for ax, kind in zip(axes, kinds):
        data = [metrics.loc[metrics["method"] == m, kind].dropna().to_numpy() for m in methods]
        # a zero time means "nothing to do" (OLS has no tuning): left out of the log-scale box
        data = [d[d > 0] for d in data]
        bp = ax.boxplot(data, positions=np.arange(len(methods)), widths=0.6, showfliers=True,
                        patch_artist=True, medianprops=dict(color="k"))
        for patch, m in zip(bp["boxes"], methods):
            patch.set(facecolor=COLORS[m], alpha=0.35)
        ax.set_xticks(np.arange(len(methods)), _tick_labels(methods), fontsize=8)
        ax.set_ylabel("seconds")
        ax.set_title(kind.replace("_", " "), fontsize=10)
        if any(d.size for d in data):
            ax.set_yscale("log")
    return fig


def second_parameter(fits_by_method: dict) -> Figure:
    """Elastic net's second parameter: best CV error for each grid value, one line a replicate, one panel per
    elastic net; the chosen value circled; a lambda2 grid on a symmetric-log axis (so 0 and 1000 both show)."""
    fits_by_method = {m: f for m, f in fits_by_method.items() if f}
    fig, axes = _grid(max(len(fits_by_method), 1), 2, panel=(4.6, 3.4))
    for ax, (m, fits) in zip(axes, fits_by_method.items()):
        kind = "l1_ratio"
        for f in fits:
            if "grid_values" not in f:
                continue
            kind = str(f.get("grid_kind", "l1_ratio"))
            v, b = np.asarray(f["grid_values"], float), np.asarray(f["grid_best_mse"], float)
            ax.plot(v, b, "o-", color=COLORS[m], alpha=0.5, ms=3)
            a = int(np.argmin(b))
            ax.plot(v[a], b[a], "o", ms=8, mfc="none", mec="k")
        if kind == "lambda2":
            pos = [f for f in fits if "grid_values" in f and np.any(np.asarray(f["grid_values"]) > 0)]
            small = min((np.min(np.asarray(f["grid_values"])[np.asarray(f["grid_values"]) > 0]) for f in pos),
                        default=1.0)
            ax.set_xscale("symlog", linthresh=small)
        ax.set_xlabel(kind)
        ax.set_ylabel("best CV mean squared error")
        ax.set_title(label_of(m), fontsize=10)
    return fig


def grouping_effect(fits: dict, methods=("lasso", "ridge", "enet_naive", "enet_corrected")) -> Figure:
    """Chosen coefficients of the grouped features: lasso keeps a few, elastic net the group."""
    fig = Figure(figsize=(10, 3.2), layout="constrained")
    ax = fig.subplots()
    some = next(iter(fits.values()), None)
    groups = np.asarray(some["groups"]) if some is not None else np.array([], int)
    idx = np.flatnonzero(groups >= 0)
    methods = [m for m in methods if m in fits]
    if idx.size == 0 or not methods:
        ax.text(0.5, 0.5, "no correlated groups of features in this scenario", ha="center",
                va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    width = 0.8 / max(len(methods), 1)
    for j, m in enumerate(methods):
        ax.bar(np.arange(idx.size) + (j - (len(methods) - 1) / 2) * width,
               np.asarray(fits[m]["coef"])[idx], width, color=COLORS[m], label=label_of(m))
    truth = np.nan_to_num(np.asarray(some["coef_true"])[idx])
    ax.plot(np.arange(idx.size), truth, "k_", ms=min(12, 400 / idx.size), mew=2,
            label="true coefficient")
    bounds = np.flatnonzero(np.diff(groups[idx]) != 0)
    for b in bounds:
        ax.axvline(b + 0.5, color="0.5", lw=0.8)
    if idx.size <= 24:
        ax.set_xticks(np.arange(idx.size), [f"x{i}\ng{groups[i]}" for i in idx], fontsize=7)
    else:  # many features: one label per group, at its centre
        starts = np.r_[0, bounds + 1]
        ends = np.r_[bounds + 1, idx.size]
        ax.set_xticks((starts + ends - 1) / 2, [f"group {groups[idx[a]]}" for a in starts],
                      fontsize=7)
    ax.set_ylabel("chosen coefficient")
    ax.legend(fontsize=8, ncols=4)
    return fig


# ------------------------------------------------------------------------ primer figures
def polyfit_figure(x, y, grid, curves: dict, title: str = "") -> Figure:
    """The loans data with fitted polynomials (label -> values on ``grid``)."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(x, y, "ko", label="weeks observed")
    for label, values in curves.items():
        ax.plot(grid, values, color=color_of(label), label=label)
    lo, hi = np.min(y), np.max(y)
    ax.set_ylim(lo - 1.0 * (hi - lo), hi + 1.0 * (hi - lo))
    ax.set_xlabel("new loans ($k)")
    ax.set_ylabel("weekly cash flow ($k)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return fig


def l1_norm_figure(vectors) -> Figure:
    """Taxicab walks: |w1| along x, then |w2| along y; the L1 norm is the distance walked."""
    fig, axes = _grid(len(vectors), len(vectors), panel=(3.6, 3.6))
    for ax, w in zip(axes, vectors):
        w = np.asarray(w, float)
        ax.annotate("", xy=w, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="0.5"))
        c = COLORS["lasso"]
        ax.plot([0, w[0], w[0]], [0, 0, w[1]], "-", color=c, lw=2)
        ax.text(w[0] / 2, 0, f"|{w[0]:g}|", va="bottom", ha="center", color=c)
        ax.text(w[0], w[1] / 2, f" |{w[1]:g}|", va="center", ha="left", color=c)
        lim = np.abs(w).max() + 1
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal",
               title="w = [" + ", ".join(f"{v:g}" for v in w) + f"]\n||w||_1 = {np.abs(w).sum():g}")
        ax.axhline(0, color="k", lw=0.5)
        ax.axvline(0, color="k", lw=0.5)
    return fig


def penalty_gradients(w, grads: dict, steps: dict) -> Figure:
    """Left: penalty gradients (sign(w) vs 2w). Right: a weight driven by the penalty alone."""
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    a, b = fig.subplots(1, 2)
    for label, g in grads.items():
        a.plot(w, g, color=color_of(label), label=label)
    a.axhline(0, color="k", lw=0.5)
    a.set(xlabel="weight w", ylabel="gradient of the penalty", title="penalty gradients")
    a.legend(fontsize=8)
    for label, path in steps.items():
        b.plot(np.arange(len(path)), path, "o-", ms=3, color=color_of(label), label=label)
    b.axhline(0, color="k", lw=0.5)
    b.set(xlabel="step", ylabel="weight", title="the penalty alone, step after step")
    b.legend(fontsize=8)
    return fig


def lasso_path_figure(alphas, coefs, chosen: float | None = None) -> Figure:
    """The lasso's coefficients (standardized) against log(alpha): they leave zero one by one as alpha falls."""
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.subplots()
    x = np.log10(alphas)
    for j in range(coefs.shape[0]):
        ax.plot(x, coefs[j], color=COLORS["lasso"], alpha=0.4 + 0.6 * (j % 2), lw=1)
        ax.annotate(f"x^{j + 1}", (x[-1], coefs[j, -1]), xytext=(3, 0), textcoords="offset points", fontsize=7,
                    va="center")
    if chosen:
        ax.axvline(np.log10(chosen), ls="--", color="k", lw=0.8, label=f"alpha chosen by CV = {chosen:.3g}")
        ax.legend(fontsize=8)
    ax.axhline(0, color="k", lw=0.5)
    ax.invert_xaxis()
    ax.set(xlabel="log10(alpha): strong penalty (left) to weak (right)", ylabel="standardized coefficient",
           title="lasso path of the degree-10 model")
    return fig


def contours_and_balls(solutions: dict, center=(1.5, 0.3), scale=(1.0, 1.5)) -> Figure:
    """Loss contours of a least-squares problem and the L1 and L2 balls: each ball's solution is where a contour
    first touches it (a corner of the L1 ball, so one weight is exactly 0)."""
    fig = Figure(figsize=(5.2, 5.2), layout="constrained")
    ax = fig.subplots()
    t = np.linspace(-1.6, 2.2, 500)
    w1, w2 = np.meshgrid(t, t)
    loss = scale[0] * (w1 - center[0]) ** 2 + scale[1] * (w2 - center[1]) ** 2
    ax.contour(w1, w2, loss, levels=8, colors="0.7", linewidths=0.6)
    u = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(u), np.sin(u), color=COLORS["ridge"], label="L2 ball")
    ax.plot([1, 0, -1, 0, 1], [0, 1, 0, -1, 0], color=COLORS["lasso"], label="L1 ball")
    for name, (w, level) in solutions.items():
        c = color_of(name)
        ax.contour(w1, w2, loss, levels=[level], colors=[c], linewidths=1.4, linestyles="--")
        ax.plot(*w, "o", color=c, ms=7, label=f"{name} solution ({w[0]:.2f}, {w[1]:.2f})")
    ax.plot(*center, "k+", ms=10, label="least squares")
    ax.axhline(0, color="k", lw=0.5)
    ax.axvline(0, color="k", lw=0.5)
    ax.set(aspect="equal", xlabel="w1", ylabel="w2", title="loss contours touching the balls")
    ax.legend(fontsize=7, loc="lower left")
    return fig


def unit_balls(l1_ratios=(1.0, 0.5, 0.0)) -> Figure:
    """The sets {w : penalty(w) <= 1} for the lasso, elastic net and ridge penalties."""
    fig = Figure(figsize=(4.6, 4.6), layout="constrained")
    ax = fig.subplots()
    t = np.linspace(-1.5, 1.5, 601)
    w1, w2 = np.meshgrid(t, t)
    for r in l1_ratios:
        c = COLORS["lasso"] if r == 1.0 else COLORS["ridge"] if r == 0.0 else COLORS["enet_naive"]
        pen = r * (np.abs(w1) + np.abs(w2)) + (1 - r) / 2 * (w1 ** 2 + w2 ** 2) * 2
        ax.contour(w1, w2, pen, levels=[1.0], colors=[c])
        name = {1.0: "L1 (lasso)", 0.0: "L2 (ridge)"}.get(r, f"elastic net, l1_ratio={r:g}")
        ax.plot([], [], color=c, label=name)
    ax.axhline(0, color="k", lw=0.5)
    ax.axvline(0, color="k", lw=0.5)
    ax.set(aspect="equal", xlabel="w1", ylabel="w2", title="unit balls: penalty(w) = 1")
    ax.legend(fontsize=8, loc="lower left")
    return fig

"""The Markdown report of ``regbench compare``: the methods tuned by CV on the user's data, side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regbench.data.io import load_dataset, load_npz
from regbench.evaluate.methods import category_of

__all__ = ["advice_note", "method_table", "render"]


def method_table(results_dir, scenario: str, feature_names=None) -> pd.DataFrame:
    """Per method: test MSE with its standard error (over test rows for one replicate; over replicates, the
    bootstrap SE of the median, for several), nonzeros, the selected variables (replicate 0) and the chosen
    hyperparameters."""
    results_dir = Path(results_dir)
    metrics = pd.read_csv(results_dir / "metrics.csv")
    metrics = metrics[metrics["scenario"] == scenario]
    summary = pd.read_csv(results_dir / "summary.csv")
    summary = summary[summary["scenario"] == scenario].set_index("method")
    reps = sorted(metrics["replicate"].unique())
    rows = []
    for method in metrics["method"].unique():
        m = metrics[metrics["method"] == method]
        first = m[m["replicate"] == reps[0]].iloc[0]
        fit = load_npz(results_dir / "fits" / scenario / str(reps[0]) / f"{method}.npz", keys=("coef", "intercept"))
        coef = np.asarray(fit["coef"], dtype=float)
        if len(reps) == 1:
            ds = load_dataset(results_dir / "data" / scenario / f"{reps[0]}.npz")
            err = (ds.y_test - (np.asarray(ds.X_test @ coef).ravel() + float(fit["intercept"]))) ** 2
            mse, se = float(err.mean()), float(err.std(ddof=1) / np.sqrt(err.size))
        else:
            mse, se = float(summary.loc[method, "test_mse_median"]), float(summary.loc[method, "test_mse_se"])
        sel = np.flatnonzero(coef)
        names = [feature_names[j] if feature_names is not None else str(j + 1) for j in sel]
        rows.append({"method": method, "test_mse": mse, "se": se, "nnz": int(sel.size),
                     "selected": ", ".join(names) if sel.size < coef.size else "all",
                     "alpha": first["alpha"], "l1_ratio": first["l1_ratio"], "lambda2": first["lambda2"],
                     "tune_time_s": float(m["tune_time"].median())})
    return pd.DataFrame(rows)


def render(table: pd.DataFrame, *, title: str, notes=(), advice_text: str | None = None) -> str:
    """The Markdown report: the method table, then the advice."""
    lines = [f"# {title}", ""] + [f"{n}  " for n in notes] + [""]
    lines.append("| method | test MSE (SE) | nonzeros | selected variables | alpha | l1_ratio | lambda2 | tuning s |")
    lines.append("|---|---|---|---|---|---|---|---|")
    best = table["test_mse"].idxmin() if len(table) else None
    for i, r in table.iterrows():
        star = " **(best)**" if i == best else ""
        lines.append(f"| {r['method']}{star} | {r['test_mse']:.4g} ({r['se']:.3g}) | {r['nnz']} | {r['selected']} | "
                     f"{r['alpha']:.4g} | {r['l1_ratio']:.3g} | {r['lambda2']:.4g} | {r['tune_time_s']:.3f} |")
    if advice_text:
        lines += ["", "## The article's three questions for these data", "", "```", advice_text, "```"]
    return "\n".join(lines) + "\n"



def advice_note(methods: pd.DataFrame, advised: str) -> str:
    """One sentence: the advised category against the lowest test MSE of :func:`method_table`, and whether the
    advice held (the advised category's best within one standard error of the lowest)."""
    best = methods.loc[methods["test_mse"].idxmin()]
    mine = methods[methods["method"].map(category_of) == advised]
    held = bool(mine["test_mse"].min() <= best["test_mse"] + best["se"]) if len(mine) else None
    verdict = {True: "held", False: "did not hold", None: "cannot be judged (no method of that category ran)"}
    return (f"Advised: **{advised}**; lowest test MSE: **{best['method']}** ({category_of(best['method'])}); the "
            f"advice {verdict[held]} (advised category within one standard error of the lowest test MSE).")

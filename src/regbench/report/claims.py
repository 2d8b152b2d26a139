"""The article's claims, each checked on a study's numbers: evidence and a verdict."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import label_of, ordered
from regbench.report.study import Study
from regbench.report.tables import fit_table, tuning_cost

__all__ = ["FAILS", "HOLDS", "UNTESTED", "check_claims", "style_claims"]

HOLDS, FAILS, UNTESTED = "holds", "does not hold", "not tested"


def check_claims(study: Study, fits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article's claims, each with the evidence from this study and a verdict."""
    fits = fit_table(study) if fits is None else fits
    rows = [_claim_n_cap(study, fits), _claim_zeros(study), *_claim_shrinkage(study, fits),
            _claim_tuning(study), _claim_grouping(study, fits)]
    return pd.DataFrame(rows, columns=["claim", "evidence", "verdict"])


def _claim_n_cap(study, fits):
    claim = "When p >> n, the lasso selects at most n variables."
    sc = study.scenarios.set_index("name")
    wide = [s for s in study.scenario_names if sc.loc[s, "p"] > sc.loc[s, "n_train"]]
    lasso = fits[(fits["method"] == "lasso") & fits["scenario"].isin(wide)]
    if not wide or lasso.empty:
        return claim, "no scenario with p > n_train in this study", UNTESTED
    parts, ok = [], True
    for s in wide:
        n = int(sc.loc[s, "n_train"])
        worst = int(lasso.loc[lasso["scenario"] == s, "path_max_nnz"].max())
        enet = fits[(fits["scenario"] == s) & fits["method"].str.startswith("enet")]
        ok &= worst <= n
        e = f"; elastic net up to {int(enet['path_max_nnz'].max())}" if len(enet) else ""
        parts.append(f"{s} (n={n}, p={int(sc.loc[s, 'p'])}): at most {worst} nonzero "
                     f"along every lasso path{e}")
    return claim, "; ".join(parts), HOLDS if ok else FAILS


def _claim_zeros(study):
    claim = "L1 sets coefficients exactly to zero; L2 only shrinks them."
    m = study.metrics
    lasso, ridge = m[m["method"] == "lasso"], m[m["method"] == "ridge"]
    if lasso.empty or ridge.empty:
        return claim, "lasso or ridge missing from this study", UNTESTED
    lz = 1 - lasso["nnz"] / lasso["p"]
    rz = 1 - ridge["nnz"] / ridge["p"]
    ev = (f"exact zeros at the chosen lambda: lasso median {lz.median():.0%} of coefficients "
          f"(zero in {np.mean(lz > 0):.0%} of fits), ridge median {rz.median():.0%} "
          f"(zero in {np.mean(rz > 0):.0%} of fits)")
    return claim, ev, HOLDS if (lz.median() > 0 and rz.max() == 0) else FAILS


def _claim_shrinkage(study, fits):
    c1 = "The naive elastic net shrinks twice: its coefficients are smaller than the lasso's."
    c2 = "The corrected elastic net undoes the double shrinkage (and predicts no worse)."
    need = ["lasso", "enet_naive", "enet_corrected"]
    r = (fits.dropna(subset=["l1_ratio_to_truth"])
         .pivot_table(index="scenario", columns="method", values="l1_ratio_to_truth",
                      aggfunc="median"))
    if not set(need) <= set(r.columns):
        why = "needs the true coefficients and the lasso and both elastic nets"
        return (c1, why, UNTESTED), (c2, why, UNTESTED)
    r = r[need].dropna()
    pe = study.metrics.pivot_table(index="scenario", columns="method", values="pred_error",
                                   aggfunc="median").reindex(r.index)
    shrunk = r["enet_naive"] < r["lasso"]
    undone = ((np.abs(np.log(r["enet_corrected"])) < np.abs(np.log(r["enet_naive"])))
              & (pe["enet_corrected"] <= pe["enet_naive"]))
    per = "; ".join(f"{s}: {a:.2f} / {b:.2f} / {c:.2f}" for s, (a, b, c) in r.iterrows())
    ev1 = (f"median ||w_hat||_1 / ||w_true||_1 (lasso / naive / corrected) per scenario: {per}; "
           f"naive below the lasso in {int(shrunk.sum())} of {len(r)} scenarios")
    ev2 = (f"corrected closer to the truth's L1 norm than naive and with no larger median "
           f"prediction error in {int(undone.sum())} of {len(r)} scenarios")
    return ((c1, ev1, HOLDS if shrunk.mean() > 0.5 else FAILS),
            (c2, ev2, HOLDS if undone.mean() > 0.5 else FAILS))


def _claim_tuning(study):
    claim = "Elastic net costs more to tune than the lasso or ridge (a second parameter)."
    t = tuning_cost(study)
    enets = [m for m in ("enet_naive", "enet_corrected") if m in t]
    if not enets or not {"lasso", "ridge"} <= set(t.columns):
        return claim, "lasso, ridge or elastic net missing", UNTESTED
    t = t.dropna(subset=["lasso", "ridge", *enets])
    dearer = (t[enets].min(axis=1) > t[["lasso", "ridge"]].max(axis=1))
    ratio = ", ".join(f"{s} {r:.2g}x" for s, r in t[f"{enets[0]} / lasso"].items())
    ev = (f"elastic net's median tuning time exceeds both the lasso's and ridge's in "
          f"{int(dearer.sum())} of {len(t)} scenarios; {label_of(enets[0])} / lasso: {ratio}")
    return claim, ev, HOLDS if dearer.mean() > 0.5 else FAILS


def _claim_grouping(study, fits):
    claim = ("With correlated groups, the lasso keeps a few members and drops the rest; "
             "elastic net keeps the group.")
    g = fits.dropna(subset=["group_kept"]).groupby("method")["group_kept"].median()
    if not {"lasso", "enet_naive"} <= set(g.index):
        return claim, "no scenario with correlated groups of true signal", UNTESTED
    ev = ", ".join(f"{label_of(m)} {g[m]:.0%}" for m in ordered(g.index))
    return claim, f"median share of a true group kept: {ev}", (
        HOLDS if g["enet_naive"] > g["lasso"] else FAILS)


def style_claims(claims: pd.DataFrame):
    """Claims as a styled table, verdicts coloured."""
    colours = {HOLDS: "#d9f2d9", FAILS: "#f8d7d7", UNTESTED: "#eeeeee"}
    return (claims.style.hide(axis="index")
            .map(lambda v: f"background-color: {colours.get(v, '')}", subset=["verdict"])
            .set_properties(**{"text-align": "left"}))


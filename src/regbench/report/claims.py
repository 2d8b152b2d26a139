"""The article's claims, each checked on a study's numbers: the statistic, its uncertainty, the threshold, a verdict.

Three verdicts: **holds** (the interval lies on the claim's side of the threshold), **does not hold** (it lies on
the other side) and **inconclusive** (the interval straddles the threshold, the study lacks what the claim needs,
or the claim rests on a choice at the edge of a tuning grid, see ``regbench.report.health``). Ratios are geometric
means over replicates of per-replicate paired ratios, pooled over scenarios as the mean of the scenarios' mean log
ratios, with a 95% stratified bootstrap interval (``regbench.evaluate.paired.pooled_interval``); the per-scenario
numbers quoted are those of :func:`claim_ratios`, shown as a table beside the claims.

Mechanisms are tested where they live (double shrinkage: naive against corrected at the same (lambda1, lambda2),
``regbench.report.shrinkage``); consequences after tuning are separate rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regbench.evaluate.methods import label_of
from regbench.evaluate.paired import pooled_interval
from regbench.report.health import edge_share, health_table
from regbench.report.study import Study
from regbench.report.tables import fit_table

__all__ = ["CLAIM_COLUMNS", "FAILS", "HOLDS", "INCONCLUSIVE", "check_claims", "claim_ratios", "style_claims"]

HOLDS, FAILS, INCONCLUSIVE = "holds", "does not hold", "inconclusive"
CLAIM_COLUMNS = ["claim", "statistic", "value", "95% interval", "threshold", "verdict", "evidence"]
#: a (scenario, method) whose choice sat on a grid edge in at least this share of replicates makes a claim that
#: rests on it inconclusive
EDGE_SHARE = 0.5


def _row(claim, statistic, value="", interval="", threshold="", verdict=INCONCLUSIVE, evidence=""):
    return dict(zip(CLAIM_COLUMNS, (claim, statistic, value, interval, threshold, verdict, evidence)))


def _by_interval(lo, hi, threshold, holds_above: bool) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return INCONCLUSIVE
    if lo > threshold:
        return HOLDS if holds_above else FAILS
    if hi < threshold:
        return FAILS if holds_above else HOLDS
    return INCONCLUSIVE


def _log_ratios(metrics, num, den, value, scenarios=None) -> dict[str, np.ndarray]:
    """Per scenario, the per-replicate log(num / den) of ``value`` (replicates where both are positive)."""
    out = {}
    for scen, d in metrics.groupby("scenario", sort=False):
        if scenarios is not None and scen not in scenarios:
            continue
        w = d.pivot_table(index="replicate", columns="method", values=value, aggfunc="first")
        if num in w and den in w:
            a, b = w[num].to_numpy(float), w[den].to_numpy(float)
            ok = (a > 0) & (b > 0)
            if ok.any():
                out[scen] = np.log(a[ok] / b[ok])
    return out


def claim_ratios(study: Study) -> pd.DataFrame:
    """The per-scenario paired ratios the claims quote: geometric mean over replicates and 95% bootstrap interval."""
    specs = [("corrected / naive elastic net, prediction error after tuning", "enet_corrected", "enet_naive",
              "pred_error"),
             ("naive elastic net / lasso, tuning time", "enet_naive", "lasso", "tune_time"),
             ("corrected elastic net / lasso, tuning time", "enet_corrected", "lasso", "tune_time"),
             ("lasso / naive elastic net, path time", "lasso", "enet_naive", "path_time")]
    rows = []
    for label, num, den, value in specs:
        for j, (scen, v) in enumerate(_log_ratios(study.metrics, num, den, value).items()):
            est, lo, hi = pooled_interval({scen: v}, seed=j)
            rows.append({"ratio": label, "scenario": scen, "replicates": int(v.size), "geometric mean":
                         round(float(np.exp(est)), 3), "95% interval": _ival(np.exp(lo), np.exp(hi))})
    return pd.DataFrame(rows, columns=["ratio", "scenario", "replicates", "geometric mean", "95% interval"])


def _ival(lo, hi, fmt="{:.3f}") -> str:
    return "" if not (np.isfinite(lo) and np.isfinite(hi)) else f"[{fmt.format(lo)}, {fmt.format(hi)}]"


def _edge_note(edges: dict, methods, scenarios) -> str:
    """Which of ``methods`` chose a grid edge in at least EDGE_SHARE of the replicates, in which ``scenarios``."""
    hit = {}
    for (s, m), share in edges.items():
        if m in methods and s in scenarios and share >= EDGE_SHARE:
            hit.setdefault(m, []).append(s)
    if not hit:
        return ""
    parts = [f"{label_of(m)} in {len(ss)} of {len(scenarios)} scenarios ({', '.join(ss)})" for m, ss in hit.items()]
    return ("; inconclusive because it rests on choices at a grid edge (in at least half the replicates): "
            + "; ".join(parts) + "; extend the grid (see Fit health)")


def check_claims(study: Study, fits: pd.DataFrame | None = None, shrink: pd.DataFrame | None = None,
                 health: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article's claims (:data:`CLAIM_COLUMNS`), one row each; ``shrink`` is
    ``regbench.report.shrinkage.double_shrinkage(study)`` (the mechanism row is inconclusive without it)."""
    fits = fit_table(study) if fits is None else fits
    health = health_table(study) if health is None else health
    edges = edge_share(health, study)
    rows = [_claim_n_cap(study, fits), _claim_zeros(study), *_claim_shrinkage(study, shrink, edges),
            _claim_tuning(study), _claim_grouping(study, fits, edges)]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def _claim_n_cap(study, fits):
    claim = "When p > n, the lasso selects at most n variables."
    stat = "largest number of nonzero coefficients along every lasso path"
    sc = study.scenarios.set_index("name")
    wide = [s for s in study.scenario_names if sc.loc[s, "p"] > sc.loc[s, "n_train"]]
    lasso = fits[(fits["method"] == "lasso") & fits["scenario"].isin(wide)]
    if not wide or lasso.empty:
        return _row(claim, stat, evidence="no scenario with p > n_train in this study")
    parts, ok, worst_all = [], True, []
    for s in wide:
        n = int(sc.loc[s, "n_train"])
        worst = int(lasso.loc[lasso["scenario"] == s, "path_max_nnz"].max())
        enet = fits[(fits["scenario"] == s) & fits["method"].str.startswith("enet")]
        ok &= worst <= n
        worst_all.append(f"{worst} (n={n})")
        e = f"; elastic net up to {int(enet['path_max_nnz'].max())}" if len(enet) else ""
        parts.append(f"{s} (n={n}, p={int(sc.loc[s, 'p'])}): at most {worst} along every lasso path{e}")
    return _row(claim, stat, ", ".join(worst_all), "exact count over every replicate (no sampling error)",
                "<= n_train", HOLDS if ok else FAILS, "; ".join(parts))


def _claim_zeros(study):
    claim = "L1 sets coefficients exactly to zero; L2 only shrinks them."
    stat = "share of fits with at least one exact zero at the chosen lambda: lasso / ridge"
    m = study.metrics
    lasso, ridge = m[m["method"] == "lasso"], m[m["method"] == "ridge"]
    if lasso.empty or ridge.empty:
        return _row(claim, stat, evidence="lasso or ridge missing from this study")
    lz, rz = (lasso["nnz"] < lasso["p"]).mean(), (ridge["nnz"] < ridge["p"]).mean()
    ev = (f"lasso: median {1 - (lasso['nnz'] / lasso['p']).median():.0%} of coefficients exactly zero over "
          f"{len(lasso)} fits; ridge: {int((ridge['nnz'] < ridge['p']).sum())} of {len(ridge)} fits with a zero")
    return _row(claim, stat, f"{lz:.0%} / {rz:.0%}", f"exact counts over {len(lasso)} / {len(ridge)} fits",
                "lasso > 0% and ridge = 0%", HOLDS if (lz > 0 and rz == 0) else FAILS, ev)


def _claim_shrinkage(study, shrink, edges):
    c1 = ("Double shrinkage (mechanism): at the same (lambda1, lambda2), the naive elastic net is the corrected one "
          "shrunk by 1/(1 + lambda2), and that extra shrinkage costs prediction accuracy.")
    s1 = "prediction error naive / corrected at the corrected's chosen (lambda1, lambda2), refitted"
    c2 = "After tuning, the corrected elastic net predicts better than the naive one."
    s2 = "prediction error corrected / naive, each at its own tuned parameters"
    if shrink is None or shrink.empty:
        r1 = _row(c1, s1, evidence="needs the stored data sets and the corrected elastic net (refit not run)")
    else:
        per = {s: np.log(g["pred_error_naive"].to_numpy(float) / g["pred_error_corrected"].to_numpy(float))
               for s, g in shrink.groupby("scenario", sort=False)}
        est, lo, hi = pooled_interval(per)
        f = shrink["factor"]
        ev = "; ".join(f"{s}: {np.exp(v.mean()):.3f}" for s, v in per.items())
        r1 = _row(c1, s1, f"{np.exp(est):.3f}", _ival(np.exp(lo), np.exp(hi)), "> 1 (naive worse)",
                  _by_interval(lo, hi, 0.0, holds_above=True),
                  f"per scenario (geometric mean over {shrink['replicate'].nunique()} replicates): {ev}; measured "
                  f"||w_corrected||_1 / ||w_naive||_1 = 1 + lambda2 from {f.min():.3f} to {f.max():.3f}, largest "
                  f"departure from (1 + lambda2) x naive {shrink['rescale_error'].max():.1e}")
    per2 = _log_ratios(study.metrics, "enet_corrected", "enet_naive", "pred_error")
    if not per2:
        return r1, _row(c2, s2, evidence="needs both elastic nets and a known truth")
    est, lo, hi = pooled_interval(per2)
    verdict = _by_interval(lo, hi, 0.0, holds_above=False)
    note = _edge_note(edges, {"enet_naive", "enet_corrected"}, set(per2))
    if note and verdict != INCONCLUSIVE:
        verdict = INCONCLUSIVE
    worse = sum(1 for v in per2.values() if np.exp(v.mean()) > 1)
    ev = (f"pooled over {len(per2)} scenarios; corrected's geometric-mean error above naive's in {worse} of "
          f"{len(per2)} (per scenario in the table of ratios){note}")
    return r1, _row(c2, s2, f"{np.exp(est):.3f}", _ival(np.exp(lo), np.exp(hi)), "< 1 (corrected better)",
                    verdict, ev)


def _claim_tuning(study):
    claim = "Elastic net costs more to tune than the lasso (a second parameter)."
    stat = "tuning time naive elastic net / lasso (warm runs: the fit step compiles the kernels before timing)"
    per = _log_ratios(study.metrics, "enet_naive", "lasso", "tune_time")
    if not per:
        return _row(claim, stat, evidence="lasso or naive elastic net missing")
    est, lo, hi = pooled_interval(per)
    verdict = _by_interval(lo, hi, 0.0, holds_above=True)
    cheaper = [s for j, (s, v) in enumerate(per.items()) if pooled_interval({s: v}, seed=j)[2] < 0]
    ev = (f"pooled over {len(per)} scenarios, each one's {min(v.size for v in per.values())} or more replicates "
          f"as repeated timings of one problem size; elastic net cheaper (interval below 1) in {len(cheaper)} of "
          f"{len(per)}")
    if cheaper:
        pt = _log_ratios(study.metrics, "lasso", "enet_naive", "path_time", set(cheaper))
        slow = ", ".join(f"{s} {np.exp(v.mean()):.2g}x" for s, v in pt.items())
        ev += (f" ({', '.join(cheaper)}). Why, against the article: elastic net tunes a grid of second-parameter "
               f"values, but each of its paths is cheaper than the lasso's; the lasso path's small-lambda end is "
               f"nearly unpenalized and ill-conditioned (n ~ p or correlated columns), where coordinate descent needs "
               f"many epochs, while the L2 part keeps the elastic net strongly convex. The lasso's path time over the "
               f"naive elastic net's: {slow}")
    return _row(claim, stat, f"{np.exp(est):.3f}", _ival(np.exp(lo), np.exp(hi)), "> 1 (elastic net dearer)",
                verdict, ev)


def _claim_grouping(study, fits, edges):
    claim = ("With correlated groups, the lasso keeps a few members and drops the rest; elastic net keeps the "
             "group.")
    stat = "share of a true group's members kept: naive elastic net minus lasso, paired by replicate"
    g = fits.dropna(subset=["group_kept"])
    per, med = {}, []
    for scen, d in g.groupby("scenario", sort=False):
        w = d.pivot_table(index="replicate", columns="method", values="group_kept", aggfunc="first")
        if {"lasso", "enet_naive"} <= set(w.columns):
            diff = (w["enet_naive"] - w["lasso"]).dropna().to_numpy(float)
            if diff.size:
                per[scen] = diff
                med.append(f"{scen}: lasso {w['lasso'].median():.2f}, naive elastic net "
                           f"{w['enet_naive'].median():.2f}")
    if not per:
        return _row(claim, stat, evidence="no scenario with correlated groups of true signal")
    est, lo, hi = pooled_interval(per)
    verdict = _by_interval(lo, hi, 0.0, holds_above=True)
    note = _edge_note(edges, {"lasso", "enet_naive"}, set(per))
    if note and verdict != INCONCLUSIVE:
        verdict = INCONCLUSIVE
    return _row(claim, stat, f"{est:+.2f}", _ival(lo, hi, "{:+.2f}"), "> 0 (elastic net keeps more)", verdict,
                "median share kept per scenario (as in the grouping table): " + "; ".join(med) + note)


def style_claims(claims: pd.DataFrame):
    """Claims as a styled table, verdicts coloured."""
    colours = {HOLDS: "#d9f2d9", FAILS: "#f8d7d7", INCONCLUSIVE: "#eeeeee"}
    return (claims.style.hide(axis="index")
            .map(lambda v: f"background-color: {colours.get(v, '')}", subset=["verdict"])
            .set_properties(**{"text-align": "left"}))

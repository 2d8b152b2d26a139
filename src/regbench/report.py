"""Tables, claim checks and the index page of the comparison report.

The notebooks in ``notebooks/`` hold no logic: they read a study's outputs (API.md "Study
outputs") through :func:`load_study` and call this module and :mod:`regbench.plotting`.
Every verdict on the article's claims is computed here from the study's numbers.

Command line (used by ``workflow/rules/report.smk``)::

    python -m regbench.report params OUT.yaml key=value ...   # typed papermill parameters
    python -m regbench.report index OUT.html --study NAME --page FILE.html ...
"""

from __future__ import annotations

import argparse
import html
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

METHODS = ("ols", "lasso", "ridge", "enet_naive", "enet_corrected")
METHOD_LABELS = {
    "ols": "OLS", "lasso": "lasso (L1)", "ridge": "ridge (L2)",
    "enet_naive": "naive elastic net", "enet_corrected": "corrected elastic net",
}
HOLDS, FAILS, UNTESTED = "holds", "does not hold", "not tested"


@dataclass(frozen=True)
class Study:
    """A study's outputs: the long metrics table, its summary, the scenarios and the fits folder."""

    name: str
    metrics: pd.DataFrame
    summary: pd.DataFrame
    scenarios: pd.DataFrame
    fits_dir: Path

    @property
    def scenario_names(self) -> list[str]:
        return [s for s in self.scenarios["name"] if s in set(self.metrics["scenario"])]

    @property
    def methods(self) -> list[str]:
        present = set(self.metrics["method"])
        return [m for m in METHODS if m in present]


def load_study(results_dir) -> Study:
    """Read ``metrics.csv``, ``summary.csv`` and ``scenarios.csv`` from a study's results folder."""
    results_dir = Path(results_dir)
    missing = [f for f in ("metrics.csv", "summary.csv", "scenarios.csv")
               if not (results_dir / f).is_file()]
    if missing:
        raise FileNotFoundError(f"{results_dir} lacks {', '.join(missing)}: run the study first")
    metrics = pd.read_csv(results_dir / "metrics.csv", dtype={"scenario": str, "method": str})
    summary = pd.read_csv(results_dir / "summary.csv", dtype={"scenario": str, "method": str})
    scenarios = pd.read_csv(results_dir / "scenarios.csv", dtype={"name": str})
    name = str(metrics["study"].iloc[0]) if len(metrics) else results_dir.name
    return Study(name, metrics, summary, scenarios, results_dir / "fits")


def replicates(study: Study, scenario: str) -> list[str]:
    """Replicate folder names of a scenario's fits, in numeric order when they are numbers."""
    d = study.fits_dir / scenario
    names = [p.name for p in d.iterdir() if p.is_dir()] if d.is_dir() else []
    return sorted(names, key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0, s))


def load_fit(study: Study, scenario: str, replicate, method: str) -> dict | None:
    """One fit's arrays (API.md keys) as a dict, or None when that method was not fitted."""
    path = study.fits_dir / scenario / str(replicate) / f"{method}.npz"
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def load_fits(study: Study, scenario: str, replicate=None) -> dict[str, dict]:
    """Every method's fit for one replicate (the first one when ``replicate`` is None or "")."""
    if replicate in (None, ""):
        reps = replicates(study, scenario)
        if not reps:
            return {}
        replicate = reps[0]
    fits = {m: load_fit(study, scenario, replicate, m) for m in METHODS}
    return {m: f for m, f in fits.items() if f is not None}


def replicate_fits(study: Study, scenario: str, method: str) -> list[dict]:
    """One method's fit in every replicate of a scenario."""
    fits = (load_fit(study, scenario, r, method) for r in replicates(study, scenario))
    return [f for f in fits if f is not None]


def resolve_scenario(study: Study, scenario: str | None) -> str:
    """The named scenario (checked), or the study's first one when ``scenario`` is empty."""
    names = study.scenario_names
    if not scenario:
        if not names:
            raise ValueError(f"study {study.name!r} has no scenario with metrics")
        return names[0]
    if scenario not in names:
        raise ValueError(f"scenario {scenario!r} is not in study {study.name!r}; "
                         f"expected one of {names}")
    return scenario


def scenario_settings(study: Study, scenario: str) -> pd.DataFrame:
    """The scenario's row of scenarios.csv, as a one-column table."""
    row = study.scenarios[study.scenarios["name"] == scenario]
    return row.set_index("name").T.dropna()


def summary_table(study: Study, metrics=("pred_error", "test_mse", "nnz", "f1"),
                  scenario: str | None = None) -> pd.DataFrame:
    """Median (bootstrap SE) of each metric, one row per scenario x method."""
    s = study.summary
    if scenario is not None:
        s = s[s["scenario"] == scenario]
    order = {m: i for i, m in enumerate(METHODS)}
    scen_order = {n: i for i, n in enumerate(study.scenario_names)}
    s = s.assign(_s=s["scenario"].map(scen_order), _o=s["method"].map(order))
    s = s.sort_values(["_s", "_o"], kind="stable")
    out = pd.DataFrame({"scenario": s["scenario"], "method": s["method"]})
    for m in metrics:
        med, se = s[f"{m}_median"], s[f"{m}_se"]
        out[m] = [_fmt(a, b) for a, b in zip(med, se)]
    if "n_replicates" in s:
        out["replicates"] = s["n_replicates"].astype(int).to_numpy()
    return out.set_index(["scenario", "method"])


def _fmt(med, se) -> str:
    if not np.isfinite(med):
        return "n/a"
    m = f"{med:.0f}" if float(med).is_integer() else f"{med:.3g}"
    if not np.isfinite(se):
        return m
    # a bootstrap SE at rounding-noise level (all replicates equal) is 0
    return f"{m} (0)" if abs(se) <= 1e-9 * max(abs(med), 1.0) else f"{m} ({se:.2g})"


def fit_table(study: Study) -> pd.DataFrame:
    """Per scenario x replicate x method facts read from the fitted paths and coefficients."""
    rows = []
    for scen in study.scenario_names:
        for rep in replicates(study, scen):
            for method, f in load_fits(study, scen, rep).items():
                coef, truth, groups = f["coef"], f["coef_true"], f["groups"]
                coefs = f["coefs"]
                nnz_path = (coefs != 0).sum(axis=0) if coefs.size else np.array([np.nan])
                has_truth = bool(np.all(np.isfinite(truth))) and np.abs(truth).sum() > 0
                rows.append(dict(
                    scenario=scen, replicate=rep, method=method, p=coef.size,
                    path_max_nnz=float(np.max(nnz_path)), nnz=int((coef != 0).sum()),
                    min_abs_coef=float(np.min(np.abs(coef))) if coef.size else np.nan,
                    l1_ratio_to_truth=(np.abs(coef).sum() / np.abs(truth).sum()
                                       if has_truth else np.nan),
                    group_kept=_group_kept(coef, truth, groups),
                    true_nnz=float(np.sum(truth != 0)) if has_truth else np.nan,
                ))
    return pd.DataFrame(rows)


def true_sizes(fits: pd.DataFrame) -> dict:
    """Number of truly nonzero coefficients per scenario (from the fits' coef_true)."""
    return fits.dropna(subset=["true_nnz"]).groupby("scenario")["true_nnz"].median().to_dict()


def _group_kept(coef, truth, groups) -> float:
    """Mean, over the groups holding true signal, of the fraction of members selected."""
    fractions = [np.mean(coef[groups == g] != 0)
                 for g in np.unique(groups[groups >= 0])
                 if np.any(np.nan_to_num(truth[groups == g]) != 0)]
    return float(np.mean(fractions)) if fractions else np.nan


def group_selection(study: Study, fits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Grouping effect: per grouped scenario and method, the median share of a true group kept."""
    fits = fit_table(study) if fits is None else fits
    g = fits.dropna(subset=["group_kept"])
    if g.empty:
        return pd.DataFrame(columns=["scenario", "method", "share of group kept"])
    out = g.groupby(["scenario", "method"], sort=False)["group_kept"].median()
    out = out.rename("share of group kept").reset_index()
    spread = study.metrics.groupby(["scenario", "method"])["grouping_spread"].median()
    out["grouping_spread (median)"] = [spread.get((s, m), np.nan)
                                       for s, m in zip(out["scenario"], out["method"])]
    return out.set_index(["scenario", "method"]).round(2)


def tuning_cost(study: Study) -> pd.DataFrame:
    """Median tuning time (s) per scenario and method, and elastic net's over the lasso's."""
    t = study.metrics.pivot_table(index="scenario", columns="method", values="tune_time",
                                  aggfunc="median")
    t = t.reindex(index=study.scenario_names, columns=[m for m in METHODS if m in t.columns])
    for m in ("enet_naive", "enet_corrected"):
        if m in t and "lasso" in t:
            t[f"{m} / lasso"] = t[m] / t["lasso"]
    return t.round(3)


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
          f"{int(dearer.sum())} of {len(t)} scenarios; {METHOD_LABELS[enets[0]]} / lasso: {ratio}")
    return claim, ev, HOLDS if dearer.mean() > 0.5 else FAILS


def _claim_grouping(study, fits):
    claim = ("With correlated groups, the lasso keeps a few members and drops the rest; "
             "elastic net keeps the group.")
    g = fits.dropna(subset=["group_kept"]).groupby("method")["group_kept"].median()
    if not {"lasso", "enet_naive"} <= set(g.index):
        return claim, "no scenario with correlated groups of true signal", UNTESTED
    ev = ", ".join(f"{METHOD_LABELS[m]} {g[m]:.0%}" for m in METHODS if m in g.index)
    return claim, f"median share of a true group kept: {ev}", (
        HOLDS if g["enet_naive"] > g["lasso"] else FAILS)


def style_claims(claims: pd.DataFrame):
    """Claims as a styled table, verdicts coloured."""
    colours = {HOLDS: "#d9f2d9", FAILS: "#f8d7d7", UNTESTED: "#eeeeee"}
    return (claims.style.hide(axis="index")
            .map(lambda v: f"background-color: {colours.get(v, '')}", subset=["verdict"])
            .set_properties(**{"text-align": "left"}))


# ---------------------------------------------------------------- index page and CLI
_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}</style>
</head><body><h1>{title}</h1>
<p>L1 (lasso), L2 (ridge) and elastic net (naive and corrected), fitted by one shared solver on
the study's simulated data. Each page is a notebook run by papermill; the executed notebook
(.ipynb) lies beside its page.</p>
<h2>Pages</h2><ul>
{items}
</ul>
{scenarios}
</body></html>
"""


def build_index(out: Path, study: str, pages: list[tuple[str, str]],
                scenarios: pd.DataFrame | None = None) -> Path:
    """Write ``index.html`` linking every page (relative links, nothing machine-specific)."""
    out = Path(out)
    items = "\n".join(
        f'<li><a href="{html.escape(Path(href).name)}">{html.escape(label)}</a> '
        f'(<a href="{html.escape(Path(href).with_suffix(".ipynb").name)}">notebook</a>)</li>'
        for href, label in pages)
    table = ""
    if scenarios is not None and len(scenarios):
        table = "<h2>Scenarios</h2>\n" + scenarios.to_html(index=False, na_rep="", border=0)
    out.write_text(_INDEX.format(title=html.escape(f"regbench report: {study}"), items=items,
                                 scenarios=table), encoding="utf-8")
    return out


def _page_label(name: str) -> str:
    stem = Path(name).stem
    if stem.startswith("scenario_"):
        return f"Scenario {stem[len('scenario_'):]}: paths, CV curves, grouping"
    return {"primer": "Primer: the article's story, recomputed",
            "comparison": "Comparison of the methods and the article's claims"}.get(stem, stem)


def main(argv=None) -> None:
    """``params``: write typed papermill parameters; ``index``: write index.html."""
    ap = argparse.ArgumentParser(prog="python -m regbench.report")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("params", help="write KEY=VALUE pairs (values parsed as JSON) to YAML")
    p.add_argument("out")
    p.add_argument("pairs", nargs="*")
    i = sub.add_parser("index", help="write index.html linking the pages")
    i.add_argument("out")
    i.add_argument("--study", required=True)
    i.add_argument("--scenarios", help="scenarios.csv to list on the page")
    i.add_argument("--page", action="append", default=[])
    a = ap.parse_args(argv)
    if a.cmd == "params":
        import yaml
        values = {}
        for pair in a.pairs:
            key, _, raw = pair.partition("=")
            try:
                values[key] = json.loads(raw)
            except json.JSONDecodeError:
                values[key] = raw
        Path(a.out).write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    else:
        scen = pd.read_csv(a.scenarios) if a.scenarios else None
        build_index(Path(a.out), a.study, [(pg, _page_label(pg)) for pg in a.page], scen)


if __name__ == "__main__":
    main()

"""The article's advice scored on a study's cells, beside simple baselines, and the regime map that ships with the
package.

:func:`advice_scores` (the ``score_advice`` rule, ``results/<study>/advice_scores.csv``) follows four policies in
every cell: ``advice`` (the method of the category ``regbench advise`` picked on the cell's training data),
``always_lasso``, ``always_enet`` (the study's first elastic net) and ``cv`` (in each replicate, the method of
smallest tuning error ``cv_error``, the choice "CV on the data" makes). A cell's **winner** is the method of lowest
median error over replicates (``pred_error``; ``test_mse`` where the truth is unknown), as in
``regbench.advise.scoring.agreement_table``. Per cell and policy: ``agreement``, the share of replicates whose
chosen method is in the winner's category; ``regret``, the median over replicates of the paired ratio error(chosen)
/ error(winner) - 1 (0: as good as the winner; it can be negative in a replicate where the winner loses).
:func:`score_summary` gives each policy's agreement rate and regret over cells.

:func:`regime_map_table` condenses a regime study into the small table shipped as ``regime_map.csv`` (with its
provenance in comment lines) and :func:`nearest_cells` looks up the cells nearest to a data file's measured regime.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from regbench.evaluate.methods import METHOD_NAMES, category_of

__all__ = ["POLICIES", "REGIME_MAP", "advice_scores", "load_regime_map", "nearest_cells", "regime_map_table",
           "score_summary"]

POLICIES = ("advice", "always_lasso", "always_enet", "cv")
#: the regime map shipped with the package (written by ``regbench score-advice --regime-map``)
REGIME_MAP = Path(__file__).with_name("regime_map.csv")

SCORE_COLUMNS = ["scenario", "policy", "choice", "winner", "winner_category", "metric", "n_replicates",
                 "agreement", "regret"]


def _metric(metrics) -> str:
    return "pred_error" if metrics["pred_error"].notna().all() else "test_mse"


def _errors(cell: pd.DataFrame, metric: str) -> pd.DataFrame:
    """replicate x method table of the cell's errors (only replicates where every method has one)."""
    return cell.pivot_table(index="replicate", columns="method", values=metric, aggfunc="first").dropna()


def _winner(errors: pd.DataFrame) -> str:
    med = errors.median()
    return str(med.idxmin())


def _method_of(category, methods) -> str | None:
    """The study's method standing for a category: the first in registry order."""
    return next((m for m in METHOD_NAMES if m in methods and category_of(m) == category), None)


def _score(errors, winner, choices) -> tuple[float, float]:
    """(agreement, regret) of one policy: ``choices`` maps each replicate to the method it picks (or None)."""
    agree, ratios = [], []
    for rep, method in choices.items():
        if method is None or method not in errors.columns or rep not in errors.index:
            continue
        agree.append(category_of(method) == category_of(winner))
        ratios.append(errors.at[rep, method] / errors.at[rep, winner] - 1.0)
    if not ratios:
        return math.nan, math.nan
    return float(np.mean(agree)), float(np.median(ratios))


def advice_scores(advice, metrics) -> pd.DataFrame:
    """One row per cell and policy (``SCORE_COLUMNS``); ``advice``: advice.csv, ``metrics``: metrics.csv (frames
    or paths)."""
    advice = pd.read_csv(advice) if not isinstance(advice, pd.DataFrame) else advice
    metrics = pd.read_csv(metrics) if not isinstance(metrics, pd.DataFrame) else metrics
    advised = advice.drop_duplicates("scenario").set_index("scenario")["advised"]
    rows = []
    for scenario, cell in metrics.groupby("scenario", sort=False):
        metric = _metric(cell)
        errors = _errors(cell, metric)
        if errors.empty:
            continue
        methods = list(errors.columns)
        winner = _winner(errors)
        reps = list(errors.index)
        cv = cell.dropna(subset=["cv_error"]).pivot_table(index="replicate", columns="method", values="cv_error")
        policies = {
            "advice": _method_of(advised.get(scenario), methods),
            "always_lasso": "lasso" if "lasso" in methods else None,
            "always_enet": _method_of("elastic net", methods),
        }
        for policy, method in policies.items():
            agreement, regret = _score(errors, winner, {r: method for r in reps})
            rows.append({"policy": policy, "choice": method or "", "agreement": agreement, "regret": regret})
        cv_choice = {r: (str(cv.loc[r].idxmin()) if r in cv.index and cv.loc[r].notna().any() else None)
                     for r in reps}
        agreement, regret = _score(errors, winner, cv_choice)
        rows.append({"policy": "cv", "choice": "per replicate", "agreement": agreement, "regret": regret})
        for row in rows[-len(POLICIES):]:
            row.update(scenario=scenario, winner=winner, winner_category=category_of(winner), metric=metric,
                       n_replicates=len(reps))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def score_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per policy: cells scored, agreement rate (mean over cells), median, mean and worst regret over cells."""
    out = []
    for policy in POLICIES:
        s = scores[scores["policy"] == policy].dropna(subset=["regret"])
        out.append({"policy": policy, "cells": len(s), "agreement": s["agreement"].mean(),
                    "regret_median": s["regret"].median(), "regret_mean": s["regret"].mean(),
                    "regret_max": s["regret"].max()})
    return pd.DataFrame(out)


def regime_map_table(scenarios: pd.DataFrame, scores: pd.DataFrame, metrics: pd.DataFrame,
                     advice: pd.DataFrame) -> pd.DataFrame:
    """The shipped map: per cell its regime (rho, n, p, n_over_p, nonzero_fraction, snr; and ``abs_r_q90``, the
    90th percentile of pairwise |r| that ``regbench advise`` measured on the cell's training data, the correlation
    a user's file is matched on), the winner and each method's regret (median paired ratio to the winner, minus 1)."""
    rows = []
    winners = scores.drop_duplicates("scenario").set_index("scenario")
    measured = advice.drop_duplicates("scenario").set_index("scenario")["abs_r_q90"]
    for s in scenarios.itertuples():
        if s.name not in winners.index:
            continue
        cell = metrics[metrics["scenario"] == s.name]
        errors = _errors(cell, _metric(cell))
        winner = winners.at[s.name, "winner"]
        nonzero = 1.0 if s.truth == "dense" else float(s.k) / float(s.p)
        row = {"scenario": s.name, "rho": 0.0 if pd.isna(s.rho) else float(s.rho), "n": int(s.n_train),
               "p": int(s.p), "n_over_p": s.n_train / s.p, "nonzero_fraction": nonzero, "snr": float(s.snr),
               "abs_r_q90": float(measured.get(s.name, math.nan)),
               "winner": winner, "winner_category": category_of(winner)}
        for m in METHOD_NAMES:
            row[f"regret_{m}"] = float((errors[m] / errors[winner] - 1).median()) if m in errors else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def load_regime_map(path=None) -> tuple[pd.DataFrame, dict]:
    """The shipped regime map and its provenance (the ``# key: value`` lines at its top)."""
    path = Path(path or REGIME_MAP)
    provenance = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        provenance[key.strip()] = value.strip()
    return pd.read_csv(path, comment="#"), provenance


def nearest_cells(regime_map: pd.DataFrame, *, n_over_p: float, abs_r_q90: float, k: int = 6) -> pd.DataFrame:
    """The ``k`` cells nearest to a measured regime: distance in (log10 n/p, 90th percentile of pairwise |r|), the
    two axes a data file shows (the truth's sparsity and the SNR are not observed, so the nearest cells span
    them)."""
    d = np.hypot(np.log10(regime_map["n_over_p"]) - math.log10(max(n_over_p, 1e-12)),
                 regime_map["abs_r_q90"] - abs_r_q90)
    return regime_map.assign(distance=d).sort_values(["distance", "scenario"], kind="stable").head(k)

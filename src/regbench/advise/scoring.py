"""The advice, scored: :func:`agreement_table` sets a study's advice (``results/<study>/advice.csv``, written by the
``advise_study`` rule from ``regbench.advise.questions.advise_dataset``) against each scenario's empirical winner.

Tables only (no solver): the report's comparison page imports it without depending on the fitting code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regbench.evaluate.methods import category_of

__all__ = ["agreement_for_study", "agreement_table"]


def agreement_table(advice, summary):
    """Advised method against the empirical winner, per scenario, and the agreement rate.

    ``advice``: advice.csv (scenario, advised, ...) or its path; ``summary``: summary.csv or its path. The winner
    is the method with the lowest median ``pred_error`` (``test_mse`` where the truth is unknown). ``agree``: the
    winner belongs to the advised category (ols = none, lasso = L1, ridge = L2, either elastic net = elastic net);
    ``held``: the advised category's best method is within one bootstrap SE of the winner's median. Returns a
    DataFrame whose ``attrs["caption"]`` states both rates.
    """
    advice = pd.read_csv(advice) if not isinstance(advice, pd.DataFrame) else advice
    summary = pd.read_csv(summary) if not isinstance(summary, pd.DataFrame) else summary
    rows = []
    for _, a in advice.drop_duplicates("scenario").iterrows():
        s = summary[summary["scenario"] == a["scenario"]]
        if s.empty:
            continue
        metric = "pred_error" if s["pred_error_median"].notna().all() else "test_mse"
        med, se = s[f"{metric}_median"].to_numpy(float), s[f"{metric}_se"].to_numpy(float)
        methods = s["method"].tolist()
        w = int(np.nanargmin(med))
        mine = [i for i, m in enumerate(methods) if category_of(m) == a["advised"]]
        best_mine = min((med[i] for i in mine), default=np.nan)
        rows.append({"scenario": a["scenario"], "advised": a["advised"], "winner": methods[w],
                     "winner_category": category_of(methods[w]), "metric": metric,
                     "winner_median": med[w], "advised_best_median": best_mine,
                     "agree": category_of(methods[w]) == a["advised"],
                     "held": bool(best_mine <= med[w] + se[w]) if mine and np.isfinite(se[w]) else np.nan,
                     "reasons": a.get("reasons", "")})
    table = pd.DataFrame(rows)
    if table.empty:
        table.attrs["caption"] = "No scenario has both advice and results."
        return table
    rate = float(table["agree"].mean())
    held = float(pd.to_numeric(table["held"], errors="coerce").mean())
    held_text = (f"; the advised category was within one bootstrap SE of the winner in {held:.0%} of those with an "
                 "SE" if np.isfinite(held) else " (one replicate: no bootstrap SE to judge closeness)")
    table.attrs["caption"] = (f"The article's advice picked the empirical winner's category in {table['agree'].sum()} "
                              f"of {len(table)} scenarios (agreement rate {rate:.0%}){held_text}.")
    table.attrs["agreement_rate"] = rate
    return table


def agreement_for_study(results_dir):
    """:func:`agreement_table` of ``results_dir``'s advice.csv and summary.csv (an explanatory empty table when the
    study has no advice.csv), with the reasons column left out for display."""
    results_dir = Path(results_dir)
    advice, summary = results_dir / "advice.csv", results_dir / "summary.csv"
    if not advice.exists() or not summary.exists():
        table = pd.DataFrame(columns=["scenario", "advised", "winner", "winner_category", "agree", "held"])
        table.attrs["caption"] = f"No advice for this study ({advice.name} not found; the advise_study rule makes it)."
        return table
    table = agreement_table(advice, summary)
    caption = table.attrs.get("caption", "")
    table = table.drop(columns=["reasons"], errors="ignore")
    for col in ("winner_median", "advised_best_median"):
        if col in table:
            table[col] = table[col].map(lambda v: float(f"{v:.4g}"))
    table.attrs["caption"] = caption
    return table

"""The report pages' sections: each function displays one section (heading, what it shows, its figure or table)
or nothing at all when the study lacks what it needs (a real-data study has no truth, a scenario no groups), so a
notebook is a plain list of calls and no page shows an empty section.

Every figure goes through ``regbench.report.publish.figure`` (2x PNG with alt text, saved with a PDF) and every
table through ``publish.table`` (CSV, Markdown and LaTeX saved, no index column).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown, display

from regbench.advise.scoring import agreement_for_study
from regbench.evaluate.methods import METHODS, label_of
from regbench.report import claims, headline, health, plotting, primer, publish, realdata, regimes, shrinkage, tables
from regbench.report.index import page_nav, page_order
from regbench.report.study import Study, crossed_design_of, load_fits, replicate_fits

__all__ = ["METRIC_TEXT", "describe", "header", "section"]

#: every metric shown, defined where it is shown
METRIC_TEXT = {
    "pred_error": "**prediction error** = mean over test rows of (x'b̂ + b̂0 − x'b − b0)²: the distance of the fitted "
                  "regression function from the true one, noise excluded",
    "test_mse": "**test MSE** = mean squared error on fresh test rows, noise included (the prediction error plus the "
                "noise variance, up to sampling)",
    "nnz": "**nonzero coefficients** at the chosen hyperparameters",
    "precision": "**precision** = share of the kept coefficients that are truly nonzero",
    "recall": "**recall** = share of the truly nonzero coefficients that are kept",
    "f1": "**F1** = harmonic mean of precision and recall",
    "grouping_spread": "**grouping spread** = mean over correlated groups of std(b̂_g) / mean(|b̂_g|): 0 when a "
                       "group's members get equal coefficients (elastic net's grouping effect), about √(m − 1) when "
                       "one of m members takes the whole weight (the lasso)",
}


def describe(study: Study) -> dict[str, str]:
    """Scenario name -> its one-line description (empty when the config gives none)."""
    if "description" not in study.scenarios:
        return {}
    d = study.scenarios.set_index("name")["description"]
    return {k: v for k, v in d.items() if isinstance(v, str) and v}


def header(study, page: str, title: str, lead: str = "") -> None:
    """Navigation (index, previous, next), the page's h1 and a lead paragraph; ``study`` is a Study or the list of
    the report's page names in reading order (the primer has no study to load)."""
    if isinstance(study, Study):
        sc = study.scenarios
        order = page_order(sc[sc["name"].isin(study.scenario_names)])
    else:
        order = list(study)
    display(HTML(page_nav(page, order)))
    display(Markdown(f"# {title}" + (f"\n\n{lead}" if lead else "")))


def section(title: str, text: str = "", *items, level: int = 2) -> None:
    """A heading, its text, then its items (figures, tables)."""
    display(Markdown(f"{'#' * level} {title}" + (f"\n\n{text}" if text else "")))
    for item in items:
        display(item)


# ------------------------------------------------------------------------------------------- comparison page
def study_overview(study: Study, page: str = "comparison") -> None:
    reps = study.metrics["replicate"].nunique()
    text = (f"Study **{study.name}**: {len(study.scenario_names)} scenarios, {reps} replicate(s) each, methods: "
            f"{', '.join(label_of(m) for m in study.methods)}. Every number on this page is read from the study's "
            "tables (`metrics.csv`, `summary.csv`, `paired.csv`, `scenarios.csv`, `fits/`). Figures are also saved "
            "as PDF and 2x PNG in `figures/`, tables as CSV, Markdown and LaTeX in `tables/`; the solver's speed "
            "against its peers is in the project's `benchmarks/RESULTS.md`.")
    designs = crossed_design_of(study.scenarios[study.scenarios["name"].isin(study.scenario_names)])
    cells = designs[designs != ""]
    if len(cells):
        hand = len(study.scenario_names) - len(cells)
        text += (f" The {len(cells)} cells of the crossed design(s) "
                 + ", ".join(f"[`{g}`](grid_{g}.html)" for g in dict.fromkeys(cells)) + " are drawn as maps on "
                 "their design's own page; " + (f"the per-scenario figures and summaries below cover the {hand} "
                 "hand-written scenario(s)." if hand else "the headline and the claims below cover every cell, and "
                 "fit health counts the cells' findings."))
    shown = study.without_cells()
    if not shown.scenario_names:
        section("The study", text)
        return
    section("The study", text, publish.table(tables.scenario_overview(shown), "scenarios", page=page))


def headline_section(study: Study, page: str = "comparison") -> None:
    h = headline.headline_table(study.paired, describe(study))
    section("Headline: who wins where, by how much",
            headline.summary_paragraph(study.paired) + "\n\n" + headline.HEADLINE_NOTE,
            publish.table(h, "headline", page=page))


def error_section(study: Study, metric: str, page: str = "comparison", scenarios=None) -> None:
    scenarios = list(scenarios) if scenarios is not None else study.scenario_names
    m = study.metrics[study.metrics["scenario"].isin(scenarios)]
    if m[metric].notna().sum() == 0:
        return
    fig = plotting.error_by_method(m, metric, scenarios)
    alt = (f"Box plots of {tables.HEADERS.get(metric, metric.replace('_', ' '))} per method, one panel per scenario "
           f"({', '.join(scenarios)}), one point per replicate.")
    section(f"{tables.HEADERS.get(metric, metric)[0].upper()}{tables.HEADERS.get(metric, metric)[1:]} by method",
            METRIC_TEXT[metric] + ". Each point is one replicate; boxes show the quartiles. Panels have their own "
            "scale: compare methods within a panel (the headline compares them replicate by replicate).",
            publish.figure(fig, metric, alt, page=page))


def summary_section(study: Study, page: str = "comparison", scenario: str | None = None) -> None:
    if not study.scenario_names:
        return
    truth = realdata.has_truth(study, scenario)
    metrics = ("pred_error", "test_mse", "nnz", "f1") if truth else ("test_mse", "nnz")
    t = tables.readable_summary(study, metrics, scenario=scenario)
    section("Summary over replicates", "Median (bootstrap standard error of the median) over replicates. "
            + "; ".join(METRIC_TEXT[k] for k in metrics) + ".", publish.table(t, "summary", page=page), level=3)


def sparsity_section(study: Study, fits: pd.DataFrame, page: str = "comparison") -> None:
    if not study.scenario_names:
        return
    if not realdata.has_truth(study):
        return
    fig = plotting.sparsity_vs_error(study.metrics, tables.true_sizes(fits))
    section("Sparsity against error", "Nonzero coefficients at the chosen hyperparameters against the prediction "
            "error, one point per fit; the dashed line is the true number of nonzero coefficients.",
            publish.figure(fig, "sparsity", "Scatter of nonzero coefficients against prediction error per "
                           "scenario, coloured by method, true sparsity dashed.", page=page))


def support_section(study: Study, page: str = "comparison") -> None:
    if not study.summary["precision_median"].notna().any():
        return
    fig = plotting.support_recovery(study.summary)
    section("Support recovery", "; ".join(METRIC_TEXT[k] for k in ("precision", "recall", "f1")) + ". Bars are "
            "medians over replicates, whiskers bootstrap standard errors (clipped to [0, 1]). Ridge keeps every "
            "coefficient, so its recall is 1 and its precision the true density.",
            publish.figure(fig, "support", "Bar charts of precision, recall and F1 per method and scenario.",
                           page=page),
            publish.table(tables.readable_summary(study, ("precision", "recall", "f1")), "support", page=page))


def runtime_section(study: Study, page: str = "comparison") -> None:
    if not study.scenario_names:
        return
    fig = plotting.runtime_by_method(study.metrics)
    section("Runtime", "Wall-clock seconds on the machine that ran the study (other load adds noise; the fit step "
            "compiles the solver's kernels before timing). `fit time`: one fit at the chosen parameters; `tune "
            "time`: the whole tuning (cross-validation over the lambda path, and for elastic net over its second "
            "parameter too); `path time`: one full regularization path.",
            publish.figure(fig, "runtime", "Box plots of fit, tuning and path time per method, log scale.",
                           page=page),
            publish.table(tables.tuning_cost_display(study), "tuning-cost", page=page,
                          caption="Median tuning seconds per scenario and method, and elastic net's over the "
                                  "lasso's"))


def grouping_section(study: Study, fits: pd.DataFrame, page: str = "comparison") -> None:
    g = tables.group_selection(study, fits)
    if g.empty:
        return
    section("Grouping effect on correlated groups", "In scenarios whose true signal sits on groups of correlated "
            "features: the median share of a true group's members each method keeps, and the " +
            METRIC_TEXT["grouping_spread"] + ".", publish.table(g, "grouping", page=page))


def health_section(study: Study, fit_health: pd.DataFrame, page: str = "comparison",
                   scenario: str | None = None) -> None:
    h = fit_health if scenario is None else fit_health[fit_health["scenario"] == scenario]
    cells_note = ""
    if scenario is None and (panels := study.without_cells()) is not study:
        # a crossed design's cells (tens of them) are counted here, listed row by row in warnings.csv
        in_panels = h["scenario"].isin(panels.scenario_names)
        cells_note = (" The crossed designs' cells, counted, not listed (every row is in `warnings.csv`): "
                      + health.health_summary(h[~in_panels]))
        study, h = panels, h[in_panels]
    if not study.scenario_names:
        section("Fit health", cells_note.strip())
        return
    section("Fit health", "The hyperparameters each method chose (median over replicates; alpha is glmnet's lambda, "
            "lambda1 = alpha·l1_ratio and lambda2 = alpha·(1 − l1_ratio) the weights of the L1 and L2 terms), and "
            "how many replicates chose a value at the edge of its grid: the smallest lambda of the path (the best "
            "fit may need less shrinkage), ridge's largest, or the first or last value of elastic net's second "
            "parameter (l1_ratio = 1 and lambda2 = 0, the lasso, are natural ends, not edges). A claim resting on "
            "such choices is *inconclusive*: extend the grid." + cells_note,
            publish.table(health.chosen_hyperparameters(study, scenario, h), "hyperparameters", page=page))
    if h.empty:
        display(Markdown(health.health_summary(h)))
        return
    section("Every warning, non-converged fit and grid-edge choice", health.health_summary(h) + " (`warnings.csv` "
            "when the pipeline wrote it, plus what `metrics.csv` and the stored fits show.)",
            publish.table(health.health_display(h), "fit-health", page=page), level=3)


def real_data_section(study: Study, references=(), page: str = "comparison") -> None:
    if realdata.has_truth(study):
        return
    for scen in study.scenario_names:
        names = realdata.feature_names(study, scen)
        section(f"Real data: {scen}", "No true coefficients are known, so the methods are compared on the test rows: "
                "test MSE with its standard error over the test rows, and each method's difference from the "
                "reference method, paired row by row (the standard error of the paired difference is much smaller "
                "than either MSE's when the methods err on the same rows).",
                publish.table(realdata.paired_test_mse(study, scen), f"test-mse-{scen}", page=page))
        section("Selected variables", f"Coefficients at the chosen hyperparameters (original scale); "
                f"{'variables named from the data file' if names else 'x1, x2, ... in column order'}.",
                publish.table(realdata.selected_variables(study, scen), f"variables-{scen}", page=page), level=3)
    layout = realdata.paper_layout(study, references)
    if not layout.empty:
        sources = list(dict.fromkeys(str(r.get("source", "")) for r in references))
        one = "source" not in layout and sources[0]
        title = f"{sources[0]}, reproduced" if one else "The published tables, reproduced"
        section(title, "The source's table in its own layout, one row per method: the "
                "published test MSE (SE over the test rows) at the source's tuning values; regbench's fit at those "
                "values (Zou & Hastie's lambda2 and L1-norm fraction s, ridge's lambda, on unit-norm columns) and "
                "this study's CV-tuned fit, each with its difference from the published value in SE units, "
                "(ours − published) / √(SE² + published SE²); the variables each selects. *reproduced* compares "
                "the fit at the source's tuning with the published value to its printed decimals and with its "
                "variables, and says where it differs.",
                publish.table(layout, "paper-table-references", page=page))
        return
    ref = realdata.reference_table(study, references)
    if not ref.empty:
        section("Published results beside this study's", "Each published value beside this study's number of the "
                "same metric, scenario and method; *difference / SE* = (this study − published) / "
                "√(SE² + published SE²): within ±2, the two agree within their uncertainty.",
                publish.table(ref, "references", page=page))


def paper_section(study: Study, page: str = "comparison") -> None:
    """Zou & Hastie's layout (their Table 2/3): methods as rows, scenarios as columns; only with a known truth and
    the paper's four methods."""
    if (not study.scenario_names or not realdata.has_truth(study)
            or not {"lasso", "enet_corrected", "ridge", "enet_naive"} <= set(study.methods)):
        return
    section("In the paper's layout", "Zou & Hastie (2005, Tables 2 and 3): median prediction error (bootstrap SE of "
            "the median) over replicates and median number of nonzero coefficients, methods as rows.",
            publish.table(tables.paper_table(study.summary, scenarios=study.scenario_names), "paper-table",
                          page=page))


def regime_section(study: Study, results_dir, page: str = "comparison", grid: str | None = None) -> None:
    """The regime map of a crossed design (nothing for a study without crossed cells); ``grid`` restricts it to the
    cells of one crossed design (its page)."""
    cells = regimes.crossed_cells(study)
    if cells is not None and grid is not None:
        cells = grid_cells(study, grid)
    if cells is None or cells.empty:
        return
    axes = regimes.regime_axes(cells)
    table = regimes.regime_table(study, cells)
    if table.empty or not axes:
        return
    won = table[~table["tie"]]["winner"].value_counts()
    lead = ", ".join(f"{label_of(m)} {n}" for m, n in won.items())
    section("Regime map: which regularizer wins where",
            f"{len(table)} cells of a crossed design over {', '.join(axes)}. Each cell is coloured by the method "
            "with the smallest paired error and labelled with the runner-up's error over the winner's (geometric "
            "mean of per-replicate ratios); hatched cells are ties, where the runner-up's 95% interval reaches 1. "
            f"Clear wins: {lead or 'none'}; ties: {int(table['tie'].sum())}.",
            publish.figure(regimes.regime_map(table, axes), "regime-map", "Small-multiple heatmaps of the winning "
                           f"method per cell over {', '.join(axes)}, with the runner-up's margin.", page=page),
            publish.table(table.assign(winner=table["winner"].map(label_of),
                                       runner_up=table["runner_up"].map(label_of)), "regime-map", page=page))
    section("Regret across cells", "Each method's error over the cell's best (1 = the best; 1.2 = 20% worse), one "
            "point per cell; the bar is the median.",
            publish.figure(regimes.regret_figure(study, cells), "regret", "Strip plot of each method's regret "
                           "across the cells of the crossed design, log scale.", page=page),
            publish.table(regimes.regret_table(study, cells), "regret", page=page), level=3)
    advice_csv = Path(results_dir) / "advice.csv"
    advice = pd.read_csv(advice_csv) if advice_csv.is_file() else pd.DataFrame()
    scored = regimes.advice_on_map(study, advice, cells)
    section("The article's advice, scored on the map", "Each policy picks one method per cell; *picks the winner or "
            "a tie*: its pick is the cell's winner or tied with it; regret: the pick's error over the cell's best. "
            "The advice comes from `regbench advise` on each cell's training data (replicate 0), before any fit; CV "
            "on the data picks, per replicate, the method whose tuning reached the smallest CV error.",
            publish.table(scored, "advice-on-map", page=page), level=3)


def claims_section(study: Study, fits: pd.DataFrame, fit_health: pd.DataFrame, page: str = "comparison") -> None:
    shrink = shrinkage.double_shrinkage(study)
    c = claims.check_claims(study, fits, shrink=shrink, health=fit_health)
    section("The article's claims, checked on this study",
            "Each claim is stated, then tested on this study's numbers; the verdict is computed, not written by "
            "hand. **holds**: the 95% interval of the statistic lies on the claim's side of the threshold; **does "
            "not hold**: on the other side; **inconclusive**: the interval straddles the threshold, the study lacks "
            "what the claim needs, or the claim rests on hyperparameters chosen at the edge of their grid (see *Fit "
            "health*). Ratios are geometric means of per-replicate paired ratios, pooled over scenarios, with "
            "bootstrap intervals over replicates. The double-shrinkage mechanism is tested as Zou & Hastie define "
            "it, the naive and corrected elastic net refitted on the same data at the same (lambda1, lambda2); its "
            "consequences after tuning are separate rows.",
            publish.table(claims.style_claims(c), "claims", page=page))
    ratios = claims.claim_ratios(study)
    if len(ratios):
        section("The per-scenario ratios the claims quote", "Geometric mean over replicates of the per-replicate "
                "paired ratio, with its 95% bootstrap interval.", publish.table(ratios, "claim-ratios", page=page),
                level=3)
    if len(shrink):
        section("Double shrinkage at fixed (lambda1, lambda2)", "Per scenario, over replicates: the naive and the "
                "corrected elastic net refitted at the corrected one's chosen (lambda1, lambda2); the factor "
                "‖w_corrected‖₁ / ‖w_naive‖₁ (1 + lambda2 by definition), and the ratio of their prediction errors.",
                publish.table(shrinkage.shrinkage_summary(shrink), "double-shrinkage", page=page), level=3)


def advice_section(results_dir, page: str = "comparison") -> None:
    advice = agreement_for_study(results_dir)
    if advice.empty:
        return
    section("The article's advice, tested", "Before any fit, `regbench.advise` answers the article's three "
            "questions from each scenario's training data (sparsity of X, pairwise correlation and correlated "
            "groups, n against p, conditioning, measured cost) and recommends L1, L2, elastic net or none "
            "(`advice.csv`). Here that advice meets the empirical winner: the method with the lowest median "
            "prediction error (test MSE where the truth is unknown). *agree*: the winner is in the advised category "
            "(either elastic net counts); *held*: the advised category's best method is within one bootstrap SE of "
            "the winner. " + advice.attrs.get("caption", ""), publish.table(advice, "advice", page=page))


def primer_figure(fig, name: str):
    """A primer figure, with its alt text from ``regbench.report.primer.FIGURES``."""
    return publish.figure(fig, name, primer.FIGURES[name], page="primer")


# --------------------------------------------------------------------------------------------- scenario page
def scenario_header(study: Study, scenario: str) -> None:
    desc = describe(study).get(scenario, "")
    header(study, f"scenario_{scenario}", f"Scenario {scenario}", (f"*{desc}.* " if desc else "") +
           f"Study **{study.name}**: coefficient paths, CV curves, the second parameter's tuning and the grouping "
           "effect, read from the stored fits.")
    section("Settings", "", publish.table(tables.scenario_overview(study, scenario), "settings",
                                          page=f"scenario_{scenario}"))


def scenario_paired(study: Study, scenario: str) -> None:
    p = study.paired[study.paired["scenario"] == scenario]
    if p.empty:
        return
    section("Paired comparison", headline.HEADLINE_NOTE, publish.table(
        headline.headline_table(p), "headline", page=f"scenario_{scenario}"), level=3)


def paths_section(study: Study, scenario: str, replicate="") -> None:
    fits = load_fits(study, scenario, replicate)
    names = realdata.feature_names(study, scenario)
    page = f"scenario_{scenario}"
    if not fits:
        return
    fig = plotting.paths_and_curves(fits, names)
    section("Coefficient paths and CV curves (one replicate)",
            "Left, as glmnet's `plot`: every coefficient against log(lambda), true nonzero coefficients in colour "
            "(all in colour for real data), the five largest at the chosen lambda labelled, the number of nonzero "
            "coefficients on the top axis; each method has its own lambda axis. Right, as `plot.cv`: mean CV error "
            "± 1 standard error, the dashed line at lambda_min, the dotted one at lambda_1se. Panel titles give "
            "the chosen hyperparameters. " + plotting.cv_note(fits),
            publish.figure(fig, "paths", f"Coefficient paths and CV curves of each method in scenario {scenario}.",
                           page=page))
    fig = plotting.paths_common_x(fits, names)
    section("Every method on a common axis", "The same paths against the fraction of the L1 norm, "
            "‖w(lambda)‖₁ / max ‖w‖₁ along the path (Zou & Hastie's s), so the rows compare; the dashed line marks the "
            "chosen fit.", publish.figure(fig, "paths-common", "Coefficient paths of every method against the "
                                          "fraction of the L1 norm.", page=page), level=3)


def second_parameter_section(study: Study, scenario: str) -> None:
    by_method = {m: replicate_fits(study, scenario, m) for m in study.methods
                 if METHODS[m].tunes_second_parameter}
    by_method = {m: f for m, f in by_method.items() if any("grid_values" in x for x in f)}
    if not by_method:
        return
    fig = plotting.second_parameter(by_method)
    section("Tuning elastic net's second parameter", "Best CV error reached for each value of the second parameter "
            "(each line one replicate; the chosen value circled). A lambda2 grid is drawn on a symmetric-log axis "
            "(linear near 0, logarithmic beyond), so a grid from 0 to 1000 spreads out.",
            publish.figure(fig, "second-parameter", "Best CV error against elastic net's second parameter, one "
                           "line per replicate, for each elastic net.", page=f"scenario_{scenario}"))


def grouping_plot_section(study: Study, scenario: str, replicate="") -> None:
    fits = load_fits(study, scenario, replicate)
    some = next(iter(fits.values()), None)
    if some is None or not np.any(np.asarray(some["groups"]) >= 0):
        return
    section("Grouping effect", "Chosen coefficients of the features that belong to correlated groups (vertical "
            "lines separate the groups; black dashes are the true coefficients).",
            publish.figure(plotting.grouping_effect(fits), "grouping", "Bar chart of the chosen coefficients of "
                           "the grouped features per method, true coefficients dashed.", page=f"scenario_{scenario}"))


# -------------------------------------------------------------------------------- crossed design (grid) page
def grid_cells(study: Study, grid: str) -> pd.DataFrame:
    """The scenarios.csv rows of one crossed design's cells (with metrics); an error names the grids there are."""
    sc = study.scenarios
    grids = crossed_design_of(sc)
    cells = sc[(grids == grid) & sc["name"].isin(study.scenario_names)].reset_index(drop=True)
    if cells.empty:
        known = sorted({g for g in grids if g})
        raise ValueError(f"grid: expected one of the study's crossed designs {known}, got {grid!r}")
    return cells


def grid_header(study: Study, grid: str) -> None:
    cells = grid_cells(study, grid)
    axes = regimes.regime_axes(cells) if len(cells) > 1 else []
    header(study, f"grid_{grid}", f"Crossed design {grid}",
           f"Study **{study.name}**: the {len(cells)} cells of the crossed design `{grid}` over "
           f"{', '.join(axes) or 'one cell'}, each an ordinary scenario (named from its values) fitted on the same "
           "replicates by every method. The cells share this page instead of a page each: the regime map and the "
           "per-cell table below show each cell's winner and margin; the comparison page's headline and claims "
           "cover every cell too, and every number is in the study's CSVs.")
    ov = tables.scenario_overview(study)
    ov = ov[study.scenarios["name"].isin(cells["name"]).to_numpy()]
    shared = ov[[c for c in ov.columns if ov[c].nunique(dropna=False) == 1 and c not in ("grid", "grid_axes")]]
    shared = shared.head(1)
    section("What the cells share", "Settings every cell has in common; the axes vary from cell to cell.",
            publish.table(shared, "settings", page=f"grid_{grid}"))


def grid_cells_section(study: Study, grid: str) -> None:
    """Per cell of the grid: the paired headline row (winner, margin, ties)."""
    names = grid_cells(study, grid)["name"]
    p = study.paired[study.paired["scenario"].isin(names)]
    if p.empty:
        return
    section("Every cell, paired", headline.HEADLINE_NOTE, publish.table(
        headline.headline_table(p, describe(study)), "cells", page=f"grid_{grid}"))

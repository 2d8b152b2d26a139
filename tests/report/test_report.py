"""Unit tests of the report's tables, claim checks, figures, index page and primer computations."""

from __future__ import annotations

import json

import matplotlib.colors
import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.figure import Figure
from report_fixture import METHODS, SCENARIOS, make_study

from regbench.cli import main as cli_main
from regbench.evaluate.methods import METHODS as METHOD_REGISTRY
from regbench.report import claims as rclaims
from regbench.report import index as rindex
from regbench.report import plotting, primer
from regbench.report import study as rstudy
from regbench.report import tables as rtables


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return rstudy.load_study(make_study(tmp_path_factory.mktemp("study")))


def test_load_study_reads_the_contract_tables(study):
    assert study.name == "tiny"
    assert study.scenario_names == list(SCENARIOS)
    assert study.methods == METHODS
    assert len(rstudy.replicates(study, "sparse_lowdim")) == 3


def test_load_study_names_missing_tables(tmp_path):
    with pytest.raises(FileNotFoundError, match="metrics.csv"):
        rstudy.load_study(tmp_path)


def test_summary_table_has_one_row_per_scenario_and_method(study):
    t = rtables.summary_table(study)
    assert len(t) == len(SCENARIOS) * len(METHODS)
    assert list(t.columns) == ["pred_error", "test_mse", "nnz", "f1", "replicates"]
    # median (se) as text, taken from summary.csv
    row = study.summary.query("scenario == 'sparse_lowdim' and method == 'lasso'").iloc[0]
    assert t.loc[("sparse_lowdim", "lasso"), "pred_error"].startswith(f"{row['pred_error_median']:.3g} (")
    assert len(rtables.summary_table(study, scenario="grouped_highdim")) == len(METHODS)


def test_fit_table_and_grouping(study):
    fits = rtables.fit_table(study)
    assert len(fits) == len(SCENARIOS) * 3 * len(METHODS)
    ridge = fits[fits["method"] == "ridge"]
    assert (ridge["nnz"] == ridge["p"]).all()
    assert rtables.true_sizes(fits) == {"sparse_lowdim": 3, "grouped_highdim": 6}
    groups = rtables.group_selection(study, fits)
    assert set(groups["scenario"]) == {"grouped_highdim"}


def test_resolve_scenario(study):
    assert rstudy.resolve_scenario(study, "") == "sparse_lowdim"
    with pytest.raises(ValueError, match="not in study"):
        rstudy.resolve_scenario(study, "nope")


def _verdict(claims, prefix):
    (row,) = claims.index[claims["claim"].str.startswith(prefix)]
    return claims.loc[row, "verdict"]


def test_claims_are_checked_from_the_numbers(study):
    claims = rclaims.check_claims(study)
    assert len(claims) == 6
    assert set(claims["verdict"]) <= {rclaims.HOLDS, rclaims.FAILS, rclaims.INCONCLUSIVE}
    assert list(claims.columns) == rclaims.CLAIM_COLUMNS
    assert _verdict(claims, "When p > n") == rclaims.HOLDS
    assert _verdict(claims, "Elastic net costs more") == rclaims.HOLDS
    assert _verdict(claims, "L1 sets coefficients") == rclaims.HOLDS
    assert "grouped_highdim (n=20, p=40)" in claims["evidence"].iloc[0]


def test_claim_verdicts_flip_when_the_numbers_do(study):
    m = study.metrics.copy()
    enet = m["method"].str.startswith("enet")
    m.loc[enet, "tune_time"] = 1e-6  # elastic net suddenly cheap to tune
    m.loc[m["method"] == "ridge", "nnz"] = m.loc[m["method"] == "ridge", "p"] - 1  # a ridge zero
    flipped = rstudy.Study(study.name, m, study.summary, study.scenarios, study.fits_dir)
    claims = rclaims.check_claims(flipped)
    assert _verdict(claims, "Elastic net costs more") == rclaims.FAILS
    assert _verdict(claims, "L1 sets coefficients") == rclaims.FAILS


def test_claim_untested_without_wide_scenario(study):
    narrow = study.scenarios.assign(p=1)
    s = rstudy.Study(study.name, study.metrics, study.summary, narrow, study.fits_dir)
    assert rclaims.check_claims(s)["verdict"].iloc[0] == rclaims.INCONCLUSIVE


def test_tuning_cost_per_scenario(study):
    t = rtables.tuning_cost(study)
    assert list(t.index) == list(SCENARIOS)
    assert list(t.columns[:5]) == METHODS
    assert (t["enet_naive / lasso"] > 1).all()


@pytest.mark.parametrize("fn, n_axes", [
    (lambda s: plotting.error_by_method(s.metrics, "pred_error", s.scenario_names), 2),
    (lambda s: plotting.sparsity_vs_error(s.metrics, rtables.true_sizes(rtables.fit_table(s))), 2),
    (lambda s: plotting.support_recovery(s.summary), 2),
    (lambda s: plotting.runtime_by_method(s.metrics), 3),
    (lambda s: plotting.paths_and_curves(rstudy.load_fits(s, "grouped_highdim")), 8),
    (lambda s: plotting.grouping_effect(rstudy.load_fits(s, "grouped_highdim")), 1),
    (lambda s: plotting.second_parameter({"enet_naive": rstudy.replicate_fits(s, "grouped_highdim", "enet_naive")}), 1),
])
def test_figures_draw_one_panel_per_item(study, fn, n_axes):
    fig = fn(study)
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    main = [ax for ax in visible if ax.get_xlabel() or ax.get_ylabel() or ax.get_title()]
    assert len(main) >= n_axes
    assert all(ax.has_data() for ax in main)


def test_paths_draw_every_coefficient_signal_in_colour(study):
    fits = rstudy.load_fits(study, "grouped_highdim")
    fig = plotting.paths_and_curves(fits)
    lasso = fits["lasso"]
    ax = fig.axes[2 * [m for m in METHODS if m != "ols"].index("lasso")]
    noise, signal = ax.collections[:2]
    on = np.asarray(lasso["coef_true"]) != 0
    assert len(signal.get_segments()) == on.sum() and len(noise.get_segments()) == (~on).sum()
    assert np.allclose(signal.get_segments()[0][:, 1], np.asarray(lasso["coefs"])[on][0])
    assert np.allclose(signal.get_colors()[0][:3], matplotlib.colors.to_rgb(plotting.COLORS["lasso"]))
    lo, hi = ax.get_ylim()
    assert lo <= np.min(lasso["coefs"]) and hi >= np.max(lasso["coefs"])  # autoscaled to every path


def test_paths_mark_lambda_min_and_1se(study):
    fits = rstudy.load_fits(study, "sparse_lowdim")
    fig = plotting.paths_and_curves(fits)
    cv_ax = fig.axes[1]
    labels = [line.get_label() for line in cv_ax.get_lines()]
    assert "lambda min" in labels and "lambda 1-SE" in labels


def test_grouping_without_groups_says_so(study):
    fits = rstudy.load_fits(study, "sparse_lowdim")
    fig = plotting.grouping_effect(fits)
    assert "no correlated groups" in fig.axes[0].texts[0].get_text()


def test_index_links_every_page_relatively(tmp_path, study):
    pages = ["primer.html", "comparison.html", "scenario_a.html"]
    out = rindex.build_index(tmp_path / "index.html", "tiny",
                             [(p, rindex.page_label(p)) for p in pages], study.scenarios)
    text = out.read_text()
    for p in pages:
        assert f'href="{p}"' in text and f'href="{p[:-5]}.ipynb"' in text
    assert str(tmp_path) not in text and "sparse_lowdim" in text


def test_page_order_gives_a_crossed_design_one_page_where_its_first_cell_stands():
    table = pd.DataFrame({"name": ["a", "g-rho0", "g-rho1", "b", "h-x1"], "grid": [None, "g", "g", "", "h"]})
    expected = ["primer", "comparison", "scenario_a", "grid_g", "scenario_b", "grid_h"]
    assert rindex.page_order(table) == expected
    config = [{"name": "a"}, {"name": "g-rho0", "cell": {"grid": "g", "rho": 0}}, {"name": "g-rho1", "cell":
              {"grid": "g", "rho": 1}}, {"name": "b"}, {"name": "h", "grid": {"x": [1]}}]  # h: not yet expanded
    assert rindex.page_order(config) == expected
    assert rindex.page_order(["a", "b"]) == ["primer", "comparison", "scenario_a", "scenario_b"]
    nav = rindex.page_nav("grid_g", expected)
    assert 'href="scenario_a.html">previous: Scenario a' in nav and 'href="scenario_b.html">next:' in nav
    assert "next:" not in rindex.page_nav("grid_h", expected)
    assert rindex.page_label("grid_g") == "Crossed design g: its cells, the regime map"


def test_a_study_reads_each_fit_once(study, monkeypatch):
    fresh = rstudy.load_study(study.fits_dir.parent)
    calls = []
    monkeypatch.setattr(rstudy, "load_npz", lambda path: calls.append(path) or {"path": str(path)})
    first = rstudy.load_fits(fresh, "sparse_lowdim", 0)
    again = rstudy.load_fits(fresh, "sparse_lowdim", 0)
    assert len(calls) == len(METHODS) and first == again
    assert rstudy.load_fit(fresh, "sparse_lowdim", 0, "no_such_method") is None


def test_params_cli_writes_typed_yaml(tmp_path):
    out = tmp_path / "p.yaml"
    cli_main(["report-params", str(out), "results_dir=\"..\"", "seed=3", "alpha=0.5",
                 "scenario=\"1\"", "flag=true", "bare=word"])
    values = yaml.safe_load(out.read_text())
    assert values == {"results_dir": "..", "seed": 3, "alpha": 0.5, "scenario": "1",
                      "flag": True, "bare": "word"}
    assert json.dumps(values)


# ------------------------------------------------------------------------------ primer
def test_primer_l1_norms_match_the_article():
    t = primer.l1_norms([[2, 4], [-1, -2.5]])
    assert t["||w||_1"].tolist() == [6.0, 3.5]
    assert list(t.index) == ["[2, 4]", "[-1, -2.5]"]


def test_primer_degree_10_oscillates_and_degree_3_does_not():
    x, y = primer.loans_data(12, 0)
    grid = primer.grid_for(x)
    t = primer.oscillation_table(x, y, grid, primer.polyfit_curves(x, y, (3, 10), grid))
    swing = t["swing / data range"]
    assert swing["degree 10 (polyfit)"] > 3 and swing["degree 3 (polyfit)"] <= 1.2
    # the degree-10 curve fits the points better, yet swings more: the article's point
    assert t.loc["degree 10 (polyfit)", "train_rmse"] < t.loc["degree 3 (polyfit)", "train_rmse"]


def test_primer_penalty_descent_l1_reaches_zero_l2_does_not():
    steps, table = primer.penalty_descent(1.0, 0.125, 16)
    l1, l2 = steps.values()
    assert l1[8] == 0.0 and np.all(l2 > 0)
    np.testing.assert_allclose(l2[1:] / l2[:-1], 0.75)
    assert table["exactly zero"].tolist() == [True, False]


def test_primer_gradients():
    w, grads = primer.penalty_gradients(np.array([-1.0, 0.0, 0.5]))
    g1, g2 = grads.values()
    assert g1[0] == -1 and np.isnan(g1[1]) and g1[2] == 1
    np.testing.assert_allclose(g2, [-2.0, 0.0, 1.0])


def test_primer_regularized_fits_l1_exact_zeros_l2_none():
    pytest.importorskip("regbench.fitting.solver")
    x, y = primer.loans_data(12, 0)
    curves, coefs, facts = primer.regularized_poly_fits(x, y, 10, 0.01, 0.5)
    assert facts.loc["ridge (L2)", "exact_zeros"] == 0
    assert facts.loc["lasso (L1)", "exact_zeros"] > 0
    assert facts["converged"].all()
    assert coefs.shape == (10, 4)
    for values in curves.values():  # penalized curves stay within a sane band of the data
        assert np.ptp(values) < 2 * np.ptp(y)


def test_primer_figures():
    x, y = primer.loans_data()
    grid = primer.grid_for(x)
    assert len(plotting.polyfit_figure(x, y, grid, primer.polyfit_curves(x, y, (3, 10), grid))
               .axes[0].get_lines()) == 3
    assert len(plotting.l1_norm_figure([[2, 4], [-1, -2.5]]).axes) == 2
    w, g = primer.penalty_gradients()
    assert len(plotting.penalty_gradients(w, g, primer.penalty_descent()[0]).axes) == 2
    assert len(plotting.unit_balls().axes[0].get_legend().get_texts()) == 3


def test_notebooks_are_stored_clean_with_parameters_cell():
    import nbformat
    from report_fixture import REPO

    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert nb.metadata["kernelspec"]["name"] == "python3"
        # no logic: no loops, no function definitions, no fitting in the notebooks
        for c in code:
            assert not any(k in c.source for k in ("def ", "for ", "while ", ".fit(")), path.name


def test_summary_table_handles_nan():
    assert rtables._fmt(np.nan, 0.1) == "n/a"
    assert rtables._fmt(1.23456, np.nan) == "1.23"
    assert rtables._fmt(1000.0, 5.6e-17) == "1000 (0)"
    assert rtables._fmt(0.4, 5.6e-17) == "0.4 (0)"
    assert rtables._fmt(0.4, 0.05) == "0.4 (0.05)"
    assert isinstance(pd.DataFrame, type)


def test_primer_held_out_error_turns_the_story():
    x, y = primer.loans_data(12, 0)
    t = primer.held_out_table(x, y, (3, 10), 0)
    d3, d10 = t.loc["degree 3 (polyfit)"], t.loc["degree 10 (polyfit)"]
    assert d10["training RMSE"] < d3["training RMSE"]      # degree 10 fits the observed weeks better
    assert d10["held-out RMSE"] > 3 * d3["held-out RMSE"]  # and predicts new weeks far worse


def test_primer_strengths_chosen_by_cv_and_stated():
    x, y = primer.loans_data(12, 0)
    s = primer.cv_strengths(x, y, 10, 0.5)
    assert len(set(round(v, 6) for v in s.values())) == 3  # the three penalties at their own strengths
    curves, facts = primer.fits_at_strengths(x, y, s, 10)
    assert all(f"alpha={a:.3g}" in label for label, a in zip(curves, s.values()))
    assert facts.loc["ridge (L2)", "exact zeros"] == 0 and facts.loc["lasso (L1)", "exact zeros"] > 0


def test_primer_loss_touches_the_l1_ball_at_a_corner_and_the_text_matches_the_descent():
    sol = primer.constrained_solutions()
    w1, w2 = sol["L1 (lasso)"][0]
    assert abs(w1) + abs(w2) == pytest.approx(1) and w2 == 0
    assert np.all(np.abs(sol["L2 (ridge)"][0]) > 0.1) and np.linalg.norm(sol["L2 (ridge)"][0]) == pytest.approx(1)
    steps, _ = primer.penalty_descent(1.0, 0.125, 4)
    l2 = steps["L2 (steps of size 2w)"]
    assert l2[1] / l2[0] == pytest.approx(primer.descent_factor(0.125)) == pytest.approx(0.75)
    assert "= 0.75 at each step" in primer.descent_text(0.125)
    assert isinstance(plotting.contours_and_balls(sol), Figure)


def test_one_palette_for_every_label():
    for label, method in [("lasso (L1)", "lasso"), ("ridge (L2)", "ridge"), ("L1: d|w|/dw = sign(w)", "lasso"),
                          ("degree 10, elastic net (l1_ratio=0.5), alpha=0.04", "enet_naive"),
                          ("corrected elastic net", "enet_corrected"), ("enet_naive", "enet_naive")]:
        assert plotting.color_of(label) == METHOD_REGISTRY[method].color, label
    assert plotting.color_of("degree 3 (polyfit)") not in {m.color for m in METHOD_REGISTRY.values()}

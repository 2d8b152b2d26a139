"""The regime map on a constructed crossed study: cells over (rho, snr) whose winners are set by construction;
the map names them, marks the tie, flips when the numbers flip; regret and the advice scored on the map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from regbench.advise import map_scores
from regbench.evaluate.paired import paired_table
from regbench.report import regimes
from regbench.report import study as rstudy

RHOS, SNRS = [0.0, 0.9], [1.0, 10.0]


def _winner(rho, snr):
    # by construction: correlation favours the corrected elastic net, independence the lasso; low SNR at rho 0: tie
    return "enet_corrected" if rho >= 0.9 else "lasso"


def _crossed(tmp_path, flip=False, reps=12):
    rng = np.random.default_rng(0)
    rows, scen = [], []
    for rho in RHOS:
        for snr in SNRS:
            name = f"rho{rho:g}_snr{snr:g}"
            scen.append(dict(name=name, design="toeplitz", truth="sparse", n=100, n_train=100, p=50, rho=rho,
                             snr=snr, k=5, grid="g1"))
            win = _winner(rho, snr)
            if flip:
                win = "lasso" if win == "enet_corrected" else "enet_corrected"
            tie = rho == 0.0 and snr == 1.0
            for r in range(reps):
                base = np.exp(rng.normal(0, 1))
                for m in ("lasso", "ridge", "enet_corrected"):
                    if m == win:
                        f = 1.0
                    elif m == "ridge":
                        f = 1.5
                    else:
                        f = 1.0 if tie else 1.2
                    rows.append(dict(study="x", scenario=name, replicate=r, method=m,
                                     pred_error=base * f * np.exp(rng.normal(0, 0.02)), test_mse=np.nan))
    metrics = pd.DataFrame(rows)
    scenarios = pd.DataFrame(scen)
    return rstudy.Study("x", metrics, pd.DataFrame(), scenarios, tmp_path / "fits", paired_table(metrics))


def test_map_names_the_winners_marks_ties_and_flips(tmp_path):
    study = _crossed(tmp_path)
    cells = regimes.crossed_cells(study)
    assert len(cells) == 4 and regimes.regime_axes(cells) == ["rho", "snr"]
    t = regimes.regime_table(study, cells).set_index("scenario")
    for rho in RHOS:
        for snr in SNRS:
            row = t.loc[f"rho{rho:g}_snr{snr:g}"]
            if rho == 0.0 and snr == 1.0:
                assert row["tie"] and row["margin_lo"] <= 1 <= row["margin_hi"]
            else:
                assert row["winner"] == _winner(rho, snr) and not row["tie"]
                assert row["margin"] == pytest.approx(1.2, abs=0.03)
    flipped = regimes.regime_table(_crossed(tmp_path, flip=True)).set_index("scenario")
    assert flipped.loc["rho0.9_snr10", "winner"] == "lasso"
    assert flipped.loc["rho0_snr10", "winner"] == "enet_corrected"
    fig = regimes.regime_map(regimes.regime_table(study), ["rho", "snr"])
    assert isinstance(fig, Figure)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "tie" in texts and sum(x.endswith("x") for x in texts) == 3


def test_regret_and_the_advice_scored_on_the_map(tmp_path):
    study = _crossed(tmp_path)
    r = regimes.regret_table(study).set_index("method")
    assert r.loc["ridge (L2)", "won"] == 0 and r.loc["ridge (L2)", "median regret"] == pytest.approx(1.5, abs=0.05)
    assert r.loc["lasso (L1)", "won or tied"] >= 2
    # advice that always says lasso: right in the rho = 0 cells, 20% regret in the others
    advice = pd.DataFrame({"scenario": study.scenarios["name"], "advised": "L1"})
    s = regimes.advice_on_map(study, advice).set_index("policy")
    row = s.loc["the article's advice (regbench advise)"]
    assert row["cells"] == 4 and row["picks the winner or a tie"] == "50%"
    assert row["largest regret"] == pytest.approx(1.2, abs=0.03)
    assert s.loc["always the elastic net", "picks the winner or a tie"] == "75%"  # wins 2, ties 1
    # the same numbers as the advice step's own scores (one definition, regbench.advise.map_scores)
    picks = map_scores.policy_picks(advice, study.metrics, study.paired)
    summary = map_scores.score_summary(picks).set_index("policy")
    assert row["regret"] == pytest.approx(summary.loc["advice", "regret"], abs=5e-4)
    assert s.loc["always the lasso", "advice / this policy"].startswith("1.000")  # the advice is always the lasso
    assert s.loc["CV on the data (smallest CV error)", "cells"] == 0  # no cv_error column in this study


def test_no_map_without_crossed_cells(tmp_path):
    study = _crossed(tmp_path)
    plain = rstudy.Study("x", study.metrics, study.summary, study.scenarios.drop(columns=["grid"]),
                         study.fits_dir, study.paired)
    assert regimes.crossed_cells(plain) is None
    assert regimes.regime_table(plain).empty


def test_axes_follow_the_studys_grid_axes(tmp_path):
    study = _crossed(tmp_path)
    cells = regimes.crossed_cells(study).assign(grid_axes="snr rho", extra=[1, 2, 3, 4])
    assert regimes.regime_axes(cells) == ["snr", "rho"]  # the order the study wrote, not the candidates'

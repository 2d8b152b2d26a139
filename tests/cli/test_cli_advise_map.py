"""`regbench advise` on a user's file also lists what won in the shipped regime map's cells nearest to the file's
measured regime (n/p and the 90th percentile of pairwise |r|), with the map's provenance; without a map it says
nothing of it."""

import hashlib

import numpy as np
import pandas as pd
import pytest

import regbench.advise.map_scores as map_scores
import regbench.cli.advise as cli_advise
from regbench.cli import main
from regbench.evaluate.paired import paired_table

MAP = """# study: regimes
# config: config/regimes.yaml
# commit: 0123456789abcdef
# date: 2026-12-01
# replicates: 10
# metric: pred_error
scenario,rho,n,p,n_over_p,nonzero_fraction,snr,abs_r_q90,winner,winner_category
tall-indep,0.0,200,20,10.0,0.15,5.0,0.15,ols,none
tall-corr,0.9,200,20,10.0,0.15,5.0,0.85,ridge,L2
wide-indep,0.0,50,200,0.25,0.015,5.0,0.35,lasso,L1
"""


@pytest.fixture
def tall_file(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 20))
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)])
    df["y"] = X[:, :3].sum(axis=1) + rng.standard_normal(200)
    path = tmp_path / "tall.csv"
    df.to_csv(path, index=False)
    return path


def test_advise_lists_the_nearest_cells(tall_file, tmp_path, monkeypatch, capsys):
    shipped = tmp_path / "regime_map.csv"
    shipped.write_text(MAP)
    monkeypatch.setattr(map_scores, "REGIME_MAP", shipped)
    monkeypatch.setattr(cli_advise, "REGIME_MAP", shipped)
    assert main(["advise", str(tall_file), "--target", "y", "--no-measure"]) == 0
    out = capsys.readouterr().out
    assert "cells of the regime map nearest to this file (n/p = 10," in out
    lines = [ln.strip() for ln in out.splitlines() if "->" in ln and ln.strip().split()[0] in
             ("tall-indep", "tall-corr", "wide-indep")]
    # independent columns at n/p = 10: the independent tall cell first, the correlated one next
    assert [ln.split()[0] for ln in lines] == ["tall-indep", "tall-corr", "wide-indep"]
    assert lines[0].endswith("-> ols (none)")
    assert "commit 0123456789ab, 2026-12-01, 10 replicates, metric pred_error" in out


def test_advise_without_a_map_says_nothing_of_it(tall_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli_advise, "REGIME_MAP", tmp_path / "absent.csv")
    assert main(["advise", str(tall_file), "--target", "y", "--no-measure"]) == 0
    assert "regime map" not in capsys.readouterr().out


def _study_tables(tmp_path):
    """advice.csv, metrics.csv, scenarios.csv and paired.csv of a two-cell crossed study: lasso wins the wide cell,
    ridge the tall correlated one."""
    rng = np.random.default_rng(1)
    rows = []
    for scen, winner in (("wide", "lasso"), ("tall", "ridge")):
        for r in range(6):
            base = np.exp(rng.normal())
            for m in ("lasso", "ridge", "enet_naive"):
                f = 1.0 if m == winner else 1.3
                rows.append({"study": "regimes", "scenario": scen, "replicate": r, "method": m,
                             "pred_error": base * f * np.exp(rng.normal(0, 0.01)), "test_mse": np.nan,
                             "cv_error": base * f})
    metrics = pd.DataFrame(rows)
    scenarios = pd.DataFrame({"name": ["wide", "tall"], "design": "toeplitz", "truth": ["sparse", "dense"],
                              "k": [5, np.nan], "n_train": [50, 200], "p": [200, 20], "rho": [0.0, 0.9],
                              "snr": [5.0, 5.0], "grid": "regime", "grid_axes": "rho", "replicates": 6})
    advice = pd.DataFrame({"study": "regimes", "scenario": ["wide", "tall"], "advised": ["L1", "elastic net"],
                           "abs_r_q90": [0.2, 0.85]})
    paths = {}
    for name, df in (("metrics", metrics), ("scenarios", scenarios), ("advice", advice),
                     ("paired", paired_table(metrics, n_boot=200))):
        paths[name] = tmp_path / f"{name}.csv"
        df.to_csv(paths[name], index=False)
    return paths


def test_score_advice_writes_the_map_that_advise_reads(tall_file, tmp_path, monkeypatch, capsys):
    t = _study_tables(tmp_path)
    config = tmp_path / "regimes.yaml"
    config.write_text("study: regimes\n")
    out = {k: tmp_path / f"{k}.csv" for k in ("scores", "summary", "map")}
    assert main(["score-advice", "--advice", str(t["advice"]), "--metrics", str(t["metrics"]), "--scenarios",
                 str(t["scenarios"]), "--paired", str(t["paired"]), "--out", str(out["scores"]), "--out-summary",
                 str(out["summary"]), "--out-map", str(out["map"]), "--config-file", str(config)]) in (0, None)
    table, prov = map_scores.load_regime_map(out["map"])
    assert prov["study"] == "regimes" and prov["replicates"] == "6" and prov["metric"] == "pred_error"
    assert prov["config_sha256"] == hashlib.sha256(config.read_bytes()).hexdigest()[:16]
    assert table.set_index("scenario")["winner"].to_dict() == {"wide": "lasso", "tall": "ridge"}
    summary = pd.read_csv(out["summary"]).set_index(["group", "policy"])
    assert summary.loc[("all", "always_lasso"), "agreement"] == 0.5  # right in the wide cell only
    assert summary.loc[("rho=0.9", "advice"), "cells"] == 1
    monkeypatch.setattr(map_scores, "REGIME_MAP", out["map"])
    monkeypatch.setattr(cli_advise, "REGIME_MAP", out["map"])
    assert main(["advise", str(tall_file), "--target", "y", "--no-measure"]) == 0
    text = capsys.readouterr().out
    assert "the 2 cells of the regime map nearest to this file (n/p = 10," in text
    assert "tall" in text and "-> ridge (L2)" in text and "winners: L2 1, L1 1" in text

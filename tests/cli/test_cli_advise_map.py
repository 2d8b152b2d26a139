"""`regbench advise` on a user's file also lists what won in the shipped regime map's cells nearest to the file's
measured regime (n/p and the 90th percentile of pairwise |r|), with the map's provenance; without a map it says
nothing of it."""

import numpy as np
import pandas as pd
import pytest

import regbench.advise.map_scores as map_scores
import regbench.cli.advise as cli_advise
from regbench.cli import main

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

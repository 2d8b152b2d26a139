"""The regime map shipped in the package (src/regbench/advise/regime_map.csv, `make regime-map`): produced by the
shipped regime study, as its provenance says (config sha256, replicates), one row per cell of config/regimes.yaml,
small, and read by `regbench advise` on a user's file."""

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from regbench.advise import map_scores
from regbench.cli import main
from regbench.evaluate.methods import METHOD_NAMES, category_of
from regbench.study.grid import expand_grids

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "regimes.yaml"

pytestmark = pytest.mark.skipif(not map_scores.REGIME_MAP.is_file(),
                                reason="src/regbench/advise/regime_map.csv is not shipped yet: run `make regime-map`")


def test_the_shipped_map_is_the_shipped_studys():
    table, prov = map_scores.load_regime_map()
    config = yaml.safe_load(CONFIG.read_text())
    assert prov["study"] == config["study"] and prov["config"].endswith("config/regimes.yaml")
    assert prov["config_sha256"] == hashlib.sha256(CONFIG.read_bytes()).hexdigest()[:16], \
        "regime_map.csv is stale: rerun `make regime-map` after editing config/regimes.yaml"
    assert int(prov["replicates"]) == config["replicates"] and len(prov["commit"]) == 40
    assert not expand_grids(config)
    assert sorted(table["scenario"]) == sorted(s["name"] for s in config["scenarios"])
    assert set(table["winner"]) <= set(config["methods"])
    assert (table["winner_category"] == table["winner"].map(category_of)).all()
    for m in METHOD_NAMES:  # the winner's regret is 1, every other method's at least 1
        col = table[f"regret_{m}"]
        assert (col[table["winner"] == m] == 1.0).all() and (col.dropna() >= 1.0).all()
    assert table["abs_r_q90"].between(0, 1).all() and np.isfinite(table["n_over_p"]).all()
    assert map_scores.REGIME_MAP.stat().st_size < 50_000  # a small table


def test_advise_reports_the_nearest_shipped_cells(tmp_path, capsys):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 240))  # p >> n, independent columns
    df = pd.DataFrame(X, columns=[f"g{i}" for i in range(240)])
    df["y"] = X[:, :4].sum(axis=1) + rng.standard_normal(60)
    data = tmp_path / "wide.csv"
    df.to_csv(data, index=False)
    assert main(["advise", str(data), "--target", "y", "--no-measure"]) == 0
    out = capsys.readouterr().out
    assert "the 6 cells of the regime map nearest to this file (n/p = 0.25," in out
    cells = [ln.split()[0] for ln in out.splitlines() if ln.startswith("  regime-")]
    assert len(cells) == 6 and all("-p_gg_n-" in c for c in cells)  # n/p = 0.25: the p >> n cells
    assert "(map: study regimes, config/regimes.yaml, commit " in out

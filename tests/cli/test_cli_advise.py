"""`regbench advise`, `regbench compare` and `regbench advise-study` through the command line."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regbench.cli import main


@pytest.fixture
def csv(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(5)])
    frame["y"] = X[:, 0] * 2 - X[:, 1] + 0.5 * rng.standard_normal(60)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _files(d):
    return sorted(p.name for p in Path(d).iterdir())


def test_advise_prints_the_three_questions(csv, capsys):
    assert main(["advise", str(csv), "--target", "y"]) == 0
    out = capsys.readouterr().out
    for text in ("1. Prior knowledge", "2. Room for validation", "3. Computational requirements", "article:",
                 "Measured tuning-path cost", "Recommendation:"):
        assert text in out


def test_advise_validate_and_json(csv, tmp_path, capsys):
    record = tmp_path / "advice.json"
    assert main(["advise", str(csv), "--target", "y", "--validate", "--no-measure", "--json", str(record)]) == 0
    out = capsys.readouterr().out
    assert "Validation (5-fold CV" in out and ("HELD" in out or "DID NOT HOLD" in out)
    for method in ("ols", "lasso", "ridge", "enet_naive", "enet_corrected"):
        assert method in out
    rec = json.loads(record.read_text())
    assert rec["advised"] in ("none", "L1", "L2", "elastic net") and rec["p"] == 5 and "advice_held" in rec


@pytest.mark.parametrize("case, match", [
    ("missing_file", "not found"),
    ("missing_target", "target column 'y' not found"),
    ("non_numeric", "non-numeric column"),
    ("missing_values", "2 missing"),
    ("too_few_rows", "only 2 row"),
])
@pytest.mark.parametrize("cmd", ["advise", "compare"])
def test_bad_input_is_a_clear_error_and_writes_nothing(cmd, case, match, tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    path = d / "data.csv"
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [0.5, 1, 2, 3], "y": [1.0, 2, 3, 5]})
    if case == "missing_target":
        frame = frame.drop(columns="y")
    elif case == "non_numeric":
        frame["city"] = ["x", "y", "z", "w"]
    elif case == "missing_values":
        frame.loc[1, "a"] = np.nan
        frame.loc[3, "y"] = np.nan
    elif case == "too_few_rows":
        frame = frame.iloc[:2]
    if case != "missing_file":
        frame.to_csv(path, index=False)
    before = _files(d)
    extra = ["--json", str(d / "advice.json")] if cmd == "advise" else ["--study", "test_bad_input_never_written"]
    assert main([cmd, str(path), "--target", "y", *extra]) == 2
    err = capsys.readouterr().err
    assert f"regbench {cmd}: error:" in err and match in err
    assert _files(d) == before
    from regbench.study.compare import repository_root
    assert not (repository_root() / "results" / "test_bad_input_never_written").exists()


def test_advise_study_writes_one_row_per_scenario(tmp_path):
    from regbench.data.io import save_dataset
    from regbench.data.simulate import simulate

    paths = []
    for name, design in (("grouped", "grouped"), ("indep", "independent")):
        ds = simulate({"name": name, "design": design, "n": 60, "p": 20, "n_test": 10}, study_seed=1, replicate=0)
        paths.append(tmp_path / f"{name}.npz")
        save_dataset(paths[-1], ds)
    out = tmp_path / "advice.csv"
    assert main(["advise-study", "--study", "s", "--no-measure", "--data", *map(str, paths), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["scenario"].tolist() == ["grouped", "indep"]
    assert table.loc[0, "n_groups"] == 3 and table.loc[0, "largest_group"] == 5
    assert set(table["advised"]) <= {"none", "L1", "L2", "elastic net"}
    assert table["reasons"].notna().all()


@pytest.mark.slow
def test_compare_runs_the_pipeline_and_writes_a_report(csv, capsys):
    from regbench.study.compare import repository_root

    study = "test_compare_cli"
    out = repository_root() / "results" / study
    shutil.rmtree(out, ignore_errors=True)
    try:
        assert main(["compare", str(csv), "--target", "y", "--study", study, "--folds", "3"]) == 0
        text = (out / "compare.md").read_text()
        for method in ("ols", "lasso", "ridge", "enet_naive", "enet_corrected"):
            assert f"| {method}" in text
        assert "Advised:" in text and "lowest test MSE" in text
        metrics = pd.read_csv(out / "metrics.csv")
        assert metrics["pred_error"].isna().all() and metrics["test_mse"].notna().all()  # no truth: NaN, not faked
        assert (out / "advice.csv").exists() and (out / "study.yaml").exists()
    finally:
        shutil.rmtree(out, ignore_errors=True)

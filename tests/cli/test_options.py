"""Every option of the commands is checked before any work: out of its range, the command exits with status 2 and
a message naming the option, its allowed range and the value given, and writes nothing."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regbench.advise.validate import validate_advice
from regbench.cli import main
from regbench.study.compare import repository_root

STUDY = "test_options_never_written"


@pytest.fixture
def csv(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"]).assign(y=X[:, 0] + 0.5 * rng.standard_normal(60))
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _refused(argv, capsys, *expected, tmp_path=None):
    """The command exits 2 with every expected text in its error, and writes nothing (no new file, no study)."""
    before = sorted(Path(tmp_path).rglob("*")) if tmp_path else None
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse's own exit
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2, err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err
    if tmp_path:
        assert sorted(Path(tmp_path).rglob("*")) == before
    assert not (repository_root() / "results" / STUDY).exists()
    return err


@pytest.mark.parametrize("option, value, expected", [
    ("--cores", "0", "argument --cores: must be an integer >= 1; got 0"),
    ("--cores", "two", "argument --cores: must be an integer >= 1; got 'two'"),
    ("--folds", "1", "argument --folds: must be an integer >= 2"),
    ("--replicates", "0", "argument --replicates: must be an integer >= 1; got 0"),
    ("--test-fraction", "0", "argument --test-fraction: must be a number > 0 and < 1; got 0"),
    ("--test-fraction", "1", "argument --test-fraction: must be a number > 0 and < 1; got 1"),
    ("--test-fraction", "nan", "argument --test-fraction: must be a number > 0 and < 1; got 'nan'"),
    ("--test-rows", "0", "argument --test-rows: must be an integer >= 1 (1-based row numbers); got 0"),
])
def test_compare_option_out_of_range(csv, capsys, tmp_path, option, value, expected):
    _refused(["compare", str(csv), "--target", "y", "--study", STUDY, option, value], capsys, expected,
             tmp_path=tmp_path)


def test_compare_folds_above_the_training_rows_names_the_option(csv, capsys, tmp_path):
    _refused(["compare", str(csv), "--target", "y", "--study", STUDY, "--folds", "50"], capsys,
             "tuning.folds: 50 folds", "n=45", "--folds sets tuning.folds", tmp_path=tmp_path)


@pytest.mark.parametrize("option, value, expected", [
    ("--cv", "1", "argument --cv: must be an integer >= 2 (K-fold cross-validation needs at least 2 folds); got 1"),
    ("--cv", "500", "argument --cv: 500 folds need at least 500 rows"),
    ("--time-budget", "-1", "argument --time-budget: must be a number > 0; got -1"),
    ("--time-budget", "0", "argument --time-budget: must be a number > 0; got 0"),
    ("--time-budget", "inf", "argument --time-budget: must be a number > 0; got 'inf'"),
])
def test_advise_option_out_of_range(csv, capsys, tmp_path, option, value, expected):
    err = _refused(["advise", str(csv), "--target", "y", "--validate", option, value], capsys, expected,
                   tmp_path=tmp_path)
    if value == "500":
        assert "n = 60" in err and "--cv 2..60" in err
    if value == "1":
        assert "n = 60" not in err  # the option is blamed, not the data


def test_advise_json_that_is_a_directory(csv, capsys, tmp_path):
    _refused(["advise", str(csv), "--target", "y", "--no-measure", "--json", str(tmp_path)], capsys,
             f"argument --json: {str(tmp_path)!r} is a directory", tmp_path=tmp_path)


def test_advise_json_in_a_missing_folder(csv, capsys, tmp_path):
    target = tmp_path / "nowhere" / "a.json"
    _refused(["advise", str(csv), "--target", "y", "--no-measure", "--json", str(target)], capsys,
             "argument --json: the folder of", "does not exist", tmp_path=tmp_path)


def test_advise_json_unwritable_is_a_clear_error(csv, capsys, tmp_path, monkeypatch):
    """A read-only folder (simulated: the tests may run as root, who can write anywhere)."""
    import regbench.cli.advise as cli_advise

    def denied(path, *a, **k):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(cli_advise, "atomic_path", denied)
    _refused(["advise", str(csv), "--target", "y", "--no-measure", "--json", str(tmp_path / "a.json")], capsys,
             "cannot write", "Permission denied", "a.json", tmp_path=tmp_path)


def test_compare_unwritable_results_is_a_clear_error(csv, capsys, monkeypatch):
    import regbench.cli.compare as cli_compare

    def denied(path, *a, **k):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(cli_compare, "atomic_path", denied)
    _refused(["compare", str(csv), "--target", "y", "--study", STUDY], capsys, "cannot write", "Permission denied",
             "study.yaml")


def test_compare_results_path_taken_by_a_file(csv, capsys):
    path = repository_root() / "results" / "test_options_a_file"
    path.parent.mkdir(exist_ok=True)
    path.write_text("not a folder")
    try:
        try:
            rc = main(["compare", str(csv), "--target", "y", "--study", path.name])
        except SystemExit as exc:
            rc = exc.code
        err = capsys.readouterr().err
        assert rc == 2 and "is a file, not a results folder" in err
        assert path.read_text() == "not a folder"
    finally:
        path.unlink()


def test_simulate_seed_must_be_non_negative(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "--scenario", json.dumps({"name": "a"}), "--seed", "-1", "--replicates", "0", "--out",
              "x.npz"])
    assert exc.value.code == 2
    assert "argument --seed: must be an integer >= 0; got -1" in capsys.readouterr().err


def test_validation_folds_are_never_capped():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((8, 2)), rng.standard_normal(8)
    with pytest.raises(ValueError, match=r"cv=9: the validation needs 2 <= cv <= n folds, n = 8"):
        validate_advice(X, y, "L1", cv=9, inner_cv=3)
    assert validate_advice(X, y, "L1", cv=8, inner_cv=3).folds == 8  # leave-one-out is run as asked


def test_report_params_pairs_must_be_key_value(tmp_path, capsys):
    out = tmp_path / "p.yaml"
    with pytest.raises(SystemExit) as exc:
        main(["report-params", str(out), "seed=0", "results_dir"])
    assert exc.value.code == 2 and not out.exists()
    assert "must be KEY=VALUE" in capsys.readouterr().err
    assert main(["report-params", str(out), "seed=0", 'scenario="a=b"']) == 0
    assert out.read_text() == "seed: 0\nscenario: a=b\n"

"""regbench.data.tables: the shipped prostate data and the user's CSV/parquet tables with their bad-input errors."""

import hashlib
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from regbench.data.tables import PROSTATE_TEST_ROWS, DataError, DataFileNotFoundError, load_prostate, load_table

PROSTATE_SHA256 = "b0ae33008594170794f650d416012fa4f0a7ed6fe089018406a9a293c068eff7"


def test_prostate_file_is_the_faraway_copy():
    data = (resources.files("regbench") / "data" / "prostate.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() == PROSTATE_SHA256


def test_prostate_shape_names_and_row_32():
    t = load_prostate()
    assert t.X.shape == (97, 8) and t.y.shape == (97,)
    assert t.feature_names == ("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45")
    assert t.target == "lpsa"
    assert t.X[31, 1] == pytest.approx(6.1076)  # row 32 (1-based): the original data's lweight
    assert np.all(np.diff(t.y) >= 0)  # ESL order: sorted by lpsa
    assert t.y[0] == pytest.approx(-0.43078) and t.y[-1] == pytest.approx(5.58293)


def test_prostate_esl_split():
    t = load_prostate()
    assert len(PROSTATE_TEST_ROWS) == 30
    assert t.test.tolist() == [r - 1 for r in PROSTATE_TEST_ROWS]
    assert t.train.size == 67 and np.intersect1d(t.train, t.test).size == 0
    assert np.union1d(t.train, t.test).tolist() == list(range(97))
    Xtr, ytr, Xte, yte = t.split()
    assert Xtr.shape == (67, 8) and Xte.shape == (30, 8)
    # ESL Table 3.1 (training-set correlation of lcavol and lweight is 0.300 with row 32's original value)
    assert np.corrcoef(Xtr[:, 0], Xtr[:, 1])[0, 1] == pytest.approx(0.300, abs=5e-4)


def _write(tmp_path, frame, name="d.csv"):
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return path


def test_load_csv_and_parquet(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [0, 1, 0, 1], "flag": [True, False, True, True],
                          "y": [0.5, 1.5, 2.5, 3.0]})
    for name in ("d.csv", "d.parquet"):
        t = load_table(_write(tmp_path, frame, name), "y")
        assert t.feature_names == ("a", "b", "flag")
        np.testing.assert_array_equal(t.X[:, 2], [1, 0, 1, 1])
        np.testing.assert_array_equal(t.y, frame["y"])
        assert t.X.dtype == np.float64 and t.train is None
    t = load_table(_write(tmp_path, frame), "y", features=["b"])
    assert t.X.shape == (4, 1)


def _snapshot(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir())


def test_missing_file(tmp_path):
    with pytest.raises(DataFileNotFoundError, match="not found"):
        load_table(tmp_path / "nope.csv", "y")
    with pytest.raises(FileNotFoundError):
        load_table(tmp_path / "nope.csv", "y")
    assert _snapshot(tmp_path) == []


def test_missing_target(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 4]}))
    before = _snapshot(tmp_path)
    with pytest.raises(DataError, match=r"target column 'y' not found.*'a', 'b'"):
        load_table(path, "y")
    assert _snapshot(tmp_path) == before


def test_non_numeric_columns(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"a": [1, 2, 3], "city": ["x", "y", "z"], "b": ["1", "2", "oops"],
                                          "y": [1, 2, 3]}))
    with pytest.raises(DataError, match=r"2 non-numeric column\(s\).*'city'.*'b'.*'oops'"):
        load_table(path, "y")


def test_missing_values_count_and_where(tmp_path):
    frame = pd.DataFrame({"a": [1, None, 3, 4, 5], "b": [1, 2, 3, None, None], "y": [1, 2, 3, 4, 5]})
    path = _write(tmp_path, frame)
    with pytest.raises(DataError) as err:
        load_table(path, "y")
    msg = str(err.value)
    assert "3 missing" in msg and "3 row(s)" in msg and "'a': 1" in msg and "'b': 2" in msg
    assert "rows (1-based, header not counted): 2, 4, 5" in msg
    assert _snapshot(tmp_path) == ["d.csv"]


def test_missing_target_value_and_infinite(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"a": [1, 2, 3, 4], "y": [1, 2, None, 4]}))
    with pytest.raises(DataError, match=r"1 missing.*'y': 1.*: 3\."):
        load_table(path, "y")
    path = _write(tmp_path, pd.DataFrame({"a": [1, np.inf, 3, 4], "y": [1, 2, 3, 4]}), "inf.csv")
    with pytest.raises(DataError, match="1 infinite"):
        load_table(path, "y")


def test_too_few_rows(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"a": [1.0, 2.0], "y": [1.0, 2.0]}))
    with pytest.raises(DataError, match=r"only 2 row\(s\).*at least 3"):
        load_table(path, "y")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match="empty"):
        load_table(empty, "y")
    header_only = tmp_path / "header.csv"
    header_only.write_text("a,y\n")
    with pytest.raises(DataError, match=r"only 0 row"):
        load_table(header_only, "y")


def test_no_predictors_and_unknown_type(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
    with pytest.raises(DataError, match="no predictor column"):
        load_table(path, "y")
    odd = tmp_path / "d.xlsx"
    odd.write_text("x")
    with pytest.raises(DataError, match="unknown file type"):
        load_table(odd, "y")
    with pytest.raises(DataError, match="directory"):
        load_table(tmp_path, "y")


def test_data_scenario_in_the_pipeline(tmp_path):
    from regbench.data.simulate import simulate

    s = {"name": "prostate", "design": "data", "data": "prostate", "target": "lpsa",
         "test_rows": list(PROSTATE_TEST_ROWS)}
    ds = simulate(s, study_seed=0, replicate=0)
    t = load_prostate()
    np.testing.assert_array_equal(ds.X_train, t.X[t.train])
    np.testing.assert_array_equal(ds.y_test, t.y[t.test])
    assert np.isnan(ds.coef_true).all() and ds.coef_true.shape == (8,)  # no truth: NaN, not faked
    # a user file with a random split: seeded per replicate, validation rows carved from the fitting rows
    frame = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) ** 0.5, "y": np.arange(40.0) % 7})
    frame.to_csv(tmp_path / "mine.csv", index=False)
    u = {"name": "mine", "design": "data", "data": str(tmp_path / "mine.csv"), "target": "y", "test_fraction": 0.25,
         "n_val": 5}
    d0 = simulate(u, study_seed=3, replicate=0, tuning_method="validation")
    assert (d0.n_train, d0.n_val, d0.n_test) == (25, 5, 10)
    again = simulate(u, study_seed=3, replicate=0, tuning_method="validation")
    np.testing.assert_array_equal(d0.y_test, again.y_test)
    other = simulate(u, study_seed=3, replicate=1, tuning_method="validation")
    assert not np.array_equal(np.sort(d0.X_test[:, 0]), np.sort(other.X_test[:, 0]))
    rows = np.concatenate([d0.X_train[:, 0], d0.X_val[:, 0], d0.X_test[:, 0]])
    assert sorted(rows.tolist()) == list(range(40))


def test_data_scenario_config_errors_name_the_key(tmp_path):
    from pathlib import Path

    from regbench.study.config import StudyConfigError, check_config
    schema = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"
    cfg = {"scenarios": [{"name": "mine", "design": "data", "data": str(tmp_path / "none.csv"), "target": "y"}]}
    with pytest.raises(StudyConfigError, match=r"scenarios\[0\] \(name: mine\)\.data: data file not found"):
        check_config(cfg, schema)
    cfg = {"scenarios": [{"name": "mine", "design": "data", "data": "prostate"}]}
    with pytest.raises(StudyConfigError, match="target"):
        check_config(cfg, schema)
    cfg = {"scenarios": [{"name": "p", "design": "data", "data": "prostate", "target": "lpsa",
                          "test_rows": [1, 2, 3]}]}
    check_config(cfg, schema)
    assert (cfg["scenarios"][0]["n"], cfg["scenarios"][0]["p"], cfg["scenarios"][0]["n_test"]) == (94, 8, 3)


def test_data_scenario_constant_column_is_a_clear_error(tmp_path):
    from regbench.data.tables import resolve_data_scenario
    pd.DataFrame({"a": [1.0, 2, 3, 4], "c": [5.0] * 4, "y": [1.0, 2, 3, 5]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(DataError, match=r"constant predictor column\(s\) 'c'"):
        resolve_data_scenario({"name": "c", "design": "data", "data": str(tmp_path / "c.csv"), "target": "y"})

"""The user's data files that pandas reads without complaint but that are not the table they look like: each is
refused with a message naming the cause (or, where one reading is sensible, accepted with a note saying what was
done), before anything is fitted or written."""

import gzip

import numpy as np
import pandas as pd
import pytest

from regbench.data.tables import DataError, load_table, table_from_frame


def _frame(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x0": rng.standard_normal(n), "x1": rng.standard_normal(n), "y": rng.standard_normal(n)})


def _csv(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_constant_target_is_refused(tmp_path):
    frame = _frame().assign(y=3.5)
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"target 'y'.* is constant \(every value is 3.5\)"):
        load_table(path, "y")


def test_repeated_feature_name_is_refused_not_renamed(tmp_path):
    path = _csv(tmp_path, "x0,x1,x0,y\n" + "\n".join(f"{i},{i % 3},{i * i},{i % 5}" for i in range(8)) + "\n")
    with pytest.raises(DataError, match=r"repeated column name.*'x0' in columns 1, 3"):
        load_table(path, "y")


def test_repeated_target_column_is_refused(tmp_path):
    """The second `y` would otherwise become the predictor `y.1`: a perfect, silent leak of the target."""
    path = _csv(tmp_path, "y,x0,x1,y\n" + "\n".join(f"{i % 5},{i},{i % 3},{i % 5}" for i in range(8)) + "\n")
    with pytest.raises(DataError, match=r"'y' in columns 1, 4"):
        load_table(path, "y")


def test_names_like_pandas_renames_are_fine_when_the_file_has_them(tmp_path):
    path = _csv(tmp_path, "x0,x0.1,y\n" + "\n".join(f"{i},{i % 3},{i % 5}" for i in range(8)) + "\n")
    assert load_table(path, "y").feature_names == ("x0", "x0.1")


@pytest.mark.parametrize("start", [0, 1])
@pytest.mark.parametrize("shuffled", [False, True])
def test_saved_row_index_is_dropped_with_a_note(tmp_path, start, shuffled):
    frame = _frame()
    if shuffled:
        frame = frame.sample(frac=1.0, random_state=1)  # index saved after a shuffle: a permutation of 0..n-1
    frame.index = frame.index + start
    path = tmp_path / "d.csv"
    frame.to_csv(path)  # header ",x0,x1,y"
    table = load_table(path, "y")
    assert table.feature_names == ("x0", "x1")
    np.testing.assert_array_equal(table.X, frame[["x0", "x1"]].to_numpy())
    np.testing.assert_array_equal(table.y, frame["y"].to_numpy())
    assert len(table.notes) == 1 and "row index" in table.notes[0] and "dropped" in table.notes[0]


def test_unnamed_column_that_is_not_an_index_is_refused(tmp_path):
    path = _csv(tmp_path, ",x1,y\n" + "\n".join(f"{i * 0.5},{i % 3},{i % 5}" for i in range(8)) + "\n")
    with pytest.raises(DataError, match=r"column\(s\) 1 of .* have no name"):
        load_table(path, "y")
    path = _csv(tmp_path, "x0,,y\n" + "\n".join(f"{i},{i % 3},{i % 5}" for i in range(8)) + "\n")
    with pytest.raises(DataError, match=r"column\(s\) 2 of .* have no name"):
        load_table(path, "y")


def test_clean_file_has_no_notes(tmp_path):
    path = tmp_path / "d.csv"
    _frame().to_csv(path, index=False)
    assert load_table(path, "y").notes == ()


@pytest.mark.parametrize("column,value", [("x1", 1e300), ("y", -1e300), ("x0", 1e200)])
def test_overflowing_values_are_refused_with_the_column(tmp_path, column, value):
    frame = _frame()
    frame.loc[3, column] = value
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=rf"too large for float64.*'{column}' \(largest \|value\| {value:.3g}".replace(
            "+", r"\+").replace("-", "")):
        load_table(path, "y")


def test_large_but_safe_values_are_kept(tmp_path):
    frame = _frame()
    frame["x1"] *= 1e100
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    np.testing.assert_array_equal(load_table(path, "y").X[:, 1], frame["x1"].to_numpy())


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_gzip_is_a_clear_error(tmp_path, keep):
    text = _frame(n=2000).to_csv(index=False).encode()
    blob = gzip.compress(text)
    path = tmp_path / "d.csv.gz"
    path.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(DataError, match=r"cannot decompress .*d\.csv\.gz"):
        load_table(path, "y")


def test_not_gzip_at_all_is_a_clear_error(tmp_path):
    path = tmp_path / "d.csv.gz"
    path.write_bytes(b"x0,y\n1,2\n3,4\n5,6\n")
    with pytest.raises(DataError, match=r"cannot decompress .*d\.csv\.gz"):
        load_table(path, "y")


def test_repeated_names_in_a_frame_are_refused():
    frame = pd.DataFrame(np.arange(12.0).reshape(4, 3), columns=["a", "a", "y"])
    with pytest.raises(DataError, match=r"repeated column name\(s\) in 'frame': 'a'"):
        table_from_frame(frame, "y", source="frame")

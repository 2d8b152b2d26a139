"""The loaders of a study's intermediates refuse a damaged file with its path and the fix (delete it and rerun):
a cut or corrupted .npz (zip CRC), one with keys missing, a cut table, one with rows or columns missing."""

import zipfile

import numpy as np
import pandas as pd
import pytest

from regbench.data.io import (
    DamagedFileError,
    load_dataset,
    load_npz,
    read_csv_checked,
    save_dataset,
    save_npz,
    write_csv,
)
from regbench.data.simulate import simulate

SCENARIO = {"name": "s", "design": "independent", "truth": "sparse", "k": 2, "n": 20, "p": 5, "n_test": 10,
            "snr": 3.0}


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "0.npz"
    save_dataset(path, simulate(SCENARIO, study_seed=1, replicate=0))
    return path


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.99])
def test_cut_npz(dataset, keep):
    blob = dataset.read_bytes()
    dataset.write_bytes(blob[: int(len(blob) * keep)])
    with pytest.raises(DamagedFileError, match=rf"damaged file '{dataset}': not a readable \.npz.*delete it and "
                                               "rerun"):
        load_dataset(dataset)


def test_flipped_byte_fails_the_crc(dataset):
    with zipfile.ZipFile(dataset) as z:
        info = z.getinfo("y_train.npy")
    blob = bytearray(dataset.read_bytes())
    pos = info.header_offset + 30 + len(info.filename) + info.file_size - 3  # inside y_train's data
    blob[pos] ^= 0xFF
    dataset.write_bytes(bytes(blob))
    with pytest.raises(DamagedFileError, match="CRC"):
        load_dataset(dataset)


def test_missing_keys(tmp_path):
    path = tmp_path / "fit.npz"
    save_npz(path, coef=np.zeros(3))
    with pytest.raises(DamagedFileError, match=r"keys intercept, method are missing \(it has coef\)"):
        load_npz(path, keys=["coef", "intercept", "method"])
    assert load_npz(path, keys=["coef"])["coef"].shape == (3,)


def test_dataset_without_its_matrix(tmp_path, dataset):
    arrays = load_npz(dataset)
    del arrays["X_test"]
    path = tmp_path / "bad.npz"
    save_npz(path, **arrays)
    with pytest.raises(DamagedFileError, match="the matrix X_test is missing"):
        load_dataset(path)


def test_missing_file_stays_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_npz(tmp_path / "none.npz")


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "m.csv"
    write_csv(pd.DataFrame({"a": np.arange(10), "b": np.linspace(0, 1, 10)}), path)
    return path


def test_table_read_back_whole(table):
    df = read_csv_checked(table, ["a", "b"], rows=10)
    assert df["a"].tolist() == list(range(10))


def test_table_cut_mid_line(table):
    text = table.read_text()
    table.write_text(text[: len(text) // 2])
    with pytest.raises(DamagedFileError, match="last line is cut"):
        read_csv_checked(table, ["a", "b"], rows=10)


def test_table_cut_at_a_line_end(table):
    lines = table.read_text().splitlines(keepends=True)
    table.write_text("".join(lines[:6]))
    with pytest.raises(DamagedFileError, match="5 rows where 10 are expected"):
        read_csv_checked(table, ["a", "b"], rows=10)


def test_table_with_other_columns(table):
    with pytest.raises(DamagedFileError, match=r"columns \[a, b\] differ from the expected \[a, b, c\]"):
        read_csv_checked(table, ["a", "b", "c"])


def test_empty_table(table):
    table.write_text("")
    with pytest.raises(DamagedFileError, match="not a readable table"):
        read_csv_checked(table, ["a", "b"])

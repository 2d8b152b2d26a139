"""The data files of tests/data/test_bad_files.py through the commands: `advise` and `compare` exit with status 2,
one error line naming the cause, nothing written (no JSON, no study folder) and no solver run; a saved row index is
dropped with a note on stderr."""

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regbench.cli import main
from regbench.study.compare import repository_root

STUDY = "test_bad_data_never_written"


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    return pd.DataFrame(X, columns=["x0", "x1", "x2"]).assign(y=X[:, 0] + 0.3 * rng.standard_normal(n))


def _write(case, d):
    frame = _frame()
    path = d / ("data.csv.gz" if case == "truncated_gzip" else "data.csv")
    if case == "constant_target":
        frame["y"] = 1.0
    elif case == "overflow":
        frame.loc[7, "x1"] = 1e300
    elif case == "repeated_target":
        frame.insert(0, "y_copy", frame["y"])
        path.write_text(frame.to_csv(index=False).replace("y_copy", "y", 1))
        return path
    if case == "truncated_gzip":
        blob = gzip.compress(_frame(n=3000).to_csv(index=False).encode())
        path.write_bytes(blob[: len(blob) // 2])
        return path
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("case, match", [
    ("constant_target", "target 'y' in"),
    ("overflow", "too large for float64 arithmetic: 'x1' (largest |value| 1e+300)"),
    ("repeated_target", "repeated column name(s) in the header"),
    ("truncated_gzip", "cannot decompress"),
])
@pytest.mark.parametrize("cmd", ["advise", "compare"])
def test_bad_file_is_refused_before_any_work(cmd, case, match, tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    path = _write(case, d)
    before = sorted(p.name for p in d.iterdir())
    extra = ["--json", str(d / "advice.json")] if cmd == "advise" else ["--study", STUDY]
    assert main([cmd, str(path), "--target", "y", *extra]) == 2
    err = capsys.readouterr().err
    assert f"regbench {cmd}: error:" in err and match in err, err
    assert "Traceback" not in err and "ConvergenceWarning" not in err
    assert sorted(p.name for p in d.iterdir()) == before
    assert not (repository_root() / "results" / STUDY).exists()


def test_saved_row_index_is_dropped_with_a_note(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _frame().to_csv(path)  # with its row index, unnamed
    record = tmp_path / "a.json"
    assert main(["advise", str(path), "--target", "y", "--no-measure", "--json", str(record)]) == 0
    captured = capsys.readouterr()
    assert "regbench advise: note: the first column" in captured.err and "row index" in captured.err
    assert "p = 3 predictors" in captured.out
    assert Path(record).exists()

"""`regbench compare` end to end on tiny files: results keyed to the content (an edited file and another file with
the same stem each get their own folder, with the right numbers, and nothing is replaced), a deleted fit is
rebuilt, and a killed compare recovers by itself on the next run."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regbench.cli import main
from regbench.study.compare import RUNNING_FILE, repository_root, study_config

pytestmark = pytest.mark.slow
ROOT = repository_root()
REGBENCH = str(Path(sys.executable).with_name("regbench"))
CREATED = []


def _csv(path, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((24, 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=X[:, 0] - X[:, 1] + 0.5 * rng.standard_normal(24)).to_csv(
        path, index=False)
    return path


def _compare(path, capsys):
    study = study_config(path, "y")["study"]
    CREATED.append(study)
    rc = main(["compare", str(path), "--target", "y", "--folds", "3"])
    err = capsys.readouterr().err
    assert rc == 0, err[-3000:]
    return ROOT / "results" / study, err


def _metrics(out):
    df = pd.read_csv(out / "metrics.csv")
    return df.drop(columns=["fit_time", "tune_time", "path_time"]).set_index("method")


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    for study in CREATED:
        shutil.rmtree(ROOT / "results" / study, ignore_errors=True)
        shutil.rmtree(ROOT / "logs" / study, ignore_errors=True)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    path = _csv(tmp_path_factory.mktemp("a") / "data.csv", seed=11)
    study = study_config(path, "y")["study"]
    CREATED.append(study)
    assert main(["compare", str(path), "--target", "y", "--folds", "3"]) == 0
    return path, ROOT / "results" / study


def test_same_stem_other_file_gets_its_own_folder(first, tmp_path, capsys):
    path_a, out_a = first
    report_a = (out_a / "compare.md").read_text()
    out_b, _ = _compare(_csv(tmp_path / "b" / "data.csv", seed=12), capsys)
    assert out_b != out_a
    assert (out_a / "compare.md").read_text() == report_a  # a's results untouched
    assert not _metrics(out_b)["test_mse"].equals(_metrics(out_a)["test_mse"])


def test_edited_file_reruns_with_the_right_numbers(first, tmp_path, capsys):
    """y -> 2 y + 10 in place: a new folder, and OLS's test MSE is exactly 4 times the original's (same split)."""
    path_a, out_a = first
    path = tmp_path / "data.csv"
    shutil.copy(path_a, path)
    assert study_config(path, "y")["study"] == out_a.name  # same content: same results
    frame = pd.read_csv(path)
    frame["y"] = 2 * frame["y"] + 10
    frame.to_csv(path, index=False)
    out, _ = _compare(path, capsys)
    assert out != out_a
    new, old = _metrics(out), _metrics(out_a)
    np.testing.assert_allclose(new.loc["ols", "test_mse"], 4 * old.loc["ols", "test_mse"], rtol=1e-9)
    assert (out_a / "compare.md").exists()


def test_deleted_fit_is_rebuilt(first, capsys):
    path_a, out_a = first
    before = _metrics(out_a)
    fit = out_a / "fits" / "data" / "0" / "lasso.npz"
    fit.unlink()
    out, err = _compare(path_a, capsys)
    assert out == out_a and fit.exists(), err[-3000:]
    pd.testing.assert_frame_equal(_metrics(out_a), before, check_exact=True)


def test_killed_compare_recovers_by_itself(tmp_path, capsys):
    path = _csv(tmp_path / "k.csv", seed=13)
    study = study_config(path, "y")["study"]
    CREATED.append(study)
    out = ROOT / "results" / study
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([REGBENCH, "compare", str(path), "--target", "y", "--folds", "3"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    try:
        while not (out / "data").exists() or not any((out / "data").rglob("*.npz")):
            assert proc.poll() is None, "the compare ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # compare, Snakemake and its jobs
        proc.wait()
    mark = out / RUNNING_FILE
    assert mark.exists() and not (out / "compare.md").exists()
    # without compare's mark (a Snakemake run killed outside compare) the lock is reported with the way out
    saved = mark.read_text()
    mark.unlink()
    rc = main(["compare", str(path), "--target", "y", "--folds", "3"])
    err = capsys.readouterr().err
    assert rc != 0 and "found the study locked" in err and "--unlock" in err, err[-3000:]
    mark.write_text(saved)
    rc = main(["compare", str(path), "--target", "y", "--folds", "3"])
    err = capsys.readouterr().err
    assert rc == 0, err[-3000:]
    assert "an earlier run of this study was interrupted: removing Snakemake's lock and resuming" in err
    assert (out / "compare.md").exists() and not (out / RUNNING_FILE).exists()

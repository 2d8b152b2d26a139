"""`regbench compare` keys its results folder to the data's content: an edited file or another file with the same
stem gets its own folder, a --study folder holding another file's comparison is refused before anything is written,
and a run killed earlier is told apart from one still running."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from regbench.cli import main
from regbench.study.compare import (
    RUNNING_FILE,
    SOURCE_FILE,
    CompareError,
    check_destination,
    data_digest,
    default_study,
    interrupted_run,
    repository_root,
    study_config,
    write_source,
)


def _csv(path, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((30, 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(X, columns=["a", "b", "c"]).assign(y=scale * X[:, 0] + rng.standard_normal(30)).to_csv(
        path, index=False)
    return path


def test_default_study_follows_the_content(tmp_path):
    a = _csv(tmp_path / "a" / "data.csv", seed=0)
    b = _csv(tmp_path / "b" / "data.csv", seed=1)
    same = _csv(tmp_path / "c" / "data.csv", seed=0)
    name_a = study_config(a, "y")["study"]
    assert name_a == default_study(a, data_digest(a)) and name_a.startswith("compare_data_")
    assert study_config(b, "y")["study"] != name_a  # same stem, other content: other folder
    assert study_config(same, "y")["study"] == name_a  # same content: the same results
    _csv(a, seed=0, scale=2.0)  # edited in place
    assert study_config(a, "y")["study"] != name_a


def test_destination_guard(tmp_path):
    a = _csv(tmp_path / "a.csv", seed=0)
    b = _csv(tmp_path / "b.csv", seed=1)
    out = tmp_path / "results" / "s"
    check_destination(out, a, data_digest(a))  # nothing there yet
    out.mkdir(parents=True)
    (out / "metrics.csv").write_text("x\n")
    with pytest.raises(CompareError, match="did not write"):
        check_destination(out, a, data_digest(a))
    write_source(out, a, data_digest(a))
    check_destination(out, a, data_digest(a))  # the same content again
    with pytest.raises(CompareError, match=r"holds the comparison of .*a\.csv.*nothing was replaced"):
        check_destination(out, b, data_digest(b))
    check_destination(out, b, data_digest(b), replace=True)


def test_cli_refuses_a_study_folder_of_another_file(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", seed=0)
    b = _csv(tmp_path / "b.csv", seed=1)
    out = repository_root() / "results" / "test_compare_keys_guard"
    out.mkdir(parents=True, exist_ok=True)
    try:
        write_source(out, a, data_digest(a))
        (out / "study.yaml").write_text("a's study\n")
        assert main(["compare", str(b), "--target", "y", "--study", out.name]) == 2
        err = capsys.readouterr().err
        assert "regbench compare: error:" in err and "holds the comparison of" in err and "--replace" in err
        assert (out / "study.yaml").read_text() == "a's study\n"  # nothing replaced
        assert json.loads((out / SOURCE_FILE).read_text())["sha256"] == data_digest(a)
    finally:
        for f in out.iterdir():
            f.unlink()
        out.rmdir()


def test_interrupted_run_is_told_from_a_running_one(tmp_path):
    assert interrupted_run(tmp_path) is None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / RUNNING_FILE).write_text(json.dumps({"pids": [dead.pid]}))
    assert interrupted_run(tmp_path) == ("interrupted", [dead.pid])
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / RUNNING_FILE).write_text(json.dumps({"pids": [dead.pid, live.pid]}))
        assert interrupted_run(tmp_path)[0] == "running"
    finally:
        live.kill()
        live.wait()
    assert os.getpid() not in (dead.pid, live.pid)


def test_cli_refuses_while_another_compare_runs(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", seed=3)
    study = study_config(a, "y")["study"]
    out = repository_root() / "results" / study
    out.mkdir(parents=True, exist_ok=True)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_source(out, a, data_digest(a))
        (out / RUNNING_FILE).write_text(json.dumps({"pids": [live.pid]}))
        assert main(["compare", str(a), "--target", "y"]) == 2
        assert "another `regbench compare` of this study is running" in capsys.readouterr().err
        assert not (out / "study.yaml").exists()
    finally:
        live.kill()
        live.wait()
        for f in out.iterdir():
            f.unlink()
        out.rmdir()

"""Scenario generators: determinism, independence of seeds, shapes, designs, truths and the SNR."""

import numpy as np
import pytest
import scipy.sparse as sp
import yaml

from regbench.data.dataset import scenario_seed, split_sizes
from regbench.data.io import load_dataset, save_dataset
from regbench.data.simulate import DESIGNS, TRUTHS, simulate

BASE = {"name": "s", "design": "independent", "n": 30, "p": 10, "n_test": 20, "k": 3}


def _sim(seed=1, rep=0, tuning="cv", **kw):
    return simulate({**BASE, **kw}, study_seed=seed, replicate=rep, tuning_method=tuning)


def _dense(X):
    return X.toarray() if sp.issparse(X) else X


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("truth", sorted(TRUTHS))
def test_same_seed_same_data_and_shapes(design, truth):
    kw = dict(design=design, truth=truth, n_groups=2, group_size=3, coef=[1.0, -2.0] + [0.0] * 8)
    a, b = _sim(**kw), _sim(**kw)
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(_dense(getattr(a, f"X_{split}")), _dense(getattr(b, f"X_{split}")))
        np.testing.assert_array_equal(getattr(a, f"y_{split}"), getattr(b, f"y_{split}"))
    np.testing.assert_array_equal(a.coef_true, b.coef_true)
    assert a.cv_seed == b.cv_seed
    assert (a.n_train, a.n_val, a.n_test, a.p) == (30, 0, 20, 10)
    assert a.y_train.shape == (30,) and a.coef_true.shape == (10,) and a.groups.shape == (10,)
    assert sp.issparse(a.X_train) == (design == "sparse")
    assert np.isfinite(a.y_train).all() and a.sigma > 0


def test_seed_depends_on_study_seed_name_and_replicate_only():
    ref = _sim()
    assert not np.array_equal(ref.y_train, _sim(seed=2).y_train)
    assert not np.array_equal(ref.y_train, _sim(rep=1).y_train)
    assert not np.array_equal(ref.y_train, _sim(name="other").y_train)
    # other scenarios existing (or not) cannot matter: the seed is a function of these three values alone
    assert scenario_seed(1, "s", 0).entropy == scenario_seed(1, "s", 0).entropy
    assert scenario_seed(1, "s", 0).generate_state(4).tolist() == scenario_seed(1, "s", 0).generate_state(4).tolist()
    # the data do not depend on how it is tuned: the split moves, the draws do not
    cv, val = _sim(tuning="cv", n_val=10), _sim(tuning="validation", n_val=10)
    np.testing.assert_array_equal(cv.y_train, np.concatenate([val.y_train, val.y_val]))
    np.testing.assert_array_equal(cv.y_test, val.y_test)


def test_scenario_seed_stable_across_processes():
    # a pinned value: a salted hash (Python's hash()) would change between interpreter runs
    assert scenario_seed(0, "grouped", 3).generate_state(1)[0] == 1490258542


def test_split_sizes():
    s = {**BASE, "n": 50, "n_val": 20}
    assert split_sizes(s, "validation") == (30, 20, 20)
    assert split_sizes(s, "cv") == (50, 0, 20)
    ds = _sim(tuning="validation", n=50, n_val=20)
    assert (ds.n_train, ds.n_val, ds.n_test) == (30, 20, 20)


def test_sparse_truth_support_signs():
    ds = _sim(k=4, support="first", signs="positive")
    np.testing.assert_array_equal(ds.coef_true, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    ds = _sim(k=4)
    assert np.count_nonzero(ds.coef_true) == 4 and set(np.abs(ds.coef_true[ds.coef_true != 0])) == {1.0}
    with pytest.raises(ValueError, match="k must be"):
        _sim(k=11)


def test_dense_truth_all_nonzero():
    ds = _sim(truth="dense")
    assert np.count_nonzero(ds.coef_true) == 10


def _empirical(design, n=40000, p=6, **kw):
    return simulate({"name": "big", "design": design, "n": n, "p": p, "n_test": 1, "truth": "dense", **kw},
                    study_seed=3, replicate=0)


@pytest.mark.parametrize("design,kw", [
    ("independent", {}),
    ("toeplitz", {"rho": 0.6}),
    ("equicorrelated", {"rho": 0.4}),
    ("grouped", {"n_groups": 1, "group_size": 3, "group_noise": 0.5}),
    ("sparse", {"density": 0.3}),
])
def test_snr_is_population_signal_variance_over_noise(design, kw):
    ds = _empirical(design, **kw)
    signal = np.asarray(ds.X_train @ ds.coef_true).ravel()
    noise = ds.y_train - signal
    assert np.var(signal) / np.var(noise) == pytest.approx(3.0, rel=0.06)


def test_correlation_structures():
    C = np.corrcoef(_empirical("toeplitz", rho=0.6).X_train.T)
    np.testing.assert_allclose(C[0, :4], [1, 0.6, 0.36, 0.216], atol=0.02)
    C = np.corrcoef(_empirical("equicorrelated", rho=0.4).X_train.T)
    np.testing.assert_allclose(C[np.triu_indices(6, 1)], 0.4, atol=0.02)
    ds = _empirical("grouped", n_groups=2, group_size=2, group_noise=0.1)
    C = np.corrcoef(ds.X_train.T)
    np.testing.assert_array_equal(ds.groups, [0, 0, 1, 1, -1, -1])
    assert C[0, 1] > 0.98 and C[2, 3] > 0.98 and abs(C[0, 2]) < 0.03 and abs(C[4, 5]) < 0.03


def test_sparse_design_density_and_storage(tmp_path):
    ds = _sim(design="sparse", density=0.2, n=200, p=50)
    X = ds.X_train
    assert sp.isspmatrix_csc(X) or sp.issparse(X) and X.format == "csc"
    assert X.nnz / (X.shape[0] * X.shape[1]) == pytest.approx(0.2, abs=0.02)
    save_dataset(tmp_path / "d.npz", ds)
    back = load_dataset(tmp_path / "d.npz")
    assert sp.issparse(back.X_train) and back.X_train.format == "csc"
    np.testing.assert_array_equal(back.X_train.toarray(), X.toarray())
    np.testing.assert_array_equal(back.y_test, ds.y_test)
    assert (back.scenario, back.replicate, back.cv_seed) == (ds.scenario, ds.replicate, ds.cv_seed)


def test_dataset_roundtrip_dense(tmp_path):
    ds = _sim(design="grouped", n_groups=2, group_size=2, tuning="validation", n_val=5)
    save_dataset(tmp_path / "d.npz", ds)
    back = load_dataset(tmp_path / "d.npz")
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(back, f"X_{split}"), getattr(ds, f"X_{split}"))
    np.testing.assert_array_equal(back.groups, ds.groups)
    assert back.sigma == ds.sigma


def test_bad_scenarios():
    with pytest.raises(ValueError, match="unknown design"):
        _sim(design="blocky")
    with pytest.raises(ValueError, match="exceeds p"):
        _sim(design="grouped", n_groups=5, group_size=3)
    with pytest.raises(ValueError, match="training rows"):
        _sim(tuning="validation", n_val=29)


def test_schema_enums_match_registries():
    from pathlib import Path

    from regbench.evaluate.methods import METHODS

    with open(Path(__file__).resolve().parents[2] / "workflow/schemas/config.schema.yaml") as fh:
        schema = yaml.safe_load(fh)
    props = schema["properties"]["scenarios"]["items"]["properties"]
    assert set(props["design"]["enum"]) == set(DESIGNS) | {"data"}  # data: a real data set, not simulated
    assert set(props["truth"]["enum"]) == set(TRUTHS)
    assert set(schema["properties"]["methods"]["items"]["enum"]) == set(METHODS)


def test_atomic_writes_leave_nothing_on_failure(tmp_path):
    from regbench.data.io import atomic_path, save_npz, write_csv

    target = tmp_path / "sub" / "out.npz"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half a file")
            raise RuntimeError("killed mid-write")
    assert not target.exists() and list(target.parent.iterdir()) == []
    save_npz(target, a=np.arange(3))
    # a failed rewrite keeps the previous complete file
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"garbage")
            raise RuntimeError
    np.testing.assert_array_equal(np.load(target)["a"], np.arange(3))
    import pandas as pd

    write_csv(pd.DataFrame({"x": [0.1, 1 / 3]}), tmp_path / "t.csv")
    assert pd.read_csv(tmp_path / "t.csv")["x"].tolist() == [0.1, 1 / 3]  # exact round trip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "t.csv"]

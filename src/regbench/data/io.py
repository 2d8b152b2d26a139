"""Atomic file outputs for the study pipeline: data sets and fits (.npz) and tables (.csv).

Every writer writes to a temporary file in the destination's directory and then ``os.replace``s it into place, so a
job that fails or is killed never leaves a half-written output that a rerun would trust: the destination either
does not exist or is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from regbench.data.dataset import Dataset

__all__ = ["atomic_path", "load_dataset", "load_npz", "save_dataset", "save_npz", "write_csv"]

_SPLITS = ("train", "val", "test")


@contextlib.contextmanager
def atomic_path(path, suffix: str = ""):
    """Yield a temporary path next to ``path``; on success move it onto ``path``, on error delete it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix + ".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save_npz(path, **arrays) -> None:
    """``numpy.savez`` (uncompressed: the arrays are random floats), atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def load_npz(path) -> dict:
    """Load an .npz into a plain dict; 0-d arrays become Python scalars."""
    with np.load(path, allow_pickle=False) as f:
        return {k: (f[k].item() if f[k].ndim == 0 else f[k]) for k in f.files}


def write_csv(df, path) -> None:
    """Write a table atomically (pandas writes floats with their shortest round-trip repr)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def _matrix_arrays(prefix, X) -> dict:
    if sp.issparse(X):
        X = sp.csc_matrix(X)
        return {
            f"{prefix}_data": X.data,
            f"{prefix}_indices": X.indices,
            f"{prefix}_indptr": X.indptr,
            f"{prefix}_shape": np.asarray(X.shape),
        }
    return {prefix: np.asarray(X)}


def _matrix(arrays, prefix):
    if prefix in arrays:
        return arrays[prefix]
    shape = tuple(int(v) for v in arrays[f"{prefix}_shape"])
    return sp.csc_matrix(
        (arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]), shape=shape
    )


def save_dataset(path, ds) -> None:
    """Store a ``regbench.data.dataset.Dataset``; sparse designs are stored as their CSC arrays (never densified)."""
    arrays = {}
    for split in _SPLITS:
        arrays.update(_matrix_arrays(f"X_{split}", getattr(ds, f"X_{split}")))
        arrays[f"y_{split}"] = getattr(ds, f"y_{split}")
    arrays.update(
        coef_true=ds.coef_true,
        groups=ds.groups,
        sigma=np.float64(ds.sigma),
        intercept_true=np.float64(ds.intercept_true),
        scenario=np.str_(ds.scenario),
        replicate=np.int64(ds.replicate),
        cv_seed=np.int64(ds.cv_seed),
    )
    save_npz(path, **arrays)


def load_dataset(path):
    """Load a data set written by ``save_dataset``."""
    a = load_npz(path)
    kwargs = {}
    for split in _SPLITS:
        kwargs[f"X_{split}"] = _matrix(a, f"X_{split}")
        kwargs[f"y_{split}"] = a[f"y_{split}"]
    return Dataset(
        **kwargs,
        coef_true=a["coef_true"],
        groups=a["groups"],
        sigma=float(a["sigma"]),
        intercept_true=float(a["intercept_true"]),
        scenario=str(a["scenario"]),
        replicate=int(a["replicate"]),
        cv_seed=int(a["cv_seed"]),
    )

"""Atomic file outputs for the study pipeline: data sets and fits (.npz) and tables (.csv).

Every writer writes to a temporary file in the destination's directory and then ``os.replace``s it into place, so a
job that fails or is killed never leaves a half-written output that a rerun would trust: the destination either
does not exist or is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from regbench.data.dataset import Dataset
from regbench.lazy_sparse import issparse, sparse_module

__all__ = ["DamagedFileError", "atomic_path", "load_dataset", "load_npz", "read_csv_checked", "save_dataset",
           "save_npz", "write_csv"]

_SPLITS = ("train", "val", "test")
#: keys every data set .npz holds (the matrices are stored dense as X_<split> or sparse as X_<split>_data, ...)
DATASET_KEYS = ("y_train", "y_val", "y_test", "coef_true", "groups", "sigma", "intercept_true", "scenario",
                "replicate", "cv_seed")
#: how a damaged intermediate is fixed
FIX = "delete it and rerun the same command: the pipeline rebuilds it and everything that depends on it"


class DamagedFileError(ValueError):
    """An intermediate file of a study cannot be trusted (truncated, failed CRC, missing keys, rows or columns).

    The message names the file, what is wrong and how to fix it (:data:`FIX`); no step builds anything from it.
    """

    def __init__(self, path, problem: str):
        self.path = str(path)
        super().__init__(f"damaged file {self.path!r}: {problem}; {FIX}")


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


def load_npz(path, keys=()) -> dict:
    """Load an .npz into a plain dict; 0-d arrays become Python scalars.

    Every member is read, so zip's CRC check covers the whole file; a file that is not a complete .npz, or lacks
    one of ``keys``, raises :class:`DamagedFileError` naming it (a missing file stays a ``FileNotFoundError``).
    """
    try:
        with np.load(path, allow_pickle=False) as f:
            out = {k: f[k] for k in f.files}  # f[k] reads (and CRC-checks) the member: once each
        out = {k: (v.item() if v.ndim == 0 else v) for k, v in out.items()}
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as exc:
        raise DamagedFileError(path, f"not a readable .npz ({type(exc).__name__}: {exc})") from None
    missing = [k for k in keys if k not in out]
    if missing:
        raise DamagedFileError(path, f"keys {', '.join(missing)} are missing (it has {', '.join(out) or 'none'})")
    return out


def read_csv_checked(path, columns, *, rows=None, **kwargs):
    """Read a table written by :func:`write_csv`, refusing a partial one.

    The file must end with a newline (every write does: a cut file almost never does), have exactly ``columns``
    (in that order) and, when given, ``rows`` rows; otherwise :class:`DamagedFileError` names the file.
    """
    import pandas as pd  # here, not at the top: simulate and fit never read a table (their start-up stays light)

    path = Path(path)
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(size - 1, 0))
            last = fh.read(1)
        df = pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise DamagedFileError(path, f"not a readable table ({type(exc).__name__}: {exc})") from None
    if last != b"\n":
        raise DamagedFileError(path, "its last line is cut (the file does not end with a newline)")
    if list(df.columns) != list(columns):
        raise DamagedFileError(path, f"columns {_short(df.columns)} differ from the expected {_short(columns)}")
    if rows is not None and len(df) != rows:
        raise DamagedFileError(path, f"{len(df)} rows where {rows} are expected")
    return df


def _short(items, k=6):
    items = [str(i) for i in items]
    return "[" + ", ".join(items[:k]) + (f", ... ({len(items)} in all)]" if len(items) > k else "]")


def write_csv(df, path) -> None:
    """Write a table atomically (pandas writes floats with their shortest round-trip repr)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def _matrix_arrays(prefix, X) -> dict:
    if issparse(X):
        X = sparse_module().csc_matrix(X)
        return {
            f"{prefix}_data": X.data,
            f"{prefix}_indices": X.indices,
            f"{prefix}_indptr": X.indptr,
            f"{prefix}_shape": np.asarray(X.shape),
        }
    return {prefix: np.asarray(X)}


def _matrix(arrays, prefix, path):
    if prefix in arrays:
        return arrays[prefix]
    if f"{prefix}_shape" not in arrays:
        raise DamagedFileError(path, f"the matrix {prefix} is missing")
    shape = tuple(int(v) for v in arrays[f"{prefix}_shape"])
    return sparse_module().csc_matrix(
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
    a = load_npz(path, keys=DATASET_KEYS)
    kwargs = {}
    for split in _SPLITS:
        kwargs[f"X_{split}"] = _matrix(a, f"X_{split}", path)
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

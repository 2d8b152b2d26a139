"""Real data: the shipped prostate cancer data and the user's own CSV/parquet tables.

Both loaders return a :class:`Table`: a numeric design matrix ``X`` (n, p), the response ``y`` (n,), the feature
names and, where one is known, a train/test split (0-based row indices). Bad input raises :class:`DataError` (a
``ValueError``; a missing file also is a ``FileNotFoundError``) whose message names the problem and how to fix it;
nothing is ever written.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from regbench.data.dataset import Dataset, scenario_seed

__all__ = [
    "DataError",
    "DataFileNotFoundError",
    "Table",
    "PROSTATE_TEST_ROWS",
    "load_prostate",
    "load_table",
    "read_frame",
]

#: ESL's 30 test rows of the prostate data, 1-based, in the order of ``data/prostate.csv`` (ESL's ``train == F``).
PROSTATE_TEST_ROWS = (7, 9, 10, 15, 22, 25, 26, 28, 32, 34, 36, 42, 44, 48, 49, 50, 53, 54, 55, 57,
                      62, 64, 65, 66, 73, 74, 80, 84, 95, 97)

_MIN_ROWS = 3
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zip", ".tsv", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq")


class DataError(ValueError):
    """A data file cannot be used as a regression table (the message says why and how to fix it)."""


class DataFileNotFoundError(DataError, FileNotFoundError):
    """The data file does not exist."""


@dataclass(frozen=True)
class Table:
    """A regression data set: ``y ~ X``.

    Attributes
    ----------
    X : ndarray of shape (n, p), float64
    y : ndarray of shape (n,), float64
    feature_names : tuple of str, length p
    target : str
        Name of the response column.
    train, test : ndarray of int or None
        0-based row indices of a fixed train/test split, when the data set comes with one.
    source : str
        Where the data came from (a path, or a short provenance note).
    notes : tuple of str
        What was done to read the file (e.g. a row-index column dropped); commands print them.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target: str
    train: np.ndarray | None = None
    test: np.ndarray | None = None
    source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def p(self) -> int:
        return self.X.shape[1]

    def split(self):
        """Return ``(X_train, y_train, X_test, y_test)``; raises if the table has no split."""
        if self.train is None or self.test is None:
            raise DataError(f"{self.source or 'this table'} has no train/test split")
        return self.X[self.train], self.y[self.train], self.X[self.test], self.y[self.test]


def load_prostate() -> Table:
    """The prostate cancer data (Stamey et al. 1989) in ESL's row order, with ESL's 67/30 train/test split.

    97 rows, 8 predictors (lcavol, lweight, age, lbph, svi, lcp, gleason, pgg45), response lpsa. The file is
    ``regbench/data/prostate.csv`` as shipped by the MIT-licensed PyPI package ``faraway`` 0.0.6 (provenance and
    checksums in ``regbench/data/README.md``). ``train`` and ``test`` are 0-based indices; the test rows are
    :data:`PROSTATE_TEST_ROWS` (1-based).
    """
    ref = resources.files("regbench") / "data" / "prostate.csv"
    with resources.as_file(ref) as path:
        table = load_table(path, "lpsa")
    n = table.n
    test = np.asarray(PROSTATE_TEST_ROWS, dtype=np.intp) - 1
    train = np.setdiff1d(np.arange(n, dtype=np.intp), test)
    return Table(X=table.X, y=table.y, feature_names=table.feature_names, target="lpsa", train=train, test=test,
                 source="prostate cancer data (Stamey et al. 1989), ESL order, via faraway 0.0.6")


def read_frame(path) -> pd.DataFrame:
    """Read a CSV (optionally compressed, or .tsv) or parquet file into a DataFrame, with clear errors.

    A CSV's header is checked as written (pandas renames a repeated ``x0`` to ``x0.1``): a repeated column name is
    an error, and an unnamed first column holding the row numbers (a table saved with its index) is dropped with a
    note in ``frame.attrs["notes"]``; any other unnamed column is an error.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileNotFoundError(f"data file not found: {str(path)!r} (give the path of a CSV or parquet file)")
    if path.is_dir():
        raise DataError(f"{str(path)!r} is a directory; give the path of a CSV or parquet file")
    name = path.name.lower()
    try:
        if name.endswith(_PARQUET_SUFFIXES):
            return pd.read_parquet(path)
        if name.endswith(_CSV_SUFFIXES):
            sep = "\t" if name.endswith(".tsv") else ","
            header = pd.read_csv(path, sep=sep, header=None, nrows=1, dtype=str, keep_default_na=False)
            frame = pd.read_csv(path, sep=sep)
            return _check_header(frame, [str(h).strip() for h in header.iloc[0].tolist()], str(path))
    except pd.errors.EmptyDataError:
        raise DataError(f"{str(path)!r} is empty: it needs a header line and at least {_MIN_ROWS} rows") from None
    except (EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile) as exc:
        raise DataError(f"cannot decompress {str(path)!r} (truncated or damaged {path.suffix} file: {exc}); "
                        "compress it again or give the uncompressed file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        kind = "decompress" if name.endswith((".gz", ".bz2", ".xz", ".zip")) and isinstance(exc, OSError) else "read"
        raise DataError(f"cannot {kind} {str(path)!r}: {exc}") from exc
    raise DataError(f"unknown file type {path.suffix!r} for {str(path)!r}: use a .csv (or .csv.gz, .tsv) or a "
                    ".parquet file")


def _check_header(frame: pd.DataFrame, header: list, source: str) -> pd.DataFrame:
    """The header as written in the file: repeated names refused, a saved row index dropped (with a note)."""
    if len(header) != frame.shape[1]:  # pandas took the first column as the index (header one field short)
        return frame
    counts = pd.Series(header).value_counts()
    repeated = [h for h in counts.index if counts[h] > 1 and h]
    if repeated:
        where = "; ".join(f"{h!r} in columns {', '.join(str(i + 1) for i, x in enumerate(header) if x == h)}"
                          for h in repeated[:5])
        raise DataError(f"repeated column name(s) in the header of {source!r}: {where}. Every column needs its own "
                        "name (pandas would silently rename the second one to e.g. 'x0.1'): rename or drop them")
    unnamed = [i for i, h in enumerate(header) if not h]
    notes = []
    if unnamed and unnamed[0] == 0:
        first = frame.iloc[:, 0]
        values = pd.to_numeric(first, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        n = len(values)
        if n and any(np.array_equal(np.sort(values), np.arange(start, n + start)) for start in (0, 1)):
            frame = frame.iloc[:, 1:]
            notes.append(f"the first column of {source!r} has no name and holds the row numbers "
                         f"{int(values.min())}..{int(values.max())} (a table saved with its row index): dropped, "
                         "not used as a predictor")
            unnamed = unnamed[1:]
    if unnamed:
        raise DataError(f"column(s) {', '.join(str(i + 1) for i in unnamed)} of {source!r} have no name in the "
                        "header: name them (or drop them) so they can be told apart from the predictors")
    frame.attrs["notes"] = notes
    return frame


def load_table(path, target: str, *, features=None) -> Table:
    """Load the user's own data: every column but ``target`` is a predictor (or only ``features``, if given).

    Parameters
    ----------
    path : str or Path
        A CSV (``.csv``, ``.csv.gz``/``.bz2``/``.xz``/``.zip``, ``.tsv``) or parquet (``.parquet``, ``.pq``) file
        with a header row.
    target : str
        The response column.
    features : sequence of str, optional
        Use only these predictor columns (default: all columns except ``target``).

    Raises
    ------
    DataError
        Missing file (also a ``FileNotFoundError``), missing target or feature column, non-numeric columns,
        missing or infinite values (with their count and the first rows and columns where they occur), fewer
        than 3 rows, or no predictor column. Boolean columns are accepted as 0/1.
    """
    frame = read_frame(path)
    return table_from_frame(frame, target, features=features, source=str(path))


def table_from_frame(frame: pd.DataFrame, target: str, *, features=None, source: str = "") -> Table:
    """Validate a DataFrame as a regression table (see :func:`load_table` for the checks)."""
    where = f" in {source!r}" if source else ""
    notes = tuple(frame.attrs.get("notes", ()))
    columns = [str(c) for c in frame.columns]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise DataError(f"repeated column name(s){where}: {_short_list(repeated)}; every column needs its own name")
    frame = frame.set_axis(columns, axis=1)
    if target not in columns:
        raise DataError(f"target column {target!r} not found{where}; columns are: {_short_list(columns)}")
    if features is None:
        features = [c for c in columns if c != target]
    else:
        features = [str(c) for c in features]
        missing = [c for c in features if c not in columns]
        if missing:
            raise DataError(f"feature column(s) {_short_list(missing)} not found{where}; columns are: "
                            f"{_short_list(columns)}")
        if target in features:
            raise DataError(f"the target {target!r} is also listed as a feature")
    if not features:
        raise DataError(f"no predictor column{where}: besides the target {target!r} the table needs at least one "
                        "numeric column")
    if len(frame) < _MIN_ROWS:
        raise DataError(f"only {len(frame)} row(s){where}: at least {_MIN_ROWS} are needed to fit and validate a "
                        "model")
    used = frame[features + [target]]
    bad = [c for c in used.columns if not (pd.api.types.is_numeric_dtype(used[c])
                                           or pd.api.types.is_bool_dtype(used[c]))]
    if bad:
        examples = "; ".join(f"{c!r} ({used[c].dtype}, e.g. {_first_non_numeric(used[c])!r})" for c in bad[:5])
        raise DataError(f"{len(bad)} non-numeric column(s){where}: {examples}{' ...' if len(bad) > 5 else ''}. "
                        "Encode them as numbers (e.g. one-hot) or drop them before fitting")
    values = used.to_numpy(dtype=np.float64, na_value=np.nan)
    _check_finite(values, list(used.columns), where)
    _check_magnitude(values, list(used.columns), where)
    X = np.ascontiguousarray(values[:, :-1])
    y = np.ascontiguousarray(values[:, -1])
    if np.ptp(y) == 0:
        raise DataError(f"the target {target!r}{where} is constant (every value is {y[0]:g}): there is nothing to "
                        "predict, every method would score a zero error")
    return Table(X=X, y=y, feature_names=tuple(features), target=target, source=source, notes=notes)


def _check_magnitude(values: np.ndarray, names: list, where: str) -> None:
    """Refuse columns whose centred sum of squares (times n) overflows float64: the fits standardize and square."""
    n = values.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        ss = np.sum((values - values.mean(axis=0)) ** 2, axis=0) * n
    bad = np.flatnonzero(~np.isfinite(ss))
    if bad.size:
        cols = ", ".join(f"{names[j]!r} (largest |value| {np.max(np.abs(values[:, j])):.3g})" for j in bad[:10])
        more = " ..." if bad.size > 10 else ""
        raise DataError(f"{bad.size} column(s){where} hold values too large for float64 arithmetic: {cols}{more}; "
                        "their squares overflow when the "
                        "columns are centred and scaled. Rescale them (e.g. divide by a power of ten or take logs)")


def _check_finite(values: np.ndarray, names: list, where: str) -> None:
    for kind, mask in (("missing (NaN/empty)", np.isnan(values)), ("infinite", np.isinf(values))):
        count = int(mask.sum())
        if not count:
            continue
        rows = np.flatnonzero(mask.any(axis=1))
        per_col = {names[j]: int(c) for j, c in enumerate(mask.sum(axis=0)) if c}
        cols = ", ".join(f"{k!r}: {v}" for k, v in list(per_col.items())[:10])
        row_list = ", ".join(str(r + 1) for r in rows[:10]) + (" ..." if rows.size > 10 else "")
        raise DataError(f"{count} {kind} value(s){where} in {rows.size} row(s) and {len(per_col)} column(s); "
                        f"per column: {cols}{' ...' if len(per_col) > 10 else ''}; data rows (1-based, header "
                        f"not counted): {row_list}. Drop or impute them before fitting")


def _first_non_numeric(col: pd.Series):
    converted = pd.to_numeric(col, errors="coerce")
    bad = col[converted.isna() & col.notna()]
    return bad.iloc[0] if len(bad) else col.iloc[0] if len(col) else None


def _short_list(items, k: int = 12) -> str:
    items = list(items)
    text = ", ".join(repr(i) for i in items[:k])
    return text + (f", ... ({len(items)} in all)" if len(items) > k else "")


# ----------------------------------------------------------------------------------------------- pipeline scenarios
#: names a study's ``data`` key may give instead of a path
SHIPPED = {"prostate": load_prostate}


def scenario_table(scenario: dict) -> Table:
    """The Table of a ``design: data`` scenario: ``data`` is a shipped name (``prostate``) or a CSV/parquet path."""
    source = scenario.get("data")
    if not source:
        raise DataError(f"scenario {scenario.get('name')!r}: design 'data' needs a 'data' file (or 'prostate')")
    if source in SHIPPED:
        table = SHIPPED[source]()
        target = scenario.get("target", table.target)
        if target != table.target:
            table = table_from_frame(read_frame(resources.files("regbench") / "data" / f"{source}.csv"), target,
                                     source=source)
        return table
    return load_table(source, scenario.get("target"), features=scenario.get("features"))


def _split_rows(table: Table, scenario: dict, rng) -> tuple[np.ndarray, np.ndarray]:
    """(fit rows, test rows): the scenario's ``test_rows`` (1-based), else a random ``test_fraction`` of the rows."""
    n = table.n
    rows = scenario.get("test_rows")
    if rows:
        test = np.asarray(rows, dtype=np.intp) - 1
        if test.min() < 0 or test.max() >= n or np.unique(test).size != test.size:
            raise DataError(f"test_rows must be distinct row numbers in 1..{n} (1-based); got "
                            f"{_short_list(sorted(rows))}")
        fit = np.setdiff1d(np.arange(n), test)
    else:
        frac = float(scenario.get("test_fraction", 0.25))
        n_test = int(round(frac * n))
        if not 1 <= n_test <= n - 2:
            raise DataError(f"test_fraction={frac} of {n} rows leaves {n_test} test and {n - n_test} fitting rows; "
                            "need at least 1 test and 2 fitting rows")
        perm = rng.permutation(n)
        test, fit = np.sort(perm[:n_test]), perm[n_test:]
    return fit, test


def _check_not_constant(X, names, where):
    const = [names[j] for j in np.flatnonzero(np.ptp(X, axis=0) == 0)] if X.shape[0] else []
    if const:
        raise DataError(f"constant predictor column(s) {_short_list(const)}{where}: they cannot be standardized "
                        "(and carry no information there); drop them")


def resolve_data_scenario(scenario: dict) -> dict:
    """Sizes of a ``design: data`` scenario for the study config (n = fitting rows, p, n_test), without splitting
    randomly; raises DataError (e.g. the user's file is missing) before any job runs."""
    table = scenario_table(scenario)
    _check_not_constant(table.X, table.feature_names, "")
    rows = scenario.get("test_rows")
    if rows:
        fit, test = _split_rows(table, scenario, None)
        n_fit, n_test = fit.size, test.size
    else:
        n_test = int(round(float(scenario.get("test_fraction", 0.25)) * table.n))
        n_fit = table.n - n_test
        if not 1 <= n_test <= table.n - 2:
            _split_rows(table, scenario, np.random.default_rng(0))  # raises the message
    return {"n": int(n_fit), "p": int(table.p), "n_test": int(n_test)}


def data_scenario(scenario: dict, *, study_seed: int, replicate: int, tuning_method: str = "cv"):
    """One replicate of a real-data scenario as a ``regbench.data.dataset.Dataset`` (no truth: coef_true is NaN).

    The test rows are the scenario's ``test_rows`` (1-based, the same for every replicate) or a random
    ``test_fraction`` (default 0.25) drawn per replicate (replicates are then repeated random splits). With
    ``tuning_method="validation"`` the last ``n_val`` fitting rows are the validation set, as for simulated data.
    """
    table = scenario_table(scenario)
    data_seq, cv_seq = scenario_seed(study_seed, scenario["name"], replicate).spawn(2)
    fit, test = _split_rows(table, scenario, np.random.default_rng(data_seq))
    n_val = int(scenario.get("n_val", 0)) if tuning_method == "validation" else 0
    if fit.size - n_val < 2:
        raise DataError(f"n_val={n_val} leaves {fit.size - n_val} training rows out of {fit.size}")
    train, val = fit[: fit.size - n_val], fit[fit.size - n_val:]
    X, y = table.X, table.y
    _check_not_constant(X[train], table.feature_names, f" in the training rows of replicate {replicate} (change "
                        "the seed or test_rows)")
    return Dataset(X_train=X[train], y_train=y[train], X_val=X[val], y_val=y[val], X_test=X[test], y_test=y[test],
                   coef_true=np.full(table.p, np.nan), groups=np.full(table.p, -1), sigma=float("nan"),
                   scenario=scenario["name"], replicate=int(replicate), cv_seed=int(cv_seq.generate_state(1)[0]),
                   meta={"feature_names": list(table.feature_names), "target": table.target,
                         "source": table.source})

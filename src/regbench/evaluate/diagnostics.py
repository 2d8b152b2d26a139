"""The warnings table: every fit's non-convergence, grid-edge choice and exception, one row each.

``results/<study>/warnings/<scenario>.csv`` (the evaluate step, from the ``warnings`` the fit step stored in each
fit) and ``results/<study>/warnings.csv`` (the aggregate step) have the columns ``WARNING_COLUMNS``: scenario,
replicate, method, seed, kind (``nonconvergence``, ``grid_edge`` or ``exception``), message, value (the duality gap
reached, the chosen lambda at the grid's edge; empty for an exception). ``seed`` is the study seed: the data set is
``regbench.data.simulate.simulate(scenario settings, study_seed=seed, replicate=replicate)``, drawn from
``scenario_seed(seed, scenario, replicate)``, so (seed, scenario, replicate) reproduce it exactly.
"""

from __future__ import annotations

import pandas as pd

from regbench.evaluate.warning_records import WARNING_KINDS, warning_records

__all__ = ["WARNING_COLUMNS", "fit_warning_rows", "warnings_table"]

WARNING_COLUMNS = ["scenario", "replicate", "method", "seed", "kind", "message", "value"]


def fit_warning_rows(fit) -> list[dict]:
    """The warning rows of one fit (a loaded .npz or ``fit_method``'s result), seed left empty."""
    rows = []
    for w in warning_records(fit):
        if w["kind"] not in WARNING_KINDS:
            raise ValueError(f"fit warning kind must be one of {WARNING_KINDS}, got {w['kind']!r}")
        rows.append({"scenario": str(fit["scenario"]), "replicate": int(fit["replicate"]),
                     "method": str(fit["method"]), "seed": None, "kind": w["kind"], "message": w["message"],
                     "value": w["value"]})
    return rows


def warnings_table(rows=(), *, seed=None) -> pd.DataFrame:
    """A warnings table of ``rows`` (dicts or DataFrames), columns in ``WARNING_COLUMNS`` order, ``seed`` filled in
    with the study seed when given."""
    frames = [r if isinstance(r, pd.DataFrame) else pd.DataFrame([r]) for r in rows]
    frames = [f for f in frames if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=WARNING_COLUMNS)
    for col in WARNING_COLUMNS:
        if col not in table:
            table[col] = None
    if seed is not None:
        table["seed"] = int(seed)
    return table[WARNING_COLUMNS].reset_index(drop=True)

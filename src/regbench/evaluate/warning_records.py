"""A fit's warning records: their kinds and how a stored fit gives them back.

Every fit carries ``warnings``, a list of ``{"kind", "message", "value"}`` records, stored in its .npz as JSON text
(``regbench.evaluate.fits`` writes them, ``regbench.evaluate.diagnostics`` tabulates them). This module needs
nothing but ``json``, so the steps that only read fits (evaluate, aggregate) do not import the solver and numba
(~0.5 s of CPU per job, measured in benchmarks/scale.md).
"""

from __future__ import annotations

import json

__all__ = ["WARNING_KINDS", "warning_records"]

#: what the warnings table records (an exception is recorded by the fit command, the fit itself raises)
WARNING_KINDS = ("nonconvergence", "grid_edge", "exception")


def warning_records(fit) -> list[dict]:
    """The warnings of a fit (``fit_method``'s result or a loaded .npz) as a list of records (``[]`` for a fit
    written before fits recorded warnings)."""
    raw = fit.get("warnings", "[]") if hasattr(fit, "get") else "[]"
    return json.loads(str(raw))

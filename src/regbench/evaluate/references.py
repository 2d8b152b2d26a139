"""A study's published references (config ``references``): which rows give their source's tuning values, what
those are, and how the report shows them. Light (no numpy): the pipeline asks :func:`refitted` on every start.

A reference row may state the source's tuning in Zou & Hastie's (2005) scaling, with the keys of its method
(``Method.paper_keys``): ``lambda2`` and the L1-norm fraction ``s`` for the elastic nets, ``s`` for the lasso
(lambda2 = 0), ``lambda`` for ridge (the naive elastic net at lambda2 = lambda, s = 1), nothing for OLS
(lambda2 = 0, s = 1). ``evaluate.reference_fits`` refits them; the report sets them beside the published values.
"""

from __future__ import annotations

import math
import numbers

from regbench.evaluate.methods import METHODS

__all__ = ["has_tuning", "paper_tuning", "parameters_text", "refitted", "variables_text"]


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def has_tuning(ref: dict) -> bool:
    """Whether a reference row gives its source's tuning values (numbers, the keys of its method)."""
    return any(k in ref for k in METHODS[ref["method"]].paper_keys)


def refitted(references) -> list[dict]:
    """The rows the reference_fits step refits: when any row gives tuning values, every row that has all of its
    method's keys (OLS needs none); otherwise none (a study without tuning values gets no such step)."""
    refs = list(references or [])
    if not any(has_tuning(r) for r in refs):
        return []
    return [r for r in refs if all(k in r for k in METHODS[r["method"]].paper_keys)]


def paper_tuning(ref: dict) -> tuple[float, float, str]:
    """(lambda2, s, variant) of a reference row's tuning in Zou & Hastie's scaling."""
    method = ref["method"]
    if method == "ols":
        return 0.0, 1.0, "naive"
    if method == "ridge":
        return float(ref["lambda"]), 1.0, "naive"
    if method == "lasso":
        return 0.0, float(ref["s"]), "naive"
    return float(ref["lambda2"]), float(ref["s"]), METHODS[method].variant


def _number(v) -> str:
    return f"{v:g}"


def parameters_text(ref: dict) -> str:
    """The displayed tuning of a reference row: derived from its numbers ("lambda2 = 1000, s = 0.26"), else its
    free-text ``parameters`` (empty when it has neither)."""
    keys = [k for k in METHODS[ref["method"]].paper_keys if k in ref]
    if keys:
        return ", ".join(f"{k} = {_number(float(ref[k]))}" for k in keys)
    text = ref.get("parameters", "")
    return "" if _missing(text) else str(text)


def variables_text(variables, names=None) -> str:
    """A reference's ``variables`` ("all", 1-based column numbers or names) as names, comma-separated."""
    if _missing(variables):
        return ""
    if isinstance(variables, str):
        return variables
    out = []
    for v in variables:
        if isinstance(v, numbers.Integral) and names is not None and 1 <= v <= len(names):
            out.append(str(names[v - 1]))
        else:
            out.append(str(v))
    return ", ".join(out)

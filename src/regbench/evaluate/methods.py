"""The methods a study compares: the one registry that the config schema, the pipeline, the advisor and the report read.

Each :class:`Method` says how the shared solver fits it (its fixed mixing ``l1_ratio``, or ``None`` when a study
tunes the elastic net's second parameter; its ``variant``), which of the article's four answers it stands for
(``category``), and how the report names and draws it (``label``, ``color``). A new method is one entry here plus
the schema's ``methods`` enum (``tests/evaluate/test_methods.py`` keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "METHODS", "METHOD_NAMES", "PAPER_KEYS", "Method", "category_of", "label_of", "ordered"]

#: the four answers the article allows (question 1: no regularization, L1, L2 or elastic net)
CATEGORIES = ("none", "L1", "L2", "elastic net")


@dataclass(frozen=True)
class Method:
    """One compared method: how it is fitted, what it stands for, how it is shown."""

    name: str
    label: str
    category: str
    color: str
    penalized: bool = True
    l1_ratio: float | None = None  # fixed mixing; None: the study's grid of l1_ratio or lambda2 is tuned
    variant: str = "naive"         # "corrected": Zou & Hastie's (1 + lambda2) rescaling of the naive fit
    #: the keys of a published reference's tuning values in Zou & Hastie's (2005) scaling (unit-norm columns):
    #: lambda2 and the L1-norm fraction s for the elastic nets, s for the lasso, lambda for ridge, none for OLS
    paper_keys: tuple[str, ...] = ()

    @property
    def tunes_second_parameter(self) -> bool:
        return self.penalized and self.l1_ratio is None


METHODS: dict[str, Method] = {m.name: m for m in (
    Method("ols", "OLS", "none", "#7f7f7f", penalized=False),
    Method("lasso", "lasso (L1)", "L1", "#1f77b4", l1_ratio=1.0, paper_keys=("s",)),
    Method("ridge", "ridge (L2)", "L2", "#d62728", l1_ratio=0.0, paper_keys=("lambda",)),
    Method("enet_naive", "naive elastic net", "elastic net", "#ff7f0e", paper_keys=("lambda2", "s")),
    Method("enet_corrected", "corrected elastic net", "elastic net", "#2ca02c", variant="corrected",
           paper_keys=("lambda2", "s")),
)}

#: method names in the order every table and figure lists them
METHOD_NAMES = tuple(METHODS)

#: every key a reference row's tuning values may use (the union of the methods' paper_keys)
PAPER_KEYS = tuple(dict.fromkeys(k for m in METHODS.values() for k in m.paper_keys))


def category_of(method: str) -> str:
    """The article's answer a method stands for ("?" for a name that is not a method)."""
    return METHODS[method].category if method in METHODS else "?"


def label_of(method: str) -> str:
    """The method's display label (the name itself when unknown)."""
    return METHODS[method].label if method in METHODS else method


def ordered(methods) -> list[str]:
    """The given method names in registry order (unknown names dropped)."""
    present = set(methods)
    return [m for m in METHOD_NAMES if m in present]

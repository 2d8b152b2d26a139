"""The article's three questions for choosing a regularizer, computed for a data set.

The article (shared/seed) ends with three questions: (1) how much prior knowledge do you have about the data
(does it need regularization at all; how sparse and how correlated is it), (2) how much room for validation do you
have, (3) what are your computational requirements. :func:`advise` measures each one and applies the article's rules
literally, so that the pipeline can test them against the empirical winner:

- well-posed, well-conditioned problem (n >= 10 p, condition number <= 10): "you may wish to avoid regularization
  altogether" -> **none**;
- X very sparse (>= 50 % zero entries) -> **L2** ("If your dataset turns out to be very sparse already, L2
  regularization may be your best choice");
- a large amount of pairwise correlation (>= 10 % of pairs with |r| > 0.5) -> **L2** ("The same is true if the
  dataset has a large amount of pairwise correlations");
- dense (<= 10 % zeros) and little correlation (< 2 % of pairs above 0.5, no correlated group) and n > p -> **L1**
  ("If it doesn't, and is dense, you may choose L1");
- otherwise (mixed signals, correlated groups, or p > n where "L1 regularization can only select n variables at
  most") -> **elastic net** ("If you don't know for sure, or when your metrics don't favor one approach, Elastic
  Net may be the best choice");
- question 3: with a ``time_budget`` that the elastic net's estimated tuning time exceeds, choose between L1 and L2
  instead ("Elastic Net regularization is more expensive than Lasso or Ridge regularization applied alone").

Question 2 is answered by ``validate=True`` (``regbench.advise.validate``): a quick cross-validated comparison of OLS,
lasso, ridge and naive and corrected elastic net, reporting whether the recommendation held (its category is the
best, or within one standard error of the best).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from regbench.advise.profile import CostEstimate, DataProfile, Thresholds, measure_cost, profile_data
from regbench.advise.validate import Validation, validate_advice

__all__ = ["Thresholds", "DataProfile", "CostEstimate", "Point", "Advice", "METHOD_OF_CATEGORY", "profile_data",
           "measure_cost", "recommend", "advise", "advise_dataset"]  # the measurements re-exported from .profile

#: the name each recommendation is reported by (``enet``: either elastic-net variant)
METHOD_OF_CATEGORY = {"none": "ols", "L1": "lasso", "L2": "ridge", "elastic net": "enet"}


@dataclass(frozen=True)
class Point:
    """One point of the article's reasoning: the question, what was measured, where it leans and why."""

    question: str
    finding: str
    leaning: str                    # one of CATEGORIES, "not L1", or "" (no lean)
    reasoning: str


@dataclass(frozen=True)
class Advice:
    """The advisor's answer: a recommendation among :data:`CATEGORIES` with the reasoning point by point."""

    recommendation: str
    profile: DataProfile
    points: tuple
    cost: CostEstimate | None = None
    validation: Validation | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def method(self) -> str:
        """The pipeline method that stands for the recommendation (``enet`` = either elastic net variant)."""
        return METHOD_OF_CATEGORY[self.recommendation]

    def reasons(self) -> str:
        """The leaning points in one line (for a CSV cell)."""
        return "; ".join(f"{pt.finding} -> {pt.leaning}" for pt in self.points if pt.leaning)

    def as_record(self) -> dict:
        """A flat record: recommendation, the data statistics, the validation outcome and the reasons."""
        rec = {"advised": self.recommendation, "advised_method": self.method, **self.profile.as_dict()}
        if self.cost is not None:
            for m, s in self.cost.path_seconds.items():
                rec[f"cost_{m}_s"] = s
        if self.validation is not None:
            rec.update(validated_winner=self.validation.winner, validated_category=self.validation.winner_category,
                       advice_held=self.validation.held)
        rec["reasons"] = self.reasons()
        return rec

    def to_text(self) -> str:
        """The report printed by ``regbench advise``."""
        pr = self.profile
        lines = [f"Data: n = {pr.n} rows, p = {pr.p} predictors.", ""]
        current = None
        for pt in self.points:
            if pt.question != current:
                current = pt.question
                lines.append(current)
            lean = f"  => {pt.leaning}" if pt.leaning else ""
            lines.append(f"  - {pt.finding}{lean}")
            lines.append(f"      article: {pt.reasoning}")
        if self.cost is not None:
            lines.append("")
            lines.append(f"Measured tuning-path cost on {self.cost.n_sub} of {self.cost.n} rows "
                         f"(estimated {self.cost.cv_folds}-fold CV time on all rows):")
            for m, s in self.cost.path_seconds.items():
                lines.append(f"  {m:<16} {s * 1e3:9.1f} ms  (~{self.cost.full_cv_seconds(m):.2f} s)")
        if self.validation is not None:
            v = self.validation
            lines.append("")
            lines.append(f"Validation ({v.folds}-fold CV, each method tuned by inner CV; {v.seconds:.1f} s):")
            for m in v.mse:
                star = "  <- best" if m == v.winner else ""
                lines.append(f"  {m:<16} test MSE {v.mse[m]:.4g} (SE {v.se[m]:.2g}){star}")
            verdict = "HELD" if v.held else "DID NOT HOLD"
            lines.append(f"  The recommendation ({self.recommendation}) {verdict}: empirical winner {v.winner} "
                         f"({v.winner_category}).")
        lines.append("")
        lines.append(f"Recommendation: {self.recommendation}")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- the rules
_Q1 = "1. Prior knowledge about the data: is regularization needed, how sparse, how correlated?"
_Q2 = "2. Room for validation"
_Q3 = "3. Computational requirements"

_ART_NONE = ("\"your model does not improve significantly when applying regularization - due to sparsity already "
             "introduced to the data, as well as good normalization up front. In those cases, you may wish to avoid "
             "regularization altogether.\"")
_ART_SPARSE = "\"If your dataset turns out to be very sparse already, L2 regularization may be your best choice.\""
_ART_CORR = "\"The same is true if the dataset has a large amount of pairwise correlations.\""
_ART_DENSE = "\"If it doesn't, and is dense, you may choose L1 regularization instead.\""
_ART_UNSURE = ("\"If you don't know for sure, or when your metrics don't favor one approach, Elastic Net may be the "
               "best choice for now.\"")
_ART_WIDE = ("\"Lasso does not work that well in a high-dimensional case, i.e. where the number of samples is lower "
             "than the number of dimensions ... L1 regularization can only select n variables at most.\"")
_ART_GROUPS = ("\"L1 regularization ... when the variables in your dataset correlate quite substantially ... may not "
               "be suitable\"; elastic net keeps L1's sparsity while L2 holds correlated predictors together.")
_ART_VALIDATE = ("\"if you choose to validate, it's important to validate the method you want to use. If, when using "
                 "a representative dataset, you find that some regularizer doesn't work, the odds are that it will "
                 "neither for a larger dataset.\"")
_ART_COMPUTE = ("\"Elastic Net regularization is more expensive than Lasso or Ridge regularization applied alone ... "
                "if your machine learning problem already balances at the edge of what your hardware supports ... "
                "make an informed choice between L1 and L2 regularization.\"")


def recommend(profile: DataProfile, cost: CostEstimate | None = None, *, thresholds: Thresholds | None = None,
              time_budget: float | None = None):
    """Apply the article's rules (module docstring) to a profile; return ``(recommendation, points)``."""
    th = thresholds or Thresholds()
    pr = profile
    points = []
    n_per_p = pr.n / max(pr.p, 1)
    cond = "inf (rank-deficient)" if not np.isfinite(pr.condition_number) else f"{pr.condition_number:.3g}"
    well_posed = n_per_p >= th.none_n_per_p and pr.condition_number <= th.none_condition
    points.append(Point(_Q1, f"n/p = {n_per_p:.3g} and condition number {cond} (rank {pr.rank} of {pr.p})",
                        "none" if well_posed else "",
                        _ART_NONE if well_posed else
                        f"regularization can pay off (not both n >= {th.none_n_per_p:g} p and condition number "
                        f"<= {th.none_condition:g})"))
    sparse = pr.zero_fraction >= th.very_sparse
    dense = pr.zero_fraction <= th.dense
    points.append(Point(_Q1, f"{100 * pr.zero_fraction:.1f} % of the entries of X are zero",
                        "L2" if sparse else ("L1" if dense else ""),
                        _ART_SPARSE if sparse else (
                            "dense: " + _ART_DENSE + " (if correlation is also low)" if dense else
                            "neither very sparse nor dense: no lean")))
    many = pr.share_above_05 >= th.many_corr
    few = pr.share_above_05 < th.few_corr and not pr.groups
    q = pr.abs_r_quantiles
    corr_text = (f"{100 * pr.share_above_05:.1f} % of the {pr.n_pairs} predictor pairs have |r| > {th.corr_pair:g}, "
                 f"{100 * pr.share_above_08:.1f} % have |r| > 0.8 (median |r| {q['median']:.2f}, max {q['max']:.2f})"
                 + (" [estimated on a column subsample]" if pr.corr_columns_sampled else ""))
    points.append(Point(_Q1, corr_text, "L2" if many else ("L1" if few else ""),
                        _ART_CORR if many else ("low correlation: " + _ART_DENSE + " (if also dense)" if few else
                                                "some correlation, not a large amount: no lean by itself")))
    if pr.groups:
        sizes = ", ".join(str(len(g)) for g in pr.groups[:8])
        first = ", ".join(pr.groups[0][:6]) + (" ..." if len(pr.groups[0]) > 6 else "")
        points.append(Point(_Q1, f"{len(pr.groups)} correlated group(s) with |r| >= {th.group_r:g} (sizes {sizes}; "
                                 f"e.g. {first})", "" if many else "elastic net", _ART_GROUPS))
    wide = pr.p > pr.n
    points.append(Point(_Q1, f"n = {pr.n} {'<' if wide else '>='} p = {pr.p}", "not L1" if wide else "",
                        _ART_WIDE if wide else "L1's limit of n selected variables does not bind"))

    if well_posed:
        rec = "none"
    elif sparse or many:
        rec = "L2"
    elif dense and few and not wide:
        rec = "L1"
    else:
        rec = "elastic net"
        if not any(pt.leaning == "elastic net" for pt in points):
            points.append(Point(_Q1, "the measured signals do not favour L1 or L2 alone", "elastic net", _ART_UNSURE))

    if cost is not None:
        en = cost.full_cv_seconds("enet")
        finding = (f"elastic net tuning costs {cost.relative('enet'):.1f}x a lasso path and "
                   f"{cost.relative('enet', 'ridge'):.1f}x a ridge path here (estimated {en:.2g} s for "
                   f"{cost.cv_folds}-fold CV on all rows)")
        over = time_budget is not None and en > time_budget
        if over and rec == "elastic net":
            rec = "L2" if (wide or pr.share_above_05 >= th.few_corr) else "L1"
            finding += f", over the budget of {time_budget:g} s"
        elif time_budget is not None:
            finding += f", within the budget of {time_budget:g} s" if not over else f", over budget {time_budget:g} s"
        points.append(Point(_Q3, finding, rec if over else "", _ART_COMPUTE))
    else:
        points.append(Point(_Q3, "cost not measured", "", _ART_COMPUTE))
    return rec, tuple(points)


# ----------------------------------------------------------------------------------------------- all three
def advise(X, y, *, feature_names=None, validate=False, cv=5, measure=True, time_budget=None,
           thresholds: Thresholds | None = None, random_state=0) -> Advice:
    """Answer the article's three questions for ``(X, y)`` and recommend L1, L2, elastic net or none.

    Parameters
    ----------
    X : array (n, p) or scipy.sparse matrix
    y : array (n,)
    feature_names : sequence of str, optional
    validate : bool
        Question 2: run :func:`validate_advice` (outer ``cv``-fold CV, each method tuned by inner CV) and say
        whether the recommendation held.
    measure : bool
        Question 3: time each method's tuning path on a row subsample (:func:`measure_cost`).
    time_budget : float, optional
        Seconds allowed for tuning on the full data; an elastic net estimated to exceed it is replaced by L1 or L2.
    """
    th = thresholds or Thresholds()
    y = np.asarray(y, dtype=np.float64)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
    if X.shape[0] < 3:
        raise ValueError(f"at least 3 rows are needed to advise; got {X.shape[0]}")
    profile = profile_data(X, feature_names=feature_names, thresholds=th, random_state=random_state)
    if profile.constant_columns:  # nothing to learn from them, and they cannot be standardized
        keep = np.array([nm not in set(profile.constant_columns) for nm in profile.feature_names])
        X = X.tocsc()[:, keep] if sp.issparse(X) else np.asarray(X)[:, keep]
    cost = measure_cost(X, y, cv=cv, random_state=random_state) if measure and X.shape[1] else None
    rec, points = recommend(profile, cost, thresholds=th, time_budget=time_budget)
    if profile.constant_columns:
        points = (Point(_Q1, f"{len(profile.constant_columns)} constant column(s) ignored: "
                             f"{', '.join(profile.constant_columns[:8])}", "", "a constant predictor carries no "
                        "information and cannot be standardized"),) + tuple(points)
    validation = None
    if validate and X.shape[1]:
        validation = validate_advice(X, y, rec, cv=cv, random_state=random_state)
        v = validation
        finding = (f"{v.folds}-fold CV: winner {v.winner} ({v.winner_category}, MSE {v.mse[v.winner]:.4g}); "
                   f"advice {'held' if v.held else 'did not hold'}")
        points = _insert_q2(points, Point(_Q2, finding, "", _ART_VALIDATE))
    else:
        points = _insert_q2(points, Point(_Q2, "not validated here (run with --validate / validate=True)", "",
                                          _ART_VALIDATE))
    return Advice(recommendation=rec, profile=profile, points=points, cost=cost, validation=validation,
                  thresholds=th)


def _insert_q2(points, q2):
    q3 = [i for i, pt in enumerate(points) if pt.question == _Q3]
    i = q3[0] if q3 else len(points)
    return tuple(points[:i]) + (q2,) + tuple(points[i:])


def advise_dataset(ds, *, measure=True, random_state=0) -> dict:
    """The advice for one pipeline data set (its training rows, as the methods see them) as a flat record."""
    names = (ds.meta or {}).get("feature_names") if hasattr(ds, "meta") else None
    adv = advise(ds.X_train, ds.y_train, feature_names=names, measure=measure, random_state=random_state)
    return {"scenario": ds.scenario, "replicate": int(ds.replicate), **adv.as_record()}

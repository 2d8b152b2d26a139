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

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from regbench.advise.validate import ENET_L1_RATIOS, Validation, validate_advice
from regbench.fitting._design import standardized
from regbench.fitting.ridge import ols, ridge_path
from regbench.fitting.solver import path

__all__ = ["Thresholds", "DataProfile", "CostEstimate", "Point", "Advice", "METHOD_OF_CATEGORY", "profile_data",
           "measure_cost", "recommend", "advise", "advise_dataset"]

#: the name each recommendation is reported by (``enet``: either elastic-net variant)
METHOD_OF_CATEGORY = {"none": "ols", "L1": "lasso", "L2": "ridge", "elastic net": "enet"}

_MAX_CORR_COLUMNS = 2000
_MAX_SVD_ROWS = 5000
_MAX_CORR_ROWS = 10000


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs that turn the article's qualitative words into numbers (all documented in :func:`recommend`)."""

    very_sparse: float = 0.5        # fraction of zero entries at or above which X is "very sparse"
    dense: float = 0.1              # fraction of zero entries at or below which X is "dense"
    corr_pair: float = 0.5          # a pair is correlated when |r| exceeds this
    many_corr: float = 0.10         # share of correlated pairs that is "a large amount of pairwise correlations"
    few_corr: float = 0.02          # share of correlated pairs below which correlation is "low"
    group_r: float = 0.8            # |r| linking two predictors into a correlated group
    none_n_per_p: float = 10.0      # n >= this * p ...
    none_condition: float = 10.0    # ... and condition number <= this: regularization is unlikely to help


@dataclass(frozen=True)
class DataProfile:
    """What question 1 asks about the data."""

    n: int
    p: int
    zero_fraction: float
    constant_columns: tuple
    abs_r_quantiles: dict           # min, q25, median, q75, q90, max of pairwise |r|
    share_above_05: float
    share_above_08: float
    n_pairs: int
    groups: tuple                   # tuples of feature names, |r| >= group_r (connected components, size >= 2)
    condition_number: float         # of the centred, unit-variance design (inf when rank-deficient)
    rank: int
    corr_columns_sampled: bool      # pairwise |r| estimated on a random subset of columns (or rows)
    feature_names: tuple = ()

    def as_dict(self) -> dict:
        return {"n": self.n, "p": self.p, "n_over_p": self.n / max(self.p, 1), "zero_fraction": self.zero_fraction,
                "share_abs_r_above_0.5": self.share_above_05, "share_abs_r_above_0.8": self.share_above_08,
                **{f"abs_r_{k}": v for k, v in self.abs_r_quantiles.items()},
                "n_groups": len(self.groups), "largest_group": max((len(g) for g in self.groups), default=0),
                "condition_number": self.condition_number, "rank": self.rank,
                "n_constant_columns": len(self.constant_columns)}


@dataclass(frozen=True)
class CostEstimate:
    """Question 3: seconds measured on a row subsample, and the extrapolated cost of tuning on the full data."""

    n_sub: int
    n: int
    path_seconds: dict              # method -> seconds for its whole tuning grid on the subsample (one fit per grid)
    cv_folds: int

    def full_cv_seconds(self, method: str) -> float:
        """Estimated seconds to tune ``method`` by K-fold CV on all n rows (cost linear in n, K + 1 paths)."""
        return self.path_seconds[method] * (self.n / self.n_sub) * (self.cv_folds + 1)

    def relative(self, method: str, base: str = "lasso") -> float:
        return self.path_seconds[method] / max(self.path_seconds[base], 1e-12)


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


# ----------------------------------------------------------------------------------------------- question 1
def profile_data(X, *, feature_names=None, thresholds: Thresholds | None = None, random_state=0) -> DataProfile:
    """Sparsity, pairwise correlation, groups, n vs p and conditioning of the design ``X`` (dense or sparse)."""
    th = thresholds or Thresholds()
    n, p = X.shape
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j}" for j in range(p))
    if sp.issparse(X):
        X = X.tocsc()
        zero_fraction = 1.0 - X.count_nonzero() / float(n * p)
    else:
        X = np.asarray(X, dtype=np.float64)
        zero_fraction = float(np.mean(X == 0))
    rng = np.random.default_rng(random_state)
    cols = np.arange(p)
    sampled = p > _MAX_CORR_COLUMNS
    if sampled:
        cols = np.sort(rng.choice(p, _MAX_CORR_COLUMNS, replace=False))
    Xc = X[:, cols]
    if n > _MAX_CORR_ROWS:  # correlations from a row subsample (the n x p dense copy would not fit)
        Xc = Xc[np.sort(rng.choice(n, _MAX_CORR_ROWS, replace=False))]
        sampled = True
    Z, _, sd = standardized(Xc)
    constant = tuple(names[cols[j]] for j in np.flatnonzero(sd == 0))
    keep = sd > 0
    R = (Z[:, keep].T @ Z[:, keep]) / Z.shape[0]
    iu = np.triu_indices(R.shape[0], k=1)
    r = np.abs(R[iu])
    if r.size:
        q = np.quantile(r, [0.0, 0.25, 0.5, 0.75, 0.9, 1.0])
        quantiles = dict(zip(("min", "q25", "median", "q75", "q90", "max"), map(float, q)))
        share05 = float(np.mean(r > th.corr_pair))
        share08 = float(np.mean(r > 0.8))
    else:
        quantiles = dict.fromkeys(("min", "q25", "median", "q75", "q90", "max"), float("nan"))
        share05 = share08 = 0.0
    groups = _groups(np.abs(R) >= th.group_r, [names[c] for c in cols[keep]])
    condition, rank = _conditioning(X, rng)
    return DataProfile(n=n, p=p, zero_fraction=float(zero_fraction), constant_columns=constant,
                       abs_r_quantiles=quantiles, share_above_05=share05, share_above_08=share08, n_pairs=int(r.size),
                       groups=groups, condition_number=condition, rank=rank, corr_columns_sampled=sampled,
                       feature_names=names)


def _groups(adjacency, names) -> tuple:
    from scipy.sparse.csgraph import connected_components
    if adjacency.shape[0] == 0:
        return ()
    _, labels = connected_components(sp.csr_matrix(adjacency), directed=False)
    out = []
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        if members.size >= 2:
            out.append(tuple(names[m] for m in members))
    return tuple(sorted(out, key=len, reverse=True))


def _conditioning(X, rng):
    n, p = X.shape
    rows = np.arange(n)
    if n > _MAX_SVD_ROWS:
        rows = np.sort(rng.choice(n, _MAX_SVD_ROWS, replace=False))
    if p > _MAX_CORR_COLUMNS:  # a wide matrix is rank-deficient anyway (rank <= n)
        return float("inf"), int(min(n, p))
    Z, _, sd = standardized(X[rows])
    Z = Z[:, sd > 0]
    if Z.shape[1] == 0:
        return float("inf"), 0
    s = np.linalg.svd(Z, compute_uv=False)
    tol = s[0] * max(Z.shape) * np.finfo(float).eps
    rank = int(np.sum(s > tol))
    rank_full = rank == p
    return (float(s[0] / s[-1]) if rank_full else float("inf")), rank


# ----------------------------------------------------------------------------------------------- question 3
def measure_cost(X, y, *, max_rows=1000, cv=5, n_lambdas=50, random_state=0) -> CostEstimate:
    """Time one tuning path per method on a row subsample (JIT warm-up excluded).

    lasso: one path (l1_ratio = 1); ridge: one ridge path (thin SVD); elastic net: one path per l1_ratio of
    :data:`ENET_L1_RATIOS` (the 2-D grid is what makes it more expensive, the article's point); ols: one
    least-squares solve. Each is the best of two runs.
    """
    n = X.shape[0]
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(n, max_rows, replace=False)) if n > max_rows else np.arange(n)
    Xs, ys = X[rows], np.asarray(y, dtype=np.float64)[rows]
    warm = np.random.default_rng(0).standard_normal((20, 4))  # compile the kernels outside the timing
    for Xw in ([warm, sp.csc_matrix(warm)] if sp.issparse(Xs) else [warm]):
        path(Xw, warm[:, 0], n_lambdas=3, standardize=True)
        path(Xw, warm[:, 0], l1_ratio=0.5, n_lambdas=3, standardize=True)

    def best_of(fn, reps=2):
        out = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        return min(out)

    secs = {
        "ols": best_of(lambda: ols(Xs, ys)),
        "lasso": best_of(lambda: path(Xs, ys, l1_ratio=1.0, n_lambdas=n_lambdas, standardize=True)),
        "ridge": best_of(lambda: ridge_path(Xs.toarray() if sp.issparse(Xs) else Xs, ys,
                                                     n_lambdas=n_lambdas, standardize=True)),
        "enet": best_of(lambda: [path(Xs, ys, l1_ratio=a, n_lambdas=n_lambdas, standardize=True)
                                 for a in ENET_L1_RATIOS]),
    }
    return CostEstimate(n_sub=len(rows), n=n, path_seconds=secs, cv_folds=cv)


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

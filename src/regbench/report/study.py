"""A study's outputs as the report reads them: the tables (metrics, summary, scenarios) and the stored fits.

The notebooks in ``notebooks/`` hold no logic: they load a study here and call ``regbench.report.tables``,
``regbench.report.claims`` and ``regbench.report.plotting``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from regbench.data.io import load_npz
from regbench.evaluate.methods import METHOD_NAMES, ordered
from regbench.evaluate.paired import paired_table

__all__ = ["Study", "crossed_design_of", "load_fit", "load_fits", "load_study", "replicate_fits", "replicates",
           "resolve_scenario", "scenario_settings"]


@dataclass(frozen=True)
class Study:
    """A study's outputs: the long metrics table, its summary, the scenarios and the fits folder."""

    name: str
    metrics: pd.DataFrame
    summary: pd.DataFrame
    scenarios: pd.DataFrame
    fits_dir: Path
    paired: pd.DataFrame | None = None
    warnings: pd.DataFrame | None = None
    reference_fits: pd.DataFrame | None = None  # references refitted at their source's tuning (when computed)
    #: fits already read, by path: the health table, the fit table and the figures of a page share one read each
    fit_cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def scenario_names(self) -> list[str]:
        return [s for s in self.scenarios["name"] if s in set(self.metrics["scenario"])]

    @property
    def methods(self) -> list[str]:
        return ordered(self.metrics["method"])

    def without_cells(self) -> Study:
        """The study restricted to its hand-written scenarios. The comparison page draws a panel (or table rows)
        per scenario; a crossed design's cells, tens of them, are drawn as maps on their design's own page."""
        keep = set(self.scenarios["name"][crossed_design_of(self.scenarios) == ""])
        if keep >= set(self.scenario_names):
            return self

        def sub(df, column="scenario"):
            return None if df is None else df[df[column].isin(keep)].reset_index(drop=True)

        return replace(self, metrics=sub(self.metrics), summary=sub(self.summary),
                       scenarios=sub(self.scenarios, "name"), paired=sub(self.paired), warnings=sub(self.warnings),
                       reference_fits=sub(self.reference_fits))


def crossed_design_of(scenarios: pd.DataFrame) -> pd.Series:
    """Each scenarios.csv row's crossed design (its ``grid`` column), "" for a hand-written scenario."""
    if "grid" not in scenarios:
        return pd.Series("", index=scenarios.index, dtype=str)
    return scenarios["grid"].where(scenarios["grid"].notna(), "").astype(str)


def load_study(results_dir) -> Study:
    """Read ``metrics.csv``, ``summary.csv``, ``scenarios.csv`` and, when present, ``paired.csv`` (computed from
    metrics.csv with the default reference when missing), ``warnings.csv`` and ``reference_fits.csv`` from a study's
    results folder."""
    results_dir = Path(results_dir)
    missing = [f for f in ("metrics.csv", "summary.csv", "scenarios.csv")
               if not (results_dir / f).is_file()]
    if missing:
        raise FileNotFoundError(f"{results_dir} lacks {', '.join(missing)}: run the study first")
    metrics = pd.read_csv(results_dir / "metrics.csv", dtype={"scenario": str, "method": str})
    summary = pd.read_csv(results_dir / "summary.csv", dtype={"scenario": str, "method": str})
    scenarios = pd.read_csv(results_dir / "scenarios.csv", dtype={"name": str})
    name = str(metrics["study"].iloc[0]) if len(metrics) else results_dir.name
    paired_csv, warnings_csv = results_dir / "paired.csv", results_dir / "warnings.csv"
    paired = (pd.read_csv(paired_csv, dtype={"scenario": str, "method": str}) if paired_csv.is_file()
              else paired_table(metrics))
    warns = pd.read_csv(warnings_csv, dtype={"scenario": str, "method": str}) if warnings_csv.is_file() else None
    ref_csv = results_dir / "reference_fits.csv"
    ref_fits = (pd.read_csv(ref_csv, dtype={"scenario": str, "method": str}, keep_default_na=False,
                            na_values=[""]) if ref_csv.is_file() else None)
    return Study(name, metrics, summary, scenarios, results_dir / "fits", paired, warns, ref_fits)


def replicates(study: Study, scenario: str) -> list[str]:
    """Replicate folder names of a scenario's fits, in numeric order when they are numbers."""
    d = study.fits_dir / scenario
    names = [p.name for p in d.iterdir() if p.is_dir()] if d.is_dir() else []
    return sorted(names, key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0, s))


def load_fit(study: Study, scenario: str, replicate, method: str) -> dict | None:
    """One fit's arrays (``regbench.evaluate.fits.FIT_KEYS`` and more) as a dict, or None when it was not fitted;
    read once per study (callers must not modify it)."""
    path = study.fits_dir / scenario / str(replicate) / f"{method}.npz"
    if path not in study.fit_cache:
        study.fit_cache[path] = load_npz(path) if path.is_file() else None
    return study.fit_cache[path]


def load_fits(study: Study, scenario: str, replicate=None) -> dict[str, dict]:
    """Every method's fit for one replicate (the first one when ``replicate`` is None or "")."""
    if replicate in (None, ""):
        reps = replicates(study, scenario)
        if not reps:
            return {}
        replicate = reps[0]
    fits = {m: load_fit(study, scenario, replicate, m) for m in METHOD_NAMES}
    return {m: f for m, f in fits.items() if f is not None}


def replicate_fits(study: Study, scenario: str, method: str) -> list[dict]:
    """One method's fit in every replicate of a scenario."""
    fits = (load_fit(study, scenario, r, method) for r in replicates(study, scenario))
    return [f for f in fits if f is not None]


def resolve_scenario(study: Study, scenario: str | None) -> str:
    """The named scenario (checked), or the study's first one when ``scenario`` is empty."""
    names = study.scenario_names
    if not scenario:
        if not names:
            raise ValueError(f"study {study.name!r} has no scenario with metrics")
        return names[0]
    if scenario not in names:
        raise ValueError(f"scenario {scenario!r} is not in study {study.name!r}; "
                         f"expected one of {names}")
    return scenario


def scenario_settings(study: Study, scenario: str) -> pd.DataFrame:
    """The scenario's row of scenarios.csv, as a one-column table."""
    row = study.scenarios[study.scenarios["name"] == scenario]
    return row.set_index("name").T.dropna()


# Helpers of workflow/rules/report.smk (kept apart so each rule file holds only rules, as the linter asks).
import json
import os
import shlex

from regbench.cli import subcommand_module
from regbench.report.index import page_order
from regbench.study.code import module_files, notebook_files

REPORT_STUDY_TABLES = ["metrics.csv", "summary.csv", "scenarios.csv", "paired.csv"]
# the solver's benchmark table, copied into the report and linked from its index (when the checkout has it)
BENCHMARKS = "benchmarks/RESULTS.md"


wildcard_constraints:
    page=r"primer|comparison|scenario_[^/]+|grid_[^/]+",


def report_pages(wildcards=None):
    """Page names of the report: primer, comparison, then one page per hand-written scenario and one per crossed
    design (``grid_<name>``: its cells are laid out on that page, not given a page each)."""
    return page_order(config["scenarios"])


def report_page_params(wildcards):
    """The notebook's parameters as KEY=JSON words; results_dir is relative to the report."""
    if wildcards.page == "primer":
        values = {"seed": 0, "pages": report_pages()}
    elif wildcards.page == "comparison":
        values = {"results_dir": "..", "references": config.get("references", [])}
    elif wildcards.page.startswith("grid_"):
        values = {"results_dir": "..", "grid": wildcards.page[len("grid_"):]}
    else:
        values = {"results_dir": "..", "scenario": wildcards.page[len("scenario_"):]}
    return " ".join(shlex.quote(f"{k}={json.dumps(v)}") for k, v in values.items())


def report_notebook_inputs(wildcards):
    """The notebook source, its parameters, the code it calls and the study tables it reads."""
    name = wildcards.page.split("_")[0]
    inputs = {
        "notebook": f"notebooks/{name}.ipynb",
        "params": f"results/{wildcards.study}/report/params/{wildcards.page}.yaml",
        # the package files the notebook's cells import (derived, see regbench.study.code)
        "code": notebook_files(f"notebooks/{name}.ipynb"),
    }
    if name in ("grid", "comparison") and "ADVICE" in globals():  # advice scored on the regime map
        inputs["advice"] = f"results/{wildcards.study}/advice.csv"
    if name != "primer":
        inputs["tables"] = [f"results/{wildcards.study}/{t}" for t in REPORT_STUDY_TABLES]
    if name == "comparison" and "DATA" in globals():  # the double-shrinkage refit reads the stored data sets
        inputs["data"] = [DATA.format(scenario=s, rep=r) for s in SCENARIOS for r in REPLICATES]
    if name == "comparison" and globals().get("REFERENCE_FITS"):  # references refitted at the source's tuning
        inputs["reference_fits"] = REFERENCE_FITS
    return inputs

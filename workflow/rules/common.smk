# Shared set-up, loaded first: check the study config, then the helpers the rules use.
import json
import os
import sys

from snakemake.utils import validate

from regbench.cli import subcommand_module
from regbench.evaluate.references import refitted
from regbench.study.code import module_files, package_root
from regbench.study.config import StudyConfigError, check_config, methods_for, wildcard_pattern


# Rules call the `regbench` console script; put the interpreter's bin directory (the venv or conda env running
# Snakemake) first on PATH, so it is found even when the environment is not activated (`.venv/bin/snakemake`).
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])


envvars:
    "PATH",


# jsonschema imports its optional IRI-format checker, rfc3987_syntax (installed with jupyter), when present, which
# compiles 38 grammars (~2.7 s of CPU on every Snakemake start, dry runs included). The schema uses no "iri"
# format, so this Snakemake process skips it; jobs and other processes are unaffected.
sys.modules.setdefault("rfc3987_syntax", None)

# ---- config: schema (types, ranges, unknown keys; clear messages naming the key) + defaults + cross-key checks,
# all before any job runs.
SCHEMA = workflow.source_path("../schemas/config.schema.yaml")
try:
    check_config(config, SCHEMA)
except StudyConfigError as exc:
    raise WorkflowError(str(exc)) from None
validate(config, "../schemas/config.schema.yaml")  # Snakemake's own check (defaults are already in)

STUDY = config["study"]
SCENARIOS = {s["name"]: s for s in config["scenarios"]}
REPLICATES = list(range(config["replicates"]))


# Rules write results/{study}/... with {study} fixed to this study's name (config "study").
wildcard_constraints:
    study=wildcard_pattern([STUDY]),
    scenario=wildcard_pattern(SCENARIOS),
    method=wildcard_pattern(config["methods"]),


# ---- paths and input functions
def per_replicate(pattern):
    """Expand {rep} over the replicates, keeping the other wildcards ({scenario}, {method})."""
    return [pattern.replace("{rep}", str(r)) for r in REPLICATES]


# This study's paths, for input functions and later steps (the rules themselves use "results/{study}/...").
OUT = f"results/{STUDY}"
LOGS = f"logs/{STUDY}"
DATA = f"results/{STUDY}/data/{{scenario}}/{{rep}}.npz"
FIT = f"results/{STUDY}/fits/{{scenario}}/{{rep}}/{{method}}.npz"
SCENARIO_METRICS = f"results/{STUDY}/metrics/{{scenario}}.csv"
SCENARIO_WARNINGS = f"results/{STUDY}/warnings/{{scenario}}.csv"
STUDY_TABLES = [f"results/{STUDY}/{table}.csv" for table in ("metrics", "summary", "scenarios", "warnings")]


# The library code each step runs, declared as input: Snakemake does not see edits to an imported package, so
# without this a changed solver would leave stale fits that look current. Each list is derived from the imports of
# the step's `regbench` subcommand module (regbench.study.code), so a new import cannot be forgotten; editing a
# module reruns exactly the steps that import it.
def step_code(subcommand):
    """The package files `regbench <subcommand>` runs."""
    return module_files(subcommand_module(subcommand))


def get_data_file(wildcards):
    """A real-data scenario's table (the user's file or the shipped one), so an edited file redraws its splits."""
    s = SCENARIOS[wildcards.scenario]
    if s["design"] != "data":
        return []
    shipped = package_root() / "data" / f"{s['data']}.csv"
    return [str(shipped)] if shipped.is_file() else [s["data"]]


def scenario_fits(scenario):
    """Every fit of one scenario: replicate-major, methods in config order (ols only where n_train > p)."""
    methods = methods_for(config, SCENARIOS[scenario])
    return [FIT.format(scenario=scenario, rep=r, method=m) for r in REPLICATES for m in methods]


def get_fits(wildcards):
    return scenario_fits(wildcards.scenario)


def get_scenario_metrics(wildcards):
    return [SCENARIO_METRICS.format(scenario=s) for s in SCENARIOS]


def get_intermediates(wildcards=None):
    """Every data set, fit and per-scenario metrics and warnings table of the study. Requested by `rule all` so that
    a deleted one is rebuilt (with the jobs that read it): Snakemake does not rebuild a missing intermediate whose
    consumers are up to date."""
    out = []
    for s in SCENARIOS:
        out += [DATA.format(scenario=s, rep=r) for r in REPLICATES] + scenario_fits(s)
        out += [SCENARIO_METRICS.format(scenario=s), SCENARIO_WARNINGS.format(scenario=s)]
    return out


def get_scenario_warnings(wildcards):
    return [SCENARIO_WARNINGS.format(scenario=s) for s in SCENARIOS]


def scenario_spec(wildcards):
    """The scenario's settings as JSON: a rule param, so changing a scenario reruns only its jobs."""
    return json.dumps(SCENARIOS[wildcards.scenario], sort_keys=True)


def fit_spec(wildcards):
    """What a method's fit depends on besides the data, as JSON (a param: changing it reruns that method only)."""
    spec = {
        "tuning": config["tuning"],
        "grid": config["grids"].get(wildcards.method, {}),
        "solver": config["solver"],
        "standardize": config["standardize"],
    }
    return json.dumps(spec, sort_keys=True)


def fit_spec_all(methods):
    """fit_spec of each of the methods, as one JSON mapping {method: spec} (the fit_model rules' param)."""
    return json.dumps({m: json.loads(fit_spec(type("W", (), {"method": m}))) for m in methods}, sort_keys=True)


def study_spec(wildcards):
    return json.dumps(config, sort_keys=True)


# Published references that give their source's tuning values (lambda2, s, lambda): refitted there by the
# reference_fits rule (evaluate.smk); a study without such values has no such job and no table.
REFITTED = refitted(config["references"])
REFERENCE_FITS = f"results/{STUDY}/reference_fits.csv" if REFITTED else None


def reference_scenarios():
    return list(dict.fromkeys(r["scenario"] for r in REFITTED))


def reference_spec(wildcards):
    """What the reference fits depend on besides the data, as JSON: the refitted rows and their scenarios."""
    return json.dumps({"references": REFITTED, "scenarios": {s: SCENARIOS[s] for s in reference_scenarios()}},
                      sort_keys=True)


# ---- final targets: the study tables; workflow/rules/report.smk (or any later step) appends its own outputs to
# FINAL_OUTPUTS and `rule all` picks them up.
FINAL_OUTPUTS = []


def get_final_output(wildcards=None):
    return get_intermediates() + STUDY_TABLES + FINAL_OUTPUTS


# ---- the end of a run: one paragraph on the terminal (fits that did not converge, grid-edge choices, failed jobs,
# where the details are); regbench.study.run_summary.
def _print_run_summary(log, failed):
    from regbench.study.run_summary import study_run_summary

    try:
        text = study_run_summary(STUDY, list(SCENARIOS), seed=config["seed"], snakemake_log=log, failed=failed)
    except Exception as exc:  # the summary must never hide the run's own outcome
        text = f"regbench: no run summary ({type(exc).__name__}: {exc})"
    print(text, file=sys.stderr)


onsuccess:
    _print_run_summary(log, failed=False)


onerror:
    _print_run_summary(log, failed=True)

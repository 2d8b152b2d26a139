# regbench: the study pipeline. This file only wires: config, its validation (common.smk), the rule files, rule all.
# Run a study:  snakemake --profile workflow/profiles/default --cores 2 --configfile config/<study>.yaml
from snakemake.utils import min_version

min_version("9.0")


# The default study only when no study file is given: a `--configfile` study replaces it instead of being merged
# over it. The profiles' `replace-workflow-config` does that for the main process, but executor plugins (SLURM) do
# not forward it to the jobs they submit, where the merge gave the study's unset keys the default study's values
# (different numbers, no warning).
if not workflow.overwrite_configfiles:

    configfile: "config/default.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/fit.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/aggregate.smk"
include: "workflow/rules/advise.smk"
include: "workflow/rules/report.smk"


# Jobs of a few seconds or less, run by the submitting Snakemake itself under a cluster executor (no SLURM job).
localrules: notebook_params, report_index, collect_metrics, advise_study, reference_fits, all


# Each step's rule file adds its final targets to FINAL_OUTPUTS (common.smk); rule all asks for them.


rule all:
    input:
        get_final_output,
    default_target: True


# The study without its report: data sets, fits, tables and advice (what `regbench compare` asks for).
rule study_results:
    input:
        get_intermediates,
        STUDY_TABLES,
        ADVICE,

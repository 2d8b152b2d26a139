rule collect_metrics:
    """The study's tables: metrics.csv (all rows), summary.csv (medians, bootstrap SEs), paired.csv (each method
    against the scenario's best and the reference, replicate by replicate), scenarios.csv, and warnings.csv (every
    fit's non-convergence and grid-edge choice, with the seed that reproduces its data set)."""
    input:
        metrics=get_scenario_metrics,
        warnings=get_scenario_warnings,
        code=step_code("aggregate"),
    output:
        metrics="results/{study}/metrics.csv",
        summary="results/{study}/summary.csv",
        scenarios="results/{study}/scenarios.csv",
        paired="results/{study}/paired.csv",
        warnings="results/{study}/warnings.csv",
    params:
        config=study_spec,
    log:
        "logs/{study}/collect_metrics.log",
    benchmark:
        "logs/{study}/collect_metrics/collect_metrics.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench aggregate --config {params.config:q} --metrics {input.metrics:q} --out-metrics {output.metrics:q}"
        " --out-summary {output.summary:q} --out-scenarios {output.scenarios:q} --out-paired {output.paired:q}"
        " --warnings {input.warnings:q} --out-warnings {output.warnings:q} 2> {log}"

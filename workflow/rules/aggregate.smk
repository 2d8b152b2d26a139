rule collect_metrics:
<<<<<<< HEAD
    """The study's tables: metrics.csv (all rows), summary.csv (medians, bootstrap SEs), paired.csv (each method
    against the scenario's best and the reference, replicate by replicate), scenarios.csv."""
=======
    """The study's tables: metrics.csv (all rows), summary.csv (medians, bootstrap SEs), scenarios.csv, and
    warnings.csv (every fit's non-convergence and grid-edge choice, with the seed that reproduces its data set)."""
>>>>>>> df243cc (Every fit's warnings recorded: non-convergence (chosen lambda, path, tuning; the study's max_iter now reaches tuning too) and grid-edge choices in each fit's .npz, warnings/<scenario>.csv and warnings.csv (with the study seed); a fit that raises is recorded and fails its job; onsuccess/onerror print a one-paragraph summary; fit jobs are per scenario (all methods and replicates))
    input:
        metrics=get_scenario_metrics,
        warnings=get_scenario_warnings,
        code=step_code("aggregate"),
    output:
        metrics="results/{study}/metrics.csv",
        summary="results/{study}/summary.csv",
        scenarios="results/{study}/scenarios.csv",
<<<<<<< HEAD
        paired="results/{study}/paired.csv",
=======
        warnings="results/{study}/warnings.csv",
>>>>>>> df243cc (Every fit's warnings recorded: non-convergence (chosen lambda, path, tuning; the study's max_iter now reaches tuning too) and grid-edge choices in each fit's .npz, warnings/<scenario>.csv and warnings.csv (with the study seed); a fit that raises is recorded and fails its job; onsuccess/onerror print a one-paragraph summary; fit jobs are per scenario (all methods and replicates))
    params:
        config=study_spec,
    log:
        "logs/{study}/collect_metrics.log",
    conda:
        "../../environment.yml"
    shell:
        "regbench aggregate --config {params.config:q} --metrics {input.metrics:q} --out-metrics {output.metrics:q}"
<<<<<<< HEAD
        " --out-summary {output.summary:q} --out-scenarios {output.scenarios:q} --out-paired {output.paired:q}"
        " 2> {log}"
=======
        " --out-summary {output.summary:q} --out-scenarios {output.scenarios:q}"
        " --warnings {input.warnings:q} --out-warnings {output.warnings:q} 2> {log}"
>>>>>>> df243cc (Every fit's warnings recorded: non-convergence (chosen lambda, path, tuning; the study's max_iter now reaches tuning too) and grid-edge choices in each fit's .npz, warnings/<scenario>.csv and warnings.csv (with the study seed); a fit that raises is recorded and fails its job; onsuccess/onerror print a one-paragraph summary; fit jobs are per scenario (all methods and replicates))

rule compute_metrics:
    """One scenario's metrics (a row per replicate x method) and its fits' warnings (a row per warning)."""
    input:
        data=per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
        fits=get_fits,
        code=step_code("evaluate"),
    output:
        metrics="results/{study}/metrics/{scenario}.csv",
        warnings="results/{study}/warnings/{scenario}.csv",
    log:
        "logs/{study}/compute_metrics/{scenario}.log",
    benchmark:
        "logs/{study}/compute_metrics/{scenario}.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench evaluate --study {wildcards.study:q} --data {input.data:q} --fits {input.fits:q}"
        " --out {output.metrics:q} --out-warnings {output.warnings:q} 2> {log}"

rule compute_metrics:
    """One scenario's metrics (a row per replicate x method) and its fits' warnings (a row per warning)."""
    input:
        data=per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
        fits=get_fits,
        code=step_code("evaluate"),
    output:
        metrics="results/{study}/metrics/{scenario}.csv",
        warnings="results/{study}/warnings/{scenario}.csv",
    priority: 2  # depth first, see fit.smk
    log:
        "logs/{study}/compute_metrics/{scenario}.log",
    benchmark:
        "logs/{study}/compute_metrics/{scenario}.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench evaluate --study {wildcards.study:q} --data {input.data:q} --fits {input.fits:q}"
        " --out {output.metrics:q} --out-warnings {output.warnings:q} 2> {log}"


rule reference_fits:
    """The study's published references refitted at the source's own tuning values (Zou & Hastie's lambda2 and s,
    ridge's lambda) on each referenced scenario's first replicate, scored on its test rows
    (regbench.evaluate.reference_fits). Only studies whose references give tuning values ask for it."""
    input:
        data=lambda wildcards: [DATA.format(scenario=s, rep=0) for s in reference_scenarios()],
        code=step_code("reference-fits"),
    output:
        "results/{study}/reference_fits.csv",
    params:
        spec=reference_spec,
    log:
        "logs/{study}/reference_fits/reference_fits.log",
    benchmark:
        "logs/{study}/reference_fits/reference_fits.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench reference-fits --spec {params.spec:q} --data {input.data:q} --out {output:q} 2> {log}"


if REFERENCE_FITS:
    FINAL_OUTPUTS.append(REFERENCE_FITS)

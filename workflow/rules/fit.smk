rule fit_model:
    """Tune and fit one method on every replicate of one scenario (one job: the solver's start-up is paid once)."""
    input:
        per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
    output:
        per_replicate("results/{study}/fits/{scenario}/{rep}/{method}.npz"),
    params:
        spec=fit_spec,
    log:
        "logs/{study}/fit_model/{scenario}/{method}.log",
    benchmark:
        "logs/{study}/fit_model/{scenario}/{method}.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench fit --method {wildcards.method} --spec {params.spec:q} --data {input:q} --out {output:q}"
        " 2> {log}"

rule fit_model:
    """Tune and fit one method on every replicate of one scenario.

    Granularity (measured): a job's start-up (interpreter, imports, numba cache load) costs about 1 CPU second;
    one job per fit (scenario x replicate x method) would pay it 135 times in the default study, more than the
    fits themselves; one job per scenario x method pays it 27 times (about a quarter of the fitting CPU), keeps
    both cores busy, and reruns only the method whose settings changed.
    """
    input:
        data=per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
        code=step_code("fit"),
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
        "regbench fit --method {wildcards.method} --spec {params.spec:q} --data {input.data:q} --out {output:q}"
        " 2> {log}"

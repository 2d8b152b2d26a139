rule simulate_dataset:
    """Draw every replicate of one scenario (seeded by study seed, scenario name and replicate)."""
    input:
        code=step_code("simulate"),
        table=get_data_file,
    output:
        per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
    params:
        scenario=scenario_spec,
        seed=config["seed"],
        tuning=config["tuning"]["method"],
        replicates=" ".join(map(str, REPLICATES)),
    log:
        "logs/{study}/simulate_dataset/{scenario}.log",
    benchmark:
        "logs/{study}/simulate_dataset/{scenario}.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench simulate --scenario {params.scenario:q} --seed {params.seed} --tuning-method {params.tuning}"
        " --replicates {params.replicates} --out {output:q} 2> {log}"

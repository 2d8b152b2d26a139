# Tune and fit every method on every replicate of one scenario: one job per scenario.
#
# Granularity (measured, benchmarks/scale.md): a job's start-up (interpreter, imports, numba cache load) costs about
# 0.9-1.1 CPU seconds, more than a small scenario's fit (0.1 s for a lasso with 5-fold CV at n = 100, p = 20). One job
# per scenario x method paid it 27 times in the default study; one job per scenario pays it once for all its
# replicates and methods. The price: a change to one method's grid refits every method of each scenario.
#
# A rule's outputs are fixed patterns, and ols is fitted only where n_train > p, so the scenarios are split by their
# method list: fit_model for those fitting every method of the study, fit_model_no_ols for the others (the same
# rule otherwise).
#
# Priorities run a study depth first (a scenario's fit as soon as its data exist, its metrics as soon as its fits
# do) rather than all data sets, then all fits: fewer jobs wait at once, and Snakemake's scheduler stats the inputs
# of every waiting job on each of its (about one per second per finished job) scheduling rounds, so that
# bookkeeping grew with the study's size squared (benchmarks/scale.md).
FIT_RULES = {}
for _scenario in SCENARIOS.values():
    FIT_RULES.setdefault(tuple(methods_for(config, _scenario)), []).append(_scenario["name"])

for _methods, _names in FIT_RULES.items():

    rule:
        name:
            "fit_model" if list(_methods) == list(config["methods"]) else "fit_model_no_ols"
        input:
            data=per_replicate("results/{study}/data/{scenario}/{rep}.npz"),
            code=step_code("fit"),
        output:
            [f"results/{{study}}/fits/{{scenario}}/{r}/{m}.npz" for r in REPLICATES for m in _methods],
        wildcard_constraints:
            scenario=wildcard_pattern(_names),
        params:
            methods=" ".join(_methods),
            spec=lambda wildcards, methods=_methods: fit_spec_all(methods),
        priority: 1
        log:
            "logs/{study}/fit_model/{scenario}.log",
        benchmark:
            "logs/{study}/fit_model/{scenario}.benchmark.tsv"
        conda:
            "../../environment.yml"
        shell:
            "regbench fit --method {params.methods} --spec {params.spec:q} --data {input.data:q} --out {output:q}"
            " --failures logs/{wildcards.study}/fit_model/{wildcards.scenario}.failures.json 2> {log}"

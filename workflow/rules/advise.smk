# The article's three questions, answered for every scenario of the study (on replicate 0's training rows):
# results/<study>/advice.csv (scenario, advised category and method, the data statistics, measured costs, reasons).
# The report compares it with the empirical winner (regbench.advise.scoring.agreement_table).
ADVICE = f"results/{STUDY}/advice.csv"


rule advise_study:
    """Advise L1, L2, elastic net or none for every scenario from its data alone (before any fit)."""
    input:
        data=lambda wildcards: [DATA.format(scenario=s, rep=0) for s in SCENARIOS],
        code=step_code("advise-study"),
    output:
        "results/{study}/advice.csv",
    log:
        "logs/{study}/advise_study/advise_study.log",
    benchmark:
        "logs/{study}/advise_study/advise_study.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench advise-study --study {wildcards.study:q} --data {input.data:q} --out {output:q} 2> {log}"


FINAL_OUTPUTS.append(ADVICE)

# The article's three questions, answered for every scenario of the study (on replicate 0's training rows):
# results/<study>/advice.csv (scenario, advised category and method, the data statistics, measured costs, reasons).
# The report compares it with the empirical winner (regbench.advise.agreement_table).
ADVICE = OUT + "/advice.csv"


def get_advice_inputs(wildcards=None):
    """Replicate 0 of every scenario."""
    return [DATA.format(scenario=s, rep=0) for s in SCENARIOS]


rule advise_study:
    """Advise L1, L2, elastic net or none for every scenario from its data alone (before any fit)."""
    input:
        get_advice_inputs,
    output:
        ADVICE,
    params:
        study=STUDY,
    log:
        LOGS + "/advise_study/advise_study.log",
    conda:
        "../../environment.yml"
    shell:
        "regbench advise-study --study {params.study:q} --data {input:q} --out {output:q} 2> {log}"


FINAL_OUTPUTS.append(ADVICE)

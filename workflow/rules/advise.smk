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


rule score_advice:
    """The advice scored on every cell beside always-lasso, always-elastic-net and CV on the data (agreement with
    the cell's winner, regret of following it), and the study's regime map (regbench.advise.map_scores)."""
    input:
        advice="results/{study}/advice.csv",
        metrics="results/{study}/metrics.csv",
        scenarios="results/{study}/scenarios.csv",
        paired="results/{study}/paired.csv",
        code=step_code("score-advice"),
    output:
        scores="results/{study}/advice_scores.csv",
        summary="results/{study}/advice_scores_summary.csv",
        regime_map="results/{study}/regime_map.csv",
    params:
        config_file=lambda wildcards: " ".join(map(str, workflow.overwrite_configfiles)) or "config/default.yaml",
    log:
        "logs/{study}/score_advice.log",
    benchmark:
        "logs/{study}/score_advice/score_advice.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        "regbench score-advice --advice {input.advice:q} --metrics {input.metrics:q} --scenarios {input.scenarios:q}"
        " --paired {input.paired:q} --out {output.scores:q} --out-summary {output.summary:q}"
        " --out-map {output.regime_map:q}"
        " --config-file {params.config_file:q} 2> {log}"


FINAL_OUTPUTS.append(f"results/{STUDY}/advice_scores.csv")

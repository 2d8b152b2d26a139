# The comparison report: papermill runs each notebook of notebooks/ with typed parameters
# (a YAML file), nbconvert renders it to HTML with the code hidden, and an index links the
# pages. Everything lands in results/<study>/report/, which can be zipped and published as
# is: images embedded, relative links, no machine paths, no CDN scripts.
#
# Pages: primer (the article's story), comparison (the whole study, the claims checked),
# scenario_<name> (paths, CV curves, grouping; one per hand-written scenario of config["scenarios"]) and
# grid_<name> (one per crossed design: its cells' regime map and paired table; cells get no page each).
# Needs only config["study"] and config["scenarios"], so it also runs on its own:
#   snakemake -s workflow/rules/report.smk --configfile STUDY.yaml results/<study>/report/index.html
include: "report_common.smk"


rule notebook_params:
    input:
        code=module_files(subcommand_module("report-params")),
    output:
        "results/{study}/report/params/{page}.yaml",
    params:
        pairs=report_page_params,
    log:
        "logs/{study}/notebook_params/{page}.log",
    conda:
        "../../environment.yml"
    shell:
        "regbench report-params {output:q} {params.pairs} 2> {log}"


rule run_notebook:
    input:
        unpack(report_notebook_inputs),
    output:
        "results/{study}/report/{page}.ipynb",
    log:
        "logs/{study}/run_notebook/{page}.log",
    benchmark:
        "logs/{study}/run_notebook/{page}.benchmark.tsv"
    conda:
        "../../environment.yml"
    shell:
        # Writable caches in a private temp dir, so no cache warning reaches the page.
        'T=$(mktemp -d) && export MPLCONFIGDIR="$T/mpl" IPYTHONDIR="$T/ipython" '
        'JUPYTER_RUNTIME_DIR="$T/runtime" && '
        "papermill {input.notebook} {output} -k python3 -f {input.params} "
        "--cwd results/{wildcards.study}/report --no-progress-bar > {log} 2>&1; "
        'rc=$?; rm -rf "$T"; exit $rc'


rule render_report:
    input:
        notebook="results/{study}/report/{page}.ipynb",
        template="notebooks/templates/report.html.j2",
    output:
        report(
            "results/{study}/report/{page}.html",
            category="Report pages",
            labels={"page": "{page}"},
        ),
    log:
        "logs/{study}/render_report/{page}.log",
    conda:
        "../../environment.yml"
    shell:
        'T=$(mktemp -d) && export JUPYTER_RUNTIME_DIR="$T/runtime" IPYTHONDIR="$T/ipython" && '
        "jupyter nbconvert --to html --no-input --template-file {input.template} "
        "--output {wildcards.page} --output-dir results/{wildcards.study}/report "
        '{input.notebook} > {log} 2>&1; rc=$?; rm -rf "$T"; exit $rc'


rule report_index:
    input:
        pages=lambda w: [f"results/{w.study}/report/{p}.html" for p in report_pages()],
        scenarios="results/{study}/scenarios.csv",
        paired="results/{study}/paired.csv",
        benchmarks=[BENCHMARKS] if os.path.isfile(BENCHMARKS) else [],
        code=module_files(subcommand_module("report-index")),
    output:
        index=report(
            "results/{study}/report/index.html",
            category="Report pages",
            labels={"page": "index"},
        ),
        css="results/{study}/report/report.css",
    log:
        "logs/{study}/report_index/report_index.log",
    conda:
        "../../environment.yml"
    params:
        pages=lambda w, input: " ".join(f"--page {p}" for p in input.pages),
        benchmarks=lambda w, input: f"--benchmarks {input.benchmarks}" if input.benchmarks else "",
    shell:
        "regbench report-index {output.index:q} --css {output.css:q} --study {wildcards.study} "
        "--scenarios {input.scenarios} --paired {input.paired} {params.benchmarks} {params.pages} 2> {log}"


# In the full workflow (Snakefile), `rule all` collects FINAL_OUTPUTS from common.smk.
if "FINAL_OUTPUTS" in globals():
    FINAL_OUTPUTS.append(f"results/{config['study']}/report/index.html")

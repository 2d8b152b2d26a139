"""The end-of-run paragraph (regbench.study.run_summary): counts and names from a constructed warnings table and
failure records, and the failed jobs read from a Snakemake log."""

import pandas as pd

from regbench.study.run_summary import failed_jobs, summary_paragraph


def test_paragraph_counts_and_names():
    warnings = pd.DataFrame([
        {"scenario": "a", "replicate": 0, "method": "lasso", "seed": 1, "kind": "nonconvergence", "message": "m",
         "value": 0.5},
        {"scenario": "a", "replicate": 0, "method": "lasso", "seed": 1, "kind": "nonconvergence", "message": "m2",
         "value": 2.0},
        {"scenario": "b", "replicate": 1, "method": "ridge", "seed": 1, "kind": "grid_edge", "message": "e",
         "value": 1e-3},
    ])
    text = summary_paragraph("s", warnings, n_fits=12, where="Details: here.",
                             failures=[{"scenario": "c", "replicate": 2, "method": "enet_naive",
                                        "message": "ValueError: boom"}],
                             jobs_failed=["fit_model, log logs/s/fit_model/c.log"])
    assert text.startswith("regbench: study s, 12 fits: 1 did not converge (lasso on a replicate 0, worst duality "
                           "gap 2);")
    assert "1 chose a lambda at the end of its grid (ridge: 1);" in text
    assert "1 job(s) failed (fit_model, log logs/s/fit_model/c.log); 1 fit(s) raised: enet_naive on c replicate 2 " \
           "(ValueError: boom)." in text
    assert text.endswith("Details: here.")


def test_clean_paragraph():
    text = summary_paragraph("s", pd.DataFrame(), n_fits=3)
    assert text == ("regbench: study s, 3 fits: every fit converged; no lambda was chosen at a grid's end; "
                    "no job failed.")


def test_failed_jobs_from_a_log(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("Error in rule fit_model:\n    message: None\n    jobid: 6\n"
                   "    log: logs/s/fit_model/z.log (check log file(s) for error details)\n"
                   "Error in rule compute_metrics:\n    jobid: 7\n")
    assert failed_jobs([str(log)]) == ["fit_model, log logs/s/fit_model/z.log", "compute_metrics"]
    assert failed_jobs(None) == [] and failed_jobs(str(tmp_path / "missing.log")) == []

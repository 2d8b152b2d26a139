"""regbench.report.realdata.paper_layout: a published table beside the refit at its own tuning values and the
study's CV-tuned fit; a refit that does not reproduce the published value or variables is flagged with the numbers;
no reference_fits.csv, no table (the section is left out)."""

import numpy as np
import pandas as pd
import pytest
from report_fixture import make_study

from regbench.evaluate.reference_fits import COLUMNS
from regbench.report.realdata import paper_layout
from regbench.report.study import load_study

REFS = [
    {"scenario": "sparse_lowdim", "method": "ols", "value": 0.586, "se": 0.184, "variables": "all",
     "source": "paper"},
    {"scenario": "sparse_lowdim", "method": "lasso", "value": 0.499, "se": 0.161, "s": 0.39, "variables": [1, 2, 4],
     "source": "paper"},
    {"scenario": "sparse_lowdim", "method": "ridge", "value": 0.566, "se": 0.188, "parameters": "lambda = 1",
     "source": "paper"},
]


def _refits(rows):
    base = {"scenario": "sparse_lowdim", "replicate": 0, "lambda2": np.nan, "s": np.nan, "lambda": np.nan,
            "variant": "naive", "lambda1": 0.0, "s_achieved": 1.0}
    return pd.DataFrame([{**base, **r} for r in rows], columns=COLUMNS)


@pytest.fixture
def study_dir(tmp_path):
    return make_study(tmp_path)


def _write(study_dir, lasso_mse, lasso_selected):
    all10 = " ".join(f"x{j}" for j in range(1, 11))
    _refits([
        {"method": "ols", "test_mse": 0.58632, "test_mse_se": 0.18394, "n_selected": 10, "selected": all10},
        {"method": "lasso", "lambda2": 0.0, "s": 0.39, "s_achieved": 0.39, "test_mse": lasso_mse,
         "test_mse_se": 0.1613, "n_selected": len(lasso_selected.split()), "selected": lasso_selected},
    ]).to_csv(study_dir / "reference_fits.csv", index=False)


def test_layout_reproduced(study_dir):
    _write(study_dir, 0.49873, "x1 x2 x4")
    t = paper_layout(load_study(study_dir), REFS).set_index("method")
    assert t.loc["OLS", "test MSE (SE), source"] == "0.586 (0.184)"
    assert t.loc["OLS", "at the source's tuning (regbench)"] == "0.586 (0.184)"
    assert t.loc["OLS", "variables, source's tuning"] == "all"
    assert t.loc["OLS", "reproduced"] == "reproduced"
    lasso = t.loc["lasso (L1)"]
    assert lasso["parameters (source)"] == "s = 0.39"
    assert lasso["variables, source"] == "x1, x2, x4"
    assert lasso["reproduced"] == "reproduced"
    assert lasso["difference / SE (source's tuning)"] == "0.00"  # -0.0058 SE: no "-0.00"
    assert lasso["achieved s"] == "0.390"
    assert "source" not in t.columns  # one source: the page's title names it
    # the CV-tuned column: the study's own median test MSE and its SE (three replicates: summary.csv)
    s = load_study(study_dir).summary
    cv = s[(s["scenario"] == "sparse_lowdim") & (s["method"] == "lasso")].iloc[0]
    assert lasso["CV-tuned (this study)"] == f"{cv['test_mse_median']:.3f} ({cv['test_mse_se']:.3f})"
    assert lasso["variables, CV-tuned"]
    # a row without tuning values keeps its free text and says it was not refitted
    ridge = t.loc["ridge (L2)"]
    assert ridge["parameters (source)"] == "lambda = 1"
    assert ridge["at the source's tuning (regbench)"] == ""
    assert ridge["reproduced"].startswith("not refitted")


def test_layout_flags_a_value_that_does_not_reproduce(study_dir):
    _write(study_dir, 0.5120, "x1 x2 x4")
    lasso = paper_layout(load_study(study_dir), REFS).set_index("method").loc["lasso (L1)"]
    assert lasso["difference / SE (source's tuning)"] == f"+{(0.512 - 0.499) / np.hypot(0.1613, 0.161):.2f}"
    flag = lasso["reproduced"]
    assert flag.startswith("NOT reproduced") and "0.5120 rounds to 0.512, not 0.499" in flag


def test_layout_flags_other_variables(study_dir):
    _write(study_dir, 0.49873, "x1 x2 x3 x4")
    flag = paper_layout(load_study(study_dir), REFS).set_index("method").loc["lasso (L1)", "reproduced"]
    assert flag == "NOT reproduced: selects x1, x2, x3, x4 (published: x1, x2, x4)"


def test_no_refits_no_table(study_dir):
    assert paper_layout(load_study(study_dir), REFS).empty
    _write(study_dir, 0.49873, "x1 x2 x4")
    assert paper_layout(load_study(study_dir), []).empty


def test_several_sources_keep_a_source_column(study_dir):
    _write(study_dir, 0.49873, "x1 x2 x4")
    refs = [dict(REFS[0]), dict(REFS[1], source="another paper")]
    assert paper_layout(load_study(study_dir), refs)["source"].tolist() == ["paper", "another paper"]

"""The reference_fits rule: only a study whose references give tuning values has the job (and the table), and a full
prostate run (in a copy of the pipeline) writes results/prostate/reference_fits.csv that reproduces Zou & Hastie's
Table 1 and a comparison page that shows it in the paper's layout."""

import glob
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pipeline_copies import copy_pipeline

from regbench.evaluate.references import refitted

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
STUDIES = sorted(glob.glob(str(ROOT / "config/*.yaml"))) + [str(ROOT / ".test/config.yaml")]

pytestmark = pytest.mark.slow


def _snakemake(workdir, config, *args, timeout=1200):
    proc = subprocess.run([SNAKEMAKE, "--profile", "workflow/profiles/default", "--configfile", str(config),
                           "--cores", "2", *args], cwd=workdir, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    return copy_pipeline(tmp_path_factory.mktemp("checkout"))


@pytest.mark.parametrize("config", STUDIES, ids=[Path(s).stem for s in STUDIES])
def test_job_only_where_references_give_tuning_values(checkout, config):
    out = _snakemake(checkout, config, "-n")
    stats = out[out.index("Job stats:"):]
    study = yaml.safe_load(Path(config).read_text())
    has_job = re.search(r"^reference_fits\s+1$", stats, flags=re.M) is not None
    assert has_job == bool(refitted(study.get("references", []))), stats
    if Path(config).stem == "prostate":
        assert has_job


@pytest.fixture(scope="module")
def prostate_run(checkout):
    _snakemake(checkout, ROOT / "config/prostate.yaml")
    return checkout / "results/prostate"


def test_prostate_reference_fits_reproduce_table1(prostate_run):
    refs = yaml.safe_load((ROOT / "config/prostate.yaml").read_text())["references"]
    table = pd.read_csv(prostate_run / "reference_fits.csv")
    assert table["method"].tolist() == [r["method"] for r in refs]
    for ref, row in zip(refs, table.itertuples()):
        d = len(repr(float(ref["value"])).split(".")[1])
        assert round(row.test_mse, d) == pytest.approx(ref["value"], abs=1e-12), (ref, row)
        assert round(row.test_mse_se, d) == pytest.approx(ref["se"], abs=1e-12), (ref, row)
        assert row.n_selected == (8 if ref["variables"] == "all" else len(ref["variables"]))


def test_prostate_page_shows_the_paper_layout(prostate_run):
    html = (prostate_run / "report/comparison.html").read_text(encoding="utf-8")
    assert "(2005), Table 1, reproduced" in html  # the section's title names the one source
    table = pd.read_csv(prostate_run / "report/tables/comparison-paper-table-references.csv")
    assert table["reproduced"].tolist() == ["reproduced"] * 5
    ours = pd.read_csv(prostate_run / "reference_fits.csv")
    en = table[table["method"] == "corrected elastic net"].iloc[0]
    row = ours[ours["method"] == "enet_corrected"].iloc[0]
    assert en["at the source's tuning (regbench)"] == f"{row.test_mse:.3f} ({row.test_mse_se:.3f})"
    assert en["parameters (source)"] == "lambda2 = 1000, s = 0.26"
    assert en["variables, source"] == "lcavol, lweight, svi, lcp, pgg45"
    for cell in (en["test MSE (SE), source"], en["at the source's tuning (regbench)"], en["CV-tuned (this study)"]):
        assert cell in html
    # the generic references table is replaced by the layout, not shown twice
    assert "Published results beside this study" not in html

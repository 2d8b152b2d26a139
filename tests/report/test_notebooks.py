"""Execute the report notebooks through workflow/rules/report.smk on a tiny study and check
what they show: figures present, tables with the expected rows, no errors or stray stderr,
a publishable folder (embedded images, relative links, no machine paths)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from report_fixture import CELLS, GRID, METHODS, REPO, SCENARIOS, build_report, venv_env

pytestmark = pytest.mark.slow
# a crossed design's cells share one page (grid_<name>), hand-written scenarios get one each
PAGES = ["primer", "comparison", *(f"scenario_{s}" for s in SCENARIOS), f"grid_{GRID['name']}"]
ALL_SCENARIOS = [*SCENARIOS, *CELLS]
MIN_FIGURES = {"primer": 5, "comparison": 5, "scenario_sparse_lowdim": 5,
               "scenario_grouped_highdim": 5, f"grid_{GRID['name']}": 2}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    return build_report(tmp_path_factory.getbasetemp() / "report")


def _outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.outputs:
                yield cell, out


class _Tables(HTMLParser):
    """Rows of every <table>, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _tables(nb, marker):
    """Tables in the outputs of the cell whose source contains ``marker``."""
    parser = _Tables()
    for cell, out in _outputs(nb):
        if marker in cell.source and "text/html" in out.get("data", {}):
            parser.feed(out["data"]["text/html"])
    return parser.tables


@pytest.mark.parametrize("page", PAGES)
def test_page_executed_cleanly_with_figures(report_dir, page):
    nb = nbformat.read(report_dir / f"{page}.ipynb", as_version=4)
    outs = [o for _, o in _outputs(nb)]
    assert not [o for o in outs if o.output_type == "error"]
    assert not [o for o in outs if o.output_type == "stream" and o.name == "stderr"], \
        "stderr (warnings) would land in the published page"
    figures = [o for o in outs if "image/png" in o.get("data", {})]
    assert len(figures) >= MIN_FIGURES[page]
    # papermill injected typed parameters, relative to the report folder
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    if page != "primer":
        assert 'results_dir = ".."' in injected[0].source


def test_comparison_tables_have_expected_rows(report_dir):
    nb = nbformat.read(report_dir / "comparison.ipynb", as_version=4)
    (summary,) = _tables(nb, "page.summary_section(panels)")
    body = [r for r in summary if r and r[-1].isdigit()]  # data rows end with the replicate count
    # per-scenario rows for the hand-written scenarios only: the crossed design's cells are on its own page
    assert len(body) == len(SCENARIOS) * len(METHODS)
    assert {r[-1] for r in body} == {"3"}
    assert not any("nan" in c.lower() or c in ("True", "False") for r in summary for c in r)
    (headline,) = _tables(nb, "page.headline_section")
    rows = [r for r in headline[1:] if r]
    assert [r[0].split(":")[0] for r in rows] == ALL_SCENARIOS
    assert all(sum(c == "best" for c in r) == 1 for r in rows)  # one winner marked per scenario
    claims = _tables(nb, "page.claims_section")[0]
    assert claims[0] == ["claim", "statistic", "value", "95% interval", "threshold", "verdict", "evidence"]
    assert len(claims) - 1 == 6
    assert all(r[5] in {"holds", "does not hold", "inconclusive"} for r in claims[1:])
    cost = _tables(nb, "page.runtime_section")[0]
    assert [r[0] for r in cost if r and r[0] in ALL_SCENARIOS] == list(SCENARIOS)


def test_comparison_draws_hand_written_scenarios_and_sends_cells_to_their_page(report_dir):
    html = (report_dir / "comparison.html").read_text(encoding="utf-8")
    panels = re.findall(r'alt="Box plots of prediction error[^"]*"', html)
    assert len(panels) == 1, panels
    assert all(s in panels[0] for s in SCENARIOS) and not any(c in panels[0] for c in CELLS), panels[0]
    assert f'href="grid_{GRID["name"]}.html"' in html


def test_scenario_page_shows_its_scenario(report_dir):
    nb = nbformat.read(report_dir / "scenario_grouped_highdim.ipynb", as_version=4)
    (rows,) = _tables(nb, "page.summary_section")
    assert sum(r[-1] == "3" for r in rows) == len(METHODS)
    text = "".join(o.get("data", {}).get("text/markdown", "") for _, o in _outputs(nb))
    assert "# Scenario grouped_highdim" in text
    html = (report_dir / "scenario_grouped_highdim.html").read_text(encoding="utf-8")
    assert "<title>scenario_grouped_highdim</title>" in html
    assert 'href="scenario_sparse_lowdim.html"' in html and 'href="index.html"' in html  # previous, index


def test_a_crossed_design_gets_one_page_not_one_per_cell(report_dir):
    grid = f"grid_{GRID['name']}"
    assert not any((report_dir / f"scenario_{c}.html").exists() for c in CELLS)
    nb = nbformat.read(report_dir / f"{grid}.ipynb", as_version=4)
    (cells,) = _tables(nb, "page.grid_cells_section")
    assert [r[0].split(":")[0] for r in cells[1:] if r] == list(CELLS)  # every cell reachable from its page
    regime = _tables(nb, "page.regime_section")[0]
    assert sorted(r[0] for r in regime[1:] if r) == sorted(CELLS)
    html = (report_dir / f"{grid}.html").read_text(encoding="utf-8")
    assert f"<title>{grid}</title>" in html and "# Crossed design" not in html
    last = f"scenario_{list(SCENARIOS)[-1]}"
    assert f'href="{last}.html"' in html and "next:" not in html  # previous: the last scenario; the last page
    assert f'href="{grid}.html"' in (report_dir / f"{last}.html").read_text(encoding="utf-8")
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    assert f'href="{grid}.html"' in index and "Crossed design cross" in index


def test_primer_shows_the_articles_numbers(report_dir):
    nb = nbformat.read(report_dir / "primer.ipynb", as_version=4)
    (norms,) = _tables(nb, "primer.l1_norms")
    assert [r[0] for r in norms[-2:]] == ["[2, 4]", "[-1, -2.5]"]
    assert [float(r[-1]) for r in norms[-2:]] == [6.0, 3.5]
    (facts,) = _tables(nb, "facts")
    head = facts[0]
    zeros = {r[0]: int(r[head.index("exact zeros")]) for r in facts[1:] if r}
    assert zeros["ridge (L2)"] == 0 and zeros["lasso (L1)"] > 0
    (held,) = _tables(nb, "primer.held_out_table")
    assert [r[0] for r in held[1:]] == ["degree 3 (polyfit)", "degree 10 (polyfit)"]


@pytest.mark.parametrize("page", PAGES + ["index"])
def test_html_is_publishable(report_dir, page):
    html = (report_dir / f"{page}.html").read_text(encoding="utf-8")
    srcs = re.findall(r'<img[^>]+src="([^"]*)"', html)
    if page != "index":
        assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
        assert "plotting." not in html, "code cells must be hidden"
        assert "No description has been provided" not in html, "every figure has alt text"
        assert len(html) < 2_000_000 and "jp-Notebook" in html
    assert re.search(r"<link[^>]*href=\"report.css\"", html) and "name=\"viewport\"" in html
    assert not re.search(r"<script[^>]+src=", html), "no external scripts (offline, no CDN)"
    for bad in ("Traceback", "Warning", str(REPO), "/tmp/", "/home/", "/work/"):
        assert bad not in html, bad


def test_index_links_every_page(report_dir):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    for page in PAGES:
        assert f"{page}.html" in links and f"{page}.ipynb" in links
    assert all((report_dir / link).is_file() for link in links)


def test_snakemake_report_has_the_pages(report_dir, tmp_path):
    wd = report_dir.parents[2]
    out = tmp_path / "report.zip"
    cmd = [str(Path(sys.executable).parent / "snakemake"), "-s",
           str(REPO / "workflow" / "rules" / "report.smk"), "--configfile", "config.yaml",
           "--cores", "1", "--report", str(out), f"{report_dir.relative_to(wd)}/index.html"]
    res = subprocess.run(cmd, cwd=wd, env=venv_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    import zipfile

    names = zipfile.ZipFile(out).namelist()
    for page in PAGES + ["index"]:
        assert any(n.endswith(f"{page}.html") for n in names), page


def test_every_figure_and_table_is_exported_for_a_paper(report_dir):
    pdfs = sorted(p.stem for p in (report_dir / "figures").glob("*.pdf"))
    assert "comparison-pred_error" in pdfs and "primer-contours" in pdfs
    for page in PAGES:  # every figure a page shows, and no other, is exported as PDF (vector) and its 2x PNG
        shown = sum(1 for _, out in _outputs(nbformat.read(report_dir / f"{page}.ipynb", as_version=4))
                    if "image/png" in out.get("data", {}))
        assert shown == sum(1 for s in pdfs if s.startswith(f"{page}-")), page
    for stem in pdfs:
        assert (report_dir / "figures" / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
        assert (report_dir / "figures" / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
    csvs = sorted(p.stem for p in (report_dir / "tables").glob("*.csv"))
    assert "comparison-headline" in csvs and "comparison-claims" in csvs
    for stem in csvs:
        assert (report_dir / "tables" / f"{stem}.md").is_file() and (report_dir / "tables" / f"{stem}.tex").is_file()
    assert (report_dir / "report.css").stat().st_size > 10_000


def test_index_opens_with_the_headline(report_dir):
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert '<p class="headline">' in html and "Winner per scenario" in html
    for scen in SCENARIOS:
        assert f"{scen}: " in html

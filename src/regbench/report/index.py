"""The report's index page: links to every page, relative, nothing machine-specific."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from jupyter_core.paths import jupyter_path

__all__ = ["REPORT_CSS", "build_index", "page_label", "page_nav", "page_order", "write_stylesheet"]

#: the report's own rules, appended to JupyterLab's stylesheet: readable width, tables that scroll inside their
#: box at small widths instead of widening the page, figures that shrink with the window
REPORT_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; }
body.regbench-index main, body.jp-Notebook { max-width: 72rem; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
.jp-RenderedImage img, .jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table, body.regbench-index table { display: block; max-width: 100%; overflow-x: auto;
  border-collapse: collapse; font-size: 0.85rem; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th, body.regbench-index td, body.regbench-index th {
  border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
nav.regbench-nav { font-size: 0.9rem; margin: 0.5rem 0 1rem; }
nav.regbench-nav a { margin-right: 1em; }
p.headline { background: #f4f7fb; border-left: 4px solid #1f77b4; padding: 0.6em 1em; }
@media (max-width: 800px) { body { font-size: 15px; } }
"""


# ---------------------------------------------------------------- index page and CLI
_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{title}</title>
<link rel="stylesheet" href="report.css">
</head><body class="regbench-index"><main><h1>{title}</h1>
{summary}
<p>L1 (lasso), L2 (ridge) and elastic net (naive and corrected), fitted by one shared solver on
the study's simulated data. Each page is a notebook run by papermill; the executed notebook
(.ipynb) lies beside its page.</p>
<h2>Pages</h2><ul>
{items}
</ul>
{scenarios}
</main></body></html>
"""


def build_index(out: Path, study: str, pages: list[tuple[str, str]],
                scenarios: pd.DataFrame | None = None, summary: str = "", extra=()) -> Path:
    """Write ``index.html`` linking every page (relative links, nothing machine-specific); ``summary`` (the
    headline's paragraph) opens it; ``extra`` lists further (file, label) links (the solver benchmarks)."""
    out = Path(out)
    items = "\n".join(
        f'<li><a href="{html.escape(Path(href).name)}">{html.escape(label)}</a> '
        f'(<a href="{html.escape(Path(href).with_suffix(".ipynb").name)}">notebook</a>)</li>'
        for href, label in pages)
    items += "".join(f'\n<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for href, label in extra)
    table = ""
    if scenarios is not None and len(scenarios):
        shown = scenarios.drop(columns=[c for c in ("study", "replicates", "n", "n_val") if c in scenarios])
        shown = shown.dropna(axis=1, how="all").astype(object).where(shown.notna(), "")
        shown = shown.map(lambda v: f"{int(v)}" if isinstance(v, float) and v.is_integer() else v)
        table = "<h2>Scenarios</h2>\n" + shown.to_html(index=False, na_rep="", border=0)
    lead = f'<p class="headline"><strong>Headline.</strong> {html.escape(summary)}</p>' if summary else ""
    out.write_text(_INDEX.format(title=html.escape(f"regbench report: {study}"), items=items,
                                 scenarios=table, summary=lead), encoding="utf-8")
    return out


def write_stylesheet(out: Path) -> Path:
    """``report.css``: JupyterLab's light theme and notebook CSS (as nbconvert would inline it in every page), then
    :data:`REPORT_CSS`; every page links this one file."""
    parts = []
    for name in ("index.css", "theme-light.css"):
        found = [Path(d) / name for d in jupyter_path("nbconvert", "templates", "lab", "static")
                 if (Path(d) / name).is_file()]
        if not found:
            raise FileNotFoundError(f"nbconvert's lab template stylesheet {name} not found (is nbconvert installed?)")
        parts.append(found[0].read_text(encoding="utf-8"))
    out = Path(out)
    out.write_text("\n".join(parts) + REPORT_CSS, encoding="utf-8")
    return out


def _grid_of(value) -> str:
    """A scenarios.csv ``grid`` value as a grid name ("" for a hand-written scenario: NaN, empty, false)."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return "" if text.lower() in ("", "false", "0", "nan", "none") else text


def page_order(scenarios) -> list[str]:
    """The report's pages in reading order: primer, comparison, then one page per hand-written scenario and one
    per crossed design (``grid_<name>``, where its first cell stands), not one per cell.

    ``scenarios`` is the study's scenario names (all hand-written) or its scenarios table (``name`` and, for a
    study with crossed designs, ``grid``), or the config's scenario entries (a cell carries ``cell: {grid: ...}``).
    """
    if isinstance(scenarios, pd.DataFrame):
        records = scenarios.to_dict("records")
    else:
        records = [s if isinstance(s, dict) else {"name": s} for s in scenarios]
    pages = ["primer", "comparison"]
    for r in records:
        cell, grid = r.get("cell"), r.get("grid")
        if isinstance(grid, dict):  # a config entry not yet expanded into its cells: the grid is named by it
            grid = r["name"]
        grid = _grid_of(grid if grid is not None else cell.get("grid") if isinstance(cell, dict) else None)
        name = f"grid_{grid}" if grid else f"scenario_{r['name']}"
        if name not in pages:
            pages.append(name)
    return pages


def page_nav(page: str, order) -> str:
    """HTML links to the index and the previous and next pages of ``order`` (the page names, as
    :func:`page_order` gives them; relative links, so the folder works anywhere)."""
    order = list(order)
    links = ['<a href="index.html">index</a>']
    if page in order:
        i = order.index(page)
        if i > 0:
            links.append(f'<a href="{order[i - 1]}.html">previous: {html.escape(page_label(order[i - 1]))}</a>')
        if i + 1 < len(order):
            links.append(f'<a href="{order[i + 1]}.html">next: {html.escape(page_label(order[i + 1]))}</a>')
    return f'<nav class="regbench-nav">{" ".join(links)}</nav>'


def page_label(name: str) -> str:
    stem = Path(name).stem
    if stem.startswith("scenario_"):
        return f"Scenario {stem[len('scenario_'):]}: paths, CV curves, grouping"
    if stem.startswith("grid_"):
        return f"Crossed design {stem[len('grid_'):]}: its cells, the regime map"
    return {"primer": "Primer: the article's story, recomputed",
            "comparison": "Comparison of the methods and the article's claims"}.get(stem, stem)

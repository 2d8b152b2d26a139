"""The report's index page: links to every page, relative, nothing machine-specific."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["build_index", "page_label"]


# ---------------------------------------------------------------- index page and CLI
_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}</style>
</head><body><h1>{title}</h1>
{summary}
<p>L1 (lasso), L2 (ridge) and elastic net (naive and corrected), fitted by one shared solver on
the study's simulated data. Each page is a notebook run by papermill; the executed notebook
(.ipynb) lies beside its page.</p>
<h2>Pages</h2><ul>
{items}
</ul>
{scenarios}
</body></html>
"""


def build_index(out: Path, study: str, pages: list[tuple[str, str]],
                scenarios: pd.DataFrame | None = None, summary: str = "") -> Path:
    """Write ``index.html`` linking every page (relative links, nothing machine-specific); ``summary`` (the
    headline's paragraph) opens it."""
    out = Path(out)
    items = "\n".join(
        f'<li><a href="{html.escape(Path(href).name)}">{html.escape(label)}</a> '
        f'(<a href="{html.escape(Path(href).with_suffix(".ipynb").name)}">notebook</a>)</li>'
        for href, label in pages)
    table = ""
    if scenarios is not None and len(scenarios):
        table = "<h2>Scenarios</h2>\n" + scenarios.to_html(index=False, na_rep="", border=0)
    lead = f'<p class="headline"><strong>Headline.</strong> {html.escape(summary)}</p>' if summary else ""
    out.write_text(_INDEX.format(title=html.escape(f"regbench report: {study}"), items=items,
                                 scenarios=table, summary=lead), encoding="utf-8")
    return out


def page_label(name: str) -> str:
    stem = Path(name).stem
    if stem.startswith("scenario_"):
        return f"Scenario {stem[len('scenario_'):]}: paths, CV curves, grouping"
    return {"primer": "Primer: the article's story, recomputed",
            "comparison": "Comparison of the methods and the article's claims"}.get(stem, stem)


"""``regbench report-index OUT.html --study NAME --page FILE.html ...``: the report's index page (report_index)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regbench.report.headline import summary_paragraph
from regbench.report.index import build_index, page_label, write_stylesheet

HELP = "write the report's index.html linking its pages"


def add_arguments(p):
    p.add_argument("out")
    p.add_argument("--study", required=True)
    p.add_argument("--scenarios", help="scenarios.csv to list on the page")
    p.add_argument("--paired", help="paired.csv: its one-paragraph summary opens the page")
    p.add_argument("--page", action="append", default=[])
    p.add_argument("--css", help="write the pages' shared stylesheet (report.css) here")
    p.add_argument("--benchmarks", help="the solver benchmark table (benchmarks/RESULTS.md): copied beside the index "
                                        "and linked from it")


def run(args):
    scen = pd.read_csv(args.scenarios) if args.scenarios else None
    if args.css:
        write_stylesheet(Path(args.css))
    extra = []
    if args.benchmarks:
        dest = Path(args.out).parent / "solver-benchmarks.md"
        dest.write_text(Path(args.benchmarks).read_text(encoding="utf-8"), encoding="utf-8")
        extra.append((dest.name, "The shared solver against scikit-learn, glmnet and others (benchmarks/RESULTS.md)"))
    summary = summary_paragraph(pd.read_csv(args.paired)) if args.paired else ""
    build_index(Path(args.out), args.study, [(pg, page_label(pg)) for pg in args.page], scen, summary=summary,
                extra=extra)

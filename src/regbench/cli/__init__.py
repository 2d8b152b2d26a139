"""The ``regbench`` command line: one module of ``regbench.cli`` per subcommand.

    regbench simulate      --scenario JSON --seed S --replicates 0 1 --out data/0.npz data/1.npz
    regbench fit           --method lasso --spec JSON --data data/0.npz ... --out fits/0/lasso.npz ...
    regbench evaluate      --study NAME --data data/*.npz --fits fits/*/*.npz --out metrics/scenario.csv
    regbench aggregate     --config JSON --metrics metrics/*.csv --out-metrics ... --out-summary ... --out-scenarios ...
    regbench advise-study  --study NAME --data results/<study>/data/<scenario>/0.npz ... --out advice.csv
    regbench score-advice  --advice advice.csv --metrics metrics.csv --scenarios scenarios.csv --out ...
    regbench reference-fits --spec JSON --data data/<scenario>/0.npz ... --out reference_fits.csv
    regbench report-params OUT.yaml key=JSON ...          (typed papermill parameters of a report page)
    regbench report-index  OUT.html --study NAME --page FILE.html ...
    regbench advise  DATA.csv --target COL [--validate]   (the article's three questions, for your data)
    regbench compare DATA.csv --target COL                (the methods tuned by CV, through the pipeline)

Snakemake rules call these with ``2> {log}``; progress and errors go to stderr and every output is written
atomically. Each subcommand module defines ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int | None`` and
imports at its top what it runs: ``main`` imports only the module of the subcommand it was given, so each pipeline
step pays only for its own imports, and the pipeline derives each rule's code inputs from that module's imports
(``regbench.study.code``). A new subcommand is a module here plus a line in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

#: subcommand -> module of regbench.cli that implements it
SUBCOMMANDS = {
    "simulate": "simulate",
    "fit": "fit",
    "evaluate": "evaluate",
    "aggregate": "aggregate",
    "advise-study": "advise_study",
    "score-advice": "score_advice",
    "reference-fits": "reference_fits",
    "report-params": "report_params",
    "report-index": "report_index",
    "advise": "advise",
    "compare": "compare",
}


def subcommand_module(name: str) -> str:
    """The dotted module implementing a subcommand."""
    return f"{__name__}.{SUBCOMMANDS[name]}"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or, with ``only``, of that one (the others are listed, not imported)."""
    parser = argparse.ArgumentParser(prog="regbench", description="regbench: L1, L2 and elastic net, measured.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        if only is not None and name != only:
            sub.add_parser(name)
            continue
        module = importlib.import_module(subcommand_module(name))
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _requested(argv) -> str | None:
    """The subcommand named in argv (None for --help and the like: then every parser is built)."""
    words = [a for a in argv if not a.startswith("-")]
    return words[0] if words and words[0] in SUBCOMMANDS else None


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_requested(argv)).parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return args._run(args) or 0


if __name__ == "__main__":
    sys.exit(main())

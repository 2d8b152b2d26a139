"""``regbench advise-study``: the advice for each scenario of a study, from its data alone (the advise_study rule)."""

from __future__ import annotations

import pandas as pd

from regbench.advise.questions import advise_dataset
from regbench.cli._args import fail, log
from regbench.data.io import DamagedFileError, load_dataset, write_csv

HELP = "the advice for each scenario of a study (pipeline step)"


def add_arguments(p):
    p.add_argument("--study", required=True)
    p.add_argument("--data", nargs="+", required=True, help="one data set (.npz) per scenario")
    p.add_argument("--out", required=True, help="advice.csv")
    p.add_argument("--no-measure", action="store_true", help="skip timing the methods")


def run(args):
    rows = []
    for path in args.data:
        try:
            ds = load_dataset(path)
        except DamagedFileError as exc:
            return fail("advise-study", exc)
        rec = advise_dataset(ds, measure=not args.no_measure)
        rows.append({"study": args.study, **rec})
        log.info("advise %s: %s", ds.scenario, rec["advised"])
    write_csv(pd.DataFrame(rows), args.out)

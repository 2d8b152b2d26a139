"""``regbench advise DATA.csv --target COL``: the article's three questions answered for the user's data file.

Bad input (missing file, missing target column, non-numeric columns, missing values, fewer than 3 rows, an option
out of its range, an output that cannot be written) prints one clear error and exits with status 2; nothing is
written.
"""

from __future__ import annotations

import json

from regbench.advise.map_scores import REGIME_MAP, load_regime_map, nearest_cells
from regbench.advise.questions import advise
from regbench.cli._args import bounded, fail, folds_arg, note, output_file, unwritable
from regbench.data.io import atomic_path
from regbench.data.tables import DataError, load_table

HELP = "the article's three questions for a CSV/parquet file: L1, L2, elastic net or none"


def add_arguments(p):
    p.add_argument("data", help="a CSV (.csv, .csv.gz, .tsv) or parquet file with a header row")
    p.add_argument("--target", required=True, help="the response column; every other column is a predictor")
    p.add_argument("--validate", action="store_true",
                   help="question 2: run a quick cross-validated comparison and say whether the advice held")
    p.add_argument("--cv", type=folds_arg, default=5, help="folds of the validation, 2..n (default 5)")
    p.add_argument("--time-budget", type=bounded(float, 0, low_open=True), default=None,
                   help="question 3: seconds allowed for tuning on all rows (elastic net over budget -> L1 or L2)")
    p.add_argument("--no-measure", action="store_true", help="skip timing the methods on a subsample")
    p.add_argument("--json", type=output_file, default=None,
                   help="also write the advice as a JSON record to this file")


def run(args):
    try:
        table = load_table(args.data, args.target)
    except DataError as exc:
        return fail("advise", exc)
    if args.cv > table.n:
        return fail("advise", f"argument --cv: {args.cv} folds need at least {args.cv} rows; {table.source} has "
                    f"n = {table.n} (use --cv 2..{table.n})")
    note("advise", table.notes)
    adv = advise(table.X, table.y, feature_names=table.feature_names, validate=args.validate, cv=args.cv,
                 measure=not args.no_measure, time_budget=args.time_budget)
    print(f"regbench advise: {args.data} (target {args.target})")
    print(adv.to_text())
    nearest = _regime_map_text(adv.profile.as_dict())
    if nearest:
        print()
        print(nearest)
    if args.json:
        record = {k: (v.item() if hasattr(v, "item") else v) for k, v in adv.as_record().items()}
        try:
            with atomic_path(args.json) as tmp:
                tmp.write_text(json.dumps(record, indent=2, default=str))
        except OSError as exc:
            return fail("advise", unwritable(args.json, exc))
    return 0


def _regime_map_text(profile) -> str:
    """What won in the shipped regime map's cells nearest to the file's n/p and correlation (empty without a map)."""
    if not REGIME_MAP.is_file():
        return ""
    table, prov = load_regime_map()
    cells = nearest_cells(table, n_over_p=profile["n_over_p"], abs_r_q90=profile["abs_r_q90"])
    lines = [f"Measured on simulations: the {len(cells)} cells of the regime map nearest to this file "
             f"(n/p = {profile['n_over_p']:.3g}, 90th percentile of pairwise |r| = {profile['abs_r_q90']:.2f}; the "
             "truth's sparsity and the SNR are unknown here, so the cells span them):"]
    for c in cells.itertuples():
        lines.append(f"  {c.scenario:<34} n/p {c.n_over_p:<5.3g} |r|q90 {c.abs_r_q90:.2f}  nonzero "
                     f"{c.nonzero_fraction:<5.2g} snr {c.snr:<4g} -> {c.winner} ({c.winner_category})")
    tally = cells["winner_category"].value_counts()
    lines.append("  winners: " + ", ".join(f"{cat} {count}" for cat, count in tally.items()))
    lines.append(f"  (map: study {prov.get('study', '?')}, {prov.get('config', '?')}, commit "
                 f"{prov.get('commit', '?')[:12]}, {prov.get('date', '?')}, {prov.get('replicates', '?')} "
                 f"replicates, metric {prov.get('metric', '?')})")
    return "\n".join(lines)

"""``regbench reference-fits``: a study's published references refitted at their own tuning values (the
reference_fits rule; ``regbench.evaluate.reference_fits``)."""

from __future__ import annotations

from regbench.cli._args import fail, json_arg, log
from regbench.data.io import DamagedFileError, load_dataset, write_csv
from regbench.data.tables import DataError, scenario_table
from regbench.evaluate.reference_fits import reference_fits

HELP = "refit a study's references at the source's tuning values (lambda2, s) and score them (pipeline step)"


def add_arguments(p):
    p.add_argument("--spec", type=json_arg, required=True,
                   help='JSON {"references": [...], "scenarios": {name: settings}} (the referenced scenarios)')
    p.add_argument("--data", nargs="+", required=True, help="the first replicate (.npz) of each referenced scenario")
    p.add_argument("--out", required=True, help="reference_fits.csv")


def run(args):
    datasets, names = {}, {}
    try:
        for path in args.data:
            ds = load_dataset(path)
            datasets[ds.scenario] = ds
        for name, settings in args.spec["scenarios"].items():
            if settings.get("design") == "data":
                names[name] = list(scenario_table(settings).feature_names)
        table = reference_fits(args.spec["references"], datasets, names)
    except (DamagedFileError, DataError, ValueError) as exc:
        return fail("reference-fits", exc)
    for r in table.itertuples():
        log.info("%s %s: s %.3f, test MSE %.4f (%.4f), %d selected", r.scenario, r.method, r.s_achieved, r.test_mse,
                 r.test_mse_se, r.n_selected)
    write_csv(table, args.out)

"""``regbench fit``: tune and fit one method on each given data set (the fit_model rule)."""

from __future__ import annotations

import time

import scipy.sparse as sp

from regbench.cli._args import fail, json_arg, log
from regbench.data.io import DamagedFileError, load_dataset, save_npz
from regbench.evaluate.fits import fit_method, warm_up
from regbench.evaluate.methods import METHOD_NAMES, METHODS

HELP = "tune and fit one method on each given data set"


def add_arguments(p):
    p.add_argument("--method", required=True, choices=METHOD_NAMES)
    p.add_argument("--spec", type=json_arg, required=True,
                   help='JSON: {"tuning": {...}, "grid": {...}, "solver": {...}, "standardize": bool}')
    p.add_argument("--data", nargs="+", required=True, help="data sets (.npz from simulate)")
    p.add_argument("--out", nargs="+", required=True, help="one fit .npz per data set, in the same order")


def run(args):
    if len(args.out) != len(args.data):
        raise SystemExit(f"--out has {len(args.out)} paths for {len(args.data)} data sets")
    spec = args.spec
    warmed = set()
    for data, out in zip(args.data, args.out):
        try:
            ds = load_dataset(data)
        except DamagedFileError as exc:
            return fail("fit", exc)
        kind = sp.issparse(ds.X_train)
        if METHODS[args.method].penalized and kind not in warmed:
            t0 = time.perf_counter()
            warm_up(sparse=kind, standardize=spec.get("standardize", True))
            warmed.add(kind)
            log.info("warm-up (numba compile or cache load): %.2f s", time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = fit_method(ds, args.method, tuning=spec["tuning"], grid=spec.get("grid"), solver=spec.get("solver"),
                         standardize=spec.get("standardize", True))
        save_npz(out, **res)
        if len(res["cv_lambdas"]) > 1 and res["chosen_index"] == len(res["cv_lambdas"]) - 1:
            log.warning("%s on %s: the chosen lambda is the smallest of the grid; a smaller eps may fit better",
                        args.method, data)
        log.info("fit %s on %s: %.2f s, nnz %d -> %s", args.method, data, time.perf_counter() - t0,
                 int((res["coef"] != 0).sum()), out)

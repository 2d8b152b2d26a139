"""``regbench fit``: tune and fit the given methods on each given data set (the fit_model rule: one job per scenario,
so the ~1 s of start-up, imports and the kernels' cache load, is paid once for all its replicates and methods).

Each fit's warnings (non-convergence, grid-edge choices) are logged and stored in its .npz. A fit that raises is
logged with its message, the remaining fits still run, a record of every failure is written to ``--failures``
(JSON; the run's end-of-run summary reads it) and the command exits with status 1, so the job fails and Snakemake's
``--keep-going`` lets the rest of the study finish.
"""

from __future__ import annotations

import json
import os
import time

from regbench.cli._args import fail, json_arg, log
from regbench.data.io import DamagedFileError, atomic_path, load_dataset, save_npz
from regbench.evaluate.fits import fit_method, warm_up, warning_records
from regbench.evaluate.methods import METHOD_NAMES, METHODS
from regbench.lazy_sparse import issparse

HELP = "tune and fit methods on each given data set"


def add_arguments(p):
    p.add_argument("--method", nargs="+", required=True, choices=METHOD_NAMES, help="the methods to fit")
    p.add_argument("--spec", type=json_arg, required=True,
                   help='JSON: {method: {"tuning": {...}, "grid": {...}, "solver": {...}, "standardize": bool}}, '
                        "or one such spec for every method")
    p.add_argument("--data", nargs="+", required=True, help="data sets (.npz from simulate)")
    p.add_argument("--out", nargs="+", required=True,
                   help="one fit .npz per data set and method: data-set-major, methods in --method order")
    p.add_argument("--failures", default=None,
                   help="where to write the record of fits that raised (JSON; removed when none did)")


def _spec_of(spec, method):
    if isinstance(spec, dict) and "tuning" in spec:
        return spec
    if not isinstance(spec, dict) or method not in spec:
        raise SystemExit(f"--spec: no spec for method {method!r} (give {{method: spec}} or one spec)")
    return spec[method]


def _write_failures(path, failures):
    if path is None:
        return
    if not failures:
        if os.path.exists(path):
            os.remove(path)
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(failures, indent=1))


def run(args):
    pairs = [(data, method) for data in args.data for method in args.method]
    if len(args.out) != len(pairs):
        raise SystemExit(f"--out has {len(args.out)} paths for {len(args.data)} data sets x {len(args.method)} "
                         "methods")
    startup = time.process_time()  # the interpreter and the imports, so far
    _write_failures(args.failures, [])  # a record from an earlier attempt of this job is stale
    warmed, failures, fit_cpu, io_cpu = set(), [], 0.0, 0.0
    loaded = {}
    for (data, method), out in zip(pairs, args.out):
        if data not in loaded:
            c0 = time.process_time()
            try:
                loaded = {data: load_dataset(data)}  # one data set at a time (data-set-major order)
            except DamagedFileError as exc:
                return fail("fit", exc)
            io_cpu += time.process_time() - c0
        ds = loaded[data]
        spec = _spec_of(args.spec, method)
        kind = issparse(ds.X_train)
        if METHODS[method].penalized and kind not in warmed:
            t0, c0 = time.perf_counter(), time.process_time()
            warm_up(sparse=kind, standardize=spec.get("standardize", True))
            startup += time.process_time() - c0
            warmed.add(kind)
            log.info("warm-up (numba compile or cache load): %.2f s", time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            res = fit_method(ds, method, tuning=spec["tuning"], grid=spec.get("grid"), solver=spec.get("solver"),
                             standardize=spec.get("standardize", True))
        except Exception as exc:  # recorded, reported, and the job fails once the other fits are done
            message = f"{type(exc).__name__}: {exc}"
            failures.append({"scenario": ds.scenario, "replicate": int(ds.replicate), "method": method,
                             "kind": "exception", "message": message, "data": data})
            log.error("fit %s on %s (scenario %s, replicate %d) FAILED: %s", method, data, ds.scenario,
                      ds.replicate, message)
            continue
        c1 = time.process_time()
        fit_cpu += c1 - c0
        save_npz(out, **res)
        io_cpu += time.process_time() - c1
        for w in warning_records(res):
            log.warning("%s on %s: %s: %s", method, data, w["kind"], w["message"])
        log.info("fit %s on %s: %.2f s, nnz %d -> %s", method, data, time.perf_counter() - t0,
                 int((res["coef"] != 0).sum()), out)
    total = time.process_time()
    log.info("job: %.2f s CPU in all: %.2f s fitting, %.2f s start-up (interpreter, imports, kernel cache: %.0f%%), "
             "%.2f s reading data and writing fits, %.2f s other; %d fits", total, fit_cpu, startup,
             100 * startup / max(total, 1e-9), io_cpu, total - fit_cpu - startup - io_cpu, len(pairs))
    _write_failures(args.failures, failures)
    if failures:
        raise SystemExit(f"regbench fit: {len(failures)} of {len(pairs)} fits failed; first: "
                         f"{failures[0]['method']} on {failures[0]['data']}: {failures[0]['message']}")

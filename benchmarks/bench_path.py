"""Benchmark: full 100-lambda lasso and elastic-net paths, regbench against its peers, at matched precision.

    .venv-bench/bin/python benchmarks/bench_path.py                  # everything (about 15-25 minutes)
    .venv-bench/bin/python benchmarks/bench_path.py --problems a --penalties lasso --solvers regbench,sklearn

Method (see benchmarks/README.md):
1. Problems (benchmarks/problems.py) with one shared objective, no intercept, no standardization,
   one lambda grid per (problem, l1_ratio) given to every solver.
2. Reference: per lambda, the smallest objective among regbench (tol 1e-13, certified gap) and
   scikit-learn (tol 1e-13); the certified duality gap of the reference and the disagreement of the
   two are reported. Cached under results/benchmarks/cache/.
3. Matched precision: for each solver, its own tolerance is tightened by 10x from tol0 until its
   worst sub-optimality over the grid, (P(w_k) - P_ref_k) / P(0), is <= TARGET (1e-6); then the
   bracket (passing, failing) is bisected twice in log space (the loosest passing value is kept,
   so tolerances are matched to within a factor 10^(1/4)).
4. Timing: warm-up excluded (the calibration runs compile/warm everything); then rounds in which
   every solver runs once, interleaved, so that load from other users hits all alike; median of
   --repeats rounds (fewer for solvers slower than --slow seconds). The sub-optimality of the timed
   output is re-verified.
   R's glmnet (the R-glmnet peer) is timed inside R around the glmnet() call only.
5. Also: one CD epoch of regbench against one gemv X^T r, and regbench.ridge_path (one SVD, 100
   alphas) against scikit-learn's Ridge looped over the same 100 alphas.
Writes results/benchmarks/{paths,epoch,ridge}.csv and results/benchmarks/bench.md.
"""

import argparse
import os
import sys


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--problems", default="a,b,c,d")
    ap.add_argument("--penalties", default="lasso,enet", help="lasso (l1_ratio 1) and/or enet (l1_ratio 0.5)")
    ap.add_argument("--solvers", default="all", help="comma list of solver names, or 'all'")
    ap.add_argument("--with-glmnetpp", action="store_true",
                    help="also time glmnetpp (single-lambda API: 100 cold fits, minutes per path; 1 repeat)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--slow", type=float, default=2.0, help="solvers slower than this (s) get 3 repeats")
    ap.add_argument("--target", type=float, default=1e-6, help="max relative sub-optimality")
    ap.add_argument("--threads", type=int, default=1, help="BLAS / numba / rayon threads (default 1)")
    ap.add_argument("--no-epoch", action="store_true")
    ap.add_argument("--no-ridge", action="store_true")
    ap.add_argument("--no-paths", action="store_true")
    ap.add_argument("--out", default=None, help="output folder (default results/benchmarks)")
    ap.add_argument("--tag", default="", help="suffix for output file names")
    return ap.parse_args(argv)


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
                "RAYON_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402
from problems import PROBLEMS, duality_gaps, objectives  # noqa: E402

ROOT = HERE.parent
PENALTIES = {"lasso": 1.0, "enet": 0.5}


def log(*a):
    print(*a, flush=True)


def timed(fn, *a):
    t0 = time.perf_counter()
    out = fn(*a)
    return time.perf_counter() - t0, out


# ----------------------------------------------------------------------------------------------- reference
def reference(prob, alphas, l1_ratio, cache_dir):
    key = f"ref_{prob.name}_{l1_ratio:g}_{prob.n}x{prob.p}"
    f = cache_dir / f"{key}.npz"
    if f.exists():
        z = np.load(f)
        if np.allclose(z["alphas"], alphas, rtol=1e-14, atol=0):
            return {k: z[k] for k in z.files}
    log(f"  computing the reference for ({prob.name}, l1_ratio={l1_ratio}) ...")
    cands = {}
    for solver, tol in ((peers.Regbench(), 1e-13), (peers.Sklearn(), 1e-13)):
        try:
            data = solver.prepare(prob)
            dt, W = timed(solver.run, data, alphas, l1_ratio, tol)
            cands[solver.name] = W
            log(f"    {solver.name} at tol {tol:g}: {dt:.1f} s")
        except Exception as e:  # a reference candidate that fails is reported, not fatal
            log(f"    {solver.name} failed: {e!r}")
    objs = {k: objectives(prob, W, alphas, l1_ratio) for k, W in cands.items()}
    names = list(objs)
    stack = np.vstack([objs[k] for k in names])
    best = np.argmin(stack, axis=0)
    W_ref = np.column_stack([cands[names[b]][:, k] for k, b in enumerate(best)])
    P_ref = stack[best, np.arange(stack.shape[1])]
    gaps = duality_gaps(prob, W_ref, alphas, l1_ratio)
    spread = (stack.max(axis=0) - stack.min(axis=0)) / prob.p0 if len(names) > 1 else np.zeros_like(P_ref)
    out = dict(alphas=alphas, P_ref=P_ref, gap_ref=gaps, spread=spread, W_ref=W_ref,
               sources=np.array([names[b] for b in best]))
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(f, **out)
    return out


def subopt(prob, W, alphas, l1_ratio, ref):
    return (objectives(prob, W, alphas, l1_ratio) - ref["P_ref"]) / prob.p0


# ----------------------------------------------------------------------------------------------- calibration
BISECT_STEPS = 2


def calibrate(solver, data, prob, alphas, l1_ratio, ref, target):
    """Loosest tolerance meeting target: tol0, tol0/10, ... until one passes, then two log-bisection steps."""
    tried = []
    tol = solver.tol0
    passing = None
    last_fail = None
    while tol >= solver.min_tol:
        dt, W = solver.timed_run(data, alphas, l1_ratio, tol)
        worst = float(np.max(subopt(prob, W, alphas, l1_ratio, ref)))
        tried.append((tol, worst, dt))
        if worst <= target:
            passing = (tol, worst, dt)
            break
        last_fail = tol
        tol /= 10.0
    if passing is None:
        return None, tried
    # bisect the bracket (passing, last_fail) in log space: steps of 10^(1/2), then 10^(1/4)
    for _ in range(BISECT_STEPS if last_fail is not None else 0):
        mid = np.sqrt(passing[0] * last_fail)
        dt, W = solver.timed_run(data, alphas, l1_ratio, mid)
        worst = float(np.max(subopt(prob, W, alphas, l1_ratio, ref)))
        tried.append((mid, worst, dt))
        if worst <= target:
            passing = (mid, worst, dt)
        else:
            last_fail = mid
    return passing, tried


# ----------------------------------------------------------------------------------------------- paths
def bench_paths(args, solvers, out_rows, cache_dir):
    for pname in args.problems.split(","):
        prob = PROBLEMS[pname]()
        log(f"\n=== problem ({pname}): {prob.description}")
        for pen in args.penalties.split(","):
            l1_ratio = PENALTIES[pen]
            alphas = prob.grid(l1_ratio)
            ref = reference(prob, alphas, l1_ratio, cache_dir)
            log(f"  [{pen}] reference: max certified gap/P(0) {np.max(ref['gap_ref']) / prob.p0:.1e}, "
                f"max disagreement regbench vs sklearn {np.max(ref['spread']):.1e}")
            active = []
            for s in solvers:
                if prob.sparse and not s.sparse_ok:
                    out_rows.append(dict(problem=pname, penalty=pen, solver=s.name, status="n/a (no sparse X)"))
                    continue
                try:
                    data = s.prepare(prob)
                    s.run(data, alphas[:3], l1_ratio, s.tol0)  # warm-up: imports, numba compilation
                    chosen, tried = calibrate(s, data, prob, alphas, l1_ratio, ref, args.target)
                except Exception as e:
                    log(f"  {s.name:15s} FAILED: {e!r}")
                    out_rows.append(dict(problem=pname, penalty=pen, solver=s.name, status=f"error: {e!r}"[:200]))
                    continue
                ladder = "  ".join(f"{t:.1e}->{w:.1e} ({d:.2f}s)" for t, w, d in tried)
                if chosen is None:
                    log(f"  {s.name:15s} never reached the target: {ladder}")
                    out_rows.append(dict(problem=pname, penalty=pen, solver=s.name, status="target not reached"))
                    continue
                log(f"  {s.name:15s} tol {chosen[0]:.2e}   ladder: {ladder}")
                active.append(dict(solver=s, data=data, tol=chosen[0], t_cal=chosen[2], times=[], W=None))
            # interleaved timing rounds
            for rnd in range(args.repeats):
                for e in active:
                    if rnd >= 3 and e["t_cal"] > args.slow:
                        continue
                    if e["solver"].max_repeats is not None and rnd >= e["solver"].max_repeats:
                        continue
                    dt, e["W"] = e["solver"].timed_run(e["data"], alphas, l1_ratio, e["tol"])
                    e["times"].append(dt)
            for e in active:
                s, times = e["solver"], e["times"]
                so = subopt(prob, e["W"], alphas, l1_ratio, ref)
                row = dict(problem=pname, penalty=pen, solver=s.name, status="ok", tol=e["tol"],
                           median_s=float(np.median(times)), min_s=float(np.min(times)), repeats=len(times),
                           max_subopt=float(np.max(so)), min_subopt=float(np.min(so)),
                           passed=bool(np.max(so) <= args.target))
                out_rows.append(row)
                log(f"  {s.name:15s} median {row['median_s']:.4f} s (min {row['min_s']:.4f}, {len(times)} runs)  "
                    f"max subopt {row['max_subopt']:.1e}")


# ----------------------------------------------------------------------------------------------- epoch
def call_times(fn, reps, setup=None):
    ts = []
    for _ in range(reps):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return np.array(ts)


def bench_epoch(args, rows):
    import regbench
    from regbench.fitting import _kernels
    from regbench.fitting._design import prepare
    for pname in ("a", "b", "c"):
        if pname not in args.problems.split(","):
            continue
        prob = PROBLEMS[pname]()
        alphas = prob.grid(1.0)
        k = 50
        res = regbench.path(prob.X, prob.y, lambdas=alphas[:k + 1], fit_intercept=False, tol=1e-8)
        w_mid = res.coefs[:, k].copy()
        l1 = float(alphas[k])
        for gram in ((False, True) if prob.n >= 2 * prob.p else (False,)):
            design = prepare(prob.X, prob.y, fit_intercept=False, standardize=False, gram=gram)
            ws = np.arange(prob.p, dtype=np.int64)
            st = {}

            def setup():
                st["w"], st["r"], st["state"], _ = design.initial_state(w_mid)

            def epoch():
                _kernels._epoch(design.mode, ws, prob.p, st["w"], design.lips, l1, 0.0, 1.0 / prob.n, design.X,
                                design.data, design.indices, design.indptr, design.mu, design.inv_s,
                                design.colsum, design.G, st["r"], st["state"])

            setup()
            epoch()  # compile
            r = prob.y - prob.X @ w_mid
            Xf = prob.X
            # interleave epoch and gemv samples so that machine load hits both alike
            te, tg = [], []
            for _ in range(21):
                te.append(call_times(epoch, 5, setup))
                tg.append(call_times(lambda: Xf.T @ r, 10))
            te, tg = np.concatenate(te), np.concatenate(tg)
            t_epoch, t_gemv = float(np.median(te)), float(np.median(tg))
            rows.append(dict(problem=pname, mode=design.mode_name, epoch_s=t_epoch, gemv_s=t_gemv,
                             ratio=t_epoch / t_gemv, epoch_min_s=float(te.min()), gemv_min_s=float(tg.min()),
                             ratio_of_mins=float(te.min() / tg.min()), nnz_w=int(np.count_nonzero(w_mid))))
            log(f"  epoch ({pname}, {design.mode_name}): median {t_epoch * 1e3:.3f} ms vs gemv X^T r "
                f"{t_gemv * 1e3:.3f} ms: ratio {t_epoch / t_gemv:.2f} (ratio of minima {te.min() / tg.min():.2f})")


# ----------------------------------------------------------------------------------------------- ridge
def bench_ridge(args, rows):
    from sklearn.linear_model import Ridge

    from regbench.fitting.ridge import ridge_path
    for pname in ("a", "b", "c"):
        if pname not in args.problems.split(","):
            continue
        prob = PROBLEMS[pname]()
        X, y, n = prob.X, prob.y, prob.n
        res = ridge_path(X, y, n_lambdas=100, fit_intercept=False)
        lams = res.lambdas

        def rb():
            return ridge_path(X, y, lambdas=lams, fit_intercept=False).coefs

        def sk():
            W = np.empty((prob.p, lams.size))
            for k, lam in enumerate(lams):
                W[:, k] = Ridge(alpha=n * lam, fit_intercept=False).fit(X, y).coef_
            return W

        W_rb, W_sk = rb(), sk()  # warm-up and agreement check
        P_rb = objectives(prob, W_rb, lams, 0.0)
        P_sk = objectives(prob, W_sk, lams, 0.0)
        t_rb_list, t_sk_list = [], []
        for rnd in range(args.repeats):
            t_rb_list.append(timed(rb)[0])
            if rnd < 3:
                t_sk_list.append(timed(sk)[0])
        t_rb, t_sk = float(np.median(t_rb_list)), float(np.median(t_sk_list))
        rows.append(dict(problem=pname, regbench_ridge_path_s=t_rb, sklearn_ridge_loop_s=t_sk, speedup=t_sk / t_rb,
                         max_rel_obj_diff=float(np.max(np.abs(P_rb - P_sk)) / prob.p0)))
        log(f"  ridge ({pname}): regbench.ridge_path {t_rb:.4f} s, sklearn Ridge x100 {t_sk:.4f} s, "
            f"speedup {t_sk / t_rb:.1f}x, objective agreement {rows[-1]['max_rel_obj_diff']:.1e}")


# ----------------------------------------------------------------------------------------------- report
def write_csv(path, rows):
    if not rows:
        return
    keys = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)


def path_table(rows, solver_names):
    """Markdown: one row per (problem, penalty); median seconds and max sub-optimality per solver; ratios."""
    keys = []
    for r in rows:
        if (r["problem"], r["penalty"]) not in keys:
            keys.append((r["problem"], r["penalty"]))
    versus = [s for s in ("sklearn", "R-glmnet") if s in solver_names]
    head = ["problem", "path"] + solver_names + ["fastest peer", "regbench / fastest peer"] + \
        [f"regbench / {s}" for s in versus]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for pb, pen in keys:
        cells = [pb, pen]
        got = {r["solver"]: r for r in rows if r["problem"] == pb and r["penalty"] == pen}
        for s in solver_names:
            r = got.get(s)
            if r is None:
                cells.append("")
            elif r.get("status") != "ok":
                cells.append(r.get("status", "")[:30])
            else:
                cells.append(f"{r['median_s']:.3f} ({r['max_subopt']:.0e})")
        peers_ok = {s: r["median_s"] for s, r in got.items() if s != "regbench" and r.get("status") == "ok"}
        rb = got.get("regbench", {}).get("median_s") if got.get("regbench", {}).get("status") == "ok" else None
        if peers_ok:
            best = min(peers_ok, key=peers_ok.get)
            cells.append(f"{best} {peers_ok[best]:.3f}")
            cells.append(f"{rb / peers_ok[best]:.2f}" if rb else "")
        else:
            cells += ["", ""]
        for s in versus:
            cells.append(f"{rb / peers_ok[s]:.2f}" if rb and s in peers_ok else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def simple_table(rows, fmt):
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(k, r[k]) for k in keys) + " |")
    return "\n".join(lines)


def _fmt(k, v):
    if isinstance(v, float):
        if k.endswith("_s"):
            return f"{v * 1e3:.3f} ms" if v < 0.1 else f"{v:.3f} s"
        return f"{v:.3g}"
    return str(v)


def environment():
    import importlib.metadata as md
    vers = {}
    for d in ("numpy", "scipy", "scikit-learn", "celer", "skglm", "glmnet-rs", "glmnet", "glmnetpp", "numba",
              "regbench"):
        try:
            vers[d] = md.version(d)
        except md.PackageNotFoundError:
            vers[d] = "-"
    try:
        vers.update(peers.RGlmnet().versions())
    except Exception:  # no R: the R-glmnet peer is reported unavailable
        vers.update({"R": "-", "R-glmnet": "-"})
    return vers


def main(args):
    out = Path(args.out) if args.out else ROOT / "results" / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    cache = out / "cache"
    wanted = None if args.solvers == "all" else set(args.solvers.split(","))
    solvers = []
    for s in peers.ALL:
        if wanted is not None and s.name not in wanted:
            continue
        if wanted is None and not s.default and not (s.name == "glmnetpp" and args.with_glmnetpp):
            continue
        try:
            s.available()
            solvers.append(s)
        except Exception as e:
            log(f"solver {s.name} unavailable: {e!r}")
    vers = environment()
    log(f"python {platform.python_version()}, threads {args.threads}, "
        + ", ".join(f"{k} {v}" for k, v in vers.items()))
    t_start = time.time()
    path_rows, epoch_rows, ridge_rows = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not args.no_paths:
            bench_paths(args, solvers, path_rows, cache)
        if not args.no_epoch:
            log("\n=== one CD epoch (all p coordinates, at the lasso solution of lambda #50) vs one gemv X^T r")
            bench_epoch(args, epoch_rows)
        if not args.no_ridge:
            log("\n=== ridge path: regbench.ridge_path (one spectral decomposition, 100 alphas)"
                " vs sklearn Ridge looped")
            bench_ridge(args, ridge_rows)
    tag = f"_{args.tag}" if args.tag else ""
    write_csv(out / f"paths{tag}.csv", path_rows)
    write_csv(out / f"epoch{tag}.csv", epoch_rows)
    write_csv(out / f"ridge{tag}.csv", ridge_rows)
    names = [s.name for s in solvers]
    md = [f"# regbench benchmark{(' (' + args.tag + ')') if args.tag else ''}",
          "",
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.machine()}, {os.cpu_count()} cores "
          f"(shared), {args.threads} thread(s) for BLAS/numba/rayon; total {time.time() - t_start:.0f} s.",
          "Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".",
          "",
          "## Full 100-lambda paths at matched precision",
          "",
          f"Median seconds (max sub-optimality over the grid, relative to P(0); target <= {args.target:g}).",
          "Same grid, same objective 1/(2n)||y - Xw||^2 + alpha (l1_ratio |w|_1 + (1 - l1_ratio)/2 |w|^2), no "
          "intercept (data pre-centred), no standardization, for every solver. lasso: l1_ratio = 1; enet: 0.5.",
          "",
          path_table(path_rows, names) if path_rows else "(not run)",
          "",
          "## One coordinate-descent epoch vs one gemv",
          "",
          simple_table(epoch_rows, _fmt) or "(not run)",
          "",
          "## Ridge path: regbench.ridge_path (one spectral decomposition) vs scikit-learn Ridge looped over 100"
          " alphas",
          "",
          simple_table(ridge_rows, _fmt) or "(not run)",
          ""]
    (out / f"bench{tag}.md").write_text("\n".join(md))
    (out / f"bench{tag}.json").write_text(json.dumps(dict(paths=path_rows, epoch=epoch_rows, ridge=ridge_rows,
                                                          versions=vers, threads=args.threads), indent=1))
    log("\n" + "\n".join(md))
    log(f"written: {out}/bench{tag}.md, paths{tag}.csv, epoch{tag}.csv, ridge{tag}.csv")


if __name__ == "__main__":
    main(ARGS)

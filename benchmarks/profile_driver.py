"""Profile regbench's path driver: a Python copy of ``_kernels.solve_lambda``'s loop over the same compiled
kernels, with counters (epochs, coordinate visits, full-gradient passes, time in each) and two variants
of the stopping logic. See FINDINGS.md. Depends on the private kernel signatures as of 2026-11-24.

    .venv-bench/bin/python benchmarks/profile_driver.py a 1.0 1e-4 "[dict(), dict(f=1e-4), dict(wsgap=True)]"

Arguments: problem (a-d), l1_ratio, tol (gap / P(0)), a Python list of variant dicts:
  f      initial inner tolerance as a fraction of tol_abs (regbench: 1)
  wsgap  check a working-set-restricted duality gap before computing the full gradient
Needs the cached reference of bench_path.py (results/benchmarks/cache/).
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["NUMBA_NUM_THREADS"] = "1"
import sys  # noqa: E401,E402
import time
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from problems import PROBLEMS, objectives  # noqa: E402

import regbench  # noqa: E402
from regbench.fitting import _kernels as K  # noqa: E402
from regbench.fitting._design import prepare  # noqa: E402


def run(prob, a, l1r, tol, gram="auto", f=1.0, wsgap=False, ws_frac=0.3):
    d = prepare(prob.X, prob.y, fit_intercept=False, standardize=False, gram=gram)
    w, r, state, grad = d.initial_state()
    ever = np.zeros(d.p, bool); ws = np.empty(d.p, np.int64)
    X, data, indices, indptr, mu, inv_s, colsum, G, q = d.kernel_args()
    n=float(d.n); inv_n=1/n; tol_abs = tol*d.yy/(2*n)
    feas_tol = 1e-10*np.sqrt(np.max(d.lips)*d.yy*inv_n)
    C=dict(epochs=0, fullgrad=0, wsgrad=0, coord_updates=0, t_epoch=0.0, t_full=0.0)
    l1_prev = a[0]*l1r; W=np.empty((d.p,a.size))
    t0=time.perf_counter()
    for k in range(a.size):
        l1 = a[k]*l1r; l2=a[k]*(1-l1r)
        thresh = 2*l1 - l1_prev
        ever |= (w!=0) | (np.abs(grad)>=thresh)
        idx = np.flatnonzero(ever); n_ws=idx.size; ws[:n_ws]=idx
        epochs=0
        inner_tol = tol_abs*f
        while True:
            te=time.perf_counter()
            while True:
                ch = K._epoch(d.mode, ws, n_ws, w, d.lips, l1, l2, inv_n, X, data, indices, indptr, mu, inv_s, colsum, G, r, state)
                epochs+=1; C['coord_updates']+=n_ws
                if ch <= inner_tol: break
                act = ws[:n_ws][w[ws[:n_ws]]!=0].copy()
                while True:
                    ch = K._epoch(d.mode, act, act.size, w, d.lips, l1, l2, inv_n, X, data, indices, indptr, mu, inv_s, colsum, G, r, state)
                    epochs+=1; C['coord_updates']+=act.size
                    if ch <= inner_tol: break
            C['t_epoch']+=time.perf_counter()-te
            if wsgap and d.mode in (0,1):
                sub = ws[:n_ws]
                gw = np.asarray(prob.X[:, sub].T @ r).ravel() * inv_n; C['wsgrad']+=1
                rr=float(r@r); ry=float(r@d.y)
                _, g_ws = K.dual_gap(w[sub].copy(), gw, np.arange(sub.size), sub.size, rr, ry, n, l1, l2, feas_tol)
                if g_ws > ws_frac*tol_abs:
                    inner_tol*=0.1; continue
            tf=time.perf_counter()
            K._gradient(d.mode, np.arange(d.p), d.p, w, inv_n, X, data, indices, indptr, inv_s, colsum, G, q, r, state, grad)
            C['t_full']+=time.perf_counter()-tf
            C['fullgrad']+=1
            rr, ry = K._residual_stats(d.mode, w, n, d.y, q, d.yy, r, state, grad)
            primal, gap = K.dual_gap(w, grad, np.arange(d.p), d.p, rr, ry, n, l1, l2, feas_tol)
            viol = (~ever) & (np.abs(grad) > l1); nadd=int(viol.sum())
            if nadd:
                ever |= viol; ii=np.flatnonzero(viol); ws[n_ws:n_ws+nadd]=ii; n_ws+=nadd
            if gap <= tol_abs: break
            if nadd==0: inner_tol*=0.1
        C['epochs']+=epochs; W[:,k]=w; l1_prev=l1
    C['time']=round(time.perf_counter()-t0,3); C['t_epoch']=round(C['t_epoch'],3); C['t_full']=round(C['t_full'],3)
    return W, C

if __name__ != "__main__":
    raise SystemExit
pn=sys.argv[1]; l1r=float(sys.argv[2]); tol=float(sys.argv[3])
prob = PROBLEMS[pn](); a = prob.grid(l1r)
regbench.path(prob.X, prob.y, l1_ratio=l1r, lambdas=a[:3], fit_intercept=False, tol=tol)
ref = np.load(HERE.parent / "results" / "benchmarks" / "cache" / f"ref_{pn}_{l1r:g}_{prob.n}x{prob.p}.npz")
run(prob, a, l1r, tol)  # warm-up: the first Python-level call of each kernel compiles it
for kw in eval(sys.argv[4]):
    W, C = run(prob, a, l1r, tol, **kw)
    so = np.max((objectives(prob, W, a, l1r)-ref["P_ref"])/prob.p0)
    print(pn, l1r, tol, kw, C, f"subopt {so:.1e}")

"""One adapter per solver: run(prob, alphas, l1_ratio, tol) -> W (p, L), all on the objective of problems.py.

Every adapter solves the same problem: no intercept, no standardization, the given decreasing grid
``alphas`` (scikit-learn's alpha = glmnet's lambda), l1_ratio (= glmnet's alpha). ``tol`` is each
solver's own stopping parameter (its meaning differs between solvers; the harness calibrates it so
that the sub-optimality is matched). Data layouts are prepared once outside the timed region, in
the layout each solver consumes without copying (Fortran-ordered dense X for all but glmnet-rs,
which copies anything but C order; CSC for sparse X).
"""

import atexit
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent


class Solver:
    name = "?"
    sparse_ok = True
    tol0 = 1e-4  # first tolerance tried by the calibration (then divided by 10 until it passes)
    min_tol = 1e-14
    note = ""
    default = True  # part of the default solver set
    max_repeats = None  # cap on timed repeats (None: the harness decides)

    def available(self):
        return True

    def prepare(self, prob):
        """Data in the solver's preferred layout (not timed)."""
        return prob.X, prob.y

    def run(self, data, alphas, l1_ratio, tol):
        raise NotImplementedError

    def timed_run(self, data, alphas, l1_ratio, tol):
        """(seconds, W): wall-clock time of ``run`` (a solver timed elsewhere overrides this)."""
        t0 = time.perf_counter()
        W = self.run(data, alphas, l1_ratio, tol)
        return time.perf_counter() - t0, W


class Regbench(Solver):
    name = "regbench"
    tol0 = 1e-2
    note = "regbench.path, tol = certified duality gap / P(0)"

    def available(self):
        import regbench  # noqa: F401
        return True

    def run(self, data, alphas, l1_ratio, tol):
        import regbench
        X, y = data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = regbench.path(X, y, l1_ratio=l1_ratio, lambdas=alphas, fit_intercept=False,
                                standardize=False, tol=tol, max_iter=1_000_000)
        return res.coefs


class Sklearn(Solver):
    name = "sklearn"
    tol0 = 1e-2
    note = "sklearn.linear_model.enet_path (precompute='auto': Gram when n > p)"

    def run(self, data, alphas, l1_ratio, tol):
        from sklearn.linear_model import enet_path
        X, y = data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, coefs, _ = enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, tol=tol, max_iter=1_000_000,
                                    precompute="auto", check_input=True)
        return coefs


class Celer(Solver):
    name = "celer"
    tol0 = 1e-2
    note = "celer.celer_path(pb='lasso', l1_ratio=...)"

    def available(self):
        import celer  # noqa: F401
        return True

    def run(self, data, alphas, l1_ratio, tol):
        from celer import celer_path
        X, y = data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, coefs, _ = celer_path(X, y, "lasso", alphas=alphas, l1_ratio=l1_ratio, tol=tol,
                                     max_iter=1000, max_epochs=1_000_000)
        return coefs


class Skglm(Solver):
    name = "skglm"
    tol0 = 1e-2
    note = "skglm AndersonCD.path, Quadratic datafit, L1 / L1_plus_L2 (tol = max KKT violation)"

    def available(self):
        import skglm  # noqa: F401
        return True

    def run(self, data, alphas, l1_ratio, tol):
        from skglm.datafits import Quadratic
        from skglm.penalties import L1, L1_plus_L2
        from skglm.solvers import AndersonCD
        X, y = data
        pen = L1(alpha=alphas[0]) if l1_ratio == 1.0 else L1_plus_L2(alpha=alphas[0], l1_ratio=l1_ratio)
        solver = AndersonCD(tol=tol, fit_intercept=False, max_iter=1000, max_epochs=1_000_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, coefs, _ = solver.path(X, y, Quadratic(), pen, alphas=alphas)
        return coefs


class GlmnetRs(Solver):
    name = "glmnet-rs"
    tol0 = 1e-5
    note = "glmnetrs.glmnet(lambda_=grid, standardize=False, intercept=False), thresh = tol"

    def available(self):
        import glmnetrs  # noqa: F401
        return True

    def prepare(self, prob):
        X = prob.X if sp.issparse(prob.X) else np.ascontiguousarray(prob.X)
        return X, prob.y

    def run(self, data, alphas, l1_ratio, tol):
        from glmnetrs import glmnet
        X, y = data
        res = glmnet(X, y, alpha=l1_ratio, lambda_=alphas, standardize=False, intercept=False, thresh=tol,
                     maxit=10_000_000)
        W = np.asarray(res.beta)
        if W.shape[1] != alphas.size:
            raise RuntimeError(f"glmnet-rs stopped the path early ({W.shape[1]} of {alphas.size} lambdas)")
        return W


class GlmnetFortran(Solver):
    """python-glmnet's Fortran elnet/spelnet, called as python-glmnet's ElasticNet._fit calls it."""

    name = "glmnet-fortran"
    tol0 = 1e-5
    note = ("python-glmnet Fortran elnet (ka as python-glmnet picks it: covariance if n >= p, naive "
            "otherwise; isd=0, intr=0, user lambdas), thr = tol")

    def available(self):
        import _glmnet  # noqa: F401
        return True

    def prepare(self, prob):
        if sp.issparse(prob.X):
            X = prob.X.tocsc()
            return ("sparse", X.data.copy(), (X.indptr + 1).astype(np.int32), (X.indices + 1).astype(np.int32),
                    X.shape, prob.y)
        return ("dense", np.asfortranarray(prob.X), prob.y)

    def run(self, data, alphas, l1_ratio, tol):
        import _glmnet
        L = alphas.size
        if data[0] == "sparse":
            _, xd, ix, jx, (n, p), y = data
        else:
            _, X, y = data
            n, p = X.shape
        ka = 2 if p > n else 1
        w = np.ones(n)
        vp = np.ones(p)
        cl = np.empty((2, p), order="F")
        cl[0] = -np.inf
        cl[1] = np.inf
        ulam = np.asarray(alphas, dtype=np.float64)
        yy = y.copy()  # glmnet overwrites its inputs (python-glmnet copies too)
        if data[0] == "sparse":
            out = _glmnet.spelnet(ka, l1_ratio, n, p, xd.copy(), ix, jx, yy, w, 0, vp, cl, p, p + 1, 1.0, ulam,
                                  tol, L, 0, 0, 100_000_000)
        else:
            xx = np.array(X, order="F", copy=True)
            out = _glmnet.elnet(ka, l1_ratio, xx, yy, w, 0, vp, cl, p + 1, 1.0, ulam, tol, p, L, 0, 0,
                                100_000_000)
        lmu, a0, ca, ia, nin, rsq, alm, nlp, jerr = out
        if jerr != 0:
            raise RuntimeError(f"glmnet Fortran jerr={jerr}")
        if lmu != L:
            raise RuntimeError(f"glmnet Fortran stopped the path early ({lmu} of {L})")
        return _glmnet.solns(p, ca[:, :lmu], ia, nin[:lmu])


class Glmnetpp(Solver):
    """glmnetpp exposes only a single-lambda fit: the 'path' is L cold-started fits (no warm starts)."""

    name = "glmnetpp"
    sparse_ok = False
    tol0 = 1e-9  # on (a) lasso: 1e-9 -> 1.5e-6, 3.2e-10 -> 7e-7 (each path ~100 s: 100 cold fits)
    default = False  # opt in with --with-glmnetpp: minutes per path
    max_repeats = 1
    note = "glmnetpp (C++ core of R glmnet) single-lambda fits looped over the grid (no path API)"

    def available(self):
        import glmnetpp  # noqa: F401
        return True

    def prepare(self, prob):
        import ctypes

        from glmnetpp._binding import _load_core
        X = np.asfortranarray(prob.X)
        p = X.shape[1]
        lo, hi, pf = np.full(p, -np.inf), np.full(p, np.inf), np.ones(p)
        return X, np.ascontiguousarray(prob.y), lo, hi, pf, _load_core(), ctypes

    def run(self, data, alphas, l1_ratio, tol):
        # The ctypes call of glmnetpp._binding.fit_gaussian_ridge without its two per-call copies of X.
        X, y, lo, hi, pf, lib, ctypes = data
        n, p = X.shape
        dp = ctypes.POINTER(ctypes.c_double)
        W = np.zeros((p, alphas.size))
        a0 = ctypes.c_double(0.0)
        lmu = ctypes.c_int(0)
        xp, yp = X.ctypes.data_as(dp), y.ctypes.data_as(dp)
        lop, hip, pfp = lo.ctypes.data_as(dp), hi.ctypes.data_as(dp), pf.ctypes.data_as(dp)
        coef = np.zeros(p)
        cp = coef.ctypes.data_as(dp)
        for k, lam in enumerate(alphas):
            jerr = lib.elnet_gaussian_fit(n, p, xp, yp, float(lam), float(l1_ratio), lop, hip, pfp, 0, 0,
                                          float(tol), 100_000_000, ctypes.byref(a0), cp, ctypes.byref(lmu))
            if jerr < 0:
                raise RuntimeError(f"glmnetpp jerr={jerr}")
            W[:, k] = coef
        return W


class RGlmnet(Solver):
    """R's glmnet() (its gaussian solver is glmnetpp, the C++ port), timed inside R around glmnet() only.

    Each call is one ``Rscript r_glmnet.R`` process: R start-up, loading the data (written once by
    ``prepare`` as raw float64) and writing the coefficients back are outside the timed region; a
    two-lambda warm-up call precedes the timed one. glmnet picks its own algorithm: covariance
    updates when p < 500 (problem b), naive otherwise; sparse X goes in as a dgCMatrix.
    """

    name = "R-glmnet"
    tol0 = 1e-5
    note = ("R glmnet() (C++ glmnetpp core; type.gaussian default: covariance if p < 500), standardize=FALSE, "
            "intercept=FALSE, user lambdas, thresh = tol; timed inside R around glmnet()")
    rscript = shutil.which("Rscript") or "/usr/bin/Rscript"

    def available(self):
        probe = subprocess.run([self.rscript, "-e", "library(glmnet); library(Matrix)"], capture_output=True,
                               text=True)
        if probe.returncode != 0:
            raise RuntimeError(f"R glmnet unavailable (make r): {probe.stderr.strip()[-200:]}")
        return True

    def versions(self):
        """{"R": "4.2.2", "R-glmnet": "4.1.6"}."""
        out = subprocess.run([self.rscript, "-e", 'cat(paste(R.version$major, R.version$minor, sep="."), '
                              'as.character(packageVersion("glmnet")))'], capture_output=True, text=True)
        r, glm = out.stdout.split()
        return {"R": r, "R-glmnet": glm}

    def prepare(self, prob):
        d = Path(tempfile.mkdtemp(prefix="regbench_rglmnet_"))
        atexit.register(shutil.rmtree, d, ignore_errors=True)
        X = prob.X
        if sp.issparse(X):
            X = X.tocsc()
            X.sort_indices()
            (d / "meta.txt").write_text(f"sparse {X.shape[0]} {X.shape[1]} {X.nnz}\n")
            X.data.astype("<f8").tofile(d / "x.f64")
            X.indices.astype("<i4").tofile(d / "i.i32")
            X.indptr.astype("<i4").tofile(d / "p.i32")
        else:
            (d / "meta.txt").write_text(f"dense {X.shape[0]} {X.shape[1]}\n")
            np.ascontiguousarray(np.asarray(X, dtype="<f8").T).tofile(d / "X.f64")  # column-major X
        np.asarray(prob.y, dtype="<f8").tofile(d / "y.f64")
        return d, prob.p

    def timed_run(self, data, alphas, l1_ratio, tol):
        d, p = data
        np.asarray(alphas, dtype="<f8").tofile(d / "lambda.f64")
        proc = subprocess.run([self.rscript, "--vanilla", str(HERE / "r_glmnet.R"), str(d), repr(float(l1_ratio)),
                               repr(float(tol))], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"R glmnet failed: {proc.stderr.strip()[-300:]}")
        W = np.fromfile(d / "beta.f64", dtype="<f8").reshape((p, len(alphas)), order="F")
        return float((d / "time.txt").read_text()), W

    def run(self, data, alphas, l1_ratio, tol):
        return self.timed_run(data, alphas, l1_ratio, tol)[1]


ALL = [Regbench(), Sklearn(), Celer(), Skglm(), GlmnetRs(), GlmnetFortran(), Glmnetpp(), RGlmnet()]

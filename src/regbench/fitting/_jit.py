"""``kernel``: numba's ``njit(cache=True)`` with the on-disk cache keyed by the source of every kernel module.

numba invalidates a cached function when its own file changes, not when a compiled function it calls from another
file does: after an edit of ``_anderson.py`` alone, ``_kernels.solve_lambda`` kept loading the machine code of the
old extrapolation, in the tests and in the pipeline's reruns alike (whose code inputs had changed: the rerun fits
would have been the old code's). So the kernels' cache lives in a directory named by a digest of all the kernel
modules: any edit to one of them recompiles them all, once.

The directory is ``__pycache__/kernels-<digest>`` beside this file when that is writable (numba's own in-tree
default), else under ``$NUMBA_CACHE_DIR`` or ``~/.cache/regbench``. numba's ``config.CACHE_DIR`` is set only while a
kernel is decorated, so other numba code in the process keeps its own cache.
"""

import hashlib
import os
import sys
from pathlib import Path

import numba
from numba import njit

#: the modules whose compiled functions call one another (each defines its kernels with ``kernel``)
KERNEL_MODULES = ("_jit.py", "_columns.py", "_certificate.py", "_anderson.py", "_kernels.py")


def source_digest(folder=Path(__file__).parent) -> str:
    """A digest of the kernel modules' source files."""
    h = hashlib.sha256()
    for name in KERNEL_MODULES:
        h.update(name.encode())
        h.update((Path(folder) / name).read_bytes())
    return h.hexdigest()[:16]


def _cache_dir() -> str:
    name = f"kernels-{source_digest()}"
    candidates = [Path(__file__).parent / "__pycache__", os.environ.get("NUMBA_CACHE_DIR"),
                  Path.home() / ".cache" / "regbench"]
    for base in candidates:
        if not base:
            continue
        path = Path(base) / name
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return str(path)
    return ""  # nowhere writable: numba compiles in memory, every process


CACHE_DIR = _cache_dir()


def kernel(**options):
    """``njit(cache=True, **options)``, cached in ``CACHE_DIR``."""

    def decorate(fn):
        saved = numba.config.CACHE_DIR
        numba.config.CACHE_DIR = CACHE_DIR
        try:
            return njit(cache=bool(CACHE_DIR), **options)(fn)
        finally:
            numba.config.CACHE_DIR = saved

    return decorate


@kernel()
def _noop():
    return 0


def init_target() -> None:
    """Initialise numba's CPU target (the process's first compilation or cache load) without its BLAS probe.

    That first dispatch imports ``numba.np.arraymath``, which probes for a BLAS by importing
    ``scipy.linalg.cython_blas``, i.e. all of scipy.linalg: ~0.3 s of CPU, a quarter of a small fit job's start-up
    (benchmarks/scale.md). No kernel calls a BLAS, and the probe's only use is the inner product of np.convolve /
    np.correlate: np.dot and np.linalg still import scipy's BLAS and LAPACK when a function using them is compiled.
    A no-op once the target is initialised or scipy.linalg is loaded.
    """
    probe = "scipy.linalg.cython_blas"
    if "numba.np.arraymath" in sys.modules or probe in sys.modules:
        return
    sys.modules[probe] = None  # the probe's import then fails at once, without importing scipy.linalg
    try:
        _noop()
    finally:
        if probe in sys.modules and sys.modules[probe] is None:
            del sys.modules[probe]

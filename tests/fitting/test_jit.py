"""The kernels' numba cache follows every kernel module's source, and numba's start-up skips its BLAS probe."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from regbench.fitting import _jit

FITTING = Path(_jit.__file__).parent


def _numba_modules():
    found = set()
    for path in FITTING.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n == "numba" or n.startswith("numba.") or n.endswith("._jit") for n in names):
                found.add(path.name)
    return found


def test_every_module_with_kernels_is_in_the_digest_and_uses_kernel():
    """A module whose compiled functions are not in KERNEL_MODULES would bring back numba's stale cross-file cache."""
    assert _numba_modules() == set(_jit.KERNEL_MODULES)
    for name in _jit.KERNEL_MODULES:
        if name != "_jit.py":
            text = (FITTING / name).read_text(encoding="utf-8")
            assert "njit" not in text, f"{name}: define kernels with _jit.kernel, not njit"


def test_an_edit_to_any_kernel_module_moves_the_cache(tmp_path):
    for name in _jit.KERNEL_MODULES:
        shutil.copy(FITTING / name, tmp_path / name)
    before = _jit.source_digest(tmp_path)
    assert before == _jit.source_digest(FITTING) and before in _jit.CACHE_DIR
    for name in _jit.KERNEL_MODULES:
        original = (tmp_path / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(original + "\n# edited\n", encoding="utf-8")
        assert _jit.source_digest(tmp_path) != before, name
        (tmp_path / name).write_text(original, encoding="utf-8")
    assert _jit.source_digest(tmp_path) == before


def test_init_target_skips_scipy_linalg_and_leaves_linear_algebra_working():
    code = """
import sys
import numpy as np
from numba import njit
from regbench.fitting._jit import init_target
from regbench.fitting.solver import path
init_target()
assert "scipy.linalg" not in sys.modules, "init_target imported scipy.linalg"
assert "scipy.linalg.cython_blas" not in sys.modules, "the probe's placeholder is left behind"
rng = np.random.default_rng(0)
X, y = rng.standard_normal((30, 5)), rng.standard_normal(30)
res = path(X, y, n_lambdas=4)
assert "scipy.linalg" not in sys.modules, "the kernels imported scipy.linalg"
@njit
def gram(A):
    return np.dot(A.T, A), np.linalg.solve(A.T @ A, np.ones(A.shape[1]))
G, z = gram(X)
assert np.allclose(G, X.T @ X) and np.allclose(X.T @ X @ z, 1.0)
import scipy.linalg
assert np.allclose(scipy.linalg.solve(G, np.ones(5)), z)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr

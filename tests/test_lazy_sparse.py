"""``regbench.lazy_sparse``: the sparse check that does not import scipy.sparse."""

import subprocess
import sys

import numpy as np
import scipy.sparse as sp

from regbench.lazy_sparse import issparse, sparse_module


def test_issparse_agrees_with_scipy():
    X = np.eye(3)
    for obj in (X, sp.csr_matrix(X), sp.csc_array(X), sp.coo_matrix(X), [[1.0]], None):
        assert issparse(obj) == sp.issparse(obj)
    assert sparse_module() is sp


def test_issparse_does_not_import_scipy_sparse():
    code = ("import sys, numpy as np; from regbench.lazy_sparse import issparse; "
            "assert not issparse(np.eye(2)); print('scipy.sparse' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""scipy.sparse, imported only when a sparse matrix is in play.

Importing scipy.sparse (or scipy.linalg) costs every process about 0.3 s of CPU (scipy 1.17: the array-API layer
of ``scipy._lib`` touches every lazily loaded numpy submodule), which is a fifth of a small fit job's start-up. A
pipeline job on dense data never needs it, and an object can only be a scipy sparse matrix once scipy.sparse has
been imported, so ``issparse`` looks in ``sys.modules`` before it asks scipy.
"""

import sys


def issparse(X) -> bool:
    """Whether X is a scipy sparse matrix or array, without importing scipy.sparse."""
    module = sys.modules.get("scipy.sparse")
    return module is not None and module.issparse(X)


def sparse_module():
    """The scipy.sparse module (imported here, on the first sparse path that needs it)."""
    import scipy.sparse

    return scipy.sparse

"""Step 2, fitting: the one shared solver. Penalties (``penalties``), design preparation (``_design``), numba kernels
(``_kernels``), the pathwise coordinate-descent solver (``solver``), the ridge path (``ridge``), cross-validation
(``cv``), result types (``results``), every parametrization conversion (``params``), the (lambda2, s) addressing of
Zou & Hastie (``zou_hastie``) and the scikit-learn estimators (``estimators``)."""

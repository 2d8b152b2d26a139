"""Step 3, evaluate: the methods a study compares (``methods``, the registry), the fit step that tunes and fits
them through the shared solver (``fitting``), the metrics of each fit (``metrics``) and their summaries over
replicates (``summary``)."""

"""Step 1, data: the :class:`~regbench.data.dataset.Dataset` every later step reads, the simulation designs
(``simulate``), real tables (``tables``: the shipped prostate data and the user's CSV/parquet files) and their
storage (``io``: atomic .npz and .csv files)."""

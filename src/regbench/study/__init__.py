"""A study as a whole: its config checked before any job runs (``config``), and a study run for the user on their
own data file (``compare``)."""

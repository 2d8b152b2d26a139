"""Step 5, report: a study's outputs loaded (``study``), its tables (``tables``), the article's claims checked
(``claims``), the figures in one palette (``plotting``), the primer's story (``primer``), the index page (``index``)
and the Markdown report of ``regbench compare`` (``compare``)."""

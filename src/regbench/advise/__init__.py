"""Step 4, advise: the article's three questions answered from the data (``questions``), question 2's quick
cross-validated check (``validate``) and the advice scored against a study's empirical winners (``scoring``)."""

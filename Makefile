# The README's two commands: `make run` (set up, run the default study into a report)
# and `make test` (set up, run the test suite). Both work from a fresh clone with
# Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2
STUDY ?= config/default.yaml

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/snakemake --profile workflow/profiles/default --cores $(CORES) --configfile $(STUDY)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/snakemake --lint --configfile $(STUDY)

bench: setup
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_path.py

clean:
	rm -rf results logs .snakemake

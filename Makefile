# The README's two commands: `make run` (set up, run the default study into a report)
# and `make test` (set up, run the test suite). Both work from a fresh clone with
# Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2
STUDY ?= config/default.yaml

.PHONY: setup browser r run test lint bench clean regime-map

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# The report's browser test drives Debian's chromium (tests/test_browser.py): install it when
# missing and we are root; otherwise say how (the test skips locally, fails under CI=true).
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser test (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: $(CHROMIUM) missing; as root run: apt-get install -y chromium chromium-driver"; fi

# R's glmnet is the oracle of tests/fitting/test_glmnet_r.py and a peer in `make bench`: install Debian's
# r-base-core and r-cran-glmnet (with r-cran-matrix) when missing and we are root; otherwise say how
# (the test skips locally, fails under CI=true). About 30 s with apt-get update on a fresh machine.
RSCRIPT ?= /usr/bin/Rscript
r:
	@if [ -x "$(RSCRIPT)" ] && "$(RSCRIPT)" -e 'library(glmnet)' >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing R and glmnet for the glmnet oracle test and benchmark (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-glmnet >/dev/null; \
	else echo "note: R glmnet missing; as root run: apt-get install -y r-base-core r-cran-glmnet"; fi

# Rules call `regbench` and `python`: the venv's, whatever the caller's PATH says.
export PATH := $(abspath $(BIN)):$(PATH)

run: setup
	$(BIN)/snakemake --profile workflow/profiles/default --cores $(CORES) --configfile $(STUDY)

# The regime map `regbench advise` ships: the regime study (config/regimes.yaml) run to its advice scores, and its
# regime_map.csv (provenance lines included: study, config and its sha256, commit, date, replicates) copied into the
# package. Run in a checkout (the commit is read with git); a study run elsewhere: cp <dir>/$(REGIME_RESULTS) ...
REGIME_MAP := src/regbench/advise/regime_map.csv
REGIME_RESULTS := results/regimes/regime_map.csv
regime-map: setup
	$(BIN)/snakemake $(REGIME_RESULTS) results/regimes/paired.csv --profile workflow/profiles/default \
		--cores $(CORES) --configfile config/regimes.yaml
	cp $(REGIME_RESULTS) $(REGIME_MAP)

test: setup browser r lint
	$(BIN)/python -m pytest

# One style: ruff on the Python (pyproject.toml [tool.ruff]), snakemake --lint on the workflow, and a dry run of
# every shipped study config (a config that no longer validates fails here, before any test).
STUDIES := $(wildcard config/*.yaml) .test/config.yaml
lint: setup
	$(BIN)/ruff check .
	$(BIN)/snakemake --lint --configfile $(STUDY)
	@for s in $(STUDIES); do \
		echo "dry run: $$s"; \
		$(BIN)/snakemake --profile workflow/profiles/default --cores 2 -n -q rules --configfile $$s >/dev/null \
			|| { echo "dry run of $$s failed"; exit 1; }; \
	done

# Benchmark against the peers in a separate venv (.venv-bench); python-glmnet needs gfortran
# (installed here when root) and numpy at build time; R glmnet comes from `make r`.
# BENCH_ARGS: see benchmarks/README.md.
BENCH_VENV := .venv-bench
bench: r
	@command -v gfortran >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gfortran >/dev/null; } || true
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	$(BENCH_VENV)/bin/python -c "import _glmnet" 2>/dev/null || $(BENCH_VENV)/bin/python -m pip install --quiet \
		--no-build-isolation glmnet || echo "python-glmnet not installed (needs gfortran): benchmarking without it"
	$(BENCH_VENV)/bin/python benchmarks/bench_path.py $(BENCH_ARGS)

clean:
	rm -rf results logs .snakemake

# Everything a fresh machine needs: `make test` and `make demo` set it up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser test faults check format demo sandbox bench clean

setup: $(STAMP) browser

# Reinstalled only when pyproject.toml changes: a second `make test` is quick.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

browser: $(STAMP)
	$(BIN)/python scripts/ensure_browser.py

test: setup
	$(BIN)/python -m pytest

# The whole fault matrix (issue 14): every runbook x step x fault, then resume; 110 cases,
# about 29 min on 2 cores (16 s a case). `make test` (CI) runs every step of every runbook
# with one fault each, the kinds in turn: 25 cases, about 7 min.
# The figures of each case go to fault-matrix.jsonl.
faults: setup
	rm -f fault-matrix.jsonl
	FAULT_MATRIX=full FAULT_MATRIX_REPORT=$(CURDIR)/fault-matrix.jsonl $(BIN)/python -m pytest tests/faults -q

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: setup
	$(BIN)/runbook run gravitee-cloud-token --gateway eu-prod-gw --secret-to env:.env.gateway:CLOUD_TOKEN
	@echo
	@echo "The new token is in .env.gateway (mode $$(stat -c %a .env.gateway)), key CLOUD_TOKEN; it was not printed."

# The tool's cost against bare Playwright (bench/README.md); not part of `make test`.
# `runbook docs --all` takes minutes a run: DOCS_RUNS of it (0 leaves the docs out).
RUNS ?= 5
DOCS_RUNS ?= 2
bench: setup
	$(BIN)/python -m bench.startup --runs $(RUNS)
	@echo
	$(BIN)/python -m bench.rotation --runs $(RUNS)
	@echo
	$(BIN)/python -m bench.modes --runs $(RUNS) --docs-runs $(DOCS_RUNS)

sandbox: setup
	$(BIN)/runbook sandbox

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-results

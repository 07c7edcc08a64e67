# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PERIODS := 2026-10 2026-11

.PHONY: demo test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/closekit -w sample_ledgers close $(firstword $(PERIODS))..$(lastword $(PERIODS))
	@echo; $(BIN)/closekit -w sample_ledgers bu $(lastword $(PERIODS))
	@echo; $(BIN)/closekit -w sample_ledgers structure $(lastword $(PERIODS))
	@echo; echo "Reports: $(CURDIR)/sample_ledgers/out/<period>/ (open html/index.html)"
	@echo "closekit is installed in .venv/, not on your PATH: run .venv/bin/closekit, or 'source .venv/bin/activate' first."

# The whole suite, as CI runs it and as a change must pass before it lands.
test: $(STAMP)
	$(BIN)/python -m pytest -q

# A developer's quick run: everything but the long end-to-end tests (marked slow).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check closekit tests
	$(BIN)/ruff format --check closekit tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m closekit.bench
	$(BIN)/python -m closekit.bench_journal
	$(BIN)/python -m closekit.bench_events

clean:
	rm -rf $(VENV) build sample_ledgers/out sample_ledgers/closekit.duckdb*

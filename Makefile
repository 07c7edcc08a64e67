# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PERIODS := 2026-10 2026-11

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@for p in $(PERIODS); do $(BIN)/closekit -w sample_ledgers close $$p || exit $$?; done
	@echo; echo "Management P&L by business unit and profit center, $(lastword $(PERIODS)):"
	@$(BIN)/closekit -w sample_ledgers bu $(lastword $(PERIODS))
	@echo "Reports: $(CURDIR)/sample_ledgers/out/<period>/ (open html/index.html)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check closekit tests
	$(BIN)/ruff format --check closekit tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m closekit.bench
	$(BIN)/python -m closekit.bench_journal

clean:
	rm -rf $(VENV) build sample_ledgers/out sample_ledgers/closekit.duckdb*

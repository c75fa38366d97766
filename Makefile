# `make demo` and `make test` work on a fresh machine that has only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-out
	$(BIN)/exitledger --db sqlite:///demo-out/exitledger.db demo --out demo-out

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# mypy is not a test dependency: installed into the venv on first use.
typecheck: $(STAMP)
	$(BIN)/python -m pip install --quiet 'mypy>=1.10'
	$(BIN)/python -m mypy domain ledger projections cli tests benchmarks

clean:
	rm -rf $(VENV) demo-out *.egg-info

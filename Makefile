# Quick start: `make serve` (install + run on SQLite in ./.cognate) and `make test` (install + whole suite).
# `make test-fast`: the unit and in-process HTTP tests only (no server processes), for the edit-test loop and CI's
# coverage figure (`PYTEST_ARGS=--cov` adds it; the floor is pyproject's [tool.coverage.report] fail_under).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PYTEST_ARGS ?=
FAST_TESTS := tests/unit tests/http

.PHONY: install install-test serve test test-fast lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

install: $(STAMP)

install-test: $(TEST_STAMP)

serve: $(STAMP)
	$(BIN)/cognate serve --demo

test: $(TEST_STAMP)
	$(BIN)/ruff check cognate tests examples scripts
	$(BIN)/mypy
	$(BIN)/mypy scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest $(FAST_TESTS) $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check cognate tests examples scripts

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info

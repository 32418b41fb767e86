# Three commands on a fresh machine: `make run` serves Nexus, `make test` runs the whole suite,
# `make demo` serves it with MovieLens data, a model and a demo account. Each creates .venv and
# installs what it needs from pyproject.toml. `make check` runs the static checks, `make test-fast`
# the tests that need no database (under a minute).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-fast check demo install install-dev lint format migrate bench bench-compare clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/nexus serve --host $(HOST) --port $(PORT)

# DATASET=ml-100k or ml-1m for another release; a second run reuses the download and the import.
DATASET ?= ml-latest-small
demo: install
	$(BIN)/nexus demo --dataset $(DATASET) --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/nexus migrate

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Unit tests and the contract suites' fake halves: no PostgreSQL, Redis or server process.
test-fast: install-dev
	$(BIN)/pytest tests/unit tests/contract -m "not slow and not postgres and not redis" $(PYTEST_ARGS)

# ruff over the whole tree, mypy over app, tests and bench (strict for app/domain), and the
# import contracts (the layers; the domain and model fitting import no framework).
check: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

lint: check

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	$(BIN)/python -m bench

# Side by side with the original Django service: ORIGINAL_DIR=<checkout>, else it is cloned.
bench-compare: install-dev
	$(BIN)/python -m bench.compare_original $(if $(ORIGINAL_DIR),--original-dir $(ORIGINAL_DIR))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

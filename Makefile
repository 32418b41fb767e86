# Three commands on a fresh machine: `make run` serves Nexus, `make test` runs the whole suite,
# `make demo` serves it with MovieLens data, a model and a demo account. Each creates .venv and
# installs what it needs from pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test demo install install-dev lint format migrate bench clean

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

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format app tests

bench: install-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Two commands on a fresh machine: `make run` serves Nexus, `make test` runs the whole suite.
# Both create .venv and install what they need from pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev lint format migrate bench bench-compare clean

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

# Side by side with the original Django service: ORIGINAL_DIR=<checkout>, else it is cloned.
bench-compare: install-dev
	$(BIN)/python -m bench.compare_original $(if $(ORIGINAL_DIR),--original-dir $(ORIGINAL_DIR))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

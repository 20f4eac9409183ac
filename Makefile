# The README's commands. Each sets up a virtual environment in .venv on a fresh
# machine (Python 3.11+ with venv and pip) and is safe to run again.

VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: test setup

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# Lint, format check, type check and the test suite.
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

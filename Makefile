# The README's two commands. Each sets up what it needs on a fresh Debian machine with
# Python 3.11+ (a virtual environment in .venv; Debian packages the tests need) and is
# safe to run again.

VENV ?= .venv
PY := $(VENV)/bin/python
# fonts-wqy-microhei: the embedded CJK font the tests typeset PDFs in;
# tesseract-ocr, tesseract-ocr-chi-sim: OCR of scanned pages; libreoffice-writer-nogui: old .doc/.wps files;
# chromium: the browser the review page is tested in
DEB_PACKAGES := fonts-wqy-microhei tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui chromium

.PHONY: run test setup system-deps

# What running needs: the package and its dependencies, nothing for development.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# What the tests need on top: linters, type checker, test tools, the notebook's kernel and charts.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -q && $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Extract every sample notice in data/raw into data/out.
run: setup
	$(VENV)/bin/gongwen run data/raw -o data/out

# Lint, format check, type check and the test suite.
test: $(VENV)/.installed-dev system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q

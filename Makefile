# The two commands of a fresh machine: `make demo` (install, then the whole
# analysis of data/sample into reports/) and `make test` (install, then the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_NLTK := $(abspath ../shared/nltk_data)
ifeq ($(origin NLTK_DATA), undefined)
ifneq ($(wildcard $(SHARED_NLTK)),)
export NLTK_DATA := $(SHARED_NLTK)
endif
endif
export MPLBACKEND ?= Agg

.PHONY: help install demo test test-fast lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(VENV)/.installed  ## virtualenv + package + dev tools + NLP resources

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/toolkit setup --quiet || true
	touch $@

demo: install  ## the whole analysis of data/sample, written to reports/
	$(BIN)/toolkit run data/sample --out reports/

test: install  ## the whole test suite
	$(BIN)/python -m pytest -q

test-fast: install  ## the tests not marked slow (a couple of minutes)
	$(BIN)/python -m pytest -q -m "not slow"

lint: install  ## ruff
	$(BIN)/ruff check toolkit tests bench tools

bench: install  ## benchmarks against the peers (prints ratios)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:  ## remove the virtualenv and generated reports
	rm -rf $(VENV) reports

.PHONY: screenshots
screenshots: install  ## the report and the JupyterLab explorer in headless Chromium (reports/screenshots/)
	$(BIN)/python tools/screenshots.py --out reports/screenshots

# The two commands of a fresh machine: `make demo` (install, then the whole analysis of
# data/sample into reports/) and `make test` (install, then the tests). Both install the
# tested versions of every dependency from requirements.lock; `make lock` refreshes it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
# NLTK data is copied from here when it exists (machines without internet), else downloaded;
# `toolkit setup` puts it in $(VENV)/nltk_data, where NLTK looks: no NLTK_DATA needed.
SHARED_NLTK := $(wildcard ../shared/nltk_data)
NLTK_FROM := $(if $(SHARED_NLTK),--nltk-from $(SHARED_NLTK))
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest release (then run `make test`).
LOCK_ARGS ?=
export MPLBACKEND ?= Agg

.PHONY: help install demo test test-fast lint bench lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(VENV)/.installed  ## virtualenv + locked dependencies + package + NLP resources

$(VENV)/.installed: $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/toolkit setup --quiet $(NLTK_FROM)
	touch $@

demo: install  ## the whole analysis of data/sample, written to reports/
	$(BIN)/toolkit run data/sample --out reports/

test: install  ## the whole test suite
	$(BIN)/python -m pytest -q

test-fast: install  ## the tests not marked slow, on both cores (under two minutes)
	$(BIN)/python -m pytest -q -m "not slow" -n 2

lint: install  ## ruff
	$(BIN)/ruff check toolkit tests bench tools

bench: install  ## benchmarks against the peers (prints ratios)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

# pip-tools (pip-compile) writes a plain pip requirements file with every version pinned and
# every file hashed: pip installs it as it is (--require-hashes), with this machine's pip
# settings (indexes, proxies), and no other tool is needed to install. Pins already in the
# lock are kept unless LOCK_ARGS=--upgrade; new dependencies get the newest release.
lock:  ## refresh requirements.lock and environment.yml after a change of pyproject.toml
	test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && \
		.venv-lock/bin/python -m pip install --quiet "pip-tools>=7.4,<8")
	.venv-lock/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras \
		--unsafe-package toolkit --no-emit-index-url --no-emit-find-links \
		--output-file $(LOCK) $(LOCK_ARGS) pyproject.toml
	$(PYTHON) tools/environment_yml.py

clean:  ## remove the virtualenvs and generated reports
	rm -rf $(VENV) .venv-lock reports

.PHONY: screenshots
screenshots: install  ## the report and the JupyterLab explorer in headless Chromium (reports/screenshots/)
	$(BIN)/python tools/screenshots.py --out reports/screenshots

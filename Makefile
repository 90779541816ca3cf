# gvb — two entry points for people: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GVB_HOME ?= $(CURDIR)/var

.PHONY: demo test lint system-deps venv clean

# Debian packages the test suite needs (installed with apt-get when missing and run as root).
DEB_PACKAGES ?=

$(STAMP): pyproject.toml constraints.txt
	@./.ci/system-deps.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

## demo: create the virtualenv, generate demo extracts, load them and show the store
demo: $(STAMP)
	$(BIN)/gvb demo --out data_raw

system-deps:
	@./.ci/system-deps.sh $(DEB_PACKAGES)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --disable-progress-bar data_marts

## test: install what the tests need and run the whole suite
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

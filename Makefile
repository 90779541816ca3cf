# gvb — two entry points for people: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GVB_HOME ?= $(CURDIR)/var

.PHONY: demo test lint system-deps venv clean

# Debian packages the test suite needs (installed with apt-get when missing and run as root):
# Debian's Chromium drives the browser tests (Playwright never downloads a browser here) and
# kaleido's charts; Pango and HarfBuzz are WeasyPrint's; poppler-utils reads PDFs back.
DEB_PACKAGES ?= chromium chromium-driver fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 poppler-utils
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(STAMP): pyproject.toml constraints.txt
	@./.ci/system-deps.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

## demo: create the virtualenv, generate demo extracts, publish a demo edition, serve the dashboard
demo: $(STAMP)
	@./.ci/system-deps.sh $(DEB_PACKAGES) || echo "Zonder deze pakketten maakt gvb geen PDF-rapporten; het dashboard werkt wel."
	$(BIN)/gvb demo --out data_raw --serve

system-deps:
	@./.ci/system-deps.sh $(DEB_PACKAGES)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --disable-progress-bar data_marts

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || ./.ci/system-deps.sh npm
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

## test: install what the tests need and run the whole suite
# on every core (pytest-xdist); a test module stays on one worker, so its shared store is built once
# (--dist loadfile: xdist's loadgroup does not group on pytest 9.2, pytest-xdist issue #1386)
test: $(STAMP) system-deps lint $(AXE)
	$(BIN)/python -m pytest -n auto --dist loadfile

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/browser/node_modules

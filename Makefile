# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make site   builds the disclosure site from the shipped data into site/
#   make test   runs the linter, the type checker and every test
# Each creates or reuses the local virtualenv .venv and installs what it needs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test validate serve lint typecheck pytest browser-deps bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/sunshine build

validate: $(STAMP)
	$(BIN)/sunshine validate data

serve: $(STAMP)
	$(BIN)/sunshine serve

test: $(STAMP) browser-deps lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# Headless Chromium for the browser tests (Debian's package: Playwright cannot download
# a browser here) and axe-core from the npm lock file; each installed only when missing.
browser-deps:
	@test -x /usr/bin/chromium || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	@test -f tests/browser/node_modules/axe-core/axe.min.js || \
		npm ci --prefix tests/browser --no-audit --no-fund

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .cache

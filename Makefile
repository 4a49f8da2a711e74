# Safeguard: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else here is what they are made of.

SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
SAFEGUARD := $(BIN)/safeguard
# The demo is a development server on the embedded SQLite database; production runs gunicorn (README).
DEMO_ENV := DEBUG=1
DEMO_CHILDREN ?= 20000
# Tests run with production settings (DEBUG off), a throwaway key, and plain HTTP for the test server.
TEST_ENV := SECRET_KEY=insecure-test-key-not-for-production SECURE_SSL_REDIRECT=0
BENCH ?=

.PHONY: setup demo demo-reset demo-code test lint bench clean

$(PYTHON):
	@py=$$(scripts/find-python) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/build/.built: frontend/node_modules/.installed frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && npm run --silent build
	@touch $@

setup: $(VENV)/.installed frontend/build/.built
	@# Collected with production storage (hashed names and a manifest), which the tests and gunicorn use.
	SECRET_KEY=collectstatic-only $(SAFEGUARD) collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(SAFEGUARD) migrate --noinput --verbosity 0
	@echo "Set up: $(VENV), front-end assets, database migrated."

demo: setup
	$(DEMO_ENV) $(SAFEGUARD) synth --children $(DEMO_CHILDREN) --if-empty
	@echo "Serving Safeguard on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(DEMO_ENV) $(SAFEGUARD) runserver 127.0.0.1:8000

# The code a demo persona's authenticator app shows now: make demo-code PERSONA=socialworker
demo-code:
	@$(DEMO_ENV) $(SAFEGUARD) demo_code $(or $(PERSONA),socialworker)

# Start the demo again from nothing: the demo database is a file under var/, so removing it is the reset.
demo-reset:
	rm -f var/safeguard.sqlite3 var/safeguard.sqlite3-wal var/safeguard.sqlite3-shm
	$(MAKE) demo

test: setup
	@scripts/ensure-chromium
	$(TEST_ENV) $(BIN)/pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks run with production settings against their own database (var/bench/, or DATABASE_URL), which
# holds a synthetic council of BENCH_CHILDREN children (274,000 unless set) with BENCH_YEARS years of history
# (5 unless set), generated on the first run.
BENCH_ENV := SECRET_KEY=insecure-bench-key SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=testserver SAFEGUARD_VAR_DIR=var/bench
bench: setup
	$(BENCH_ENV) $(PYTHON) -m bench $(BENCH)

clean:
	rm -rf $(VENV) frontend/node_modules frontend/build static

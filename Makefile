# Plaint: two commands for a fresh machine.
#   make demo   set up, SQLite under var/, demo data, serve on http://127.0.0.1:8000
#   make test   set up everything the tests need and run the whole suite in tiers
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 55432
PG_DIR := $(CURDIR)/var/pg-test
# Debian packages: PostgreSQL for the test cluster, libmagic for file types.
RUNTIME_DEBS := libmagic1
# dovecot-imapd: the real IMAP server the mailbox tests start on loopback; chromium: the browser
# the page tests drive (Playwright, never `playwright install`).
TEST_DEBS := $(RUNTIME_DEBS) postgresql dovecot-imapd chromium

.PHONY: demo test install lint serve worker clean

# The compiled catalogues (*.mo) are built here, not committed; a changed .po recompiles.
$(BIN)/.installed: pyproject.toml $(wildcard plaint/locale/*/LC_MESSAGES/django.po)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	cd plaint && DJANGO_SETTINGS_MODULE= ../$(BIN)/django-admin compilemessages -v0
	touch $@

# Front-end assets (htmx) come from the npm registry, pinned by package-lock.json, never committed;
# reinstalled when package.json or the lock file is newer than the last install.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(BIN)/.installed node_modules/.installed

demo: install
	scripts/system-deps $(RUNTIME_DEBS)
	$(BIN)/plaint migrate --noinput -v0
	$(BIN)/plaint demo
	$(BIN)/plaint serve --with-worker

serve: install
	$(BIN)/plaint serve --with-worker

worker: install
	$(BIN)/plaint worker

lint: install
	$(BIN)/ruff check plaint benchmarks scripts tests conftest.py

test: install
	scripts/system-deps $(TEST_DEBS)
	$(BIN)/ruff check plaint benchmarks scripts tests conftest.py
	rm -rf $(PG_DIR) var/test-reports
	scripts/pg-cluster start $(PG_DIR) $(PG_PORT)
	status=0; PLAINT_TEST_PG_PORT=$(PG_PORT) $(BIN)/python scripts/test_tiers.py $(TEST_ARGS) || status=$$?; \
	  scripts/pg-cluster stop $(PG_DIR); exit $$status

clean:
	rm -rf $(VENV) var *.egg-info node_modules

# The API benchmark (benchmarks/bench_api.py, writes BENCHMARKS.md): its own durable
# PostgreSQL cluster in /tmp/pg-bench on 127.0.0.1:55450, granian on :55451, wrk; < 10 min.
.PHONY: bench
bench: install
	scripts/system-deps $(TEST_DEBS) wrk
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev,bench]"
	$(BIN)/python benchmarks/bench_api.py $(BENCH_ARGS)

# The clock benchmark (benchmarks/bench_clocks.py): 1,000,000 open complaints with their clocks
# on a durable PostgreSQL in /tmp/pg-bench-clocks on 127.0.0.1:55460; ~12 min.
.PHONY: bench-clocks
bench-clocks: install
	scripts/system-deps $(TEST_DEBS) wrk
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev,bench]"
	$(BIN)/python benchmarks/bench_clocks.py $(BENCH_ARGS)

# The e-mail intake benchmark (benchmarks/bench_email.py): messages per second stored and
# processed, into SQLite and a durable PostgreSQL in /tmp/pg-bench-email on 127.0.0.1:55478; ~2 min.
.PHONY: bench-email
bench-email: install
	scripts/system-deps $(TEST_DEBS) wrk
	$(BIN)/python benchmarks/bench_email.py $(BENCH_ARGS)

# The console benchmark (benchmarks/bench_console.py): the queue and a complaint's page with 100,000
# complaints on a durable PostgreSQL in /tmp/pg-bench-console on 127.0.0.1:55482; ~5 min.
.PHONY: bench-console
bench-console: install
	scripts/system-deps $(TEST_DEBS)
	$(BIN)/python benchmarks/bench_console.py $(BENCH_ARGS)

# The import benchmark (benchmarks/bench_import.py): the CFPB sample and a 50,000-row scaled copy
# into SQLite (production options) and a durable PostgreSQL in /tmp/pg-bench-import on
# 127.0.0.1:55473; rows per second in BENCHMARKS.md; ~3 min.
.PHONY: bench-import
bench-import: install
	scripts/system-deps $(TEST_DEBS) wrk
	$(BIN)/python benchmarks/bench_import.py $(BENCH_ARGS)

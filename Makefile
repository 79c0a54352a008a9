# TELEPATI — two commands:
#   make run    set everything up and start the demo at http://127.0.0.1:8000 (+ worker, scheduler)
#   make test   lint, type-check and run the test suite on SQLite and on a throwaway PostgreSQL
# `make help` lists the other targets.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Loads ./.env for the commands that serve or change the local database (never for tests).
WITH_ENV := scripts/with_env.sh
BASE_STAMP := $(VENV)/.telepati-base.stamp
DEV_STAMP := $(VENV)/.telepati-dev.stamp
NODE_STAMP := node_modules/.telepati.stamp
# Extra arguments for pytest, e.g. `make test-sqlite PYTEST_ARGS="-k healthz -x"`.
PYTEST_ARGS ?=
# Queues the task worker serves; "*" means all of them.
WORKER_QUEUES ?= *
# Whether `make worker` also runs the scheduler of periodic tasks (SLA sweeps): yes or no.
SCHEDULER ?= yes
# Catalogue commands need only LOCALE_PATHS: run them in test mode so that a production
# environment without its secrets does not stop them; skip directories that are not ours.
I18N := TELEPATI_ENV=test $(MANAGE)
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var

.PHONY: help run setup serve worker scheduler assets vardir migrate seed translations messages \
	test lint typecheck test-sqlite test-postgres format lock clean distclean

help:
	@echo "TELEPATI make targets"
	@echo "  make run            install, migrate, load reference + demo data, start web server, worker and scheduler"
	@echo "  make test           ruff, mypy, then pytest on SQLite and on a throwaway PostgreSQL"
	@echo "  make serve          production web server (gunicorn on 0.0.0.0:\$$PORT, default 8000)"
	@echo "  make worker         background task worker (django-tasks-db) + scheduler of periodic tasks (SCHEDULER=no: worker only)"
	@echo "  make scheduler      the scheduler of periodic tasks alone (if it runs apart from the worker)"
	@echo "  make assets         install front-end packages with npm and copy them to var/vendor"
	@echo "  make lint           ruff check + ruff format --check"
	@echo "  make format         apply ruff fixes and formatting"
	@echo "  make typecheck      mypy"
	@echo "  make test-sqlite    pytest on SQLite only"
	@echo "  make test-postgres  pytest on a throwaway PostgreSQL cluster only"
	@echo "  make bench-generate fill benchmark databases with BENCH_REPORTS reports (default 1000000; BENCH_DATABASES=\"sqlite postgresql\")"
	@echo "  make bench-pages    p50/p95 and EXPLAIN of the busiest pages on the benchmark databases (BENCH_ARGS: more options)"
	@echo "  make bench-ingest   signed webhooks against gunicorn on a throwaway PostgreSQL: rate, ack latency, vs a bare view (INGEST_ARGS)"
	@echo "  make bench-pacing   10,000 notices through the task workers to a loopback Graph API at 80/s and 1,000/s (PACING_ARGS)"
	@echo "  make bench-soak     10 min of webhooks at full rate, redelivered 1-3 times, task workers SIGKILLed: 0 lost, 0 doubled (SOAK_ARGS)"
	@echo "  make messages       update locale/*.po (en; Indonesian is the source language) and compile them"
	@echo "  make lock           re-pin requirements/*.txt with hashes (UPGRADE=1 to upgrade)"
	@echo "  make clean          remove caches and installed front-end files"
	@echo "  make distclean      clean + remove .venv and var/ (including the local database)"

# --- Python environment -------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "TELEPATI needs Python 3.11 or newer as '$(PYTHON)' (try: make PYTHON=python3.11 ...)." >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamps record that the pinned requirements are installed; they reinstall only when the
# requirement files change.
$(BASE_STAMP): requirements/base.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --no-input --require-hashes \
		-r requirements/base.txt
	touch $@

$(DEV_STAMP): requirements/base.txt requirements/dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --no-input --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	touch $@ $(BASE_STAMP)

# --- Front-end assets ---------------------------------------------------------------------

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null || { \
		echo "npm not found: install Node.js 20+ with npm to fetch the front-end packages." >&2; \
		exit 1; }
	if [ -f package-lock.json ]; then npm ci; else npm install; fi
	touch $@

# Only the files the templates use are copied (list in the script).
assets: $(NODE_STAMP)
	$(WITH_ENV) scripts/vendor_assets.sh

# --- Development --------------------------------------------------------------------------

translations: $(BASE_STAMP)
	@if [[ -z $$(find . \( -path ./.venv -o -path ./node_modules -o -path ./var \) -prune \
			-o -name '*.po' -print -quit) ]]; then \
		echo "No message catalogues (*.po) yet: nothing to compile."; \
	elif command -v msgfmt >/dev/null; then \
		$(I18N) compilemessages $(I18N_IGNORE); \
	else \
		echo "warning: gettext (msgfmt) is not installed; translations are not compiled." >&2; \
	fi

# The SQLite file lives in TELEPATI_VAR_DIR (default var/), which a fresh clone lacks.
vardir:
	$(WITH_ENV) bash -c 'mkdir -p "$${TELEPATI_VAR_DIR:-var}"'

migrate: $(BASE_STAMP) vardir
	$(WITH_ENV) $(MANAGE) migrate --noinput
	$(WITH_ENV) $(MANAGE) createcachetable

seed: migrate
	$(WITH_ENV) $(MANAGE) seed_reference
	$(WITH_ENV) $(MANAGE) seed_demo

setup: $(BASE_STAMP) assets translations migrate seed

run: setup
	$(WITH_ENV) $(PY) scripts/run_dev.py

# --- Deployment ---------------------------------------------------------------------------
# Set TELEPATI_ENV=production, SECRET_KEY, ALLOWED_HOSTS (see README). gunicorn reads
# config/gunicorn.conf.py: WEB_CONCURRENCY worker processes (default 2) × GUNICORN_THREADS
# threads (default 16); GUNICORN_CMD_ARGS passes any other gunicorn option.

serve: $(BASE_STAMP) assets translations migrate
	$(WITH_ENV) $(MANAGE) collectstatic --noinput
	$(WITH_ENV) bash -c 'exec $(VENV)/bin/gunicorn --config config/gunicorn.conf.py \
		config.wsgi:application --bind "0.0.0.0:$${PORT:-8000}"'

# The task worker (RQ's worker when TASKS_BACKEND=rq, otherwise django-tasks-db's) and the
# scheduler that enqueues the periodic tasks, under one supervisor (scripts/run_dev.py): a
# stop signal stops both, and if either dies the other is stopped and the target fails, so a
# process manager restarts the pair. Several workers with the scheduler are harmless (the
# periodic tasks claim their rows); SCHEDULER=no runs the worker alone.
worker: $(BASE_STAMP)
	$(WITH_ENV) env WORKER_QUEUES='$(WORKER_QUEUES)' $(PY) scripts/run_dev.py worker \
		$(if $(filter yes,$(SCHEDULER)),scheduler)

scheduler: $(BASE_STAMP)
	$(WITH_ENV) $(MANAGE) run_scheduler

# --- Quality ------------------------------------------------------------------------------

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy .

# Browser tests and the page-weight test need the front-end files (htmx, Leaflet, Chart.js).
# The suite always runs on the default SQLite configuration first, whatever DATABASE_URL the
# shell has; pytest's exit code 5 ("no tests collected") fails the target like any other.
test-sqlite: $(DEV_STAMP) translations assets
	env -u DATABASE_URL TELEPATI_ENV=test $(VENV)/bin/pytest $(PYTEST_ARGS)

# TELEPATI_TEST_PG=required fails when PostgreSQL binaries are missing (default: skip).
test-postgres: $(DEV_STAMP) translations assets
	TELEPATI_ENV=test scripts/test_postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

test: $(DEV_STAMP)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# --- Benchmarks: pages at a million reports (docs/performance.md) -------------------------
# Never the dev database: SQLite in var/bench/, PostgreSQL in a throwaway cluster that
# bench/pg.sh keeps under var/bench/pg (`bench/pg.sh stop`; delete the folder to discard).
BENCH_DATABASES ?= sqlite postgresql
BENCH_REPORTS ?= 1000000
BENCH_ARGS ?=

.PHONY: bench-generate bench-pages

bench-generate: $(BASE_STAMP)
	for db in $(BENCH_DATABASES); do \
		if [[ $$db == postgresql ]]; then bench/pg.sh start >/dev/null; fi; \
		$(PY) bench/generate.py --database "$$db" --reports $(BENCH_REPORTS); \
	done

bench-pages: $(BASE_STAMP)
	for db in $(BENCH_DATABASES); do \
		if [[ $$db == postgresql ]]; then bench/pg.sh start >/dev/null; fi; \
		$(PY) bench/pages.py --database "$$db" $(BENCH_ARGS); \
	done

# --- Benchmarks: webhook ingest and outbox pacing (docs/performance.md) --------------------
# Each starts and removes its own durable PostgreSQL cluster, unless BENCH_DATABASE_URL names
# an empty database to use instead; pacing also runs on a temporary SQLite file.
INGEST_ARGS ?=
PACING_ARGS ?=

.PHONY: bench-ingest bench-pacing

bench-ingest: $(BASE_STAMP)
	$(PY) bench/ingest.py $(INGEST_ARGS)

bench-pacing: $(BASE_STAMP)
	$(PY) bench/pacing.py $(PACING_ARGS)

# Reliability soak (docs/reliability.md), e.g. SOAK_ARGS="--minutes 2 --kill-every 30".
SOAK_ARGS ?=

.PHONY: bench-soak

bench-soak: $(BASE_STAMP)
	$(PY) bench/soak.py $(SOAK_ARGS)

# --- Maintenance --------------------------------------------------------------------------

messages: $(BASE_STAMP)
	$(I18N) makemessages -l en --no-obsolete $(I18N_IGNORE)
	$(I18N) compilemessages $(I18N_IGNORE)

lock:
	PYTHON=$(PYTHON) UPGRADE=$(UPGRADE) scripts/lock.sh

clean:
	rm -rf node_modules var/vendor var/static .pytest_cache .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var

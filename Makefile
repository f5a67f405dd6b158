# Everyday tasks. `make test` runs SQLite only unless TRACKER_TEST_DATABASE_URL is set;
# `make bench` adds PostgreSQL when TRACKER_BENCH_DATABASE_URL is set.
PY ?= .venv/bin/python
SCALE ?= small

.PHONY: help install test lint format-check format bench bench-json

help:
	@echo "make install     create .venv and install tracker with the test tools"
	@echo "make test        run the test suite (pytest)"
	@echo "make lint        ruff check (as CI does)"
	@echo "make format-check  would ruff format change anything?"
	@echo "make format      apply ruff's fixes and formatting"
	@echo "make bench       benchmarks (SCALE=small|medium|large, default small)"
	@echo "make bench-json  the same, as JSON"

install:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'

test:
	$(PY) -m pytest -q

lint:  # what .ci/run checks
	$(PY) -m ruff check tracker tests bench

format-check:
	$(PY) -m ruff format --check tracker tests bench

format:
	$(PY) -m ruff check --fix tracker tests bench
	$(PY) -m ruff format tracker tests bench

bench:
	$(PY) -m bench --scale $(SCALE)

bench-json:
	$(PY) -m bench --scale $(SCALE) --json

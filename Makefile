PY ?= .venv/bin/python

.PHONY: bench bench-sqlite bench-postgres bench-http

## Orders/s through order_place beside the raw SQL floor, one process (bench/README.md).
bench: bench-sqlite bench-postgres

bench-sqlite:
	$(PY) -m bench.orders --db sqlite

bench-postgres:
	$(PY) -m bench.orders --db postgres --orders 2000

## HTTP order placement on PostgreSQL with concurrent clients (needs pgbench).
bench-http:
	$(PY) -m bench.api_http

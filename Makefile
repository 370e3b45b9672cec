PY ?= .venv/bin/python

.PHONY: bench bench-sqlite bench-sqlite-durability bench-postgres bench-http bench-pages bench-imports bench-webhooks bench-stock-sync

## Orders/s through order_place beside the raw SQL floor, one process (bench/README.md).
bench: bench-sqlite bench-postgres

bench-sqlite:
	$(PY) -m bench.orders --db sqlite

## SQLite orders with the durable default (synchronous=FULL) and the opt-in NORMAL, alternating.
bench-sqlite-durability:
	for mode in FULL NORMAL FULL NORMAL; do SQLITE_SYNCHRONOUS=$$mode $(PY) -m bench.orders --db sqlite --rounds 3 || exit 1; done

bench-postgres:
	$(PY) -m bench.orders --db postgres --orders 2000

## HTTP order placement on PostgreSQL with concurrent clients (needs pgbench).
bench-http:
	$(PY) -m bench.api_http

## Dashboard and storefront pages at 100,000 products (server time).
bench-pages:
	$(PY) -m bench.dashboard
	$(PY) -m bench.storefront --db sqlite
	$(PY) -m bench.storefront --db postgres

## CSV preview and apply, 5,000 and 50,000 rows, SQLite and PostgreSQL (add --sizes 1000000 for memory).
bench-imports:
	$(PY) -m bench.imports

## Webhook delivery rate of one worker, and a 5,000-row import's events reaching two endpoints.
bench-webhooks:
	$(PY) -m bench.webhooks

## A 5,000-SKU stock sync batch over HTTP beside 5,000 single PATCHes, SQLite then PostgreSQL.
bench-stock-sync:
	$(PY) -m bench.stock_sync

"""Batch stock sync over HTTP beside the same sync as single PATCHes, in the same run.

    .venv/bin/python -m bench.stock_sync [--items 5000] [--rounds 3]   (SQLite, then PostgreSQL)
    .venv/bin/python -m bench.stock_sync --db sqlite|postgres

For each database: a fresh migrated database, a company with `items` products, gunicorn
(one worker, one thread); then, alternating in rounds, one POST /api/v1/stock-updates `set`
batch of every SKU where 10 % of the stocks change, and the same sync as `items` PATCH
/api/v1/products/{id} requests over one keep-alive connection (what an ERP had to do before).
Prints each side's seconds per sync and their ratio (issue 15: the batch at least 50× faster,
under 1 s on PostgreSQL).
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.imports import database_prepare

ROOT = Path(__file__).resolve().parents[1]


def _seed(url: str, items: int) -> tuple[str, list[tuple[str, str]]]:
    """An API key and `items` (id, sku) products at stock 10 (setup, written in bulk)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stockline.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.db import connection

    from stockline.accounts.services import company_create
    from stockline.api.keys import SCOPE_VALUES, api_key_create
    from stockline.audit.actors import Actor
    from stockline.catalog.models import Product

    company, owner = company_create(name="Sync Co", owner_email="sync@example.com", owner_password="x" * 12)
    products = Product.objects.bulk_create(
        [
            Product(company=company, sku=f"S-{i:05d}", name=f"Synced {i}", price=Decimal("5.00"), stock=10)
            for i in range(items)
        ]
    )
    _, key = api_key_create(actor=Actor.staff(owner), name="bench", scopes=sorted(SCOPE_VALUES))
    connection.close()
    return key, [(str(p.id), p.sku) for p in products]


def _send(conn, method: str, path: str, key: str, body: dict) -> int:
    conn.request(
        method,
        "/api/v1" + path,
        body=json.dumps(body),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    response.read()
    return response.status


def _levels(products, round_: int) -> list[int]:
    """The stocks of this round: 10 % of the products move to a new level."""
    return [10 + round_ if i % 10 == 0 else 10 for i in range(len(products))]


def _batch(conn, key, products, round_: int) -> float:
    levels = _levels(products, round_)
    items = [{"sku": sku, "stock": s} for (_, sku), s in zip(products, levels, strict=True)]
    started = time.perf_counter()
    status = _send(conn, "POST", "/stock-updates", key, {"mode": "set", "items": items})
    seconds = time.perf_counter() - started
    assert status == 200, status
    return seconds


def _patches(conn, key, products, round_: int) -> float:
    started = time.perf_counter()
    for (product_id, _), s in zip(products, _levels(products, round_), strict=True):
        status = _send(conn, "PATCH", f"/products/{product_id}", key, {"stock": s})
        assert status == 200, status
    return time.perf_counter() - started


def run_one(db: str, items: int, rounds: int) -> None:
    url = database_prepare(db, "stockline_bench_sync")
    key, products = _seed(url, items)
    sys.path.insert(0, str(ROOT))
    from tests.support.gunicorn import gunicorn_server

    with gunicorn_server(workers=1, database_url=url) as base:
        conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=300)
        _batch(conn, key, products, 0)  # warm-up (and the levels of round 0)
        batches, patches = [], []
        for r in range(1, rounds + 1):
            batches.append(_batch(conn, key, products, 2 * r))
            patches.append(_patches(conn, key, products, 2 * r + 1))
    batch, patch = statistics.median(batches), statistics.median(patches)
    print(
        f"{db:10} {items:,} SKUs, 10 % changing, {rounds} alternating rounds: "
        f"one batch {batch:.3f} s (rounds {', '.join(f'{b:.3f}' for b in batches)}); "
        f"{items:,} PATCHes {patch:.1f} s (rounds {', '.join(f'{p:.1f}' for p in patches)}); "
        f"batch {patch / batch:.0f}x faster",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.db:
        run_one(args.db, args.items, args.rounds)
        return
    for db in ("sqlite", "postgres"):  # one process each: Django is set up once per process
        command = [sys.executable, "-m", "bench.stock_sync", "--db", db, "--items", str(args.items)]
        subprocess.run([*command, "--rounds", str(args.rounds)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()

"""Orders per second through order_place, one process and one thread, beside the raw SQL floor.

    .venv/bin/python -m bench.orders --db sqlite      (file database in a temp dir, WAL)
    .venv/bin/python -m bench.orders --db postgres    (database stockline_bench, recreated)
    options: --orders 3000 --warmup 300 --rounds 6 --profile

Migrates a fresh database, creates a company and 200 products through the services, then
places 3-line DASHBOARD orders three ways, alternating in rounds so load from other processes
hits all alike: through order_place; as the same writes with the raw DB-API driver on its own
connection (the floor, bench/floor.py); and as that same SQL through Django's connection.
Prints orders/s for each, the service/floor time ratio and statements per order, and checks
that every product's ledger still reconciles afterwards.
"""

import argparse
import atexit
import cProfile
import os
import platform
import pstats
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from uuid import UUID

from bench.floor import (
    STATEMENTS_PER_ORDER,
    PostgresOrderWriter,
    PostgresThroughDjango,
    SqliteOrderWriter,
    SqliteThroughDjango,
)

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
PG_DB = "stockline_bench"
PRODUCTS = 200
LINES = 3


def database_prepare(db: str) -> str:
    """Point Django at a fresh database of this kind and migrate it; returns its location."""
    if db == "sqlite":
        directory = tempfile.mkdtemp(prefix="stockline-bench-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        path = str(Path(directory) / "bench.sqlite3")
        url = f"sqlite:///{path}"
    else:
        for sql in (f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}"):
            subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)
        path = url = f"{PG}/{PG_DB}"
    os.environ.update(
        DATABASE_URL=url, DJANGO_SETTINGS_MODULE="stockline.settings", DEBUG="0", LOG_LEVEL="WARNING"
    )
    os.environ["FAST_PASSWORD_HASHER"] = "1"  # one owner password; not what is measured
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return path


def fixture_create():
    from decimal import Decimal

    from stockline.accounts.services import company_create
    from stockline.audit.actors import Actor
    from stockline.catalog.services import product_create
    from stockline.core.channels import Channel

    _, owner = company_create(name="Bench Co", owner_email="bench@example.com", owner_password="x" * 12)
    actor = Actor.staff(owner)
    ids = [
        product_create(
            actor=actor,
            channel=Channel.CLI,
            name=f"Bench product {i}",
            sku=f"B-{i:05d}",
            price=Decimal("9.99") + i,
            stock=1_000_000_000,
        ).id
        for i in range(PRODUCTS)
    ]
    return actor, ids


def plans(ids: list[UUID], count: int, seed: int) -> list[list[tuple[UUID, int]]]:
    rng = random.Random(seed)
    return [[(pid, rng.randint(1, 3)) for pid in rng.sample(ids, LINES)] for _ in range(count)]


def service_placer(actor):
    from stockline.core.channels import Channel
    from stockline.orders.services import OrderLineInput, order_place

    def place(lines):
        order_place(
            actor=actor,
            channel=Channel.DASHBOARD,
            lines=[OrderLineInput(product_id=pid, quantity=q) for pid, q in lines],
        )

    return place


def floor_writers(db: str, location: str, actor):
    """(raw DB-API, same SQL through Django's connection) writers for this database."""
    common = {
        "location": location,
        "company_id": actor.company_id,
        "user_id": actor.user_id,
        "label": actor.label,
    }
    if db == "sqlite":
        return SqliteOrderWriter(**common), SqliteThroughDjango(**common)
    return PostgresOrderWriter(**common), PostgresThroughDjango(**common)


def timed(place, batch) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time moves less when other VMs on the
    host take the processor, so it is the steadier figure for comparing changes."""
    t0, c0 = time.perf_counter(), time.process_time()
    for lines in batch:
        place(lines)
    return time.perf_counter() - t0, time.process_time() - c0


def service_statements_per_order(place, batch) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for lines in batch:
            place(lines)
    return len(captured) / len(batch)


def ledgers_reconcile(company_id) -> bool:
    from stockline.catalog.ledger import ledger_reconciles
    from stockline.catalog.models import Product

    return all(ledger_reconciles(p) for p in Product.objects.filter(company_id=company_id))


def database_label(db: str) -> str:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if db == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (file, WAL, synchronous={settings.SQLITE_SYNCHRONOUS})"
        cursor.execute("SELECT current_setting('server_version'), current_setting('synchronous_commit')")
        version, synchronous_commit = cursor.fetchone()
        return f"PostgreSQL {version.split()[0]} (127.0.0.1, synchronous_commit={synchronous_commit})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--orders", type=int, default=3000, help="timed orders per side")
    parser.add_argument("--warmup", type=int, default=300, help="untimed orders per side first")
    parser.add_argument("--rounds", type=int, default=6, help="alternating blocks of every side")
    parser.add_argument("--profile", action="store_true", help="cProfile the service side, print the top")
    args = parser.parse_args()

    location = database_prepare(args.db)
    actor, ids = fixture_create()
    raw, through_django = floor_writers(args.db, location, actor)
    vendor = "sqlite" if args.db == "sqlite" else "postgresql"
    sides = {  # name: (placer, statements per order)
        "service": (service_placer(actor), None),
        "django": (through_django.place, STATEMENTS_PER_ORDER[vendor]),
        "floor": (raw.place, STATEMENTS_PER_ORDER[vendor]),
    }
    per_round = args.orders // args.rounds
    seconds = dict.fromkeys(sides, 0.0)
    cpu = dict.fromkeys(sides, 0.0)
    best = dict.fromkeys(sides, 0.0)
    profiler = cProfile.Profile() if args.profile else None

    for i, (place, _) in enumerate(sides.values()):
        timed(place, plans(ids, args.warmup, seed=i))
    for r in range(args.rounds):
        for i, (name, (place, _)) in enumerate(sides.items()):
            if profiler and name == "service":
                profiler.enable()
            t, c = timed(place, plans(ids, per_round, seed=100 * (r + 1) + i))
            if profiler and name == "service":
                profiler.disable()
            seconds[name] += t
            cpu[name] += c
            best[name] = max(best[name], per_round / t)
    service_statements = service_statements_per_order(sides["service"][0], plans(ids, 50, seed=99))
    reconciled = ledgers_reconcile(actor.company_id)

    orders = per_round * args.rounds
    print(
        f"{LINES}-line DASHBOARD orders, one process, one thread: {database_label(args.db)}; "
        f"{orders} orders per side after {args.warmup} warm-up, {args.rounds} alternating rounds; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    labels = {
        "service": "order_place (the service)     ",
        "django": "floor SQL via Django's cursor ",
        "floor": "raw SQL floor (DB-API driver) ",
    }
    for name, (_, statements) in sides.items():
        rate = orders / seconds[name]
        print(
            f"  {labels[name]} {rate:6.0f} orders/s  {1000 / rate:6.3f} ms/order  "
            f"(CPU {1000 * cpu[name] / orders:5.3f} ms)  best round {best[name]:6.0f}/s  "
            f"{statements or service_statements:4.1f} statements/order"
        )
    print(
        f"  ratio service/floor time {seconds['service'] / seconds['floor']:.2f}x, CPU "
        f"{cpu['service'] / cpu['floor']:.2f}x  (Django's cursor + atomic alone: "
        f"{seconds['django'] / seconds['floor']:.2f}x, CPU {cpu['django'] / cpu['floor']:.2f}x)"
    )
    print(f"  ledger reconciles for all {PRODUCTS} products: {'yes' if reconciled else 'NO'}")
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
            int(os.environ.get("BENCH_TOP", "30"))
        )
    if not reconciled:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

"""Server time of the dashboard's busiest pages with 100,000 products, on SQLite.

    .venv/bin/python -m bench.dashboard            options: --products 100000 --runs 30

Migrates a fresh file database in a temp dir, creates a company whose 100,000 products are in
every stock state, each with a description (bulk-inserted: the data, not the insert, is under
test) beside a second
company with 20,000 products of its own, places a few hundred orders through order_place for
the orders list and the activity feed, then requests each page through Django's test client
as the OWNER and prints the median and 90th percentile in ms. Target: under 150 ms each.
"""

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

TARGET_MS = 150
PAGES = [
    ("home (health panel + activity)", "/dashboard"),
    ("inventory, first page", "/dashboard/inventory"),
    ("inventory, low stock & active", "/dashboard/inventory?status=LOW_STOCK&active=active"),
    ("inventory, search", "/dashboard/inventory?q=widget"),
    ("inventory, search a SKU (one match)", "/dashboard/inventory?q=SKU-054321"),
    ("inventory, page 1000", "/dashboard/inventory?page=1000"),
    ("inventory, newest first", "/dashboard/inventory?sort=newest"),
    ("orders", "/dashboard/orders"),
    ("new order picker, search", "/dashboard/orders/new/products?q=widget"),
]
WORDS = ["widget", "tape", "box", "pallet", "glove", "label", "film", "bag", "roll", "sheet", "wrap", "strap"]


def database_prepare() -> str:
    path = str(Path(tempfile.mkdtemp(prefix="stockline-bench-dash-")) / "bench.sqlite3")
    django_setup(f"sqlite:///{path}")
    return path


def django_setup(database_url: str) -> None:
    """Point Django at `database_url` (production-like settings) and migrate it."""
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="stockline.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        FAST_PASSWORD_HASHER="1",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def products_insert(company, count: int, rng: random.Random) -> None:
    from stockline.catalog.models import Product

    def product(i: int) -> Product:
        roll = rng.random()
        stock = 0 if roll < 0.1 else rng.randint(1, 5) if roll < 0.25 else rng.randint(6, 5000)
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i:06d}"
        return Product(
            company=company,
            name=name,
            # A real catalog describes its products: searches that read descriptions, and scans of
            # the whole table, cost what they would.
            description=f"{name}, sold to the trade by the case or pallet.",
            sku=f"SKU-{i:06d}",
            category=f"Category {i % 20}",
            price=Decimal(rng.randint(50, 50000)) / 100,
            stock=stock,
            low_stock_threshold=10 if i % 17 == 0 else None,
            is_active=i % 20 != 0,
        )

    batch = 5000
    for start in range(0, count, batch):
        Product.objects.bulk_create([product(i) for i in range(start, min(start + batch, count))])


def fixture_create(products: int):
    from stockline.accounts.services import company_create
    from stockline.audit.actors import Actor
    from stockline.catalog.models import Product
    from stockline.core.channels import Channel
    from stockline.orders.services import OrderLineInput, order_place, order_status_change

    rng = random.Random(7)
    company, owner = company_create(name="Bench Co", owner_email="bench@example.com", owner_password="x" * 12)
    other, _ = company_create(name="Other Co", owner_email="other@example.com", owner_password="x" * 12)
    products_insert(company, products, rng)
    products_insert(other, 20_000, rng)
    actor = Actor.staff(owner)
    stocked = list(
        Product.objects.filter(company=company, is_active=True, stock__gt=100).values_list("id", flat=True)[
            :600
        ]
    )
    for i in range(300):
        order = order_place(
            actor=actor,
            channel=Channel.DASHBOARD,
            lines=[OrderLineInput(pid, rng.randint(1, 5)) for pid in rng.sample(stocked, 3)],
        ).order
        if i % 3 == 0:
            order_status_change(actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status="CONFIRMED")
    return owner


def page_time(client, url: str, runs: int) -> tuple[float, float]:
    for _ in range(3):  # warm caches and the connection
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def pages_report(client, pages: list[tuple[str, str]], runs: int, target_ms: float) -> None:
    """Median and p90 server time of each page, and the slowest median against the target."""
    width = max(len(name) for name, _ in pages)
    print(f"{'page':<{width}}  {'median ms':>9}  {'p90 ms':>7}")
    worst = 0.0
    for name, url in pages:
        median, p90 = page_time(client, url, runs)
        worst = max(worst, median)
        print(f"{name:<{width}}  {median:>9.1f}  {p90:>7.1f}")
    verdict = "within" if worst < target_ms else "OVER"
    print(f"\nslowest median {worst:.1f} ms: {verdict} the {target_ms} ms target")


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: collectstatic not run
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    path = database_prepare()
    started = time.perf_counter()
    owner = fixture_create(args.products)
    print(f"SQLite {path}: {args.products:,} products (+20,000 in another company), 300 orders")
    print(f"fixture built in {time.perf_counter() - started:.1f} s; {args.runs} timed requests per page\n")

    from django.test import Client

    client = Client()
    client.force_login(owner.user)
    pages_report(client, PAGES, args.runs, TARGET_MS)
    shutil.rmtree(Path(path).parent, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Server time of the storefront catalog with 100,000 products, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.storefront --db sqlite      (file database in a temp dir, WAL)
    .venv/bin/python -m bench.storefront --db postgres    (database stockline_bench_store, recreated)
    options: --products 100000 --runs 30 --explain

Migrates a fresh database, creates a store whose 100,000 products are in every stock state,
in 20 categories, 5% of them inactive, each with a description (bench.dashboard's rows;
bulk-inserted: the data, not the insert, is under test), beside a second store with 20,000
products of its own; signs a customer in with ten products in the cart; then requests each
page through Django's test client (middleware, session, queries and template) and prints
the median and 90th percentile in ms.
Target: under 100 ms per page.
"""

import argparse
import random
import subprocess
import tempfile
import time
from pathlib import Path

from bench.dashboard import django_setup, pages_report, products_insert

TARGET_MS = 100
PG = "postgres://postgres@127.0.0.1:5432"
PG_DB = "stockline_bench_store"
PASSWORD = "bench-password"


def pages(slug: str, product_id) -> list[tuple[str, str]]:
    store = f"/store/{slug}"
    return [
        ("catalog, first page", f"{store}/catalog"),
        ("catalog, page 2", f"{store}/catalog?page=2"),
        ("catalog, page 2000 (deep)", f"{store}/catalog?page=2000"),
        ("catalog, last page", f"{store}/catalog?page=9999"),
        ("catalog, one category", f"{store}/catalog?category=Category+7"),
        ("catalog, one category, last page", f"{store}/catalog?category=Category+7&page=9999"),
        ("catalog, search, page 40 (the last)", f"{store}/catalog?q=glove&page=40"),
        ("catalog, search a common word", f"{store}/catalog?q=glove"),
        ("catalog, search a SKU (one match)", f"{store}/catalog?q=SKU-054321"),
        ("catalog, search a category name", f"{store}/catalog?q=category+13"),
        ("product page", f"{store}/products/{product_id}"),
        ("cart (10 lines)", f"{store}/cart"),
    ]


def database_prepare(db: str) -> str:
    if db == "sqlite":
        path = str(Path(tempfile.mkdtemp(prefix="stockline-bench-store-")) / "bench.sqlite3")
        url = f"sqlite:///{path}"
    else:
        for sql in (f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}"):
            subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)
        path = url = f"{PG}/{PG_DB}"
    django_setup(url)
    return path


def fixture_create(products: int):
    from django.db import connection

    from stockline.accounts.services import company_create
    from stockline.audit.actors import Actor
    from stockline.catalog.models import Product
    from stockline.core.channels import Channel
    from stockline.customers.services import customer_create
    from stockline.storefront.cart import cart_add

    rng = random.Random(7)
    company, owner = company_create(
        name="Bench Store", owner_email="bench@example.com", owner_password="x" * 12
    )
    other, _ = company_create(name="Other Store", owner_email="other@example.com", owner_password="x" * 12)
    products_insert(company, products, rng)
    products_insert(other, 20_000, rng)
    if connection.vendor == "postgresql":  # as autovacuum would have: statistics, visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    customer = customer_create(
        actor=Actor.staff(owner),
        channel=Channel.CLI,
        email="buyer@example.com",
        name="Bench Buyer",
        password=PASSWORD,
    )
    stocked = list(Product.objects.filter(company=company, is_active=True, stock__gt=10)[:10])
    for product in stocked:
        cart_add(customer=customer, product_id=product.id, quantity=2)
    return company, customer, stocked[0].id


def explain(client, url: str) -> None:
    """Print each query of one request with its plan (to see which index it uses)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    print(f"\n== {url}")
    for query in captured.captured_queries:
        if not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            plan = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
        print(f"-- {query['sql'][:140]}\n   " + "\n   ".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print query plans of each page")
    args = parser.parse_args()

    path = database_prepare(args.db)
    started = time.perf_counter()
    company, customer, product_id = fixture_create(args.products)
    print(f"{args.db} {path}: {args.products:,} products (+20,000 in another store)")
    print(f"fixture built in {time.perf_counter() - started:.1f} s; {args.runs} timed requests per page\n")

    from django.test import Client

    client = Client()
    response = client.post(f"/store/{company.slug}/login", {"email": customer.email, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    urls = pages(company.slug, product_id)
    if args.explain:
        for _, url in urls:
            explain(client, url)
        return
    pages_report(client, urls, args.runs, TARGET_MS)


if __name__ == "__main__":
    main()

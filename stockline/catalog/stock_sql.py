"""The race-free stock decrement: a conditional UPDATE ... RETURNING.

The WHERE clause is the check and the SET is the write, in one statement: no
read-then-write in Python, so concurrent orders can never sell more than there is. The
statement also takes the row lock (held to commit) and hands back the locked row's price
and name, which are frozen onto the order line.

PostgreSQL: one statement per product, in primary-key order, so two orders over the same
products lock them in the same order and cannot deadlock (a multi-row UPDATE locks in
whatever order its plan visits rows). SQLite: BEGIN IMMEDIATE already holds the only write
lock, so every product of the order goes in one statement.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.db import connection

from stockline.catalog.models import Product

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class TakenStock:
    product_id: UUID
    stock_after: int
    name: str
    sku: str | None
    price: Decimal
    threshold_override: int | None


def _uuid_param(value: UUID):
    return Product._meta.pk.get_db_prep_value(value, connection)


def stock_take_many(
    *, company_id: UUID, wanted: dict[UUID, int], now: datetime
) -> tuple[list[TakenStock], list[UUID]]:
    """Take every quantity that is there: (what was taken in pk order, the product ids whose
    update matched nothing). The caller rolls back when the second list is not empty."""
    if connection.vendor != "sqlite":
        taken, failed = [], []
        for product_id, quantity in sorted(wanted.items()):
            result = stock_take(company_id=company_id, product_id=product_id, quantity=quantity, now=now)
            if result is None:
                failed.append(product_id)
            else:
                taken.append(result)
        return taken, failed
    table = connection.ops.quote_name(Product._meta.db_table)
    sql = (
        f"UPDATE {table} SET stock = stock - w.column2, updated_at = %s "  # noqa: S608
        f"FROM (VALUES {', '.join(['(%s, %s)'] * len(wanted))}) AS w "
        f"WHERE {table}.id = w.column1 AND company_id = %s AND is_active AND stock >= w.column2 "
        "RETURNING id, stock, name, sku, price, low_stock_threshold"
    )
    by_hex = {product_id.hex: product_id for product_id in wanted}
    params = [connection.ops.adapt_datetimefield_value(now)]
    for product_id, quantity in wanted.items():
        params += [product_id.hex, quantity]
    params.append(company_id.hex)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    taken = sorted((_taken(by_hex[row[0]], *row[1:]) for row in rows), key=lambda t: t.product_id)
    done = {t.product_id for t in taken}
    return taken, sorted(pid for pid in wanted if pid not in done)


def _taken(product_id: UUID, stock_after, name, sku, price, threshold) -> TakenStock:
    return TakenStock(
        product_id=product_id,
        stock_after=stock_after,
        name=name,
        sku=sku,
        price=Decimal(str(price)).quantize(_CENT),
        threshold_override=threshold,
    )


def stock_take(*, company_id: UUID, product_id: UUID, quantity: int, now: datetime) -> TakenStock | None:
    """Remove `quantity` units if that many are there; None (and no write) otherwise."""
    table = connection.ops.quote_name(Product._meta.db_table)
    sql = (
        f"UPDATE {table} SET stock = stock - %s, updated_at = %s "  # noqa: S608
        "WHERE id = %s AND company_id = %s AND is_active AND stock >= %s "
        "RETURNING stock, name, sku, price, low_stock_threshold"
    )
    params = [
        quantity,
        connection.ops.adapt_datetimefield_value(now),
        _uuid_param(product_id),
        _uuid_param(company_id),
        quantity,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _taken(product_id, *row)

"""The race-free stock decrement on SQLite: one conditional UPDATE ... RETURNING for every
product of an order.

The WHERE clause is the check and the SET is the write, in one statement: no
read-then-write in Python, so concurrent orders can never sell more than there is (BEGIN
IMMEDIATE already holds the only write lock). The statement hands back the updated rows'
price and name, which are frozen onto the order lines, the company's default low-stock
threshold, and one value the caller asks for (order_place: the order's number), each
computed once: one round trip fewer per order.

PostgreSQL takes the whole order in one statement instead (orders.place_postgresql), its
rows locked in primary-key order."""

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections

from stockline.accounts.models import Company
from stockline.catalog.models import Product
from stockline.core.direct import execute

_CENT = Decimal("0.01")


class TakenStock(NamedTuple):  # a tuple: made three times per order, in a third of a dataclass's time
    product_id: UUID
    stock_after: int
    name: str
    sku: str | None
    price: Decimal
    threshold_override: int | None


@dataclass(frozen=True, slots=True)
class StockTaken:
    """What was taken, in pk order; the product ids whose rows matched nothing (missing,
    inactive or short: the caller rolls back when there are any); and, when anything was
    taken, the company's default threshold and the value of the caller's `also` expression."""

    taken: list[TakenStock]
    failed: list[UUID]
    company_threshold: int | None = None
    also: object = None


_SQLITE = """
WITH wanted (id, quantity) AS (VALUES {rows})
UPDATE {table} SET stock = stock - w.quantity, updated_at = %(now)s
FROM wanted w
WHERE {table}.id = w.id AND company_id = %(company)s AND is_active AND stock >= w.quantity
RETURNING id, stock, name, sku, price, low_stock_threshold, {once}
"""


# Uncorrelated scalar subqueries: evaluated once per statement (a subroutine SQLite runs
# once), and not at all when no row is returned.
_ONCE = "(SELECT low_stock_threshold FROM {company} WHERE id = %(company)s), ({also})"


@functools.cache
def stock_take_statement(vendor: str, products: int, also: str = "NULL") -> str:
    """The statement for an order of `products` products (named parameters: company, now,
    id0, quantity0, ..., and those of `also`); bench/floor.py runs it too."""
    if vendor != "sqlite":
        raise NotImplementedError(f"{vendor}: orders.place_postgresql writes the whole order")
    quote = connection.ops.quote_name
    table = quote(Product._meta.db_table)
    once = _ONCE.format(company=quote(Company._meta.db_table), also=also)
    rows = ", ".join(f"(%(id{i})s, %(quantity{i})s)" for i in range(products))
    return _SQLITE.format(table=table, rows=rows, once=once)


def stock_take(
    *, company_id: UUID, wanted: dict[UUID, int], now: datetime, also: tuple[str, dict] = ("NULL", {})
) -> StockTaken:
    """Take every quantity that is there, in the caller's BEGIN IMMEDIATE transaction (SQLite).
    `also`: an SQL query of one value (with its named parameters, and no side effect) the
    statement evaluates once and hands back."""
    db = connections[DEFAULT_DB_ALIAS]
    to_param = Product._meta.pk.get_db_prep_value
    by_param = {to_param(product_id, db): product_id for product_id in wanted}
    also_sql, also_params = also
    params = {
        **also_params,
        "company": to_param(company_id, db),
        "now": db.ops.adapt_datetimefield_value(now),
    }
    for i, (key, quantity) in enumerate(zip(by_param, wanted.values(), strict=True)):
        params[f"id{i}"], params[f"quantity{i}"] = key, quantity
    rows = execute(stock_take_statement(db.vendor, len(wanted), also_sql), params, fetch=True, connection=db)
    taken = sorted(
        [
            TakenStock(by_param[row[0]], row[1], row[2], row[3], Decimal(str(row[4])).quantize(_CENT), row[5])
            for row in rows
        ]
    )  # by product id: the first field
    failed = [] if len(taken) == len(wanted) else sorted(wanted.keys() - {t.product_id for t in taken})
    if not rows:
        return StockTaken(taken, failed)
    return StockTaken(taken, failed, company_threshold=rows[0][6], also=rows[0][7])

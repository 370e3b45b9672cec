"""The race-free stock decrement: one conditional UPDATE ... RETURNING for every product of
an order.

The WHERE clause is the check and the SET is the write, in one statement: no
read-then-write in Python, so concurrent orders can never sell more than there is. The
statement also takes the row locks (held to commit) and hands back the locked rows' price
and name, which are frozen onto the order lines, the company's default low-stock threshold,
and one value the caller asks for (order_place: the order's number), each computed once:
one round trip fewer per order.

PostgreSQL: the statement first locks the rows in primary-key order (a sorted SELECT ...
FOR UPDATE, as catalog.locks does), so two orders over the same products wait for each
other instead of deadlocking; an UPDATE alone would lock in whatever order its plan visits
rows. A row another order changed while we waited is re-checked against its new stock
(READ COMMITTED re-evaluates the WHERE clause on the latest version). SQLite: BEGIN
IMMEDIATE already holds the only write lock.
"""

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
from stockline.core.postgresql import prepared

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


_POSTGRESQL = """
WITH wanted (id, quantity) AS (VALUES {rows}),
locked AS MATERIALIZED (
    SELECT p.id, p.is_active AND p.stock >= w.quantity AS enough FROM {table} p JOIN wanted w ON w.id = p.id
    WHERE p.company_id = %(company)s ORDER BY p.id FOR UPDATE OF p
)
UPDATE {table} p SET stock = p.stock - w.quantity, updated_at = %(now)s
FROM wanted w, locked l
WHERE p.id = w.id AND l.id = p.id AND p.is_active AND p.stock >= w.quantity
RETURNING p.id, p.stock, p.name, p.sku, p.price, p.low_stock_threshold, {once}
"""
_SQLITE = """
WITH wanted (id, quantity) AS (VALUES {rows})
UPDATE {table} SET stock = stock - w.quantity, updated_at = %(now)s
FROM wanted w
WHERE {table}.id = w.id AND company_id = %(company)s AND is_active AND stock >= w.quantity
RETURNING id, stock, name, sku, price, low_stock_threshold, {once}
"""


# Uncorrelated scalar subqueries: evaluated once per statement (PostgreSQL: an InitPlan;
# SQLite: a subroutine run once), and not at all when no row is returned. On PostgreSQL
# `also` runs only when every product is taken, so a refused order's nextval() is not spent
# (`locked` read each row's latest version under its lock, as the UPDATE's WHERE does).
_ONCE = "(SELECT low_stock_threshold FROM {company} WHERE id = %(company)s), {also}"
_ALSO_SQLITE = "({also})"
_ALSO_POSTGRESQL = "(SELECT ({also}) WHERE (SELECT count(*) FROM locked WHERE enough) = {products})"


@functools.cache
def stock_take_statement(vendor: str, products: int, also: str = "NULL") -> str:
    """The statement for an order of `products` products (named parameters: company, now,
    id0, quantity0, ..., and those of `also`); bench/floor.py runs it too."""
    quote = connection.ops.quote_name
    table = quote(Product._meta.db_table)
    row = (
        "(%(id{i})s::uuid, %(quantity{i})s::integer)"
        if vendor == "postgresql"
        else "(%(id{i})s, %(quantity{i})s)"
    )
    sql, gated = (_POSTGRESQL, _ALSO_POSTGRESQL) if vendor == "postgresql" else (_SQLITE, _ALSO_SQLITE)
    once = _ONCE.format(
        company=quote(Company._meta.db_table), also=gated.format(also=also, products=products)
    )
    return prepared(
        sql.format(table=table, rows=", ".join(row.format(i=i) for i in range(products)), once=once)
    )


def stock_take(
    *, company_id: UUID, wanted: dict[UUID, int], now: datetime, also: tuple[str, dict] = ("NULL", {})
) -> StockTaken:
    """Take every quantity that is there. `also`: an SQL query of one value (with its named
    parameters) the statement evaluates once, after the rows are locked, and hands back; on
    PostgreSQL only if every product was taken (elsewhere it must have no side effect)."""
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

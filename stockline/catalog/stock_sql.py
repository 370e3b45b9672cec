"""The race-free stock decrement: one conditional UPDATE ... RETURNING per product.

The WHERE clause is the check and the SET is the write, in one statement: no
read-then-write in Python, so concurrent orders can never sell more than there is. The
statement also takes the row lock (held to commit) and hands back the locked row's price
and name, which are frozen onto the order line.
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
    if row is None:
        return None
    stock_after, name, sku, price, threshold = row
    return TakenStock(
        product_id=product_id,
        stock_after=stock_after,
        name=name,
        sku=sku,
        price=Decimal(str(price)).quantize(_CENT),
        threshold_override=threshold,
    )

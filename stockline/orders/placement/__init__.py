"""Writing a placed order: the draft (orders.placement.draft) through one writer per database.

SQLite (placement.sqlite): in BEGIN IMMEDIATE, the conditional take of catalog.stock, then
one INSERT per model. PostgreSQL (placement.postgresql): all of it in one statement, which
locks the order's product rows in pk order.
"""

from contextlib import nullcontext

from django.db import connection, transaction
from django.utils import timezone

from stockline.orders.placement import postgresql, sqlite
from stockline.orders.placement.draft import OrderDraft
from stockline.orders.placement.result import Placed


def order_transaction(*, joins: bool):
    """The transaction to write an order in: on PostgreSQL none of its own when the caller is
    in none and nothing must join it (`joins`), as its single statement is one; else atomic()."""
    if connection.vendor == "postgresql" and not joins and not connection.in_atomic_block:
        return nullcontext()
    return transaction.atomic()


def order_write(draft: OrderDraft) -> Placed:
    """Write the order of `draft`, or nothing (then Placed.failed lists the products not
    taken), inside order_transaction()."""
    if connection.vendor == "postgresql":
        return postgresql.write(draft, now=timezone.now())
    return sqlite.write(draft)

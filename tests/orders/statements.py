"""What order_place costs in statements (pinned in test_order_place_queries.py), for the
tests that pin a caller's query count."""

from django.db import connection


def order_place_statements(lines: int, *, low_stock_job: bool = False) -> int:
    """The stock decrements (PostgreSQL: one conditional UPDATE per product, in pk order, so
    no deadlocks; SQLite: one UPDATE ... FROM (VALUES ...) for all, as BEGIN IMMEDIATE
    serialises writers), then 7: next order number, INSERT order, audit entry, lines and
    movements, SAVEPOINT and RELEASE (nested, as in a test); and the alert and its job."""
    decrements = 1 if connection.vendor == "sqlite" else lines
    return decrements + 7 + (2 if low_stock_job else 0)

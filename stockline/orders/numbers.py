"""Human-readable order numbers, counted per company.

PostgreSQL: one SEQUENCE per company. nextval() never waits for another transaction, so
concurrent orders of one company do not queue behind a locked counter row until commit
(which capped throughput at one order per lock hold). A rolled-back order leaves a gap;
numbers stay unique and increasing.
SQLite: one more than the company's highest number, read from the (company, number) unique
index. Writers are serialised by BEGIN IMMEDIATE, so no two transactions can read the same
highest number; a rolled-back order leaves no gap.
"""

import functools
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections

from stockline.orders.models import Order


def _sequence_name(company_id: UUID) -> str:
    return f"order_number_{company_id.hex}"


def order_numbers_init(company_id: UUID) -> None:
    """Create the company's counter; called in the company's creating transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE SEQUENCE IF NOT EXISTS {connection.ops.quote_name(_sequence_name(company_id))}"
            )


def order_number_next_sql(company_id: UUID) -> tuple[str, dict]:
    """The company's next order number as a one-value SQL query and its named parameters,
    for a statement of the placing transaction (catalog.stock's take evaluates it
    once, after the stock is taken)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql":
        return _NEXTVAL, {"order_sequence": _sequence_name(company_id)}
    return _max_plus_one_sql(), {"order_company": _COMPANY.get_db_prep_value(company_id, db)}


_NEXTVAL = "SELECT nextval(%(order_sequence)s::regclass)"
_COMPANY = Order._meta.get_field("company")


@functools.cache
def _max_plus_one_sql() -> str:
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(Order._meta.db_table)
    return f"SELECT COALESCE(MAX(number), 0) + 1 FROM {table} WHERE company_id = %(order_company)s"  # noqa: S608

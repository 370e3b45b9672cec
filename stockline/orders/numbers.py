"""Human-readable order numbers, counted per company.

PostgreSQL: one SEQUENCE per company. nextval() never waits for another transaction, so
concurrent orders of one company do not queue behind a locked counter row until commit
(which capped throughput at one order per lock hold). A rolled-back order leaves a gap;
numbers stay unique and increasing.
SQLite: writers are serialised by BEGIN IMMEDIATE anyway, so a counter column on the
company row costs nothing extra.
"""

from uuid import UUID

from django.db import connection

from stockline.accounts.models import Company


def _sequence_name(company_id: UUID) -> str:
    return connection.ops.quote_name(f"order_number_{company_id.hex}")


def order_numbers_init(company_id: UUID) -> None:
    """Create the company's counter; called in the company's creating transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_sequence_name(company_id)}")


def order_number_next(company_id: UUID) -> tuple[int, int]:
    """The next order number and the company's default low-stock threshold, in one statement."""
    table = connection.ops.quote_name(Company._meta.db_table)
    company_param = Company._meta.pk.get_db_prep_value(company_id, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval('{_sequence_name(company_id)}'), low_stock_threshold "  # noqa: S608
                f"FROM {table} WHERE id = %s",
                [company_param],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET order_number_seq = order_number_seq + 1 "  # noqa: S608
                "WHERE id = %s RETURNING order_number_seq, low_stock_threshold",
                [company_param],
            )
        number, threshold = cursor.fetchone()
    return number, threshold

"""The order path's hand-built statements, run on the driver's own cursor.

Django's cursor wrapper costs a few microseconds a statement, and its SQLite cursor turns
`%s` / `%(name)s` into `?` / `:name` with a regular expression on every execute: for the
order path's long statements about 10 µs each, five times per order (bench/README.md).
Here the placeholders are converted once per statement text (by Django's own conversion),
and the statement goes to the driver cursor with what Django's wrapper does that matters:
the broken-transaction check and its error translation (sqlite3/psycopg IntegrityError ->
django.db.IntegrityError).

When anything is listening (DEBUG, CaptureQueriesContext / assertNumQueries, or an
execute_wrapper) the statement goes through Django's cursor instead, so it is logged,
counted and wrapped like any other.
"""

import functools
from collections.abc import Mapping, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper


@functools.cache
def _sqlite_sql(sql: str, names: tuple[str, ...] | None) -> str:
    return SQLiteCursorWrapper.convert_query(None, sql, param_names=names)


def execute(sql: str, params: Sequence | Mapping, *, fetch: bool = False, connection=None):
    """Run one statement (in the caller's transaction, if any) on `connection` (a
    connections[alias], default the default database); its rows if `fetch`."""
    (rows,) = execute_each([(sql, params)], fetch=fetch, connection=connection)
    return rows


def execute_each(
    statements: Sequence[tuple[str, Sequence | Mapping]], *, fetch: bool = False, connection=None
):
    """Run statements one after the other as execute() does, checking the connection once;
    a list of each one's rows if `fetch` (else of Nones)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if connection.queries_logged or connection.execute_wrappers:
        results = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if fetch else None)
        return results
    # What connection.cursor() and Django's cursor wrapper check before a statement runs.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    sqlite = connection.vendor == "sqlite"
    with connection.wrap_database_errors:
        # sqlite3's own cursor, which takes ? and :name; elsewhere the driver's, as Django makes it
        cursor = connection.connection.cursor() if sqlite else connection.create_cursor()
        try:
            results = []
            for sql, params in statements:
                if sqlite:
                    sql = _sqlite_sql(sql, tuple(params) if isinstance(params, Mapping) else None)
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if fetch else None)
            return results
        finally:
            cursor.close()

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
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else None
    # What connection.cursor() and Django's cursor wrapper check before a statement runs.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            sql = _sqlite_sql(sql, tuple(params) if isinstance(params, Mapping) else None)
            cursor = connection.connection.cursor()  # sqlite3's own, which takes ? and :name
        else:
            cursor = connection.create_cursor()  # the driver's cursor, as Django configures it
        try:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else None
        finally:
            cursor.close()

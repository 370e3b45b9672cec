"""Writing thousands of rows of one model with one prepared statement (DB-API executemany).

Django's bulk_create and bulk_update compile SQL value by value (bulk_update a CASE per row
and field), and on SQLite batch at 999 parameters; at import sizes that costs many times
what the database does. Values still go through each field's own get_db_prep_save, so rows
are stored exactly as the ORM stores them. No signals, no auto_now: callers set the times.
"""

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, CharField, IntegerField, Model, TextField

# Values every backend stores as they are: the field's prep would hand them back unchanged.
_AS_IS = {CharField: (str,), TextField: (str,), IntegerField: (int,), BooleanField: (bool,)}


class _Prepared:
    """field.get_db_prep_save, minus the calls that cannot change the value.

    Remembers the last value, since rows repeat many (company, actor, time).
    """

    __slots__ = ("as_is", "connection", "field", "last", "prepared")

    def __init__(self, field, connection):
        self.field = field
        self.connection = connection
        kinds = [types for kind, types in _AS_IS.items() if isinstance(field, kind)]
        self.as_is = (type(None), *(kinds[0] if kinds else ()))
        self.last = self.prepared = object()

    def __call__(self, value):
        if type(value) in self.as_is:
            return value
        if value is not self.last:
            self.last, self.prepared = value, self.field.get_db_prep_save(value, self.connection)
        return self.prepared


def _prepared(fields: list, rows: Iterable[Sequence], connection) -> list[list]:
    prepare = [_Prepared(f, connection) for f in fields]
    return [[prep(value) for prep, value in zip(prepare, row, strict=True)] for row in rows]


def _copy(cursor, table: str, columns: str, params: list[list]) -> None:
    """PostgreSQL's COPY: rows streamed in one command, values encoded by psycopg's C dumpers."""
    connection = connections[DEFAULT_DB_ALIAS]
    # cursor.copy is psycopg's own: translate its errors to Django's (IntegrityError…) here.
    with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in params:
            copy.write_row(row)


def concrete_attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


# Names in the SQL below come from the models' metadata, quoted; every value is a parameter.


def rows_insert(model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT one row per sequence of values (in `attnames` order)."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]  # get_field knows attnames ("company_id") too
    params = _prepared(fields, rows, connection)
    if not params:
        return
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, params)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608


def rows_update(model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence]) -> None:
    """UPDATE these fields by primary key: each sequence holds their values, then the pk."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    params = _prepared([*fields, meta.pk], rows, connection)
    if not params:
        return
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    names = [quote(f.column) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the new values into a scratch table shaped like the real one, then one UPDATE … FROM.
            scratch = quote("stockline_bulk_update")
            columns = ", ".join([*names, pk])
            cursor.execute(
                f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
            )
            _copy(cursor, scratch, columns, params)
            assignments = ", ".join(f"{n} = s.{n}" for n in names)
            cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s WHERE t.{pk} = s.{pk}")  # noqa: S608
            cursor.execute(f"DROP TABLE {scratch}")
        else:
            assignments = ", ".join(f"{n} = %s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", params)  # noqa: S608

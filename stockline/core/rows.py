"""Rows of one model written with SQL built once: an import's chunks, an order's rows.

The ORM's bulk_create and bulk_update compile their statement on every call (bulk_update a
CASE per row and field) and on SQLite batch at 999 parameters; here the INSERT's text is
built once per shape, and many rows go with executemany, or COPY on PostgreSQL. Every value
is prepared by its field's get_db_prep_save, as save() prepares it; no signals, and no
auto_now: callers set the times.
"""

import functools
from collections.abc import Iterable, Sequence
from itertools import chain

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

_UNSET = object()


def _prepared(fields: list, rows: Iterable[Sequence], connection) -> list[list]:
    """Each value as its field's get_db_prep_save makes it, run once for a value a column
    repeats from the row before (the same company, time or default object in every row of an
    import)."""
    prepare = [f.get_db_prep_save for f in fields]
    last, made = [_UNSET] * len(fields), [None] * len(fields)
    out = []
    for row in rows:
        values = []
        for i, value in enumerate(row):
            if value is not last[i]:
                last[i], made[i] = value, prepare[i](value, connection)
            values.append(made[i])
        out.append(values)
    return out


def _copy(cursor, table: str, columns: str, params: list[list], connection) -> None:
    """PostgreSQL's COPY: rows streamed in one command, values encoded by psycopg."""
    # cursor.copy is psycopg's own: translate its errors to Django's (IntegrityError…) here.
    with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in params:
            copy.write_row(row)


# Names in the SQL below come from the models' metadata, quoted; every value is a parameter.


# Up to this many rows go as one INSERT of their VALUES; more with executemany, or COPY on
# PostgreSQL.
_ONE_STATEMENT = 100


@functools.cache
def _insert_sql(model: type[Model], attnames: tuple[str, ...], rows: int, vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in attnames)
    values = ", ".join([f"({', '.join(['%s'] * len(attnames))})"] * rows)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608


def rows_insert(
    model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence], shared: dict | None = None
) -> None:
    """INSERT one row per sequence of values (in `attnames` order), each with the columns of
    `shared` ({attname: value}, prepared once) too."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in attnames]  # get_field knows attnames ("company_id") too
    params = _prepared(fields, rows, connection)
    if not params:
        return
    if shared:
        same = _prepared([model._meta.get_field(name) for name in shared], [shared.values()], connection)[0]
        params = [row + same for row in params]
        fields += [model._meta.get_field(name) for name in shared]
    attnames = tuple(f.attname for f in fields)
    with connection.cursor() as cursor:
        if len(params) <= _ONE_STATEMENT:
            cursor.execute(_insert_sql(model, attnames, len(params), connection.vendor), list(chain(*params)))
        elif connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            columns = ", ".join(quote(f.column) for f in fields)
            _copy(cursor, quote(model._meta.db_table), columns, params, connection)
        else:
            cursor.executemany(_insert_sql(model, attnames, 1, connection.vendor), params)


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
            scratch = quote("stockline_rows_update")
            columns = ", ".join([*names, pk])
            cursor.execute(
                f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
            )
            _copy(cursor, scratch, columns, params, connection)
            assignments = ", ".join(f"{n} = s.{n}" for n in names)
            cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s WHERE t.{pk} = s.{pk}")  # noqa: S608
            cursor.execute(f"DROP TABLE {scratch}")
        else:
            assignments = ", ".join(f"{n} = %s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", params)  # noqa: S608


def _complete(model: type[Model], row: dict, skip=()) -> list:
    """Every column's value of `row` ({attname: value}) but those in `skip`, its field's
    default where it has none."""
    return [
        row[f.attname] if f.attname in row else f.get_default()
        for f in model._meta.concrete_fields
        if f.attname not in skip
    ]


def row_loaded(model: type[Model], row: dict) -> Model:
    """An instance of a row just written ({attname: value}; a column it lacks has its field's
    default), as the ORM loads one from the database (Model.from_db)."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(DEFAULT_DB_ALIAS, names, _complete(model, row))


def rows_written(model: type[Model], rows: Sequence[dict], shared: dict | None = None) -> None:
    """INSERT these rows ({attname: value}; a column a row lacks takes its field's default),
    and in each the columns of `shared`, the same for every row."""
    shared = shared or {}
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in shared]
    rows_insert(model, names, [_complete(model, row, shared) for row in rows], shared)

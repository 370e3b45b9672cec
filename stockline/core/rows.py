"""Many rows of one model in one prepared statement: what an import writes a chunk at a time.

The ORM's bulk_create and bulk_update build one statement of every row (bulk_update a CASE
per row and field) and on SQLite batch at 999 parameters; here one INSERT or UPDATE runs with
executemany, or COPY on PostgreSQL. Every value is prepared by its field's get_db_prep_save,
as save() prepares it; no signals, and no auto_now: callers set the times.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def _prepared(fields: list, rows: Iterable[Sequence]) -> list[list]:
    prepare = [f.get_db_prep_save for f in fields]
    return [[prep(value, connection) for prep, value in zip(prepare, row, strict=True)] for row in rows]


def _copy(cursor, table: str, columns: str, params: list[list]) -> None:
    """PostgreSQL's COPY: rows streamed in one command, values encoded by psycopg."""
    # cursor.copy is psycopg's own: translate its errors to Django's (IntegrityError…) here.
    with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in params:
            copy.write_row(row)


# Names in the SQL below come from the models' metadata, quoted; every value is a parameter.


def rows_insert(model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT one row per sequence of values (in `attnames` order)."""
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]  # get_field knows attnames ("company_id") too
    params = _prepared(fields, rows)
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
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    params = _prepared([*fields, meta.pk], rows)
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
            _copy(cursor, scratch, columns, params)
            assignments = ", ".join(f"{n} = s.{n}" for n in names)
            cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s WHERE t.{pk} = s.{pk}")  # noqa: S608
            cursor.execute(f"DROP TABLE {scratch}")
        else:
            assignments = ", ".join(f"{n} = %s" for n in names)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", params)  # noqa: S608


def row_loaded(model: type[Model], row: dict) -> Model:
    """An instance of a row just written ({attname: value}; a column it lacks has its field's
    default), as the ORM loads one from the database (Model.from_db)."""
    fields = model._meta.concrete_fields
    values = [row[f.attname] if f.attname in row else f.get_default() for f in fields]
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def rows_written(model: type[Model], rows: Sequence[dict]) -> list[Model]:
    """INSERT these rows ({attname: value}, each with every column; as rows_insert) and
    return them as instances (row_loaded)."""
    instances = [row_loaded(model, row) for row in rows]
    names = [f.attname for f in model._meta.concrete_fields]
    rows_insert(model, names, ([getattr(i, name) for name in names] for i in instances))
    return instances

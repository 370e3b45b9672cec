"""Writing rows with SQL built once, not compiled value by value by the ORM.

Django's save(), bulk_create and bulk_update compile the statement for every call and run
every field's pre_save/get_db_prep_save for every value (bulk_update a CASE per row and
field), and on SQLite batch at 999 parameters. At import sizes, and on the order path,
that costs more than what the database does (bench/README.md). Here each column gets the
cheapest conversion that stores exactly what the ORM would store for the field types we
use; no signals.

- rows_insert / rows_update: thousands of rows (imports), one prepared statement run with
  executemany, or COPY on PostgreSQL. No auto_now: callers set the times.
- inserts_together: a few new rows of several models (an order, its audit entry, lines and
  ledger rows), given as model instances or as {attname: value}, one INSERT per model with
  its SQL cached (on PostgreSQL all of them in one statement, each model's rows as one jsonb
  parameter); auto_now fields are stamped. saved_instances makes instances of the written
  rows.
"""

import functools
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from stockline.core.direct import execute, execute_each
from stockline.core.postgresql import prepared

# Field types whose values every backend takes as they are (get_db_prep_save hands them back).
_AS_IS = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _uuid_hex(value, connection):
    return None if value is None else value.hex


def _datetime(value, connection):
    return connection.ops.adapt_datetimefield_value(value)


def _decimals_as_is(connection) -> bool:
    """Whether the backend hands Decimals to its driver unchanged (SQLite and PostgreSQL do)."""
    return type(connection.ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value


def _json_as_text(connection) -> bool:
    """Whether the backend stores a JSON value as json.dumps' text (SQLite does)."""
    return type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value


def _decimal(field, value, connection):
    # A finite Decimal is what DecimalField.to_python makes of itself.
    if type(value) is Decimal and value.is_finite():
        return value
    return field.get_db_prep_save(value, connection)


def _uuid_text(field, value, connection):
    if value is None:
        return None
    return str(value if isinstance(value, UUID) else field.to_python(value))


def _isoformat(field, value, connection):
    if value is None:
        return None
    if value.tzinfo is None:  # the field makes it aware (and warns), as save() would
        value = field.get_db_prep_save(value, connection)
    return value.isoformat()


def _json_text(field, value, connection):
    # A document of plain JSON values is what JSONField.get_db_prep_save makes of it (with
    # the base adapt_json_value, as on SQLite): the field's encoder's json.dumps.
    if type(value) in _JSON_PLAIN:
        return json.dumps(value, cls=field.encoder)
    return field.get_db_prep_save(value, connection)


_JSON_PLAIN = frozenset({dict, list, str, int, float, bool})


def _decimal_text(field, value, connection):
    value = _decimal(field, value, connection)
    return None if value is None else str(value)


def _json_document(field, value, connection):
    # Encoded as the field would encode it (its encoder, its errors), then nested as a value.
    return None if value is None else json.loads(json.dumps(value, cls=field.encoder))


def json_value_converter(field: Field, connection) -> Callable | None:
    """How a Python value of `field` becomes a JSON value that PostgreSQL's input function
    for the column type reads as the same value get_db_prep_save would store: a function
    of (value, connection), None when it goes as it is, or raises LookupError for a field
    type this does not cover."""
    stored = field.target_field if field.is_relation else field
    kind = stored.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "UUIDField":
        return functools.partial(_uuid_text, stored)
    if kind == "DateTimeField":
        return functools.partial(_isoformat, field)
    if kind == "DecimalField" and stored is field and _decimals_as_is(connection):
        return functools.partial(_decimal_text, field)
    if kind == "JSONField":
        # Without an encoder the document's own json.dumps encodes the value (and refuses
        # what it cannot encode) exactly as the field would: nested as it is.
        return None if field.encoder is None else functools.partial(_json_document, field)
    raise LookupError(kind)


def db_value_converter(field: Field, connection) -> Callable | None:
    """How a Python value of `field` becomes a driver parameter: a function of (value,
    connection), or None when it goes as it is. Same result as field.get_db_prep_save."""
    stored = field.target_field if field.is_relation else field
    kind = stored.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind == "UUIDField":
        return None if connection.features.has_native_uuid_field else _uuid_hex
    if kind == "DateTimeField":
        return _datetime
    if kind == "DecimalField" and stored is field and _decimals_as_is(connection):
        return functools.partial(_decimal, field)
    if kind == "JSONField" and _json_as_text(connection):
        return functools.partial(_json_text, field)
    return lambda value, connection: field.get_db_prep_save(value, connection)


class _Prepared:
    """db_value_converter for one column, remembering the last value: import rows repeat
    many (company, actor, time)."""

    __slots__ = ("connection", "convert", "last", "prepared")

    def __init__(self, field, connection):
        self.convert = db_value_converter(field, connection)
        self.connection = connection
        self.last = self.prepared = object()

    def __call__(self, value):
        if self.convert is None:
            return value
        if value is not self.last:
            self.last, self.prepared = value, self.convert(value, self.connection)
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


_MISSING = object()
_new = object.__new__


class _Insert(NamedTuple):
    """A cached INSERT of some rows of one model."""

    sql: str
    fields: list[tuple[str, Field]]  # every column's (attname, field)
    stamped: list[str]  # attnames of the auto_now / auto_now_add fields
    values: Callable[[dict], tuple]  # a row's values in column order
    converted: list[tuple[int, Callable]]  # (position, converter) of columns not passed as they are
    document: tuple[str, ...] | None  # PostgreSQL: the column names of the rows' one JSON parameter


@functools.cache
def _insert_statement(model: type[Model], rows: int, vendor: str) -> _Insert:
    """PostgreSQL: the rows go as one jsonb array whatever their number, read back into the
    table's row type by jsonb_populate_recordset; the statement then has one parameter, so
    psycopg caches its parsing (it re-parses any statement of over 50 parameters every time)
    and dumps one string instead of every value. Elsewhere, and for a model with a column
    type json_value_converter does not cover: VALUES with a parameter per value."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    document = None
    if vendor == "postgresql":
        try:
            converters = [json_value_converter(f, connection) for f in fields]
        except LookupError:
            pass
        else:
            document = tuple(f.column for f in fields)
            rows_in = f"jsonb_populate_recordset(NULL::{table}, %s)"
            sql = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {rows_in}"  # noqa: S608
    if document is None:
        converters = [db_value_converter(f, connection) for f in fields]
        row = f"({', '.join(['%s'] * len(fields))})"
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}"  # noqa: S608
    return _Insert(
        sql=sql,
        fields=[(f.attname, f) for f in fields],
        stamped=[
            f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ],
        values=operator.itemgetter(*(f.attname for f in fields)),
        converted=[(i, convert) for i, convert in enumerate(converters) if convert is not None],
        document=document,
    )


def _insert(
    model: type[Model], rows: list[dict], connection, now: datetime, now_converted: dict
) -> tuple[str, list]:
    """The INSERT of these {attname: value} rows and its parameters. A column a row leaves
    out takes the field's default, as Model(...) would give it, and auto_now fields take
    `now`: both are filled into the rows, which then hold every column. `now_converted`
    keeps `now` as each converter made it, for all the batches written together."""
    statement = _insert_statement(model, len(rows), connection.vendor)
    params = []
    for row in rows:
        for attname in statement.stamped:
            row.setdefault(attname, now)
        if len(row) < len(statement.fields):
            for attname, field in statement.fields:
                if attname not in row:
                    row[attname] = field.get_default()
        values = list(statement.values(row))
        for i, convert in statement.converted:
            value = values[i]
            if value is not now:
                values[i] = convert(value, connection)
            elif (converted := now_converted.get(convert, _MISSING)) is not _MISSING:
                values[i] = converted
            else:
                values[i] = now_converted[convert] = convert(value, connection)
        if statement.document:
            params.append(dict(zip(statement.document, values, strict=True)))
        else:
            params += values
    if statement.document:
        return statement.sql, [json.dumps(params)]
    return statement.sql, params


def _stamped(instances: list[Model], now: datetime) -> list[dict]:
    """New instances as rows, their auto_now fields set to `now` (save() would set the time
    of its call)."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    stamped = _insert_statement(type(instances[0]), len(instances), vendor).stamped
    for instance in instances:
        for attname in stamped:
            setattr(instance, attname, now)
    return [instance.__dict__ for instance in instances]


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return concrete_attnames(model)


def saved_instances(model: type[Model], rows: list[dict]) -> list[Model]:
    """Model instances of rows inserts_together has written (which it completed with
    defaults and times): what Model.from_db makes of them. Without init signal receivers
    the instance's attributes are set directly (Model.__init__ sets every field through
    setattr: most of the cost)."""
    names = _attnames(model)
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return [model.from_db(DEFAULT_DB_ALIAS, names, [row[name] for name in names]) for row in rows]
    instances = []
    for row in rows:
        instance = _new(model)
        instance._state = state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        instance.__dict__.update({name: row[name] for name in names})
        instances.append(instance)
    return instances


def _saved(instances: list[Model]) -> None:
    for instance in instances:
        instance._state.adding = False
        instance._state.db = DEFAULT_DB_ALIAS


Batch = list[Model] | tuple[type[Model], list[dict]]


@functools.cache
def _together(statements: tuple[str, ...]) -> str:
    """PostgreSQL: the INSERTs as one statement, the first ones data-modifying WITH queries;
    prepared, as its text is the same for every order (each model's rows are one parameter)."""
    *first, last = statements
    heads = ", ".join(f"written_{i} AS ({sql})" for i, sql in enumerate(first))
    return prepared(f"WITH {heads} {last}" if heads else last)


def inserts_together(*batches: Batch) -> None:
    """Insert several batches, each new instances of one model (marked saved afterwards) or
    a (model, [{attname: value}, ...]) pair, in the order given, their auto_now fields all
    stamped with the same time.

    PostgreSQL: one statement, the first INSERTs as data-modifying WITH queries: one round
    trip instead of one per batch. Its foreign keys are DEFERRABLE INITIALLY DEFERRED (as
    Django creates them), so rows may reference each other across batches. Elsewhere: one
    statement per batch.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    batches = [batch for batch in batches if batch and (not isinstance(batch, tuple) or batch[1])]
    if not batches:
        return
    now = timezone.now()  # one time for every row written together
    statements, params, now_converted = [], [], {}
    for batch in batches:
        model, rows = batch if isinstance(batch, tuple) else (type(batch[0]), _stamped(batch, now))
        sql, values = _insert(model, rows, connection, now, now_converted)
        statements.append(sql)
        params.append(values)
    if connection.vendor == "postgresql":
        execute(
            _together(tuple(statements)),
            [value for values in params for value in values],
            connection=connection,
        )
    else:
        execute_each(list(zip(statements, params, strict=True)), connection=connection)
    for batch in batches:
        if not isinstance(batch, tuple):
            _saved(batch)

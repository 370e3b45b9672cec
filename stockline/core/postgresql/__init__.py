"""PostgreSQL specifics; the backend is in base.py (ENGINE "stockline.core.postgresql")."""

PREPARED_MARK = "/* prepared */ "


def prepared(sql: str) -> str:
    """`sql`, marked for PostgreSQL to prepare on its first run on a connection (to any
    other database, a comment). For statements built once whose best plan does not depend
    on their parameters: the order path's."""
    return PREPARED_MARK + sql


def insert_select(model, computed: dict[str, str], prefix: str, source: str, connection) -> str:
    """INSERT ... SELECT of `model`'s rows FROM `source`: the columns in `computed` are those
    SQL expressions, every other one the parameter "<prefix>_<attname>" (cast to its type;
    the same for every row). insert_parameters names them."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    unknown = computed.keys() - {f.attname for f in fields}
    if unknown:
        raise LookupError(f"{model.__name__} has no columns {sorted(unknown)}")
    values = [computed.get(f.attname) or f"%({prefix}_{f.attname})s::{f.db_type(connection)}" for f in fields]
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {source}"
    )


def insert_parameters(model, computed: dict[str, str], prefix: str, row: dict, connection) -> dict:
    """The parameters of insert_select from `row` ({attname: value}; a column it lacks takes
    its field's default), each as its field prepares it for the database."""
    return {
        f"{prefix}_{f.attname}": f.get_db_prep_save(
            row[f.attname] if f.attname in row else f.get_default(), connection
        )
        for f in model._meta.concrete_fields
        if not f.generated and f.attname not in computed
    }


def json_time_sql(expr: str) -> str:
    """SQL: the timestamptz `expr` as text exactly as DjangoJSONEncoder (the API's JSON)
    writes a UTC datetime: milliseconds (truncated) and "Z", no fraction on a whole second."""
    return (
        f"to_char(({expr}) AT TIME ZONE 'UTC', CASE WHEN date_trunc('second', {expr}) = ({expr})"
        """ THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"' END)"""
    )

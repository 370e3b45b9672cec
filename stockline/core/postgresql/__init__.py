"""PostgreSQL specifics; the backend is in base.py (ENGINE "stockline.core.postgresql")."""

PREPARED_MARK = "/* prepared */ "


def prepared(sql: str) -> str:
    """`sql`, marked for PostgreSQL to prepare on its first run on a connection (to any
    other database, a comment). For statements built once whose best plan does not depend
    on their parameters: the order path's."""
    return PREPARED_MARK + sql

"""Django's PostgreSQL backend with cheaper CONN_HEALTH_CHECKS and prepared hot statements.

Django checks a persistent connection with a `SELECT 1` round trip at the start of every
request that uses it: under load a round trip per API order (bench/README.md) that tells
nothing new about a connection the server answered a moment ago. Here a
connection whose last commit (or health check) succeeded less than TRUSTED_FOR seconds
ago skips the check; one idle for longer, the case the check exists for (a restarted or
timed-out server), is still checked and replaced before the request uses it.

Prepared statements (with OPTIONS server_side_binding: settings.DATABASE_PREPARED_STATEMENTS):
a statement marked by core.postgresql.prepared() is prepared on its first run on a
connection, and later runs skip parsing and planning; the order path's statements are long
CTEs whose planning cost PostgreSQL more than running them. Nothing else is prepared: the
ORM's queries get a plan for their actual values every time (a generic plan for a
storefront search walked the catalog index past every product).
"""

import time

from django.db.backends.postgresql import base

from stockline.core.postgresql import PREPARED_MARK

TRUSTED_FOR = 5.0  # seconds


class PreparingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None:
            prepare = isinstance(query, str) and query.startswith(PREPARED_MARK)
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    answered_at: float | None = None  # time.monotonic() of the server's last good answer

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PreparingCursor
            # Not None, which would stop psycopg preparing even what is marked; never reached,
            # as every execute() says yes or no.
            params["prepare_threshold"] = 2**31
        return params

    def connect(self):
        self.answered_at = None
        super().connect()

    def _commit(self):
        super()._commit()
        self.answered_at = time.monotonic()

    def is_usable(self):
        usable = super().is_usable()
        if usable:
            self.answered_at = time.monotonic()
        return usable

    def close_if_health_check_failed(self):
        if (
            self.health_check_enabled
            and not self.health_check_done
            and self.connection is not None
            and self.answered_at is not None
            and time.monotonic() - self.answered_at < TRUSTED_FOR
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

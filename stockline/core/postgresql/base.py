"""Django's PostgreSQL backend with cheaper CONN_HEALTH_CHECKS.

Django checks a persistent connection with a `SELECT 1` round trip at the start of every
request that uses it. Under load that was a tenth of an API order's cost (bench/README.md),
and it tells nothing new about a connection the server answered a moment ago. Here a
connection whose last commit (or health check) succeeded less than TRUSTED_FOR seconds
ago skips the check; one idle for longer, the case the check exists for (a restarted or
timed-out server), is still checked and replaced before the request uses it.
"""

import time

from django.db.backends.postgresql import base

TRUSTED_FOR = 5.0  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    answered_at: float | None = None  # time.monotonic() of the server's last good answer

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

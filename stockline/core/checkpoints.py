"""SQLite checkpoints on a clock, in the worker, off the request path.

Durability does not depend on them: with synchronous=FULL (the default) every commit is
synced to the WAL before it is acknowledged. They keep the WAL small. Left to SQLite, a
checkpoint runs inside whichever commit pushes the WAL past wal_autocheckpoint pages, and
that request pays for copying the log into the database file. The worker checkpoints every
second instead (run_worker --checkpoint-every), so the log holds about a second of commits.
wal_autocheckpoint stays as the safety net for when no worker runs, set high
(settings.SQLITE_PRAGMAS) so that it rarely fires under load. With the opt-in
SQLITE_SYNCHRONOUS=NORMAL, a checkpoint is also what puts commits on disk.
"""

from django.db import connection


def sqlite_checkpoint() -> tuple[int, int, int] | None:
    """Copy committed WAL frames into the database file and sync them, without waiting for
    readers or writers (PASSIVE). (busy, frames in the log, frames checkpointed); None on
    other databases."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return tuple(cursor.fetchone())

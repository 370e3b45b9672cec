"""SQLite checkpoints on a clock, in the worker, off the request path.

With WAL and synchronous=NORMAL a commit is written to the WAL but synced to disk only when
a checkpoint runs; left to SQLite, that happens inside whichever commit pushes the WAL past
wal_autocheckpoint pages. So the request that trips it pays for copying and syncing the
log, and a quiet shop's last orders can wait long for their sync. The worker checkpoints
every second instead (run_worker --checkpoint-every): what was committed more than a
second ago is on disk whatever the load (unless a reader holds a snapshot older than it:
a checkpoint never goes past what a reader may still need). wal_autocheckpoint stays as the safety net for
when no worker runs, set high (settings.SQLITE_PRAGMAS) so that it rarely fires under load:
pages rewritten by every order (index edges, hot products) are then copied once per
checkpoint rather than once per thousand pages (bench/README.md).
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

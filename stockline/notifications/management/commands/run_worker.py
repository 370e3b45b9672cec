"""The background worker: django-tasks-db's db_worker, plus chores on a clock: recovery of
low-stock email jobs lost with a crashed worker (at start, then every --sweep-every seconds),
numbering committed events for the feed and their webhook deliveries, then sending what is
due (every --events-every seconds; stockline.events.feed, stockline.webhooks.delivery),
pruning events past EVENT_RETENTION_DAYS (every --prune-every seconds) and, on SQLite, the
WAL checkpoint (every --checkpoint-every seconds). --batch numbers, prunes and delivers once."""

import logging
import threading
from collections.abc import Callable

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections

from stockline.core.checkpoints import sqlite_checkpoint
from stockline.events.feed import events_number, events_prune
from stockline.notifications.services import low_stock_alerts_requeue_stale
from stockline.webhooks.delivery import webhooks_deliver

logger = logging.getLogger(__name__)


def repeat(chore: Callable[[], object], *, every: float, stop: threading.Event) -> None:
    """Run `chore` every `every` seconds until `stop` is set; a failure is logged and the
    next run goes ahead. Runs in its own thread, with its own database connection."""
    while not stop.wait(every):
        try:
            chore()
        except Exception:
            logger.exception("Background chore %s failed", chore.__name__)
        finally:
            connections.close_all()  # this thread's connection only


def _start(chore: Callable[[], object], every: float) -> None:
    kwargs = {"every": every, "stop": threading.Event()}
    threading.Thread(target=repeat, args=(chore,), kwargs=kwargs, name=chore.__name__, daemon=True).start()


class Command(BaseCommand):
    help = "Run the background worker (low-stock emails and other jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        # The sweep catches what the start-up sweep cannot: a worker restarted right after a
        # crash finds the dead job still recent, and a crashed worker may never be restarted.
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between sweeps for orphaned jobs."
        )
        parser.add_argument(
            "--checkpoint-every", type=float, default=1.0, help="Seconds between SQLite WAL checkpoints."
        )
        parser.add_argument(
            "--events-every",
            type=float,
            default=1.0,
            help="Seconds between numbering new events for the feed.",
        )
        parser.add_argument(
            "--prune-every", type=float, default=3600.0, help="Seconds between pruning expired events."
        )

    def handle(
        self,
        *args,
        batch: bool,
        interval: float,
        sweep_every: float,
        checkpoint_every: float,
        events_every: float,
        prune_every: float,
        **options,
    ):
        requeued = low_stock_alerts_requeue_stale()
        if requeued:
            self.stdout.write(f"Re-enqueued {requeued} orphaned low-stock email job(s).")
        events_number()
        events_prune()
        if batch:
            webhooks_deliver()
        argv = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            argv += ["--batch", "--no-startup-delay"]
        else:
            _start(low_stock_alerts_requeue_stale, sweep_every)
            _start(events_number, events_every)
            _start(webhooks_deliver, events_every)
            _start(events_prune, prune_every)
            if connection.vendor == "sqlite":
                _start(sqlite_checkpoint, checkpoint_every)
        call_command("db_worker", *argv, verbosity=options["verbosity"])

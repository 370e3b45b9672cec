"""The background worker: django-tasks-db's db_worker, plus recovery of low-stock email jobs
lost with a crashed worker (at start, then every --sweep-every seconds while it runs)."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from stockline.notifications.services import low_stock_alerts_requeue_stale

logger = logging.getLogger(__name__)


def sweep_forever(*, every: float, stop: threading.Event) -> None:
    """Re-enqueue orphaned low-stock email jobs every `every` seconds until `stop` is set.

    Needed besides the sweep at start: a worker restarted right after a crash finds the dead
    job still recent, and a crashed worker may never be restarted while others keep running.
    """
    while not stop.wait(every):
        try:
            low_stock_alerts_requeue_stale()
        except Exception:
            logger.exception("Sweeping orphaned low-stock email jobs failed")
        finally:
            connections.close_all()  # this thread's connection only


class Command(BaseCommand):
    help = "Run the background worker (low-stock emails and other jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between sweeps for orphaned jobs."
        )

    def handle(self, *args, batch: bool, interval: float, sweep_every: float, **options):
        requeued = low_stock_alerts_requeue_stale()
        if requeued:
            self.stdout.write(f"Re-enqueued {requeued} orphaned low-stock email job(s).")
        argv = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            argv += ["--batch", "--no-startup-delay"]
        else:
            threading.Thread(
                target=sweep_forever,
                kwargs={"every": sweep_every, "stop": threading.Event()},
                name="low-stock-sweeper",
                daemon=True,
            ).start()
        call_command("db_worker", *argv, verbosity=options["verbosity"])

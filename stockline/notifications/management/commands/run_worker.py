"""The background worker: recovers orphaned jobs, then runs django-tasks-db's db_worker."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from stockline.notifications.services import low_stock_alerts_requeue_stale


class Command(BaseCommand):
    help = "Run the background worker (low-stock emails and other jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, batch: bool, interval: float, **options):
        requeued = low_stock_alerts_requeue_stale()
        if requeued:
            self.stdout.write(f"Re-enqueued {requeued} orphaned low-stock email job(s).")
        argv = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            argv.append("--batch")
        call_command("db_worker", *argv)

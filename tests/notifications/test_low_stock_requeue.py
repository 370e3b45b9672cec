"""SPEC §3: a worker crash after commit delays the email but never loses it."""

import threading
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stockline.notifications.management.commands.run_worker import repeat
from stockline.notifications.models import LowStockAlert
from stockline.notifications.services import STALE_AFTER, low_stock_alerts_requeue_stale
from tests.factories import make_product

LONG_AGO = timedelta(hours=1)


def owe_email_long_ago(company, storefront_order) -> LowStockAlert:
    order = storefront_order([(make_product(company, stock=6), 2)])
    LowStockAlert.objects.filter(order=order).update(created_at=timezone.now() - LONG_AGO)
    return LowStockAlert.objects.get(order=order)


def worker_died_while_sending(*, started_ago: timedelta) -> DBTaskResult:
    """What a worker killed mid-task leaves: its job RUNNING forever, the alert claimed."""
    started_at = timezone.now() - started_ago
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=started_at, worker_ids=["dead"])
    LowStockAlert.objects.update(attempts=1, claimed_until=started_at + timedelta(minutes=5))
    return DBTaskResult.objects.get()


def test_alert_whose_job_died_running_gets_a_new_job_and_is_sent_once(
    company, smtp_server, storefront_order, run_worker
):
    alert = owe_email_long_ago(company, storefront_order)
    dead = worker_died_while_sending(started_ago=LONG_AGO)

    output = run_worker()  # a worker starting sweeps first

    assert "Re-enqueued 1 orphaned low-stock email job(s)." in output
    assert len(smtp_server.messages) == 1
    alert.refresh_from_db()
    assert alert.sent_at is not None and alert.attempts == 2
    assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.exclude(id=dead.id).get().return_value == "sent"

    assert low_stock_alerts_requeue_stale() == 0  # sent: nothing more owed
    run_worker()
    assert len(smtp_server.messages) == 1


def test_alert_whose_job_row_is_gone_gets_a_new_job(company, storefront_order):
    alert = owe_email_long_ago(company, storefront_order)
    DBTaskResult.objects.all().delete()
    assert low_stock_alerts_requeue_stale() == 1
    assert DBTaskResult.objects.get().args_kwargs["args"] == [str(alert.id)]


def test_alert_with_a_ready_job_is_not_requeued(company, storefront_order):
    owe_email_long_ago(company, storefront_order)
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(minutes=30))  # a scheduled retry
    assert low_stock_alerts_requeue_stale() == 0
    assert DBTaskResult.objects.count() == 1


def test_alert_whose_job_is_still_running_recently_is_not_requeued(company, storefront_order):
    owe_email_long_ago(company, storefront_order)
    worker_died_while_sending(started_ago=STALE_AFTER - timedelta(minutes=1))
    assert low_stock_alerts_requeue_stale() == 0
    assert DBTaskResult.objects.count() == 1


def test_sent_or_abandoned_alerts_are_not_requeued(company, storefront_order):
    sent = owe_email_long_ago(company, storefront_order)
    LowStockAlert.objects.filter(id=sent.id).update(sent_at=timezone.now())
    abandoned = owe_email_long_ago(company, storefront_order)
    LowStockAlert.objects.filter(id=abandoned.id).update(gave_up_at=timezone.now())
    DBTaskResult.objects.all().delete()
    assert low_stock_alerts_requeue_stale() == 0


def test_running_worker_sweeps_periodically(company, storefront_order):
    """A worker restarted right after a crash finds the dead job recent; a later sweep catches it."""
    owe_email_long_ago(company, storefront_order)
    worker_died_while_sending(started_ago=LONG_AGO)
    stop = threading.Event()
    sweeper = threading.Thread(
        target=repeat, args=(low_stock_alerts_requeue_stale,), kwargs={"every": 0.05, "stop": stop}
    )
    sweeper.start()
    time.sleep(0.3)  # the main thread stays off the database meanwhile
    stop.set()
    sweeper.join(timeout=5)

    assert not sweeper.is_alive()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

"""SPEC §3: the worker delivers the low-stock email over SMTP; an outage or a refusal delays it
(retries with backoff), never loses it, and never sends it twice."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stockline.notifications.models import LowStockAlert
from stockline.notifications.services import SEND_LEASE
from stockline.notifications.tasks import send_low_stock_alert
from tests.factories import make_member, make_product


@pytest.fixture
def retry_settings(settings):
    settings.LOW_STOCK_EMAIL_RETRY_BASE_SECONDS = 30
    settings.LOW_STOCK_EMAIL_RETRY_MAX_SECONDS = 3600
    settings.LOW_STOCK_EMAIL_MAX_ATTEMPTS = 5
    return settings


@pytest.fixture
def low_stock_order(company, storefront_order):
    """A storefront order that leaves one product low (owes one email)."""
    return storefront_order([(make_product(company, name="Pallet wrap", sku="PW-500", stock=6), 2)])


def pending_job() -> DBTaskResult:
    return DBTaskResult.objects.get(status=TaskResultStatus.READY)


def time_passes() -> None:
    """Every scheduled retry becomes due."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def test_worker_delivers_the_email_through_smtp(company, owner, smtp_server, low_stock_order, run_worker):
    admin = make_member(company, "ADMIN", email="admin@example.com")
    make_member(company, "MEMBER", email="member@example.com")

    run_worker()

    [message] = smtp_server.messages
    [envelope] = smtp_server.envelopes
    assert sorted(envelope.recipients) == sorted([owner.user.email, admin.user.email])
    assert message["Subject"] == (
        f"[Acme Distributors] Low stock: 1 product to restock (order {low_stock_order.display_number})"
    )
    assert message["From"] == "Stockline <no-reply@stockline.local>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "- Pallet wrap (SKU: PW-500): 4 in stock (low-stock threshold 5)" in text
    assert "<td>Pallet wrap</td>" in html and "PW-500" in html
    alert = LowStockAlert.objects.get()
    assert message["Message-ID"] == f"<low-stock.{alert.id}@stockline.local>"
    assert (alert.attempts, alert.last_error, alert.claimed_until) == (1, "", None)
    assert alert.sent_at is not None
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_mail_server_outage_retries_with_backoff_then_delivers_exactly_once(
    retry_settings, smtp_server, low_stock_order, run_worker
):
    smtp_server.stop()

    before = timezone.now()
    run_worker()
    after = timezone.now()
    alert = LowStockAlert.objects.get()
    assert (alert.attempts, alert.sent_at, alert.gave_up_at) == (1, None, None)
    assert "ConnectionRefusedError" in alert.last_error
    retry = pending_job()
    assert before + timedelta(seconds=30) <= retry.run_after <= after + timedelta(seconds=30)
    assert retry.args_kwargs["args"] == [str(alert.id)]

    run_worker()  # the retry is not due yet
    assert LowStockAlert.objects.get().attempts == 1
    assert pending_job().id == retry.id

    time_passes()
    before = timezone.now()
    run_worker()  # still down: the wait doubles
    after = timezone.now()
    assert LowStockAlert.objects.get().attempts == 2
    second_retry = pending_job()
    assert before + timedelta(seconds=60) <= second_retry.run_after <= after + timedelta(seconds=60)

    smtp_server.start()
    time_passes()
    run_worker()
    run_worker()

    assert len(smtp_server.messages) == 1
    alert.refresh_from_db()
    assert alert.attempts == 3
    assert alert.sent_at is not None
    assert alert.last_error == ""
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_backoff_is_capped(retry_settings, smtp_server, low_stock_order, run_worker):
    retry_settings.LOW_STOCK_EMAIL_RETRY_MAX_SECONDS = 45
    smtp_server.stop()
    run_worker()
    time_passes()
    before = timezone.now()
    run_worker()  # attempt 2 would wait 60 s uncapped
    after = timezone.now()
    assert before + timedelta(seconds=45) <= pending_job().run_after <= after + timedelta(seconds=45)


@pytest.mark.parametrize(
    ("refusal", "reply"),
    [
        ("rcpt_reply", "451 4.7.1 Greylisted, try again later"),
        ("data_reply", "554 5.7.1 Message rejected"),
    ],
)
def test_mail_server_refusing_the_message_is_retried(
    retry_settings, smtp_server, low_stock_order, run_worker, refusal, reply
):
    setattr(smtp_server, refusal, reply)
    run_worker()
    alert = LowStockAlert.objects.get()
    assert (alert.attempts, alert.sent_at) == (1, None)
    assert reply.split(" ", 1)[0] in alert.last_error
    assert smtp_server.messages == []
    assert pending_job().run_after > timezone.now()

    setattr(smtp_server, refusal, None)
    time_passes()
    run_worker()
    assert len(smtp_server.messages) == 1
    assert LowStockAlert.objects.get().sent_at is not None


def test_worker_gives_up_after_the_maximum_attempts_and_logs_it(
    retry_settings, smtp_server, low_stock_order, run_worker, caplog
):
    retry_settings.LOW_STOCK_EMAIL_MAX_ATTEMPTS = 3
    retry_settings.LOW_STOCK_EMAIL_RETRY_BASE_SECONDS = 0  # every retry is due at once
    smtp_server.stop()

    with caplog.at_level(logging.WARNING, logger="stockline.notifications"):
        run_worker()  # one batch runs the first attempt and both retries

    alert = LowStockAlert.objects.get()
    assert alert.attempts == 3
    assert alert.gave_up_at is not None and alert.sent_at is None
    assert "ConnectionRefusedError" in alert.last_error
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 3
    [gave_up] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "giving up after 3 attempts" in gave_up.getMessage()
    assert str(low_stock_order.id) in gave_up.getMessage()

    smtp_server.start()
    run_worker()
    assert smtp_server.messages == []


def test_a_duplicate_job_still_sends_one_email(smtp_server, low_stock_order, run_worker):
    alert = LowStockAlert.objects.get()
    send_low_stock_alert.enqueue(str(alert.id))

    run_worker()

    assert len(smtp_server.messages) == 1
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == ["sent", "skipped"]
    assert LowStockAlert.objects.get().attempts == 1


def test_an_alert_being_sent_by_another_worker_is_left_alone(smtp_server, low_stock_order, run_worker):
    claimed_until = timezone.now() + SEND_LEASE
    LowStockAlert.objects.update(attempts=1, claimed_until=claimed_until)

    run_worker()

    assert smtp_server.messages == []
    alert = LowStockAlert.objects.get()
    assert (alert.attempts, alert.claimed_until, alert.sent_at) == (1, claimed_until, None)


def test_an_expired_claim_does_not_block_sending(smtp_server, low_stock_order, run_worker):
    LowStockAlert.objects.update(attempts=1, claimed_until=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert len(smtp_server.messages) == 1
    assert LowStockAlert.objects.get().attempts == 2


def test_company_without_owner_or_admin_to_notify_is_retried(
    retry_settings, company, owner, smtp_server, low_stock_order, run_worker
):
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])
    run_worker()
    alert = LowStockAlert.objects.get()
    assert (alert.attempts, alert.sent_at) == (1, None)
    assert "no active owner or admin" in alert.last_error
    assert smtp_server.messages == []

    make_member(company, "ADMIN", email="new-admin@example.com")
    time_passes()
    run_worker()
    [envelope] = smtp_server.envelopes
    assert envelope.recipients == ("new-admin@example.com",)

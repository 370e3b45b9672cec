"""The low-stock email: owed in the order's transaction, sent by the worker, retried."""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from stockline.accounts.models import Membership, Role
from stockline.notifications.models import LowStockAlert

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LowStockItem:
    name: str
    sku: str | None
    stock: int
    threshold: int


def low_stock_alert_enqueue(*, order, items: list[LowStockItem]) -> LowStockAlert:
    """Record the email owed for `order` and its job, in the caller's transaction."""
    from stockline.notifications.tasks import send_low_stock_alert

    alert = LowStockAlert(company_id=order.company_id, order=order, items=[asdict(i) for i in items])
    alert.save(force_insert=True)
    send_low_stock_alert.enqueue(str(alert.id))
    return alert


def low_stock_recipients(company_id) -> list[str]:
    """Every OWNER and ADMIN of the company, as of sending time."""
    return sorted(
        Membership.objects.filter(
            company_id=company_id, role__in=[Role.OWNER, Role.ADMIN], user__is_active=True
        ).values_list("user__email", flat=True)
    )


def low_stock_email_build(alert: LowStockAlert, recipients: list[str]) -> EmailMultiAlternatives:
    order = alert.order
    company = order.company
    count = len(alert.items)
    context = {
        "company": company,
        "order": order,
        "items": alert.items,
        "out_of_stock": [i for i in alert.items if i["stock"] <= 0],
    }
    subject = (
        f"[{company.name}] Low stock: {count} product{'s' if count != 1 else ''} "
        f"after order {order.display_number}"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/low_stock.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(render_to_string("notifications/email/low_stock.html", context), "text/html")
    return message


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base ... capped."""
    base = settings.LOW_STOCK_EMAIL_RETRY_BASE_SECONDS
    cap = settings.LOW_STOCK_EMAIL_RETRY_MAX_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


def low_stock_alert_send(alert_id) -> str:
    """Send one owed alert. Safe to run twice: a sent alert is not sent again.

    On a mail failure the attempt is recorded and a new job is scheduled after a backoff,
    in one transaction, so the email is delayed but never lost.
    """
    from stockline.notifications.tasks import send_low_stock_alert

    alert = LowStockAlert.objects.select_related("order__company").filter(id=alert_id).first()
    if alert is None or alert.sent_at is not None or alert.gave_up_at is not None:
        return "skipped"
    recipients = low_stock_recipients(alert.company_id)
    if not recipients:
        LowStockAlert.objects.filter(id=alert.id).update(
            sent_at=timezone.now(), recipients=[], attempts=alert.attempts + 1
        )
        return "no recipients"
    attempt = alert.attempts + 1
    try:
        low_stock_email_build(alert, recipients).send(fail_silently=False)
    except Exception as exc:  # any transport failure: SMTP refusal, connection refused, DNS
        logger.warning("Low-stock email %s failed (attempt %s): %s", alert.id, attempt, exc)
        with transaction.atomic():
            if attempt >= settings.LOW_STOCK_EMAIL_MAX_ATTEMPTS:
                LowStockAlert.objects.filter(id=alert.id).update(
                    attempts=attempt, last_error=str(exc)[:2000], gave_up_at=timezone.now()
                )
                logger.error("Low-stock email %s: giving up after %s attempts", alert.id, attempt)
                return "gave up"
            LowStockAlert.objects.filter(id=alert.id).update(attempts=attempt, last_error=str(exc)[:2000])
            send_low_stock_alert.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(str(alert.id))
        return "retry scheduled"
    LowStockAlert.objects.filter(id=alert.id).update(
        sent_at=timezone.now(), attempts=attempt, recipients=recipients, last_error=""
    )
    return "sent"


def low_stock_alerts_requeue_stale(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Give a new job to every unsent alert whose job is gone or died with its worker.

    A worker killed mid-task leaves its job RUNNING forever; the worker command runs this
    at start so such an email is delayed, never lost (sending twice is prevented by sent_at).
    """
    from django_tasks_db.models import DBTaskResult

    from stockline.notifications.tasks import send_low_stock_alert

    cutoff = timezone.now() - older_than
    unsent = set(
        LowStockAlert.objects.filter(
            sent_at__isnull=True, gave_up_at__isnull=True, created_at__lt=cutoff
        ).values_list("id", flat=True)
    )
    if not unsent:
        return 0
    live = DBTaskResult.objects.filter(task_path=send_low_stock_alert.module_path).filter(
        models.Q(status="READY") | models.Q(status="RUNNING", started_at__gte=cutoff)
    )
    covered = {job.args_kwargs["args"][0] for job in live.only("args_kwargs")}
    orphans = [alert_id for alert_id in unsent if str(alert_id) not in covered]
    for alert_id in orphans:
        send_low_stock_alert.enqueue(str(alert_id))
    return len(orphans)

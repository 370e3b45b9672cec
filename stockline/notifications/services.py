"""The low-stock email (SPEC §3): owed in the order's transaction, sent by the worker, retried.

order_place      -> low_stock_alert_enqueue: alert row + job, inside the order's transaction
worker           -> send_low_stock_alert -> low_stock_alert_send: claim, send, record, maybe retry
worker (periodic)-> low_stock_alerts_requeue_stale: a new job for alerts whose job died
"""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from stockline.accounts.models import Membership, Role
from stockline.catalog.stock_rules import StockStatus, stock_status
from stockline.notifications.models import LowStockAlert

logger = logging.getLogger(__name__)

# Longer than any SMTP conversation (EMAIL_TIMEOUT bounds each step), shorter than STALE_AFTER.
SEND_LEASE = timedelta(minutes=5)
# A RUNNING job this old died with its worker.
STALE_AFTER = timedelta(minutes=15)


class NoRecipients(Exception):
    """The company has no active OWNER or ADMIN to tell (retried: one may be added)."""


@dataclass(frozen=True, slots=True)
class LowStockItem:
    product_id: str
    name: str
    sku: str | None
    stock: int
    threshold: int


def low_stock_alert_enqueue(*, order, items: list[LowStockItem]) -> LowStockAlert:
    """Record the email owed for `order` and its job, in the caller's transaction (2 INSERTs)."""
    from stockline.notifications.tasks import send_low_stock_alert

    alert = LowStockAlert(company_id=order.company_id, order=order, items=[asdict(i) for i in items])
    alert.save(force_insert=True)
    send_low_stock_alert.enqueue(str(alert.id))
    return alert


def staff_alert_recipients(company_id) -> list[str]:
    """Every active OWNER and ADMIN of the company, as of sending time."""
    return sorted(
        Membership.objects.filter(
            company_id=company_id, role__in=[Role.OWNER, Role.ADMIN], user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _dashboard_product_url(product_id: str | None) -> str | None:
    """The product's dashboard page as an absolute link (SITE_URL, never the request's Host);
    None for an alert stored before alerts carried product ids."""
    if not product_id:
        return None
    return settings.SITE_URL + reverse("dashboard:product_detail", args=[product_id])


def low_stock_email_build(alert: LowStockAlert, recipients: list[str]) -> EmailMultiAlternatives:
    """The email for `alert`: out-of-stock products first, then the low ones, by name."""
    order = alert.order
    company = alert.company
    items = sorted(
        (
            {
                **item,
                "out_of_stock": stock_status(stock=item["stock"], threshold=item["threshold"])
                == StockStatus.OUT_OF_STOCK,
                "url": _dashboard_product_url(item.get("product_id")),
            }
            for item in alert.items
        ),
        key=lambda item: (not item["out_of_stock"], item["name"].casefold()),
    )
    out_count = sum(item["out_of_stock"] for item in items)
    context = {"company": company, "order": order, "customer": order.customer, "items": items}
    subject = (
        f"[{company.name}] Low stock: {len(items)} product{'s' if len(items) != 1 else ''} to restock"
        f"{f', {out_count} out of stock' if out_count else ''} (order {order.display_number})"
    )
    # The same Message-ID on every attempt: a mailbox shows a resend after a crash once.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "stockline.local"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/low_stock.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"Message-ID": f"<low-stock.{alert.id}@{domain}>"},
    )
    message.attach_alternative(render_to_string("notifications/email/low_stock.html", context), "text/html")
    return message


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff after failed attempt n: base, 2×base, 4×base ... capped."""
    base = settings.LOW_STOCK_EMAIL_RETRY_BASE_SECONDS
    cap = settings.LOW_STOCK_EMAIL_RETRY_MAX_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), cap))


def low_stock_alert_send(alert_id) -> str:
    """Send one owed alert; run by the worker outside any transaction. Safe to run twice.

    One conditional UPDATE claims the alert (attempts + 1, a lease in claimed_until), so a
    sent, abandoned or currently-sending alert is skipped. Nothing is locked while the mail
    server is talking. A failure (refused connection, SMTP 4xx/5xx, no recipient) records
    the attempt and schedules a new job after a backoff, in one transaction, so the email
    is delayed but never lost; after LOW_STOCK_EMAIL_MAX_ATTEMPTS it is given up, logged.
    Returns what happened: "sent", "skipped", "retry scheduled" or "gave up".
    """
    now = timezone.now()
    claimed = (
        LowStockAlert.objects.filter(id=alert_id, sent_at__isnull=True, gave_up_at__isnull=True)
        .filter(models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lte=now))
        .update(attempts=models.F("attempts") + 1, claimed_until=now + SEND_LEASE, updated_at=now)
    )
    if not claimed:
        return "skipped"
    alert = LowStockAlert.objects.select_related("company", "order__customer").get(id=alert_id)
    recipients = staff_alert_recipients(alert.company_id)
    try:
        if not recipients:
            raise NoRecipients(f"{alert.company.name} has no active owner or admin to notify.")
        low_stock_email_build(alert, recipients).send(fail_silently=False)
    except Exception as exc:  # any transport failure: refused connection, SMTP refusal, DNS, timeout
        return _low_stock_alert_failed(alert, exc)
    sent_at = timezone.now()
    LowStockAlert.objects.filter(id=alert.id).update(
        sent_at=sent_at, recipients=recipients, last_error="", claimed_until=None, updated_at=sent_at
    )
    logger.info("Low-stock email %s sent to %s recipient(s)", alert.id, len(recipients))
    return "sent"


def _low_stock_alert_failed(alert: LowStockAlert, exc: Exception) -> str:
    from stockline.notifications.tasks import send_low_stock_alert

    error = f"{type(exc).__name__}: {exc}"[:2000]
    now = timezone.now()
    pending = LowStockAlert.objects.filter(id=alert.id)
    if alert.attempts >= settings.LOW_STOCK_EMAIL_MAX_ATTEMPTS:
        pending.update(last_error=error, gave_up_at=now, claimed_until=None, updated_at=now)
        logger.error(
            "Low-stock email %s for order %s: giving up after %s attempts (%s)",
            alert.id,
            alert.order_id,
            alert.attempts,
            error,
        )
        return "gave up"
    delay = retry_delay(alert.attempts)
    with transaction.atomic():
        pending.update(last_error=error, claimed_until=None, updated_at=now)
        send_low_stock_alert.using(run_after=now + delay).enqueue(str(alert.id))
    logger.warning(
        "Low-stock email %s failed (attempt %s), retrying in %ss: %s",
        alert.id,
        alert.attempts,
        int(delay.total_seconds()),
        error,
    )
    return "retry scheduled"


def low_stock_alerts_requeue_stale(*, older_than: timedelta = STALE_AFTER) -> int:
    """Give a new job to every unsent alert whose job is gone or died with its worker.

    A worker killed mid-task leaves its job RUNNING forever; the worker runs this at start
    and periodically, so such an email is delayed, never lost (the claim in
    low_stock_alert_send keeps the old and the new job from both sending it).
    """
    from django_tasks import TaskResultStatus
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
        models.Q(status=TaskResultStatus.READY)
        | models.Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    covered = {args_kwargs["args"][0] for args_kwargs in live.values_list("args_kwargs", flat=True)}
    orphans = [alert_id for alert_id in unsent if str(alert_id) not in covered]
    for alert_id in orphans:
        send_low_stock_alert.enqueue(str(alert_id))
    if orphans:
        logger.warning("Re-enqueued %s low-stock email job(s) lost with a worker", len(orphans))
    return len(orphans)

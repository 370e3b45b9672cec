"""Sending events to webhook endpoints: at least once, signed, retried for over a day.

Fan-out: events.feed.events_number() calls deliveries_create() for the events it numbers, in
its transaction, so each committed event gets one delivery per subscribed active endpoint,
exactly once, and never one for a rolled-back change.

Sending (webhooks_deliver, by the worker, any number of them): a short transaction claims due
deliveries (FOR UPDATE SKIP LOCKED, so workers never take the same one) by setting
claimed_until WEBHOOK_LEASE_SECONDS ahead; the POSTs happen after it commits, with no transaction or lock
held; each outcome is recorded in its own short transaction. A worker killed mid-delivery
leaves its claims to expire, and another worker sends them again: at least once, the same
webhook-id every time for receivers to de-duplicate.

The HTTP client is httpx: one Client per worker thread keeps connections to each receiver
alive across deliveries (TLS and TCP set up once), has real timeouts, and does not follow
redirects (a redirect could lead to an address the target check refused).
"""

import json
import logging
import random
import threading
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stockline.core.ids import uuid7s
from stockline.core.rows import rows_written
from stockline.events.feed import event_envelope
from stockline.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from stockline.webhooks.signing import signature_header
from stockline.webhooks.targets import target_refusal

logger = logging.getLogger(__name__)

MAX_DELAY = timedelta(hours=4)
PAUSE_AFTER = timedelta(days=3)  # of failing without a success
CLAIM_BATCH = 100
USER_AGENT = "Stockline-Webhooks/1"

_local = threading.local()


def deliveries_create(events: list[tuple]) -> int:
    """A pending delivery of each (event id, company id, type) to every active endpoint of its
    company subscribed to its type, in the caller's transaction; how many."""
    companies = {company_id for _, company_id, _ in events}
    endpoints: dict = {}
    for endpoint in WebhookEndpoint.objects.filter(company_id__in=companies, is_active=True).only(
        "id", "company_id", "events"
    ):
        endpoints.setdefault(endpoint.company_id, []).append(endpoint)
    now = timezone.now()
    wanted = [
        (event_id, company_id, endpoint.id)
        for event_id, company_id, event_type in events
        for endpoint in endpoints.get(company_id, [])
        if event_type in endpoint.events
    ]
    rows = [
        {
            "id": delivery_id,
            "company_id": company_id,
            "endpoint_id": endpoint_id,
            "event_id": event_id,
            "next_attempt_at": now,
            "created_at": now,
        }
        for delivery_id, (event_id, company_id, endpoint_id) in zip(uuid7s(len(wanted)), wanted, strict=True)
    ]
    rows_written(WebhookDelivery, rows)
    return len(rows)


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed attempt a delivery is tried again: doubling from
    WEBHOOK_RETRY_BASE_SECONDS up to MAX_DELAY, then up to a quarter more, at random, so that
    the deliveries of one outage do not all come back at once."""
    base = timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))
    return min(base, MAX_DELAY) * random.uniform(1.0, 1.25)


def _client() -> httpx.Client:
    client = getattr(_local, "client", None)
    if client is None:
        client = _local.client = httpx.Client(
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
            headers={"user-agent": USER_AGENT},
        )
    return client


def _claim(limit: int) -> list[WebhookDelivery]:
    now = timezone.now()
    with transaction.atomic():
        due = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "event__position")
        )
        ids = list(due.values_list("id", flat=True)[:limit])
        lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        WebhookDelivery.objects.filter(id__in=ids).update(claimed_until=now + lease)
    claimed = WebhookDelivery.objects.filter(id__in=ids).select_related("endpoint", "event")
    return list(
        claimed.order_by("next_attempt_at", "event__position")
    )  # a due endpoint's events in feed order


def message(delivery: WebhookDelivery, *, now: datetime) -> tuple[bytes, dict]:
    """The body and headers of one attempt of `delivery`, signed as Standard Webhooks says."""
    endpoint, event = delivery.endpoint, delivery.event
    body = json.dumps(event_envelope(event), cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    secrets = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        secrets.append(endpoint.previous_secret)
    headers = {
        "content-type": "application/json",
        "webhook-id": str(event.id),
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            secrets, message_id=str(event.id), timestamp=timestamp, body=body
        ),
        "x-webhook-event": event.type,
    }
    return body, headers


def _attempt(delivery: WebhookDelivery, client: httpx.Client) -> bool:
    now = timezone.now()
    code, answer = None, ""
    if refusal := target_refusal(delivery.endpoint.url):
        answer = f"Not sent: {refusal}"
    else:
        body, headers = message(delivery, now=now)
        try:
            response = client.post(delivery.endpoint.url, content=body, headers=headers)
            code, answer = response.status_code, response.text[:500]
        except httpx.HTTPError as exc:
            answer = f"{type(exc).__name__}: {exc}"[:500]
    ok = code is not None and 200 <= code < 300
    _record(delivery, ok=ok, code=code, answer=answer, at=now)
    return ok


def _record(delivery: WebhookDelivery, *, ok: bool, code: int | None, answer: str, at: datetime) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.last_status_code, delivery.last_response = at, code, answer
    delivery.claimed_until = None
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = at + retry_delay(delivery.attempts)
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_response",
                "claimed_until",
                "status",
                "next_attempt_at",
            ]
        )
        endpoints = WebhookEndpoint.objects.filter(id=delivery.endpoint_id)
        if ok:
            endpoints.filter(failing_since__isnull=False).update(failing_since=None)
            return
        endpoints.filter(failing_since__isnull=True).update(failing_since=at)
        paused = endpoints.filter(is_active=True, failing_since__lte=at - PAUSE_AFTER).update(
            is_active=False, paused_for_failing=True
        )
        if paused:
            from stockline.webhooks.tasks import send_webhook_paused_email

            send_webhook_paused_email.enqueue(str(delivery.endpoint_id))


def webhooks_deliver(*, limit: int = CLAIM_BATCH, client: httpx.Client | None = None) -> int:
    """Send every delivery that is due, `limit` claimed at a time; how many were attempted."""
    client = client or _client()
    attempted = 0
    while claimed := _claim(limit):
        for delivery in claimed:
            try:
                _attempt(delivery, client)
            except Exception:
                logger.exception("Webhook delivery %s failed to run", delivery.id)
        attempted += len(claimed)
        if len(claimed) < limit:
            break
    return attempted

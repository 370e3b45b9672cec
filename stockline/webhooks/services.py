"""Webhook endpoints: created, changed, deleted, their secrets rotated and test events sent
to them by OWNER/ADMIN staff or API keys with webhooks:write, every change audited."""

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.core.ids import uuid7
from stockline.events.feed import events_record
from stockline.events.models import EventType
from stockline.webhooks.models import TEST_EVENT, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from stockline.webhooks.signing import secret_new
from stockline.webhooks.targets import target_refusal

# After a rotation the old secret signs beside the new one for this long.
ROTATION_OVERLAP = timedelta(hours=24)
URL_MAX = 2000
TEST_MESSAGE = "A test event from Stockline."


class WebhookNotFound(Exception):
    message = "Webhook not found."


class WebhookPaused(Exception):
    message = "This webhook is paused: resume it to send a test event."


@dataclass(frozen=True, slots=True)
class EndpointWithSecret:
    """A new endpoint, or one whose secret was just rotated, with the secret (shown once)."""

    endpoint: WebhookEndpoint
    secret: str


def _checked_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > URL_MAX:
        raise ValidationError({"url": [f"Ensure this value has at most {URL_MAX} characters."]})
    if refusal := target_refusal(url, must_resolve=False):
        raise ValidationError({"url": [refusal]})
    return url


def _checked_events(events) -> list[str]:
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        raise ValidationError({"events": ["Choose at least one event type."]})
    unknown = sorted(set(events) - set(EventType.values))
    if unknown:
        raise ValidationError({"events": [f"Unknown event type: {', '.join(unknown)}."]})
    return sorted(set(events))


def _endpoint_locked(actor: Actor, endpoint_id: UUID) -> WebhookEndpoint:
    endpoint = (
        WebhookEndpoint.objects.select_for_update()
        .filter(company_id=actor.company_id, id=endpoint_id)
        .first()
    )
    if endpoint is None:
        raise WebhookNotFound()
    return endpoint


def _audit(actor: Actor, channel: str, action: str, endpoint: WebhookEndpoint, **metadata) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity_type="webhook",
        entity_id=endpoint.id,
        channel=channel,
        metadata={"url": endpoint.url, **metadata},
    )


def webhook_endpoint_create(
    *, actor: Actor, channel: str, url: str, events: list[str], is_active: bool = True
) -> EndpointWithSecret:
    actor.require(Perm.MANAGE_SETTINGS)
    endpoint = WebhookEndpoint(
        company_id=actor.company_id,
        url=_checked_url(url),
        events=_checked_events(events),
        is_active=bool(is_active),
        secret=secret_new(),
    )
    with transaction.atomic():
        endpoint.save()
        _audit(
            actor,
            channel,
            AuditAction.WEBHOOK_CREATED,
            endpoint,
            events=endpoint.events,
            active=endpoint.is_active,
        )
    return EndpointWithSecret(endpoint, endpoint.secret)


def webhook_endpoint_update(
    *, actor: Actor, channel: str, endpoint_id: UUID, changes: dict
) -> WebhookEndpoint:
    """Change `url`, `events` or `is_active` (resuming an endpoint paused for failing too)."""
    actor.require(Perm.MANAGE_SETTINGS)
    unknown = set(changes) - {"url", "events", "is_active"}
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    checked = {}
    if "url" in changes:
        checked["url"] = _checked_url(changes["url"])
    if "events" in changes:
        checked["events"] = _checked_events(changes["events"])
    if "is_active" in changes:
        checked["is_active"] = bool(changes["is_active"])
    with transaction.atomic():
        endpoint = _endpoint_locked(actor, endpoint_id)
        diff = {k: [getattr(endpoint, k), v] for k, v in checked.items() if getattr(endpoint, k) != v}
        if not diff:
            return endpoint
        for name, (_, value) in diff.items():
            setattr(endpoint, name, value)
        if diff.get("is_active", [None, False])[1]:
            endpoint.paused_for_failing, endpoint.failing_since = False, None
        endpoint.save()
        _audit(actor, channel, AuditAction.WEBHOOK_UPDATED, endpoint, changes=diff)
    return endpoint


def webhook_endpoint_delete(*, actor: Actor, channel: str, endpoint_id: UUID) -> None:
    actor.require(Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        endpoint = _endpoint_locked(actor, endpoint_id)
        _audit(actor, channel, AuditAction.WEBHOOK_DELETED, endpoint)
        endpoint.delete()


def webhook_secret_rotate(*, actor: Actor, channel: str, endpoint_id: UUID) -> EndpointWithSecret:
    """A new secret; for ROTATION_OVERLAP the old one signs too (two signatures per delivery)."""
    actor.require(Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        endpoint = _endpoint_locked(actor, endpoint_id)
        endpoint.previous_secret, endpoint.secret = endpoint.secret, secret_new()
        endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
        _audit(actor, channel, AuditAction.WEBHOOK_SECRET_ROTATED, endpoint)
    return EndpointWithSecret(endpoint, endpoint.secret)


def webhook_redeliver(*, actor: Actor, channel: str, delivery_id: UUID) -> WebhookDelivery:
    """Send a delivery again now, whatever became of it."""
    actor.require(Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(company_id=actor.company_id, id=delivery_id)
            .first()
        )
        if delivery is None:
            raise WebhookNotFound()
        delivery.status, delivery.next_attempt_at, delivery.claimed_until = (
            DeliveryStatus.PENDING,
            timezone.now(),
            None,
        )
        delivery.save(update_fields=["status", "next_attempt_at", "claimed_until"])
        _audit(actor, channel, AuditAction.WEBHOOK_REDELIVERED, delivery.endpoint, delivery=str(delivery.id))
    return delivery


def webhook_test_send(*, actor: Actor, channel: str, endpoint_id: UUID) -> WebhookDelivery:
    """Queue one TEST_EVENT to this endpoint only, whatever it subscribes to: the event and its
    delivery are written here, in one transaction; the worker sends it as it sends any other
    (signed, retried, in the delivery log, redeliverable). Takes the endpoint's row lock.

    The event never gets a position (events.feed.events_number skips its type), so it is not
    in the feed and no other endpoint gets it."""
    actor.require(Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        endpoint = _endpoint_locked(actor, endpoint_id)
        # Refused while paused rather than queued: the worker sends nothing to a paused endpoint,
        # so the test would wait unseen and arrive, stale, whenever the endpoint is resumed.
        if not endpoint.is_active:
            raise WebhookPaused()
        now = timezone.now()
        event_id = uuid7()
        data = {"endpointId": str(endpoint.id), "message": TEST_MESSAGE}
        events_record(
            [
                {
                    "id": event_id,
                    "company_id": endpoint.company_id,
                    "type": TEST_EVENT,
                    "data": data,
                    "created_at": now,
                }
            ]
        )
        delivery = WebhookDelivery.objects.create(
            company_id=endpoint.company_id,
            endpoint=endpoint,
            event_id=event_id,
            next_attempt_at=now,
            created_at=now,
        )
        _audit(
            actor,
            channel,
            AuditAction.WEBHOOK_TEST_SENT,
            endpoint,
            event=str(event_id),
            delivery=str(delivery.id),
        )
    return delivery

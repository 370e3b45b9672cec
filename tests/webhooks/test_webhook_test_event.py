"""The dashboard's "Send test event" (webhooks.services.webhook_test_send): one webhook.test
event queued to one endpoint, sent by the worker like any other, never in the feed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from stockline.accounts.models import Role
from stockline.accounts.permissions import PermissionDenied
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.core.channels import Channel
from stockline.events.feed import events_after, events_number, events_prune
from stockline.events.models import Event
from stockline.webhooks.delivery import webhooks_deliver
from stockline.webhooks.models import TEST_EVENT, DeliveryStatus, WebhookDelivery
from stockline.webhooks.services import (
    WebhookNotFound,
    WebhookPaused,
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_redeliver,
    webhook_test_send,
)
from tests.factories import make_company, make_member, owner_actor


def _endpoint(company, url="https://erp.example.com/hooks", events=("stock.changed",)):
    return webhook_endpoint_create(
        actor=owner_actor(company), channel=Channel.API, url=url, events=list(events)
    )


def _send(company, endpoint_id, actor=None):
    return webhook_test_send(
        actor=actor or owner_actor(company), channel=Channel.DASHBOARD, endpoint_id=endpoint_id
    )


def test_a_test_event_is_queued_to_that_endpoint_only_and_audited(company):
    made = _endpoint(company)
    other = _endpoint(company, url="https://wms.example.com/hooks", events=["stock.changed", "order.created"])

    delivery = _send(company, made.endpoint.id)

    assert (delivery.endpoint_id, delivery.status, delivery.attempts) == (
        made.endpoint.id,
        DeliveryStatus.PENDING,
        0,
    )
    event = Event.objects.get()
    assert (event.type, event.position, event.company_id) == (TEST_EVENT, None, company.id)
    assert event.data == {"endpointId": str(made.endpoint.id), "message": "A test event from Stockline."}
    assert not WebhookDelivery.objects.filter(endpoint=other.endpoint).exists()
    entry = AuditEntry.objects.get(company=company, action=AuditAction.WEBHOOK_TEST_SENT)
    assert (entry.entity_type, entry.entity_id, entry.channel) == (
        "webhook",
        str(made.endpoint.id),
        "DASHBOARD",
    )
    assert entry.metadata == {
        "url": made.endpoint.url,
        "event": str(event.id),
        "delivery": str(delivery.id),
    }


def test_events_number_leaves_a_test_event_alone_and_it_is_not_in_the_feed(company):
    made = _endpoint(company)
    _endpoint(company, url="https://wms.example.com/hooks")
    _send(company, made.endpoint.id)

    assert events_number() == 0

    assert Event.objects.get().position is None
    assert events_after(company_id=company.id, after=0, limit=100) == ([], False)
    assert events_after(company_id=company.id, after=0, limit=100, types=[TEST_EVENT]) == ([], False)
    assert WebhookDelivery.objects.count() == 1


def test_a_member_without_manage_settings_is_refused(company):
    made = _endpoint(company)
    member = make_member(company, role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        _send(company, made.endpoint.id, actor=Actor.staff(member))
    assert not Event.objects.exists() and not WebhookDelivery.objects.exists()


def test_an_admin_may_send_one(company):
    made = _endpoint(company)
    _send(company, made.endpoint.id, actor=Actor.staff(make_member(company, role=Role.ADMIN)))
    assert WebhookDelivery.objects.count() == 1


def test_another_companys_endpoint_is_not_found(company):
    rival = make_company("Rival Supplies")[0]
    theirs = _endpoint(rival)
    with pytest.raises(WebhookNotFound):
        _send(company, theirs.endpoint.id)
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.WEBHOOK_TEST_SENT).exists()


def test_a_paused_endpoint_is_refused_with_a_reason(company):
    made = _endpoint(company)
    webhook_endpoint_update(
        actor=owner_actor(company),
        channel=Channel.API,
        endpoint_id=made.endpoint.id,
        changes={"is_active": False},
    )
    with pytest.raises(WebhookPaused) as refused:
        _send(company, made.endpoint.id)
    assert refused.value.message == "This webhook is paused: resume it to send a test event."
    assert not Event.objects.exists() and not WebhookDelivery.objects.exists()


def test_events_prune_deletes_test_events_past_retention(company, settings):
    settings.EVENT_RETENTION_DAYS = 7
    made = _endpoint(company)
    old, recent = _send(company, made.endpoint.id), _send(company, made.endpoint.id)
    now = timezone.now()
    Event.objects.filter(id=old.event_id).update(created_at=now - timedelta(days=8))

    events_prune(now=now)

    assert list(Event.objects.values_list("id", flat=True)) == [recent.event_id]
    assert list(WebhookDelivery.objects.values_list("id", flat=True)) == [recent.id]


def test_the_worker_sends_it_once_signed_and_redeliver_sends_it_again(company, receiver):
    made = _endpoint(company, url=receiver.url, events=["order.created"])
    delivery = _send(company, made.endpoint.id)
    events_number()

    assert webhooks_deliver() == 1

    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    payload = Webhook(made.secret).verify(request["body"], headers)  # raises unless signed right
    assert headers["x-webhook-event"] == payload["event"] == "webhook.test"
    assert headers["webhook-id"] == payload["id"] == str(delivery.event_id)
    assert payload["data"] == {"endpointId": str(made.endpoint.id), "message": "A test event from Stockline."}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert webhooks_deliver() == 0

    webhook_redeliver(actor=owner_actor(company), channel=Channel.DASHBOARD, delivery_id=delivery.id)
    assert webhooks_deliver() == 1
    assert [r["headers"]["webhook-id"] for r in receiver.requests] == [str(delivery.event_id)] * 2


def test_a_failing_receiver_gets_the_test_event_retried(company, receiver):
    made = _endpoint(company, url=receiver.url)
    delivery = _send(company, made.endpoint.id)
    receiver.answers = [503]
    webhooks_deliver()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 503)
    assert delivery.next_attempt_at > timezone.now()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhooks_deliver()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)

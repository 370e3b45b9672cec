"""Events reach webhook endpoints signed, retried until they are taken, and never twice
created; checked with a real HTTP receiver and the standardwebhooks package's verifier."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from stockline.accounts.models import Membership, Role
from stockline.catalog.services import stock_adjust
from stockline.core.channels import Channel
from stockline.events.feed import events_number
from stockline.webhooks.delivery import PAUSE_AFTER, retry_delay, webhooks_deliver
from stockline.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from stockline.webhooks.services import webhook_endpoint_create, webhook_redeliver, webhook_secret_rotate
from tests.factories import make_company, make_product, owner_actor, place


def _endpoint(company, url, events=("stock.changed",)):
    return webhook_endpoint_create(
        actor=owner_actor(company), channel=Channel.API, url=url, events=list(events)
    )


def _due_now():
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


def test_every_stock_change_reaches_the_endpoint_signed_as_standard_webhooks_says(company, receiver):
    made = _endpoint(company, receiver.url)
    product = make_product(company, name="Hook Widget", sku="HW-1", stock=10)
    place(company, [(product, 4)])
    events_number()
    assert webhooks_deliver() == 2
    assert [e["data"]["stockAfter"] for e in receiver.envelopes()] == [10, 6]
    verifier = Webhook(made.secret)
    for request in receiver.requests:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        payload = verifier.verify(request["body"], headers)  # raises unless the signature is right
        assert headers["webhook-id"] == payload["id"]
        assert headers["x-webhook-event"] == payload["event"] == "stock.changed"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_a_failing_receiver_is_retried_with_the_same_id_until_it_recovers(company, receiver):
    _endpoint(company, receiver.url)
    make_product(company, stock=3)
    events_number()
    receiver.answers = [500, 503]
    webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert delivery.next_attempt_at > timezone.now()
    assert webhooks_deliver() == 0  # not due yet
    for _ in range(2):
        _due_now()
        webhooks_deliver()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        3,
        200,
    )
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(ids) == 1


def test_retries_back_off_for_more_than_a_day_then_the_delivery_is_failed(company, receiver, settings):
    delays = [retry_delay(n) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)]
    assert timedelta(seconds=30) <= delays[0] <= timedelta(seconds=37.5)  # 30 s, up to a quarter more
    assert sum(delays, timedelta()) >= timedelta(hours=24)  # the attempts span over a day
    assert all(d <= timedelta(hours=5) for d in delays)  # never more than 4 h (+ jitter) apart
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    _endpoint(company, receiver.url)
    make_product(company, stock=3)
    events_number()
    receiver.answers = [500, 500]
    webhooks_deliver()
    _due_now()
    webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    _due_now()
    assert webhooks_deliver() == 0  # a failed delivery is not sent again by itself
    webhook_redeliver(actor=owner_actor(company), channel=Channel.DASHBOARD, delivery_id=delivery.id)
    assert webhooks_deliver() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_an_unreachable_endpoint_is_paused_after_three_days_and_the_owners_get_one_email(
    transactional_db, company, mailoutbox
):  # the worker below runs outside any transaction, as in production
    made = _endpoint(company, "http://127.0.0.1:9/nothing-listens-here")
    make_product(company, stock=3)
    events_number()
    webhooks_deliver()
    endpoint = WebhookEndpoint.objects.get(id=made.endpoint.id)
    assert endpoint.failing_since is not None and endpoint.is_active
    WebhookEndpoint.objects.filter(id=endpoint.id).update(failing_since=timezone.now() - PAUSE_AFTER)
    _due_now()
    webhooks_deliver()
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.paused_for_failing) == (False, True)
    from django.core.management import call_command

    call_command("run_worker", "--batch", verbosity=0)
    (email,) = mailoutbox
    assert "paused" in email.subject and made.endpoint.url in email.body
    assert email.to == [Membership.objects.get(company=company, role=Role.OWNER).user.email]


def test_nothing_is_delivered_for_a_rolled_back_change(company, receiver):
    _endpoint(company, receiver.url)
    product = make_product(company, stock=5)
    events_number()
    webhooks_deliver()
    with pytest.raises(RuntimeError), transaction.atomic():
        stock_adjust(actor=owner_actor(company), channel=Channel.API, product_id=product.id, delta=1)
        raise RuntimeError("rolled back")
    events_number()
    webhooks_deliver()
    assert [e["data"]["stockAfter"] for e in receiver.envelopes()] == [5]


def test_an_endpoint_gets_only_its_companys_events_of_the_types_it_subscribes(company, receiver):
    other = make_company()[0]
    _endpoint(company, receiver.url)
    make_product(other, stock=7)
    make_product(company, stock=2)
    events_number()
    webhooks_deliver()
    assert [e["data"]["stockAfter"] for e in receiver.envelopes()] == [2]


def test_a_paused_endpoint_gets_nothing_until_it_is_resumed(company, receiver):
    from stockline.webhooks.services import webhook_endpoint_update

    made = _endpoint(company, receiver.url)
    actor = owner_actor(company)
    webhook_endpoint_update(
        actor=actor, channel=Channel.API, endpoint_id=made.endpoint.id, changes={"is_active": False}
    )
    make_product(company, stock=2)
    events_number()
    assert webhooks_deliver() == 0
    webhook_endpoint_update(
        actor=actor, channel=Channel.API, endpoint_id=made.endpoint.id, changes={"is_active": True}
    )
    make_product(company, stock=4)
    events_number()
    webhooks_deliver()
    assert [e["data"]["stockAfter"] for e in receiver.envelopes()] == [4]  # paused: no delivery was owed


def test_after_a_rotation_both_secrets_sign_for_a_day(company, receiver):
    made = _endpoint(company, receiver.url)
    rotated = webhook_secret_rotate(
        actor=owner_actor(company), channel=Channel.API, endpoint_id=made.endpoint.id
    )
    make_product(company, stock=2)
    events_number()
    webhooks_deliver()
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(made.secret).verify(request["body"], headers)
    Webhook(rotated.secret).verify(request["body"], headers)
    WebhookEndpoint.objects.filter(id=made.endpoint.id).update(previous_secret_until=timezone.now())
    make_product(company, stock=3)
    events_number()
    webhooks_deliver()
    last = {k.lower(): v for k, v in receiver.requests[-1]["headers"].items()}
    assert len(last["webhook-signature"].split(" ")) == 1


def test_private_targets_are_refused_unless_allowed(company, settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    for url in (
        "http://127.0.0.1:8000/x",
        "http://10.0.0.5/x",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
    ):
        with pytest.raises(ValidationError, match="private or reserved"):
            _endpoint(company, url)
    with pytest.raises(ValidationError, match="http:// or https://"):
        _endpoint(company, "ftp://files.example.com/x")
    assert not WebhookEndpoint.objects.exists()


def test_a_target_that_turned_private_is_not_called(company, receiver, settings):
    _endpoint(company, receiver.url)
    make_product(company, stock=2)
    events_number()
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    webhooks_deliver()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == [] and delivery.last_response.startswith("Not sent:")

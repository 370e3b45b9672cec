"""Settings → Webhooks (issue 14): endpoints added with the secret shown once, edited,
paused and resumed, rotated, deleted, sent a test event, and a delivery log with Redeliver,
for OWNER/ADMIN."""

import pytest
from django.utils import timezone

from stockline.accounts.models import Role
from stockline.audit.models import AuditAction, AuditEntry
from stockline.core.channels import Channel
from stockline.events.feed import events_number
from stockline.webhooks.models import TEST_EVENT, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from stockline.webhooks.services import webhook_endpoint_create
from tests.factories import make_company, make_product, owner_actor

URL = "https://erp.example.com/hooks"
BASE = "/dashboard/settings/webhooks"


def make_endpoint(company, url=URL, events=("stock.changed",)):
    return webhook_endpoint_create(
        actor=owner_actor(company), channel=Channel.DASHBOARD, url=url, events=list(events)
    ).endpoint


def make_delivery(company, endpoint=None) -> WebhookDelivery:
    endpoint = endpoint or make_endpoint(company)
    make_product(company)  # writes a stock.changed event
    events_number()  # numbers it and creates its deliveries
    return WebhookDelivery.objects.get(endpoint=endpoint)


def audit_actions(company) -> list[str]:
    return list(
        AuditEntry.objects.filter(company=company, entity_type="webhook")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_add_shows_the_secret_once_and_audits(staff_client, company, role):
    client = staff_client(role)
    response = client.post(BASE, {"url": URL, "events": ["stock.changed"]})
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get(company=company)
    assert (endpoint.url, endpoint.events, endpoint.is_active) == (URL, ["stock.changed"], True)
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    assert response.context["created"].secret == endpoint.secret

    for path in (BASE, f"{BASE}/{endpoint.id}"):
        page = client.get(path)
        assert page.status_code == 200
        assert endpoint.secret not in page.content.decode()
    assert URL in client.get(BASE).content.decode()
    entry = AuditEntry.objects.get(company=company, action=AuditAction.WEBHOOK_CREATED)
    assert str(entry.entity_id) == str(endpoint.id)
    assert entry.channel == Channel.DASHBOARD
    assert entry.metadata["url"] == URL


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"url": URL, "events": ["order.nonsense"]}, "events", "not one of the available choices"),
        ({"url": URL}, "events", "Choose at least one event type."),
        ({"url": "ftp://erp.example.com/hooks", "events": ["stock.changed"]}, "url", "http:// or https://"),
        ({"url": "javascript:alert(1)", "events": ["stock.changed"]}, "url", "http:// or https://"),
        ({"url": "", "events": ["stock.changed"]}, "url", "This field is required."),
    ],
)
def test_bad_input_shows_the_error_and_writes_nothing(owner_client, company, data, field, message):
    response = owner_client.post(BASE, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'class="error"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    assert audit_actions(company) == []


def test_a_private_address_is_refused_when_private_urls_are_not_allowed(owner_client, company, settings):
    endpoint = make_endpoint(company)  # before the guard: the sandbox may not resolve example.com
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    for url in ("http://127.0.0.1:8000/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest"):
        response = owner_client.post(BASE, {"url": url, "events": ["stock.changed"]})
        assert response.status_code == 200
        assert "private or reserved address" in response.context["form"].errors["url"][0]
    response = owner_client.post(
        f"{BASE}/{endpoint.id}", {"url": "http://192.168.0.1/x", "events": ["stock.changed"]}
    )
    assert response.status_code == 200
    assert "private or reserved address" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == URL
    assert WebhookEndpoint.objects.count() == 1
    assert audit_actions(company) == [AuditAction.WEBHOOK_CREATED]


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_edit_url_and_events_is_saved_and_audited(staff_client, company, role):
    client = staff_client(role)
    endpoint = make_endpoint(company)
    page = client.get(f"{BASE}/{endpoint.id}")
    assert page.status_code == 200
    assert page.context["form"].initial == {"url": URL, "events": ["stock.changed"]}
    response = client.post(
        f"{BASE}/{endpoint.id}", {"url": "https://wms.example.com/in", "events": ["stock.changed"]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "https://wms.example.com/in"
    entry = AuditEntry.objects.get(company=company, action=AuditAction.WEBHOOK_UPDATED)
    assert entry.metadata["changes"]["url"] == [URL, "https://wms.example.com/in"]
    assert "Webhook saved." in client.get(f"{BASE}/{endpoint.id}").content.decode()


def test_edit_with_bad_input_keeps_the_endpoint(owner_client, company):
    endpoint = make_endpoint(company)
    for data in (
        {"url": "ftp://x.example.com", "events": ["stock.changed"]},
        {"url": URL, "events": ["nope"]},
        {"url": URL},
    ):
        response = owner_client.post(f"{BASE}/{endpoint.id}", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == (URL, ["stock.changed"])
    assert audit_actions(company) == [AuditAction.WEBHOOK_CREATED]


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_pause_and_resume(staff_client, company, role):
    client = staff_client(role)
    endpoint = make_endpoint(company)
    response = client.post(f"{BASE}/{endpoint.id}/active", {"is_active": "0"}, follow=True)
    assert "paused" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert "Resume" in client.get(BASE).content.decode()

    endpoint.paused_for_failing = True
    endpoint.save(update_fields=["paused_for_failing"])
    response = client.post(f"{BASE}/{endpoint.id}/active", {"is_active": "1", "next": "list"})
    assert response.status_code == 302 and response.url == BASE
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.paused_for_failing) == (True, False)
    changes = [
        e.metadata["changes"]
        for e in AuditEntry.objects.filter(company=company, action=AuditAction.WEBHOOK_UPDATED).order_by(
            "created_at", "id"
        )
    ]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_pause_with_a_bad_value_changes_nothing(owner_client, company):
    endpoint = make_endpoint(company)
    response = owner_client.post(f"{BASE}/{endpoint.id}/active", {"is_active": "maybe"}, follow=True)
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.is_active is True


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_rotate_shows_the_new_secret_once(staff_client, company, role):
    client = staff_client(role)
    endpoint = make_endpoint(company)
    old = endpoint.secret
    response = client.post(f"{BASE}/{endpoint.id}/rotate")
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    body = response.content.decode()
    assert endpoint.secret in body and old not in body
    page = client.get(f"{BASE}/{endpoint.id}").content.decode()
    assert endpoint.secret not in page and old not in page
    assert "previous secret also signs until" in page
    assert audit_actions(company) == [AuditAction.WEBHOOK_CREATED, AuditAction.WEBHOOK_SECRET_ROTATED]


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_delete(staff_client, company, role):
    client = staff_client(role)
    endpoint = make_endpoint(company)
    make_delivery(company, endpoint)
    response = client.post(f"{BASE}/{endpoint.id}/delete", follow=True)
    assert response.redirect_chain[-1][0] == BASE
    assert "deleted" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert audit_actions(company)[-1] == AuditAction.WEBHOOK_DELETED
    assert client.get(f"{BASE}/{endpoint.id}").status_code == 404


def test_delivery_log_lists_deliveries_and_redeliver_resets_one_to_pending(owner_client, company):
    endpoint = make_endpoint(company)
    delivery = make_delivery(company, endpoint)
    delivery.status, delivery.attempts, delivery.last_status_code = DeliveryStatus.FAILED, 7, 503
    delivery.last_response = "Service Unavailable: upstream down"
    delivery.last_attempt_at = timezone.now()
    delivery.save()

    page = owner_client.get(f"{BASE}/{endpoint.id}")
    assert [d.id for d in page.context["deliveries"]] == [delivery.id]
    body = page.content.decode()
    for text in ("stock.changed", str(delivery.event_id), "Failed", "HTTP 503", "upstream down", "Redeliver"):
        assert text in body

    response = owner_client.post(f"{BASE}/deliveries/{delivery.id}/redeliver", follow=True)
    assert response.redirect_chain[-1][0] == f"{BASE}/{endpoint.id}"
    assert "queued to be sent again" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.claimed_until is None
    entry = AuditEntry.objects.get(company=company, action=AuditAction.WEBHOOK_REDELIVERED)
    assert entry.metadata["delivery"] == str(delivery.id)


def test_delivery_log_is_newest_first_and_paginated(owner_client, company):
    endpoint = make_endpoint(company)
    for _ in range(3):
        make_product(company)
    events_number()
    deliveries = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id"))
    assert len(deliveries) == 3
    page = owner_client.get(f"{BASE}/{endpoint.id}")
    assert [d.id for d in page.context["deliveries"]] == [d.id for d in deliveries]
    assert page.context["page_obj"].paginator.per_page == 50


def test_list_shows_only_the_companys_endpoints(owner_client, company):
    make_endpoint(company, url="https://mine.example.com/h")
    other, _ = make_company("Other Co")
    make_endpoint(other, url="https://theirs.example.com/h")
    body = owner_client.get(BASE).content.decode()
    assert "mine.example.com" in body and "theirs.example.com" not in body


def test_another_companys_endpoint_and_delivery_are_404(owner_client, company):
    other, _ = make_company("Other Co")
    endpoint = make_endpoint(other)
    delivery = make_delivery(other, endpoint)
    delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=["status"])
    assert owner_client.get(f"{BASE}/{endpoint.id}").status_code == 404
    for path, data in [
        (f"{BASE}/{endpoint.id}", {"url": "https://x.example.com", "events": ["stock.changed"]}),
        (f"{BASE}/{endpoint.id}/active", {"is_active": "0"}),
        (f"{BASE}/{endpoint.id}/rotate", {}),
        (f"{BASE}/{endpoint.id}/test", {}),
        (f"{BASE}/{endpoint.id}/delete", {}),
        (f"{BASE}/deliveries/{delivery.id}/redeliver", {}),
    ]:
        assert owner_client.post(path, data).status_code == 404, path
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert (endpoint.url, endpoint.is_active) == (URL, True)
    assert delivery.status == DeliveryStatus.FAILED
    assert audit_actions(company) == []


def test_member_gets_403_on_every_route(staff_client, company):
    endpoint = make_endpoint(company)
    delivery = make_delivery(company, endpoint)
    client = staff_client(Role.MEMBER)
    for path in (BASE, f"{BASE}/{endpoint.id}"):
        assert client.get(path).status_code == 403, path
    for path, data in [
        (BASE, {"url": "https://x.example.com", "events": ["stock.changed"]}),
        (f"{BASE}/{endpoint.id}", {"url": "https://x.example.com", "events": ["stock.changed"]}),
        (f"{BASE}/{endpoint.id}/active", {"is_active": "0"}),
        (f"{BASE}/{endpoint.id}/rotate", {}),
        (f"{BASE}/{endpoint.id}/test", {}),
        (f"{BASE}/{endpoint.id}/delete", {}),
        (f"{BASE}/deliveries/{delivery.id}/redeliver", {}),
    ]:
        assert client.post(path, data).status_code == 403, path
    assert WebhookEndpoint.objects.count() == 1
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.is_active) == (URL, True)
    assert audit_actions(company) == [AuditAction.WEBHOOK_CREATED]
    assert "Webhooks" not in client.get("/dashboard").content.decode()


def test_mutations_need_post(owner_client, company):
    endpoint = make_endpoint(company)
    delivery = make_delivery(company, endpoint)
    for path in (
        f"{BASE}/{endpoint.id}/active",
        f"{BASE}/{endpoint.id}/rotate",
        f"{BASE}/{endpoint.id}/test",
        f"{BASE}/{endpoint.id}/delete",
        f"{BASE}/deliveries/{delivery.id}/redeliver",
    ):
        assert owner_client.get(path).status_code == 405, path
    assert WebhookEndpoint.objects.filter(id=endpoint.id).exists()


def test_settings_nav_links_webhooks_for_owner_and_admin(staff_client, company):
    for role in (Role.OWNER, Role.ADMIN):
        body = staff_client(role).get("/dashboard").content.decode()
        assert f'href="{BASE}"' in body


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_send_test_event_queues_one_delivery_to_that_endpoint_and_shows_it(staff_client, company, role):
    client = staff_client(role)
    endpoint = make_endpoint(company)
    other = make_endpoint(company, url="https://wms.example.com/in")
    page = client.get(f"{BASE}/{endpoint.id}").content.decode()
    assert f'action="{BASE}/{endpoint.id}/test"' in page and "Send test event" in page

    response = client.post(f"{BASE}/{endpoint.id}/test", follow=True)

    assert response.redirect_chain[-1][0] == f"{BASE}/{endpoint.id}"
    (delivery,) = WebhookDelivery.objects.filter(company=company)
    assert (delivery.endpoint_id, delivery.status, delivery.event.type) == (
        endpoint.id,
        DeliveryStatus.PENDING,
        TEST_EVENT,
    )
    body = response.content.decode()
    assert f"Test event {delivery.event_id} queued" in body
    assert [d.id for d in response.context["deliveries"]] == [delivery.id]
    assert TEST_EVENT in body and "Pending" in body
    assert not WebhookDelivery.objects.filter(endpoint=other).exists()
    assert audit_actions(company)[-1] == AuditAction.WEBHOOK_TEST_SENT


def test_send_test_event_to_a_paused_endpoint_says_to_resume_it(owner_client, company):
    endpoint = make_endpoint(company)
    owner_client.post(f"{BASE}/{endpoint.id}/active", {"is_active": "0"})
    page = owner_client.get(f"{BASE}/{endpoint.id}").content.decode()
    assert 'disabled title="Resume the webhook to send a test event."' in page

    response = owner_client.post(f"{BASE}/{endpoint.id}/test", follow=True)

    assert response.redirect_chain[-1][0] == f"{BASE}/{endpoint.id}"
    assert "This webhook is paused: resume it to send a test event." in response.content.decode()
    assert not WebhookDelivery.objects.exists()
    assert AuditAction.WEBHOOK_TEST_SENT not in audit_actions(company)

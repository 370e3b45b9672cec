"""Settings → Webhooks in a real browser: add an endpoint, see its secret once, rotate it,
send it a test event."""

import re

import pytest
from playwright.sync_api import expect

from stockline.webhooks.models import TEST_EVENT, WebhookDelivery, WebhookEndpoint
from tests.browser.test_dashboard_flows import log_in
from tests.factories import make_company

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_an_endpoint_see_the_secret_once_then_rotate(page):
    company, owner = make_company("Acme")
    log_in(page, owner.user.email)

    page.get_by_role("link", name="Webhooks").click()
    expect(page).to_have_url(re.compile(r"/dashboard/settings/webhooks$"))
    page.get_by_label("Endpoint URL").fill("https://erp.example.com/hooks")
    page.get_by_label("Stock changed").check()
    page.get_by_role("button", name="Add endpoint").click()

    endpoint = WebhookEndpoint.objects.get(company=company)
    expect(page.locator("[data-webhook-created]")).to_contain_text("shown only once")
    expect(page.get_by_label("Signing secret")).to_have_value(endpoint.secret)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()

    page.goto("/dashboard/settings/webhooks")  # visiting again: the secret is gone for good
    expect(page.locator("[data-webhook-created]")).to_have_count(0)
    expect(page.get_by_role("link", name="https://erp.example.com/hooks")).to_be_visible()
    assert endpoint.secret not in page.content()

    page.get_by_role("link", name="Deliveries").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Rotate secret").click()
    expect(page.locator("[data-webhook-rotated]")).to_contain_text("shown only once")
    endpoint.refresh_from_db()
    expect(page.get_by_label("New signing secret")).to_have_value(endpoint.secret)
    assert endpoint.previous_secret not in page.content()


def test_send_a_test_event_from_the_endpoint_page(page, tmp_path):
    company, owner = make_company("Acme")
    log_in(page, owner.user.email)
    page.goto("/dashboard/settings/webhooks")
    page.get_by_label("Endpoint URL").fill("https://erp.example.com/hooks")
    page.get_by_label("Stock changed").check()
    page.get_by_role("button", name="Add endpoint").click()
    page.goto("/dashboard/settings/webhooks")
    page.get_by_role("link", name="Deliveries").first.click()

    page.get_by_role("button", name="Send test event").click()

    delivery = WebhookDelivery.objects.get(company=company)
    assert delivery.event.type == TEST_EVENT
    expect(page.locator(".messages")).to_contain_text(f"Test event {delivery.event_id} queued")
    row = page.locator(f'[data-delivery="{delivery.id}"]')
    expect(row).to_contain_text(TEST_EVENT)
    expect(row).to_contain_text("Pending")
    page.screenshot(path=str(tmp_path / "webhook-test-event.png"), full_page=True)

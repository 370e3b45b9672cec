"""SPEC §8: one command gives a demo company with staff, a buyer and products in every stock state."""

from io import StringIO

import pytest
from django.core.management import call_command

from stockline.accounts.models import Membership, Role
from stockline.accounts.services import company_create
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.stock_rules import StockStatus
from stockline.core.channels import ORDER_CHANNELS
from stockline.customers.models import Customer
from stockline.demo.catalog import BUYER_EMAIL, PASSWORD, PRODUCTS
from stockline.demo.seed import demo_company
from stockline.notifications.models import LowStockAlert
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order
from tests.catalog.writes import rows_written

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo_products():
    return Product.objects.filter(company=demo_company()).select_related("company")


def test_seed_demo_creates_staff_of_every_role_and_a_buyer_who_can_log_in():
    seed()
    company = demo_company()
    roles = dict(Membership.objects.filter(company=company).values_list("user__email", "role"))
    assert roles == {
        "owner@demo.test": Role.OWNER,
        "admin@demo.test": Role.ADMIN,
        "member@demo.test": Role.MEMBER,
    }
    for membership in Membership.objects.filter(company=company).select_related("user"):
        assert membership.user.check_password(PASSWORD)
    assert Customer.objects.get(company=company, email=BUYER_EMAIL).check_password(PASSWORD)


def test_seed_demo_prints_every_login_and_the_store_url():
    out = seed()
    slug = demo_company().slug
    for text in ("owner@demo.test", "admin@demo.test", "member@demo.test", BUYER_EMAIL, PASSWORD):
        assert text in out
    assert f"/store/{slug}" in out


def test_seed_demo_products_are_in_every_stock_state():
    seed()
    products = list(demo_products())
    active = [p for p in products if p.is_active]
    statuses = {p.stock_status for p in active}
    assert statuses == set(StockStatus.values)
    assert len(products) == len(PRODUCTS) >= 50
    low = [p for p in active if p.stock_status == StockStatus.LOW_STOCK]
    assert any(p.stock == p.effective_threshold for p in low), "one low product sits at its threshold"
    assert any(p.stock < p.effective_threshold for p in low), "one low product is below it"
    assert any(p.low_stock_threshold is not None for p in low), "one is low through its own override"
    assert any(
        p.low_stock_threshold is not None and p.stock_status == StockStatus.IN_STOCK and p.stock <= 5
        for p in active
    ), "an override can also make a few units count as healthy"
    assert len([p for p in products if not p.is_active]) >= 2


def test_seed_demo_products_end_at_their_catalogued_stock():
    seed()
    stock = dict(Product.objects.filter(company=demo_company()).values_list("sku", "stock"))
    assert stock == {p.sku: p.stock for p in PRODUCTS}


def test_seed_demo_ledger_reconciles_for_every_product():
    seed()
    products = list(demo_products())
    assert products
    for product in products:
        assert ledger_reconciles(product), product.sku


def test_seed_demo_order_history_covers_every_channel_and_status_changes():
    seed()
    orders = Order.objects.filter(company=demo_company())
    assert set(orders.values_list("channel", flat=True)) == set(ORDER_CHANNELS)
    assert {
        OrderStatus.SUBMITTED,
        OrderStatus.CONFIRMED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
    } <= set(orders.values_list("status", flat=True))
    entries = AuditEntry.objects.filter(company=demo_company())
    assert entries.filter(action=AuditAction.ORDER_PLACED).count() == orders.count()
    assert entries.filter(action=AuditAction.ORDER_STATUS_CHANGED).exists()
    assert StockMovement.objects.filter(
        product__company=demo_company(), reason=MovementReason.RESTOCK
    ).exists()
    assert LowStockAlert.objects.filter(company=demo_company()).exists()


def test_seed_demo_if_empty_writes_nothing_when_the_demo_exists_but_still_prints_logins():
    seed("--if-empty")
    before = rows_written()
    out = seed("--if-empty")
    assert rows_written() == before
    assert "owner@demo.test" in out and PASSWORD in out and f"/store/{demo_company().slug}" in out


def test_seed_demo_run_twice_duplicates_nothing():
    seed()
    before = rows_written()
    seed()
    assert rows_written() == before


def test_seed_demo_completes_a_partial_demo_company_without_inventing_orders():
    company, _ = company_create(
        name="Demo Distributors", owner_email="owner@demo.test", owner_password=PASSWORD
    )
    seed()
    assert demo_company() == company
    assert Membership.objects.filter(company=company).count() == 3
    assert Product.objects.filter(company=company).count() == len(PRODUCTS)
    assert not Order.objects.filter(company=company).exists()
    for product in demo_products():
        assert ledger_reconciles(product), product.sku


def test_the_demo_has_a_paused_webhook_endpoint_with_the_historys_events_owed(db):
    from stockline.demo.seed import WEBHOOK_URL, demo_seed
    from stockline.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

    seeded = demo_seed()
    endpoint = WebhookEndpoint.objects.get(company=seeded.company)
    assert (endpoint.url, endpoint.is_active) == (WEBHOOK_URL, False)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert deliveries.count() > 50 and set(deliveries.values_list("status", flat=True)) == {
        DeliveryStatus.PENDING
    }

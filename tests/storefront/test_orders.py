"""SPEC §5: the customer's order history and order pages."""

from decimal import Decimal

from stockline.core.channels import Channel
from stockline.orders.services import order_status_change
from stockline.storefront.selectors import ORDERS_PAGE_SIZE
from tests.factories import make_product, owner_actor, place
from tests.storefront.conftest import store_path


def test_order_history_lists_the_customers_orders_newest_first(buyer_client, company, buyer):
    product = make_product(company, stock=100)
    first = place(company, [(product, 1)], channel=Channel.STOREFRONT, customer=buyer, po_number="PO-1")
    second = place(company, [(product, 2)], channel=Channel.STOREFRONT, customer=buyer)
    for_them_by_staff = place(company, [(product, 3)], customer=buyer)

    response = buyer_client.get(store_path(company, "orders"))

    assert [o.id for o in response.context["page_obj"]] == [for_them_by_staff.id, second.id, first.id]
    page = response.content.decode()
    assert f"Order {first.display_number}" in page
    assert "PO-1" in page


def test_order_history_pages_hold_twenty_orders(buyer_client, company, buyer):
    product = make_product(company, stock=100)
    for _ in range(ORDERS_PAGE_SIZE + 1):
        place(company, [(product, 1)], channel=Channel.STOREFRONT, customer=buyer)
    assert len(buyer_client.get(store_path(company, "orders")).context["page_obj"]) == 20
    assert len(buyer_client.get(store_path(company, "orders"), {"page": 2}).context["page_obj"]) == 1


def test_order_history_with_no_orders_says_so(buyer_client, company):
    assert "No orders yet" in buyer_client.get(store_path(company, "orders")).content.decode()


def test_order_page_shows_frozen_lines_total_po_notes_and_status(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", sku="GLV-1", price=Decimal("12.50"), stock=100)
    order = place(
        company, [(gloves, 4)], channel=Channel.STOREFRONT, customer=buyer, po_number="PO-9", notes="Dock 4"
    )
    order_status_change(
        actor=owner_actor(company), channel=Channel.DASHBOARD, order_id=order.id, status="CONFIRMED"
    )
    gloves.name = "Gloves (renamed)"
    gloves.save()

    page = buyer_client.get(store_path(company, f"orders/{order.id}")).content.decode()

    for text in [
        f"Order {order.display_number}",
        "Gloves",
        "GLV-1",
        "$12.50",
        "$50.00",
        "PO-9",
        "Dock 4",
        "Confirmed",
    ]:
        assert text in page
    assert "Gloves (renamed)" not in page


def test_order_pages_need_a_signed_in_customer(client, company, buyer):
    order = place(company, [(make_product(company), 1)], channel=Channel.STOREFRONT, customer=buyer)
    assert client.get(store_path(company, "orders")).status_code == 302
    assert client.get(store_path(company, f"orders/{order.id}")).status_code == 302

"""Orders list, order page with status changes and restock, and New order (SPEC §2–§4)."""

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import MovementReason, StockMovement
from stockline.core.channels import Channel
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order
from stockline.orders.services import order_status_change
from tests.factories import make_customer, make_product, owner_actor, place


def numbers(response) -> list[int]:
    return [o.number for o in response.context["page_obj"]]


def test_orders_list_filters_by_status_and_searches(owner_client, company):
    product = make_product(company, stock=100)
    buyer = make_customer(company, name="Brightside Hardware", email="buy@brightside.test")
    first = place(company, [(product, 1)], po_number="PO-77")
    second = place(company, [(product, 1)], channel=Channel.STOREFRONT, customer=buyer)
    order_status_change(
        actor=owner_actor(company), channel=Channel.DASHBOARD, order_id=first.id, status="CONFIRMED"
    )
    assert numbers(owner_client.get("/dashboard/orders")) == [second.number, first.number]
    assert numbers(owner_client.get("/dashboard/orders?status=CONFIRMED")) == [first.number]
    assert numbers(owner_client.get("/dashboard/orders?q=po-77")) == [first.number]
    assert numbers(owner_client.get("/dashboard/orders?q=brightside")) == [second.number]
    assert numbers(owner_client.get(f"/dashboard/orders?q=%23{second.number}")) == [second.number]
    counts = owner_client.get("/dashboard/orders").context["status_counts"]
    assert counts[OrderStatus.CONFIRMED] == 1 and counts[OrderStatus.SUBMITTED] == 1


def test_order_page_shows_lines_and_only_the_allowed_next_statuses(owner_client, company):
    product = make_product(company, name="Tape", stock=10)
    order = place(company, [(product, 3)])
    response = owner_client.get(f"/dashboard/orders/{order.id}")
    html = response.content.decode()
    assert "Tape" in html and "$30.00" in html
    assert [s for s, _ in response.context["next_statuses"]] == ["CONFIRMED", "CANCELLED"]
    assert "Restock items" in html


def test_status_change_follows_the_lifecycle(owner_client, company):
    order = place(company, [(make_product(company), 1)])
    owner_client.post(f"/dashboard/orders/{order.id}/status", {"status": "CONFIRMED"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    response = owner_client.post(f"/dashboard/orders/{order.id}/status", {"status": "DELIVERED"}, follow=True)
    assert "Cannot change an order from CONFIRMED to DELIVERED." in response.content.decode()
    response = owner_client.post(f"/dashboard/orders/{order.id}/status", {"status": "LOST"}, follow=True)
    assert "Invalid order status." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert AuditEntry.objects.filter(action=AuditAction.ORDER_STATUS_CHANGED).count() == 1


def test_cancel_keeps_stock_unless_restock_is_ticked(owner_client, company):
    product = make_product(company, stock=10)
    kept = place(company, [(product, 4)])
    restocked = place(company, [(product, 2)])
    owner_client.post(f"/dashboard/orders/{kept.id}/status", {"status": "CANCELLED"})
    product.refresh_from_db()
    assert product.stock == 4
    owner_client.post(f"/dashboard/orders/{restocked.id}/status", {"status": "CANCELLED", "restock": "1"})
    product.refresh_from_db()
    assert product.stock == 6
    assert StockMovement.objects.filter(product=product, reason=MovementReason.RESTOCK).count() == 1


def test_new_order_picker_warns_only_n_left_and_shows_out_of_stock_as_not_addable(owner_client, company):
    make_product(company, name="Low one", sku="LOW", stock=3)
    make_product(company, name="Gone", sku="GONE", stock=0)
    make_product(company, name="Plenty", sku="PLENTY", stock=100)
    make_product(company, name="Hidden", sku="HIDDEN", stock=100, is_active=False)
    html = owner_client.get("/dashboard/orders/new").content.decode()
    row = {
        sku: html.split(f'data-picker-row="{sku}"')[1].split("</tr>")[0] for sku in ["LOW", "GONE", "PLENTY"]
    }
    assert "Only 3 left" in row["LOW"] and "data-add-product" in row["LOW"]
    assert (
        "Out of stock" in row["GONE"] and "data-add-product" not in row["GONE"] and "disabled" in row["GONE"]
    )
    assert "Only" not in row["PLENTY"]
    assert "HIDDEN" not in html


def test_new_order_picker_searches(owner_client, company):
    make_product(company, name="Blue Widget", sku="BW")
    make_product(company, name="Red Gadget", sku="RG")
    html = owner_client.get("/dashboard/orders/new/products?q=gadg").content.decode()
    assert "Red Gadget" in html and "Blue Widget" not in html


def test_cart_line_caps_quantity_at_stock_and_refuses_out_of_stock(owner_client, company):
    low = make_product(company, stock=3)
    gone = make_product(company, stock=0)
    html = owner_client.get(f"/dashboard/orders/new/line/{low.id}").content.decode()
    assert 'max="3"' in html and "Only 3 left" in html
    assert owner_client.get(f"/dashboard/orders/new/line/{gone.id}").status_code == 409


def test_placing_a_new_order_takes_stock_and_opens_the_order(owner_client, company, owner):
    a = make_product(company, stock=10)
    b = make_product(company, stock=5)
    response = owner_client.post(
        "/dashboard/orders/new",
        {"product": [str(a.id), str(b.id)], "quantity": ["4", "5"], "po_number": "PO-1", "notes": "Dock 3"},
    )
    order = Order.objects.get(company=company)
    assert response.status_code == 302 and response.url == f"/dashboard/orders/{order.id}"
    assert (order.channel, order.po_number, order.notes, order.placed_by_user_id) == (
        "DASHBOARD",
        "PO-1",
        "Dock 3",
        owner.user_id,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.stock, b.stock) == (6, 0)


def test_new_order_refused_with_the_exact_stock_message_when_stock_moved_meanwhile(owner_client, company):
    product = make_product(company, name="Tape", stock=5)
    other = make_product(company, name="Glue", stock=1)
    place(company, [(product, 4)])  # sold elsewhere after the cart was filled
    response = owner_client.post(
        "/dashboard/orders/new", {"product": [str(product.id), str(other.id)], "quantity": ["3", "2"]}
    )
    assert response.status_code == 422
    assert sorted(response.context["errors"]) == [
        "Not enough stock for Glue. Only 1 available.",
        "Not enough stock for Tape. Only 1 available.",
    ]
    assert response.context["errors"][0] in response.content.decode()
    assert [(p.name, qty) for p, qty in response.context["cart"]] == [("Tape", 3), ("Glue", 2)]
    assert Order.objects.filter(company=company).count() == 1
    product.refresh_from_db()
    assert product.stock == 1


def test_a_refused_cart_shows_a_sold_out_line_as_out_of_stock_not_only_0_left(owner_client, company):
    glue = make_product(company, name="Glue", stock=1)
    place(company, [(glue, 1)])  # sold elsewhere after the cart was filled
    response = owner_client.post("/dashboard/orders/new", {"product": [str(glue.id)], "quantity": ["1"]})
    line = response.content.decode().split(f'data-product="{glue.id}"')[1].split("</tr>")[0]
    assert "Out of stock" in line and "Only" not in line


def test_new_order_refuses_inactive_products_and_bad_quantities(owner_client, company):
    product = make_product(company, name="Retired", stock=5, is_active=False)
    response = owner_client.post("/dashboard/orders/new", {"product": [str(product.id)], "quantity": ["1"]})
    assert response.status_code == 422 and "Retired is no longer available." in response.context["errors"]
    live = make_product(company, stock=5)
    for qty, message in [("0", "quantity must be at least 1"), ("two", "Quantities must be whole numbers.")]:
        response = owner_client.post("/dashboard/orders/new", {"product": [str(live.id)], "quantity": [qty]})
        assert response.status_code == 422 and response.context["errors"] == [message]
    response = owner_client.post("/dashboard/orders/new", {})
    assert response.context["errors"] == ["At least one item is required"]
    assert not Order.objects.exists()


def test_new_order_po_number_and_notes_limits(owner_client, company):
    product = make_product(company, stock=5)
    response = owner_client.post(
        "/dashboard/orders/new", {"product": [str(product.id)], "quantity": ["1"], "po_number": "P" * 101}
    )
    assert response.status_code == 422 and "po_number" in response.context["details"].errors
    assert not Order.objects.exists()

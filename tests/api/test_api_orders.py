"""/api/v1/orders: filters, placement with the exact stock messages, malformed items, status changes."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from stockline.catalog.models import Product, StockMovement
from stockline.customers.models import CustomerStatus
from stockline.orders.models import Order
from tests.api.conftest import ApiClient, error_of, make_api_key, newest_first
from tests.factories import make_customer, make_product, place

ORDER_KEYS = {
    "id",
    "number",
    "status",
    "channel",
    "customerId",
    "poNumber",
    "notes",
    "total",
    "createdAt",
    "updatedAt",
    "items",
}
ITEM_KEYS = {"id", "productId", "productName", "productSku", "quantity", "unitPrice"}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["id"] for o in response.json()["data"]]


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


# Listing and filters


def test_list_returns_orders_with_their_items(api, company):
    product = make_product(company, name="Drill", sku="DR-1", price=Decimal("40.00"))
    customer = make_customer(company)
    order = place(company, [(product, 2)], customer=customer, po_number="PO-9", notes="Rear door")
    (item,) = api.get("/orders").json()["data"]
    assert set(item) == ORDER_KEYS
    assert item["id"] == str(order.id)
    assert item["number"] == order.display_number
    assert (item["status"], item["channel"]) == ("SUBMITTED", "DASHBOARD")
    assert item["customerId"] == str(customer.id)
    assert (item["poNumber"], item["notes"], item["total"]) == ("PO-9", "Rear door", 80.0)
    (line,) = item["items"]
    assert set(line) == ITEM_KEYS
    assert line["productId"] == str(product.id)
    assert (line["productName"], line["productSku"], line["quantity"], line["unitPrice"]) == (
        "Drill",
        "DR-1",
        2,
        40.0,
    )


def test_status_filter(api, company):
    product = make_product(company)
    submitted = place(company, [(product, 1)])
    confirmed = place(company, [(product, 1)])
    api.patch(f"/orders/{confirmed.id}", {"status": "CONFIRMED"})
    assert ids(api.get("/orders", {"status": "CONFIRMED"})) == [str(confirmed.id)]
    assert ids(api.get("/orders", {"status": "SUBMITTED"})) == [str(submitted.id)]
    assert ids(api.get("/orders", {"status": "SHIPPED"})) == []


def test_an_unknown_status_filter_is_a_400(api, company):
    assert error_of(api.get("/orders", {"status": "shipped"}), 400) == "Invalid order status."


def test_customer_filter(api, company):
    product = make_product(company)
    alice, bob = make_customer(company), make_customer(company)
    of_alice = place(company, [(product, 1)], customer=alice)
    place(company, [(product, 1)], customer=bob)
    place(company, [(product, 1)])
    assert ids(api.get("/orders", {"customerId": str(alice.id)})) == [str(of_alice.id)]


def test_a_malformed_customer_filter_is_a_400(api, company):
    assert error_of(api.get("/orders", {"customerId": "alice"}), 400) == "customerId must be a valid id"


@pytest.fixture
def april_orders(company):
    """Orders created 2026-03-31 23:00, 2026-04-01 09:00, 2026-04-02 18:00 and 2026-04-03 00:00 UTC."""
    product = make_product(company)
    orders = [place(company, [(product, 1)]) for _ in range(4)]
    times = [
        datetime(2026, 3, 31, 23, 0, tzinfo=UTC),
        datetime(2026, 4, 1, 9, 0, tzinfo=UTC),
        datetime(2026, 4, 2, 18, 0, tzinfo=UTC),
        datetime(2026, 4, 3, 0, 0, tzinfo=UTC),
    ]
    for order, when in zip(orders, times, strict=True):
        Order.objects.filter(id=order.id).update(created_at=when)
    return [str(o.id) for o in orders]


def test_since_and_until_take_plain_dates_with_until_inclusive_of_its_whole_day(api, april_orders):
    _, first, second, _ = april_orders
    response = api.get("/orders", {"since": "2026-04-01", "until": "2026-04-02"})
    assert ids(response) == [second, first]


def test_since_and_until_take_full_iso_timestamps(api, april_orders):
    before, first, second, after = april_orders
    assert ids(api.get("/orders", {"since": "2026-04-01T09:00:00Z"})) == [after, second, first]
    assert ids(api.get("/orders", {"until": "2026-04-01T09:00:00+00:00"})) == [first, before]
    # 11:00 in UTC+2 is 09:00 UTC; a naive timestamp is UTC.
    assert ids(api.get("/orders", {"since": "2026-04-01T11:00:01+02:00"})) == [after, second]
    assert ids(api.get("/orders", {"since": "2026-04-02T18:00:00", "until": "2026-04-02T18:00:00"})) == [
        second
    ]


@pytest.mark.parametrize("param", ["since", "until"])
@pytest.mark.parametrize("value", ["yesterday", "2026-13-45", "2026-02-30", "0001-01-01T00:00:00+14:00"])
def test_an_unreadable_date_filter_is_a_400(api, company, param, value):
    message = error_of(api.get("/orders", {param: value}), 400)
    assert message == f"{param} must be a date (YYYY-MM-DD) or an ISO-8601 timestamp."


def test_the_extreme_dates_are_accepted(api, april_orders):
    assert len(ids(api.get("/orders", {"since": "0001-01-01", "until": "9999-12-31"}))) == 4


# One order


def test_get_one_order(api, company):
    product = make_product(company)
    order = place(company, [(product, 3)])
    data = api.get(f"/orders/{order.id}").json()["data"]
    assert data["id"] == str(order.id)
    assert data["items"][0]["quantity"] == 3


@pytest.mark.parametrize("order_id", ["0190e6a4-0000-7000-8000-000000000000", "ORD-1"])
def test_get_an_unknown_order_is_a_404(api, company, order_id):
    assert error_of(api.get(f"/orders/{order_id}"), 404) == "Order not found."


# Placing


def test_post_places_an_api_order_with_201(api, company):
    a = make_product(company, name="Alpha", price=Decimal("2.50"), stock=10)
    b = make_product(company, name="Beta", price=Decimal("1.00"), stock=5)
    customer = make_customer(company)
    response = api.post(
        "/orders",
        {
            "customerId": str(customer.id),
            "items": [{"productId": str(a.id), "quantity": 4}, {"productId": str(b.id), "quantity": 5}],
            "poNumber": "PO-1",
            "notes": "Leave at dock 4",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["status"], data["channel"], data["total"]) == ("SUBMITTED", "API", 15.0)
    assert data["customerId"] == str(customer.id)
    assert (data["poNumber"], data["notes"]) == ("PO-1", "Leave at dock 4")
    assert {(i["productName"], i["quantity"]) for i in data["items"]} == {("Alpha", 4), ("Beta", 5)}
    assert (stock_of(a), stock_of(b)) == (6, 0)
    order = Order.objects.get(id=data["id"], company=company)
    assert order.channel == "API"


def test_post_without_a_customer_is_allowed(api, company):
    product = make_product(company)
    response = api.post("/orders", {"items": [{"productId": str(product.id), "quantity": 1}]})
    assert response.status_code == 201
    assert response.json()["data"]["customerId"] is None


def test_an_order_is_placed_by_the_key(api, company):
    key, plaintext = make_api_key(company)
    product = make_product(company)
    response = ApiClient(plaintext).post(
        "/orders", {"items": [{"productId": str(product.id), "quantity": 1}]}
    )
    assert Order.objects.get(id=response.json()["data"]["id"]).placed_by_api_key_id == key.id


def test_lines_of_one_product_are_merged(api, company):
    product = make_product(company, stock=10)
    items = [{"productId": str(product.id), "quantity": 3}, {"productId": str(product.id), "quantity": 4}]
    response = api.post("/orders", {"items": items})
    assert response.status_code == 201
    (line,) = response.json()["data"]["items"]
    assert line["quantity"] == 7
    assert stock_of(product) == 3


def test_insufficient_stock_is_a_422_with_the_exact_message_and_nothing_ordered(api, company):
    product = make_product(company, name="Bolt", stock=3)
    response = api.post("/orders", {"items": [{"productId": str(product.id), "quantity": 4}]})
    assert error_of(response, 422) == "Not enough stock for Bolt. Only 3 available."
    assert stock_of(product) == 3
    assert not Order.objects.filter(company=company).exists()


def test_insufficient_stock_details_list_every_short_line(api, company):
    fine = make_product(company, name="Fine", stock=100)
    nut = make_product(company, name="Nut", stock=2)
    bolt = make_product(company, name="Bolt", stock=0)
    items = [
        {"productId": str(fine.id), "quantity": 1},
        {"productId": str(nut.id), "quantity": 5},
        {"productId": str(bolt.id), "quantity": 1},
    ]
    response = api.post("/orders", {"items": items})
    body = response.json()
    assert response.status_code == 422
    details = {d["productId"]: d for d in body["details"]}
    assert set(details) == {str(nut.id), str(bolt.id)}
    assert details[str(nut.id)] == {
        "productId": str(nut.id),
        "productName": "Nut",
        "requested": 5,
        "available": 2,
        "message": "Not enough stock for Nut. Only 2 available.",
    }
    assert details[str(bolt.id)]["message"] == "Not enough stock for Bolt. Only 0 available."
    assert body["error"] == body["details"][0]["message"]
    assert (stock_of(fine), stock_of(nut), stock_of(bolt)) == (100, 2, 0)
    assert not Order.objects.filter(company=company).exists()
    assert not StockMovement.objects.filter(product=fine, reason="ORDER").exists()


def test_an_inactive_product_is_refused_with_a_422(api, company):
    product = make_product(company, name="Retired", is_active=False)
    response = api.post("/orders", {"items": [{"productId": str(product.id), "quantity": 1}]})
    assert error_of(response, 422) == "Retired is no longer available."


def test_an_unknown_product_is_a_404(api, company):
    items = [{"productId": "0190e6a4-0000-7000-8000-000000000000", "quantity": 1}]
    assert error_of(api.post("/orders", {"items": items}), 404) == "Product not found."


def test_an_unknown_customer_is_a_404(api, company):
    product = make_product(company)
    items = [{"productId": str(product.id), "quantity": 1}]
    body = {"customerId": "0190e6a4-0000-7000-8000-000000000000", "items": items}
    assert error_of(api.post("/orders", body), 404) == "Customer not found."
    assert stock_of(product) == 100


def test_a_blocked_customer_cannot_be_ordered_for(api, company):
    product = make_product(company)
    customer = make_customer(company, status=CustomerStatus.BLOCKED)
    body = {"customerId": str(customer.id), "items": [{"productId": str(product.id), "quantity": 1}]}
    assert error_of(api.post("/orders", body), 422) == "This customer's account is suspended."


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"quantity": 1}], "productId is required"),
        ([{"productId": "{p}"}], "quantity is required"),
        ([{"productId": "{p}", "quantity": "abc"}], "quantity must be a number"),
        ([{"productId": "{p}", "quantity": 1.5}], "quantity must be a whole number"),
        ([{"productId": "{p}", "quantity": True}], "quantity must be a whole number"),
        ([{"productId": "{p}", "quantity": 0}], "quantity must be at least 1"),
        ([{"productId": "{p}", "quantity": -3}], "quantity must be at least 1"),
        ([{"productId": "{p}", "quantity": 10**20}], "quantity must be at most 2147483647"),
        ([{"productId": "bolt", "quantity": 1}], "productId must be a valid id"),
        ([], "At least one item is required"),
        (
            [{"productId": "{p}", "quantity": 1}, {"productId": "{p}", "quantity": 0}],
            "quantity must be at least 1",
        ),
    ],
)
def test_malformed_items_are_a_400_with_the_documented_message(api, company, items, message):
    product = make_product(company, stock=10)
    items = [{k: str(product.id) if v == "{p}" else v for k, v in item.items()} for item in items]
    assert error_of(api.post("/orders", {"items": items}), 400) == message
    assert stock_of(product) == 10
    assert not Order.objects.filter(company=company).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{", "Invalid JSON body."),
        ("", "Invalid JSON body."),
        ("[]", "Invalid JSON body."),
        ({}, "items is required"),
        ({"items": None}, "items: Input should be a valid list"),
        (
            {"items": [{"productId": "{p}", "quantity": 1}], "poNumber": "P" * 101},
            "PO number must be at most",
        ),
        ({"items": [{"productId": "{p}", "quantity": 1}], "notes": "n" * 2001}, "Notes must be at most"),
        ({"items": [{"productId": "{p}", "quantity": 1}], "notes": "a\x00"}, "notes must not contain NUL"),
        (
            {"items": [{"productId": "{p}", "quantity": 1}], "customerId": "x"},
            "customerId must be a valid id",
        ),
    ],
)
def test_a_malformed_order_body_is_a_400(api, company, body, message):
    product = make_product(company, stock=10)
    if isinstance(body, dict) and body.get("items"):
        body["items"][0]["productId"] = str(product.id)
    assert error_of(api.post("/orders", body), 400).startswith(message)
    assert stock_of(product) == 10


# Status changes


def test_patch_walks_an_order_through_its_lifecycle(api, company):
    product = make_product(company)
    order = place(company, [(product, 1)])
    for status in ["CONFIRMED", "SHIPPED", "DELIVERED", "REFUNDED"]:
        response = api.patch(f"/orders/{order.id}", {"status": status})
        assert response.status_code == 200, response.content
        assert response.json()["data"]["status"] == status
    order.refresh_from_db()
    assert order.status == "REFUNDED"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "SHIPPED"),
        ([], "DELIVERED"),
        ([], "REFUNDED"),
        ([], "SUBMITTED"),
        (["CONFIRMED"], "SUBMITTED"),
        (["CONFIRMED"], "DELIVERED"),
        (["CANCELLED"], "CONFIRMED"),
        (["CONFIRMED", "SHIPPED"], "CANCELLED"),
        (["CONFIRMED", "SHIPPED", "DELIVERED"], "SHIPPED"),
    ],
)
def test_a_disallowed_status_change_is_a_422(api, company, path, target):
    product = make_product(company)
    order = place(company, [(product, 1)])
    for status in path:
        assert api.patch(f"/orders/{order.id}", {"status": status}).status_code == 200
    current = path[-1] if path else "SUBMITTED"
    message = error_of(api.patch(f"/orders/{order.id}", {"status": target}), 422)
    assert message == f"Cannot change an order from {current} to {target}."
    order.refresh_from_db()
    assert order.status == current


@pytest.mark.parametrize("status", ["confirmed", "PAID", "", "CONFIRMED "])
def test_an_unknown_status_is_a_400(api, company, status):
    product = make_product(company)
    order = place(company, [(product, 1)])
    assert error_of(api.patch(f"/orders/{order.id}", {"status": status}), 400) == "Invalid order status."


def test_status_is_required(api, company):
    order = place(company, [(make_product(company), 1)])
    assert error_of(api.patch(f"/orders/{order.id}", {}), 400) == "status is required"


def test_cancel_does_not_restock_unless_asked(api, company):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    assert api.patch(f"/orders/{order.id}", {"status": "CANCELLED"}).status_code == 200
    assert stock_of(product) == 6


def test_cancel_with_restock_puts_the_units_back_once(api, company):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    response = api.patch(f"/orders/{order.id}", {"status": "CANCELLED", "restock": True})
    assert response.status_code == 200
    assert stock_of(product) == 10
    movement = StockMovement.objects.get(product=product, reason="RESTOCK")
    assert (movement.delta, movement.order_id) == (4, order.id)


def test_refund_with_restock_after_a_restocked_order_cannot_happen_twice(api, company):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    for status in ["CONFIRMED", "SHIPPED"]:
        api.patch(f"/orders/{order.id}", {"status": status})
    assert api.patch(f"/orders/{order.id}", {"status": "REFUNDED", "restock": True}).status_code == 200
    assert stock_of(product) == 10
    response = api.patch(f"/orders/{order.id}", {"status": "REFUNDED", "restock": True})
    assert error_of(response, 422) == "Cannot change an order from REFUNDED to REFUNDED."
    assert stock_of(product) == 10
    assert StockMovement.objects.filter(product=product, reason="RESTOCK").count() == 1


def test_restock_is_refused_for_a_status_that_is_not_cancel_or_refund(api, company):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    response = api.patch(f"/orders/{order.id}", {"status": "CONFIRMED", "restock": True})
    assert error_of(response, 400) == "Items can only be restocked when cancelling or refunding."
    assert stock_of(product) == 6


def test_patch_an_unknown_order_is_a_404(api, company):
    response = api.patch("/orders/0190e6a4-0000-7000-8000-000000000000", {"status": "CONFIRMED"})
    assert error_of(response, 404) == "Order not found."


def test_list_is_newest_first(api, company):
    product = make_product(company)
    orders = newest_first(Order, [place(company, [(product, 1)]) for _ in range(3)])
    assert ids(api.get("/orders")) == [str(o.id) for o in orders]
    assert timedelta(0) < orders[0].created_at - orders[-1].created_at

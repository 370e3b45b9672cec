"""order.created from every order channel, and the product.low_stock / out_of_stock /
back_in_stock events a stock change sets off: written with the change (none when it rolls
back), numbered in the order the transaction made them, their data the resource exactly as
the API renders it. The suite runs on SQLite and PostgreSQL: on PostgreSQL an order's events
are written by its one statement (orders.placement.postgresql), so comparing them with the
API's JSON proves the SQL twin of the serializers."""

import json
from decimal import Decimal

import pytest
from django.db import transaction

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.services import product_update, stock_adjust
from stockline.catalog.stock import status_event_types
from stockline.catalog.stock_rules import StockStatus
from stockline.core.channels import Channel
from stockline.events.feed import events_after, events_number
from stockline.events.models import Event, EventType
from stockline.orders.models import Order
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_company, make_customer, make_product, owner_actor, place
from tests.storefront.conftest import sign_in
from tests.storefront.test_checkout import checkout, fill_cart

pytestmark = pytest.mark.django_db

STATUS_TYPES = [EventType.PRODUCT_LOW_STOCK, EventType.PRODUCT_OUT_OF_STOCK, EventType.PRODUCT_BACK_IN_STOCK]


def as_json(value):
    return json.loads(json.dumps(value))


def api_of(company) -> ApiClient:
    return ApiClient(make_key(company))


def order_events(order) -> list[Event]:
    return list(Event.objects.filter(type=EventType.ORDER_CREATED, data__id=str(order.id)))


def status_events(product) -> list[tuple[str, dict]]:
    events = Event.objects.filter(type__in=STATUS_TYPES, data__id=str(product.id))
    events = events.order_by("created_at", "id")
    return [(e.type, e.data) for e in events]


def test_an_api_order_writes_order_created_with_the_order_as_the_api_returns_it(company):
    api = api_of(company)
    bolts = make_product(company, name="bolts", sku="B-1", price=Decimal("3.50"), stock=50)
    anchors = make_product(company, name="Anchors", sku=None, price=Decimal("12.05"), stock=50)
    buyer = make_customer(company)

    response = api.post(
        "/orders",
        {
            "customerId": str(buyer.id),
            "items": [
                {"productId": str(bolts.id), "quantity": 3},
                {"productId": str(anchors.id), "quantity": 2},
            ],
            "poNumber": "PO-9",
        },
    )

    assert response.status_code == 201
    (event,) = order_events(Order.objects.get(company=company))
    served = api.get(f"/orders/{response.json()['data']['id']}").json()["data"]
    assert event.data == response.json()["data"] == served
    assert event.data["channel"] == Channel.API and event.data["notes"] is None
    assert [item["productName"] for item in event.data["items"]] == [
        line["productName"] for line in served["items"]
    ]


@pytest.mark.parametrize("channel", [Channel.DASHBOARD, Channel.STOREFRONT])
def test_orders_from_every_channel_write_one_order_created_event(company, channel):
    product = make_product(company, stock=10)
    customer = make_customer(company)
    order = place(company, [(product, 2)], channel=channel, customer=customer)
    (event,) = order_events(order)
    assert (event.company_id, event.data["channel"], event.data["customerId"]) == (
        company.id,
        channel,
        str(customer.id),
    )
    assert event.data == as_json(api_of(company).get(f"/orders/{order.id}").json()["data"])


def test_a_dashboard_new_order_page_writes_order_created(client, owner, company):
    client.force_login(owner.user)
    product = make_product(company, stock=10)
    response = client.post("/dashboard/orders/new", {"product": [str(product.id)], "quantity": ["4"]})
    assert response.status_code == 302
    (event,) = order_events(Order.objects.get(company=company))
    assert event.data["channel"] == Channel.DASHBOARD and event.data["items"][0]["quantity"] == 4


def test_a_storefront_checkout_writes_order_created(client, company):
    buyer = make_customer(company)
    buyer_client = sign_in(client, company, buyer)
    product = make_product(company, stock=10)
    fill_cart(buyer_client, company, [(product, 1)])
    assert checkout(buyer_client, company, [(product, 3)]).status_code == 302
    (event,) = order_events(Order.objects.get(company=company))
    assert (event.data["channel"], event.data["customerId"]) == (Channel.STOREFRONT, str(buyer.id))


def test_an_order_that_takes_stock_low_and_out_writes_the_status_events_with_the_product_json(company):
    company.low_stock_threshold = 5
    company.save()
    api = api_of(company)
    low = make_product(company, name="Low", stock=8)
    out = make_product(company, name="Out", stock=3)
    fine = make_product(company, name="Fine", stock=100)
    already_low = make_product(company, name="Already low", stock=4)

    order = place(company, [(low, 4), (out, 3), (fine, 1), (already_low, 1)])

    assert [t for t, _ in status_events(low)] == [EventType.PRODUCT_LOW_STOCK]
    assert [t for t, _ in status_events(out)] == [EventType.PRODUCT_OUT_OF_STOCK]
    assert status_events(fine) == [] and status_events(already_low) == []
    for product in (low, out):
        (_, data), served = status_events(product)[0], api.get(f"/products/{product.id}").json()["data"]
        assert data == served
    events_number()
    feed, _ = events_after(company_id=company.id, after=0, limit=100)
    ours = [e for e in feed if e.created_at == order.created_at]
    # in the order the transaction made them: the order, its stock changes, then the statuses
    assert [e.type for e in ours] == [EventType.ORDER_CREATED] + [EventType.STOCK_CHANGED] * 4 + [
        EventType.PRODUCT_LOW_STOCK,
        EventType.PRODUCT_OUT_OF_STOCK,
    ]


def test_a_refused_order_writes_no_event_at_all(company):
    plenty = make_product(company, stock=50)
    short = make_product(company, stock=1)
    before = Event.objects.count()
    with pytest.raises(InsufficientStock):
        place(company, [(plenty, 1), (short, 5)])
    assert Event.objects.count() == before


def test_an_order_rolled_back_by_its_caller_writes_no_event(company):
    product = make_product(company, stock=3)
    before = Event.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        place(company, [(product, 3)])
        raise RuntimeError("the caller fails after the order")
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (StockStatus.IN_STOCK, StockStatus.IN_STOCK, []),
        (StockStatus.IN_STOCK, StockStatus.LOW_STOCK, [EventType.PRODUCT_LOW_STOCK]),
        (StockStatus.IN_STOCK, StockStatus.OUT_OF_STOCK, [EventType.PRODUCT_OUT_OF_STOCK]),
        (StockStatus.LOW_STOCK, StockStatus.OUT_OF_STOCK, [EventType.PRODUCT_OUT_OF_STOCK]),
        (StockStatus.LOW_STOCK, StockStatus.IN_STOCK, []),
        (StockStatus.OUT_OF_STOCK, StockStatus.IN_STOCK, [EventType.PRODUCT_BACK_IN_STOCK]),
        (
            StockStatus.OUT_OF_STOCK,
            StockStatus.LOW_STOCK,
            [EventType.PRODUCT_BACK_IN_STOCK, EventType.PRODUCT_LOW_STOCK],
        ),
    ],
)
def test_status_event_types(before, after, expected):
    assert status_event_types(before=before, after=after) == expected


def test_every_adjustment_path_writes_status_events_and_back_in_stock(company):
    company.low_stock_threshold = 5
    company.save()
    api = api_of(company)
    product = make_product(company, stock=6)
    actor = owner_actor(company)

    stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=-6, note="count")
    product_update(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": 3})
    assert api.patch(f"/products/{product.id}", {"stock": 40}).status_code == 200
    assert api.post(f"/products/{product.id}/stock-adjustments", {"delta": -38}).status_code == 201

    assert [t for t, _ in status_events(product)] == [
        EventType.PRODUCT_OUT_OF_STOCK,
        EventType.PRODUCT_BACK_IN_STOCK,
        EventType.PRODUCT_LOW_STOCK,
        EventType.PRODUCT_LOW_STOCK,
    ]
    data = status_events(product)[-1][1]
    assert data == api.get(f"/products/{product.id}").json()["data"]
    assert (data["stock"], data["stockStatus"]) == (2, StockStatus.LOW_STOCK)


def test_a_restock_that_brings_a_product_back_writes_back_in_stock(company):
    from stockline.orders.models import OrderStatus
    from stockline.orders.services import order_status_change

    product = make_product(company, stock=2)
    order = place(company, [(product, 2)])
    order_status_change(
        actor=owner_actor(company),
        channel=Channel.DASHBOARD,
        order_id=order.id,
        status=OrderStatus.CANCELLED,
        restock=True,
    )
    company.refresh_from_db()
    assert company.low_stock_threshold > 2  # so the restock lands it low: back in stock, and low
    assert [t for t, _ in status_events(product)] == [
        EventType.PRODUCT_OUT_OF_STOCK,
        EventType.PRODUCT_BACK_IN_STOCK,
        EventType.PRODUCT_LOW_STOCK,
    ]


def test_status_events_stay_in_their_company(company):
    rival = make_company("Rival Supplies")[0]
    theirs = make_product(rival, stock=1)
    place(rival, [(theirs, 1)])
    assert {e.company_id for e in Event.objects.filter(type__in=STATUS_TYPES)} == {rival.id}
    events_number()
    assert events_after(company_id=company.id, after=0, limit=100, types=STATUS_TYPES)[0] == []

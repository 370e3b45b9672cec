"""product.created / product.updated, order.status_changed and customer.created: written by the
domain services in the transaction of the change, from every channel, with the resource as the
API renders it, for the acting company only; none from a change that rolls back.
"""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import Product
from stockline.catalog.services import product_bulk_set_active, product_create, product_update
from stockline.core.channels import Channel
from stockline.customers.models import Customer
from stockline.customers.services import customer_password_set
from stockline.demo.seed import demo_company
from stockline.events.models import Event, EventType
from stockline.orders.errors import InvalidTransition
from stockline.orders.models import OrderStatus
from stockline.orders.services import order_status_change
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_company, make_customer, make_product, owner_actor, place
from tests.imports.support import csv_bytes, import_now, row
from tests.storefront.conftest import store_path

pytestmark = pytest.mark.django_db

PRODUCT_EVENTS = (
    EventType.PRODUCT_CREATED,
    EventType.PRODUCT_UPDATED,
    EventType.PRODUCT_LOW_STOCK,
    EventType.PRODUCT_OUT_OF_STOCK,
    EventType.PRODUCT_BACK_IN_STOCK,
)


@pytest.fixture
def api(company):
    return ApiClient(make_key(company))


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


def events_of(type_: str, **data) -> list[Event]:
    """Events of this type whose data has these values, in the order written."""
    return list(Event.objects.filter(type=type_, **{f"data__{k}": v for k, v in data.items()}).order_by("id"))


def product_events(product_id) -> list[str]:
    """The product's resource events (not stock.changed), in the order written."""
    return [e.type for e in events_of_product(product_id)]


def events_of_product(product_id) -> list[Event]:
    return list(Event.objects.filter(type__in=PRODUCT_EVENTS, data__id=str(product_id)).order_by("id"))


def api_product(api, product_id) -> dict:
    response = api.get(f"/products/{product_id}")
    assert response.status_code == 200
    return response.json()["data"]


def as_api(data: dict) -> dict:
    """An event's data through JSON, as a webhook consumer parses it."""
    return json.loads(json.dumps(data))


# --- product.created ---------------------------------------------------------------------------


def test_api_post_product_writes_product_created_equal_to_the_response(api, company):
    response = api.post("/products", {"name": "Crate", "sku": "CR-1", "price": 4.5, "stock": 7})
    assert response.status_code == 201, response.content
    created = response.json()["data"]

    (event,) = events_of(EventType.PRODUCT_CREATED, id=created["id"])
    assert as_api(event.data) == created
    assert event.company_id == company.id


def test_dashboard_new_product_writes_product_created_as_the_api_shows_it(owner_client, api, company):
    response = owner_client.post(
        "/dashboard/inventory/new",
        {
            "name": "Pallet Wrap",
            "sku": "PW-1",
            "unit": "roll",
            "price": "12.50",
            "stock": "40",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(company=company, sku="PW-1")

    (event,) = events_of(EventType.PRODUCT_CREATED, id=str(product.id))
    assert as_api(event.data) == api_product(api, product.id)


def test_product_created_comes_before_its_opening_stock_in_one_transaction(company):
    product = make_product(company, stock=5)

    created, opening = Event.objects.filter(company=company).order_by("id")
    assert (created.type, opening.type) == (EventType.PRODUCT_CREATED, EventType.STOCK_CHANGED)
    assert created.created_at == opening.created_at == Product.objects.get(id=product.id).created_at


def test_csv_import_from_the_dashboard_writes_product_created_for_each_new_product(
    owner_client, api, company
):
    data = csv_bytes([row("NEW-1", "Bolt", stock="3"), row("NEW-2", "Nut", stock="0")])
    upload = owner_client.post("/dashboard/inventory/import", {"file": SimpleUploadedFile("p.csv", data)})
    assert upload.status_code == 302
    owner_client.post(f"{upload.url}/apply")

    for sku in ("NEW-1", "NEW-2"):
        product = Product.objects.get(company=company, sku=sku)
        (event,) = events_of(EventType.PRODUCT_CREATED, id=str(product.id))
        assert as_api(event.data) == api_product(api, product.id)
    assert events_of(EventType.PRODUCT_UPDATED) == []


def test_csv_import_from_the_command_line_writes_product_created(company, api, tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(csv_bytes([row("CLI-1", "Washer", price="0.25", stock="900")]))

    call_command("import_products", str(path), "--company", company.slug, stdout=io.StringIO())

    product = Product.objects.get(company=company, sku="CLI-1")
    (event,) = events_of(EventType.PRODUCT_CREATED, id=str(product.id))
    assert as_api(event.data) == api_product(api, product.id)


def test_a_product_refused_by_validation_writes_no_event(company, actor):
    make_product(company, sku="TAKEN")
    before = Event.objects.count()

    with pytest.raises(ValidationError):
        product_create(actor=actor, channel=Channel.DASHBOARD, name="Dup", sku="TAKEN", price=Decimal("1"))

    assert Event.objects.count() == before


def test_a_product_created_in_a_rolled_back_transaction_writes_no_event(company, actor):
    with pytest.raises(RuntimeError), transaction.atomic():
        product_create(actor=actor, channel=Channel.DASHBOARD, name="Gone", price=Decimal("1"))
        assert len(events_of(EventType.PRODUCT_CREATED)) == 1  # written in the change's transaction
        raise RuntimeError("the caller fails after the creation")

    assert Event.objects.count() == 0


def test_a_failing_import_writes_no_event(company, actor):
    make_product(company, sku="A", stock=5)
    before = Event.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        import_now(actor, csv_bytes([row("A", "Renamed", stock="5"), row("B")]))
        raise RuntimeError("the import's transaction fails")

    assert Event.objects.count() == before


# --- product.updated ---------------------------------------------------------------------------


def test_api_patch_writes_product_updated_equal_to_the_response(api, company):
    product = make_product(company, name="Tape", price=Decimal("3.00"), stock=10)

    response = api.patch(f"/products/{product.id}", {"name": "Duct Tape", "price": 3.5})
    assert response.status_code == 200, response.content

    (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(product.id))
    assert as_api(event.data) == response.json()["data"]
    assert event.data["name"] == "Duct Tape"


def test_api_patch_of_fields_and_stock_writes_product_updated_and_stock_changed(api, company):
    product = make_product(company, stock=10)

    response = api.patch(f"/products/{product.id}", {"description": "Blue", "stock": 12})

    (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(product.id))
    assert as_api(event.data) == response.json()["data"] == api_product(api, product.id)
    assert [e.data["stockAfter"] for e in events_of(EventType.STOCK_CHANGED, productId=str(product.id))] == [
        10,
        12,
    ]


def test_a_stock_only_change_writes_no_product_updated(api, company, actor):
    product = make_product(company, stock=10)

    api.patch(f"/products/{product.id}", {"stock": 15})
    product_update(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": 20})

    assert product_events(product.id) == [EventType.PRODUCT_CREATED]
    assert len(events_of(EventType.STOCK_CHANGED, productId=str(product.id))) == 3


def test_an_edit_that_changes_nothing_writes_no_event(company, actor):
    product = make_product(company, name="Same")
    before = Event.objects.count()

    product_update(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, changes={"name": "Same"})

    assert Event.objects.count() == before


def test_dashboard_edit_writes_product_updated_as_the_api_shows_it(owner_client, api, company):
    product = make_product(company, name="Tape", stock=10, unit="box")
    form = owner_client.get(f"/dashboard/inventory/{product.id}/edit").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name": "Packing Tape", "is_active": "on", "sku": product.sku})

    response = owner_client.post(f"/dashboard/inventory/{product.id}/edit", data)
    assert response.status_code == 302

    (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(product.id))
    assert as_api(event.data) == api_product(api, product.id)
    assert event.data["name"] == "Packing Tape"


def test_dashboard_bulk_deactivate_and_activate_write_one_product_updated_per_product_changed(
    owner_client, api, company
):
    a, b = make_product(company), make_product(company)
    inactive = make_product(company, is_active=False)
    everything = [str(p.id) for p in (a, b, inactive)]

    owner_client.post("/dashboard/inventory/bulk", {"action": "deactivate", "ids": everything})

    assert [product_events(p.id) for p in (a, b, inactive)] == [
        [EventType.PRODUCT_CREATED, EventType.PRODUCT_UPDATED],
        [EventType.PRODUCT_CREATED, EventType.PRODUCT_UPDATED],
        [EventType.PRODUCT_CREATED],  # already inactive: unchanged, no event
    ]
    for product in (a, b):
        (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(product.id))
        assert as_api(event.data) == api_product(api, product.id)
        assert event.data["isActive"] is False

    owner_client.post("/dashboard/inventory/bulk", {"action": "activate", "ids": [str(inactive.id)]})

    (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(inactive.id))
    assert as_api(event.data) == api_product(api, inactive.id)
    assert event.data["isActive"] is True


def test_bulk_set_active_rolled_back_writes_no_event(company, actor):
    product = make_product(company)
    before = Event.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        product_bulk_set_active(
            actor=actor, channel=Channel.DASHBOARD, product_ids=[product.id], is_active=False
        )
        raise RuntimeError("the caller fails after the change")

    assert Event.objects.count() == before


def test_csv_import_writes_product_updated_only_for_rows_whose_fields_changed(actor, api, company):
    renamed = make_product(company, sku="REN", name="Old name", price=Decimal("9.99"), stock=5)
    restocked = make_product(company, sku="STK", name="Stocked", price=Decimal("9.99"), stock=5)
    untouched = make_product(company, sku="SAME", name="Same", price=Decimal("9.99"), stock=5)

    import_now(
        actor,
        csv_bytes(
            [
                row("REN", "New name", stock="8"),
                row("STK", "Stocked", stock="6"),
                row("SAME", "Same", stock="5"),
            ]
        ),
    )

    (event,) = events_of(EventType.PRODUCT_UPDATED, id=str(renamed.id))
    assert as_api(event.data) == api_product(api, renamed.id)
    assert (event.data["name"], event.data["stock"]) == ("New name", 8)
    assert product_events(restocked.id) == [EventType.PRODUCT_CREATED]  # stock only: stock.changed says it
    assert product_events(untouched.id) == [EventType.PRODUCT_CREATED]


def test_a_threshold_change_that_moves_the_status_writes_the_status_event(api, company, actor):
    product = make_product(company, stock=10, low_stock_threshold=5)

    response = api.patch(f"/products/{product.id}", {"lowStockThreshold": 10})  # 10 <= 10: low
    assert product_events(product.id) == [
        EventType.PRODUCT_CREATED,
        EventType.PRODUCT_UPDATED,
        EventType.PRODUCT_LOW_STOCK,
    ]
    *_, updated, low = events_of_product(product.id)
    assert as_api(updated.data) == as_api(low.data) == response.json()["data"]
    assert low.data["stockStatus"] == "LOW_STOCK"

    product_update(
        actor=actor, channel=Channel.DASHBOARD, product_id=product.id, changes={"low_stock_threshold": 9}
    )
    assert product_events(product.id)[-1] == EventType.PRODUCT_UPDATED  # back to in stock: no status event
    assert len(events_of(EventType.STOCK_CHANGED, productId=str(product.id))) == 1  # no stock change


def test_a_threshold_and_stock_change_writes_the_thresholds_status_move_then_the_stocks(company, actor):
    product = make_product(company, stock=10, low_stock_threshold=5)  # in stock

    product_update(
        actor=actor,
        channel=Channel.DASHBOARD,
        product_id=product.id,
        changes={"low_stock_threshold": 20, "stock": 0},
    )

    # At its old stock the new threshold makes it low (10 <= 20); the stock change then empties it.
    assert product_events(product.id) == [
        EventType.PRODUCT_CREATED,
        EventType.PRODUCT_UPDATED,
        EventType.PRODUCT_LOW_STOCK,
        EventType.PRODUCT_OUT_OF_STOCK,
    ]
    (change,) = events_of(EventType.STOCK_CHANGED, productId=str(product.id), version=2)
    assert (change.data["stockAfter"], change.data["stockStatus"]) == (0, "OUT_OF_STOCK")


def test_a_threshold_change_that_keeps_the_status_writes_only_product_updated(company, actor):
    product = make_product(company, stock=100, low_stock_threshold=5)

    product_update(
        actor=actor, channel=Channel.DASHBOARD, product_id=product.id, changes={"low_stock_threshold": 20}
    )

    assert product_events(product.id) == [EventType.PRODUCT_CREATED, EventType.PRODUCT_UPDATED]


def test_a_product_update_rolled_back_writes_no_event(company, actor):
    product = make_product(company)
    before = Event.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        product_update(actor=actor, channel=Channel.API, product_id=product.id, changes={"name": "Nope"})
        raise RuntimeError("the caller fails after the change")

    assert Event.objects.count() == before


# --- order.status_changed ----------------------------------------------------------------------


def test_dashboard_status_change_writes_order_status_changed(owner_client, company):
    order = place(company, [(make_product(company), 1)])

    owner_client.post(f"/dashboard/orders/{order.id}/status", {"status": "CONFIRMED"})

    (event,) = events_of(EventType.ORDER_STATUS_CHANGED)
    assert event.data == {
        "id": str(order.id),
        "number": order.display_number,
        "from": OrderStatus.SUBMITTED,
        "to": OrderStatus.CONFIRMED,
        "restocked": False,
    }
    assert event.company_id == company.id


def test_api_status_change_writes_order_status_changed_with_the_number_the_api_shows(api, company):
    order = place(company, [(make_product(company, stock=5), 2)])

    response = api.patch(f"/orders/{order.id}", {"status": "CANCELLED"})
    assert response.status_code == 200, response.content

    (event,) = events_of(EventType.ORDER_STATUS_CHANGED)
    shown = response.json()["data"]
    assert (event.data["id"], event.data["number"]) == (shown["id"], shown["number"])
    assert (event.data["from"], event.data["to"], event.data["restocked"]) == (
        "SUBMITTED",
        "CANCELLED",
        False,
    )


def test_a_restocking_cancel_says_restocked(company, actor):
    product = make_product(company, stock=5)
    order = place(company, [(product, 2)])

    order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status=OrderStatus.CANCELLED, restock=True
    )

    (event,) = events_of(EventType.ORDER_STATUS_CHANGED)
    assert event.data["restocked"] is True
    restock = events_of(EventType.STOCK_CHANGED, productId=str(product.id))[-1]
    assert restock.created_at == event.created_at and restock.data["reason"] == "RESTOCK"


def test_a_status_change_rolled_back_or_refused_writes_no_event(company, actor):
    order = place(company, [(make_product(company), 1)])

    with pytest.raises(RuntimeError), transaction.atomic():
        order_status_change(actor=actor, channel=Channel.API, order_id=order.id, status=OrderStatus.CONFIRMED)
        raise RuntimeError("the caller fails after the change")
    with pytest.raises(InvalidTransition):  # SUBMITTED cannot go straight to DELIVERED
        order_status_change(actor=actor, channel=Channel.API, order_id=order.id, status=OrderStatus.DELIVERED)

    assert events_of(EventType.ORDER_STATUS_CHANGED) == []


# --- customer.created --------------------------------------------------------------------------


def test_api_post_customer_writes_customer_created_equal_to_the_response(api, company):
    response = api.post("/customers", {"email": "Buyer@Example.test", "name": "Buyer"})
    assert response.status_code == 201, response.content
    created = response.json()["data"]

    (event,) = events_of(EventType.CUSTOMER_CREATED)
    assert as_api(event.data) == created
    assert event.company_id == company.id


def test_storefront_registration_writes_customer_created_as_the_api_shows_it(client, api, company):
    data = {"name": "Bayside Café", "email": "orders@bayside.test", "password": "s3cret-pass"}
    assert client.post(store_path(company, "register"), data).status_code == 302
    customer = Customer.objects.get(company=company, email="orders@bayside.test")

    (event,) = events_of(EventType.CUSTOMER_CREATED)
    assert as_api(event.data) == api.get(f"/customers/{customer.id}").json()["data"]


def test_a_duplicate_customer_writes_no_event(company):
    make_customer(company, email="taken@example.test")

    with pytest.raises(ValidationError):
        make_customer(company, email="TAKEN@example.test")

    assert len(events_of(EventType.CUSTOMER_CREATED)) == 1


def test_a_password_change_writes_no_customer_event(company):
    customer = make_customer(company)
    customer_password_set(customer=customer, new_password="another-pass-1")

    assert [e.type for e in Event.objects.filter(company=company)] == [EventType.CUSTOMER_CREATED]


# --- the demo seed ------------------------------------------------------------------------------


def test_the_demo_seed_writes_the_events_of_what_it_creates_through_the_services():
    call_command("seed_demo", stdout=io.StringIO())

    company = demo_company()
    events = Event.objects.filter(company=company)
    products = set(Product.objects.filter(company=company).values_list("id", flat=True))
    customers = set(Customer.objects.filter(company=company).values_list("id", flat=True))
    created = {
        str(i) for i in events.filter(type=EventType.PRODUCT_CREATED).values_list("data__id", flat=True)
    }
    assert created == {str(i) for i in products}
    assert {e.data["id"] for e in events.filter(type=EventType.CUSTOMER_CREATED)} == {
        str(i) for i in customers
    }
    changed = events.filter(type=EventType.ORDER_STATUS_CHANGED).count()
    assert (
        changed == AuditEntry.objects.filter(company=company, action=AuditAction.ORDER_STATUS_CHANGED).count()
    )
    assert not Event.objects.exclude(company=company).exists()


# --- tenant isolation --------------------------------------------------------------------------


def test_every_event_carries_the_acting_companys_id_only(company, actor):
    rival = make_company("Rival Supplies")[0]
    rival_actor = owner_actor(rival)
    ours, theirs = make_product(company), make_product(rival)
    product_update(actor=actor, channel=Channel.API, product_id=ours.id, changes={"name": "Ours"})
    product_update(actor=rival_actor, channel=Channel.API, product_id=theirs.id, changes={"name": "Theirs"})
    order = place(rival, [(theirs, 1)])
    product_bulk_set_active(
        actor=rival_actor, channel=Channel.DASHBOARD, product_ids=[theirs.id], is_active=False
    )
    make_customer(company)
    order_status_change(
        actor=rival_actor, channel=Channel.API, order_id=order.id, status=OrderStatus.CONFIRMED
    )
    import_now(actor, csv_bytes([row("OURS-NEW")]))

    for event in Event.objects.exclude(type=EventType.STOCK_CHANGED):
        if event.type in (EventType.ORDER_STATUS_CHANGED, EventType.ORDER_CREATED):
            expected = rival.id
        elif event.type == EventType.CUSTOMER_CREATED:
            expected = company.id
        else:
            expected = Product.objects.get(id=event.data["id"]).company_id
        assert event.company_id == expected, event
    assert {e.company_id for e in events_of(EventType.PRODUCT_UPDATED)} == {company.id, rival.id}

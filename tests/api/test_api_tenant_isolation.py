"""Another company's objects are indistinguishable from ones that do not exist."""

import pytest

from stockline.audit.models import AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.customers.models import Customer
from stockline.orders.models import Order
from tests.api.conftest import ROUTES, fill
from tests.factories import make_customer, make_product, place

MISSING_ID = "0190e6a4-0000-7000-8000-000000000000"
ID_ROUTES = [route for route in ROUTES if "{" in route[1]]


@pytest.fixture
def theirs(other_company):
    """A product, customer and order of the other company."""
    product = make_product(other_company, name="Their widget", stock=10)
    customer = make_customer(other_company)
    order = place(other_company, [(product, 1)], customer=customer)
    return {"product": product, "customer": customer, "order": order}


def _snapshot():
    return (
        list(Product.objects.order_by("id").values_list("id", "name", "stock", "is_active")),
        list(Order.objects.order_by("id").values_list("id", "status")),
        AuditEntry.objects.count(),
        StockMovement.objects.count(),
    )


@pytest.mark.parametrize("route", ID_ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ID_ROUTES])
def test_another_companys_object_is_a_404_like_a_missing_one(route, api, objects, theirs):
    method, path, _, body = route
    missing = dict.fromkeys(theirs, MISSING_ID)
    before = _snapshot()

    foreign = api.request(method, fill(path, theirs), fill(body, objects) if body else None)
    absent = api.request(method, fill(path, missing), fill(body, objects) if body else None)

    assert foreign.status_code == absent.status_code == 404
    assert foreign.json() == absent.json()
    assert set(foreign.json()) == {"error"}
    assert _snapshot() == before


@pytest.mark.parametrize("path", ["/products", "/orders", "/customers"])
def test_lists_never_include_another_companys_rows(path, api, other_api, objects, theirs):
    ours = {str(objects[name].id) for name in objects}
    mine = {item["id"] for item in api.get(path).json()["data"]}
    others = {item["id"] for item in other_api.get(path).json()["data"]}
    assert mine and others
    assert mine <= ours
    assert not mine & others


@pytest.mark.parametrize("params", [{"search": "Their"}, {"category": ""}, {"stockStatus": "IN_STOCK"}])
def test_product_filters_stay_inside_the_company(api, objects, theirs, params):
    assert str(theirs["product"].id) not in {p["id"] for p in api.get("/products", params).json()["data"]}


def test_orders_filtered_by_another_companys_customer_are_empty(api, objects, theirs):
    response = api.get("/orders", {"customerId": str(theirs["customer"].id)})
    assert response.json()["data"] == []


def test_an_order_for_another_companys_product_is_a_404_and_writes_nothing(api, company, objects, theirs):
    before = _snapshot()
    items = [
        {"productId": str(objects["product"].id), "quantity": 1},
        {"productId": str(theirs["product"].id), "quantity": 1},
    ]
    response = api.post("/orders", {"items": items})
    assert response.status_code == 404
    assert response.json() == {"error": "Product not found."}
    assert _snapshot() == before


def test_an_order_for_another_companys_customer_is_a_404_and_writes_nothing(api, objects, theirs):
    before = _snapshot()
    body = {
        "customerId": str(theirs["customer"].id),
        "items": [{"productId": str(objects["product"].id), "quantity": 1}],
    }
    response = api.post("/orders", body)
    assert response.status_code == 404
    assert response.json() == {"error": "Customer not found."}
    assert _snapshot() == before


def test_a_customer_email_taken_in_another_company_reveals_nothing(api, theirs):
    email = theirs["customer"].email
    assert api.post("/customers", {"email": email, "name": "Same Email"}).status_code == 201
    assert Customer.objects.filter(email=email).count() == 2


def test_a_sku_taken_in_another_company_is_free_here(api, theirs):
    response = api.post("/products", {"name": "Mine", "price": 1, "sku": theirs["product"].sku})
    assert response.status_code == 201

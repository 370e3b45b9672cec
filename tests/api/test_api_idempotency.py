"""Idempotency-Key on POST: a retry replays the first answer without acting twice."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from stockline.api import auth
from stockline.api.models import IdempotencyRecord
from stockline.catalog.models import Product, StockMovement
from stockline.customers.models import Customer
from stockline.orders.models import Order
from tests.api.conftest import ApiClient, error_of, make_key
from tests.factories import make_product

KEY = {"Idempotency-Key": "order-2026-04-01-0001"}


def order_body(product, quantity=2):
    return {"items": [{"productId": str(product.id), "quantity": quantity}]}


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


def test_a_retried_order_is_placed_once_and_answered_the_same(api, company):
    product = make_product(company, stock=10)
    first = api.post("/orders", order_body(product), headers=KEY)
    retry = api.post("/orders", order_body(product), headers=KEY)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Order.objects.filter(company=company).count() == 1
    assert stock_of(product) == 8
    assert StockMovement.objects.filter(product=product, reason="ORDER").count() == 1


def test_a_retried_stock_adjustment_adjusts_once(api, company):
    product = make_product(company, stock=10)
    path = f"/products/{product.id}/stock-adjustments"
    first = api.post(path, {"delta": 5}, headers=KEY)
    retry = api.post(path, {"delta": 5}, headers=KEY)
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert stock_of(product) == 15


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        ("/products", {"name": "Once", "price": 1}, Product),
        ("/customers", {"email": "once@example.com", "name": "Once"}, Customer),
    ],
)
def test_a_retried_create_creates_once(api, company, path, body, model):
    first = api.post(path, body, headers=KEY)
    retry = api.post(path, body, headers=KEY)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert model.objects.filter(company=company).count() == 1


def test_without_the_header_every_post_acts(api, company):
    product = make_product(company, stock=10)
    api.post("/orders", order_body(product))
    api.post("/orders", order_body(product))
    assert Order.objects.filter(company=company).count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_different_keys_act_separately(api, company):
    product = make_product(company, stock=10)
    api.post("/orders", order_body(product), headers={"Idempotency-Key": "a"})
    api.post("/orders", order_body(product), headers={"Idempotency-Key": "b"})
    assert stock_of(product) == 6


def test_the_same_key_with_a_different_body_is_a_422(api, company):
    product = make_product(company, stock=10)
    api.post("/orders", order_body(product, 2), headers=KEY)
    response = api.post("/orders", order_body(product, 3), headers=KEY)
    assert error_of(response, 422) == "This Idempotency-Key was already used with a different request."
    assert stock_of(product) == 8


def test_the_same_key_on_another_path_is_a_422(api, company):
    api.post("/customers", {"email": "k@example.com", "name": "Kay"}, headers=KEY)
    response = api.post("/products", {"email": "k@example.com", "name": "Kay"}, headers=KEY)
    assert error_of(response, 422) == "This Idempotency-Key was already used with a different request."


def test_a_key_is_scoped_to_its_company(api, other_api, company, other_company):
    ours = make_product(company, stock=10)
    theirs = make_product(other_company, stock=10)
    mine = api.post("/orders", order_body(ours), headers=KEY)
    other = other_api.post("/orders", order_body(theirs), headers=KEY)
    assert mine.status_code == other.status_code == 201
    assert mine.json()["data"]["id"] != other.json()["data"]["id"]
    assert (stock_of(ours), stock_of(theirs)) == (8, 8)


def test_a_refused_order_is_replayed_as_refused_even_after_a_restock(api, company):
    product = make_product(company, name="Bolt", stock=1)
    first = api.post("/orders", order_body(product, 2), headers=KEY)
    assert error_of(first, 422) == "Not enough stock for Bolt. Only 1 available."
    Product.objects.filter(id=product.id).update(stock=50)

    retry = api.post("/orders", order_body(product, 2), headers=KEY)

    assert retry.status_code == 422
    assert retry.json() == first.json()
    assert not Order.objects.filter(company=company).exists()
    assert stock_of(product) == 50


def test_a_refused_validation_is_replayed_too(api, company):
    first = api.post("/orders", {"items": []}, headers=KEY)
    retry = api.post("/orders", {"items": []}, headers=KEY)
    assert error_of(first, 400) == error_of(retry, 400) == "At least one item is required"


def test_a_rate_limited_post_is_not_stored_so_its_retry_acts(api, company, settings, monkeypatch):
    product = make_product(company, stock=10)
    clock = SimpleNamespace(now=datetime(2026, 4, 1, 12, 0, 30, tzinfo=UTC))
    monkeypatch.setattr(auth, "timezone", SimpleNamespace(now=lambda: clock.now))
    settings.API_RATE_LIMIT = 1
    assert api.get("/products").status_code == 200

    assert api.post("/orders", order_body(product), headers=KEY).status_code == 429
    clock.now += timedelta(minutes=1)
    retry = api.post("/orders", order_body(product), headers=KEY)

    assert retry.status_code == 201
    assert stock_of(product) == 8


def test_an_unauthenticated_post_is_answered_401_and_not_stored(company):
    response = ApiClient(None).post("/customers", {"email": "x@example.com", "name": "Ex"}, headers=KEY)
    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("key", ["k" * 256, "   ", "bad\x00key", "tab\tkey"])
def test_an_invalid_key_is_a_400(api, company, key):
    response = api.post(
        "/customers", {"email": "x@example.com", "name": "Ex"}, headers={"Idempotency-Key": key}
    )
    assert error_of(response, 400) == "Idempotency-Key must be 1 to 255 printable characters."
    assert not Customer.objects.exists()


def test_a_key_of_255_characters_is_accepted(api, company):
    body = {"email": "x@example.com", "name": "Ex"}
    assert api.post("/customers", body, headers={"Idempotency-Key": "k" * 255}).status_code == 201


def test_a_second_api_key_cannot_replay_another_keys_response(company, api):
    from tests.api.conftest import ApiClient
    from tests.factories import make_product

    product = make_product(company, stock=5)
    body = {"items": [{"productId": str(product.id), "quantity": 1}]}
    first = api.post("/orders", body, headers={"Idempotency-Key": "shared"})
    assert first.status_code == 201
    reader = ApiClient(make_key(company, scopes=["products:read"]))
    replay = reader.post("/orders", body, headers={"Idempotency-Key": "shared"})
    assert replay.status_code == 422
    assert replay.json() == {"error": "This Idempotency-Key was already used with a different request."}

"""A write made with an API key is audited as the key's creator, acting through the key."""

import pytest

from stockline.audit.actors import ActorType
from stockline.audit.models import AuditEntry
from stockline.catalog.models import StockMovement
from stockline.core.channels import Channel
from tests.api.conftest import ROUTES, ApiClient, fill, make_api_key

WRITES = {
    ("POST", "/products"): "ProductCreated",
    ("PATCH", "/products/{product}"): "ProductUpdated",
    ("POST", "/products/{product}/stock-adjustments"): "StockAdjusted",
    ("POST", "/orders"): "OrderPlaced",
    ("PATCH", "/orders/{order}"): "OrderStatusChanged",
    ("POST", "/customers"): "CustomerCreated",
}
WRITE_ROUTES = [route for route in ROUTES if route[:2] in WRITES]


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=[f"{m} {p}" for m, p, _, _ in WRITE_ROUTES])
def test_a_write_is_audited_with_the_key_and_its_creator(route, company, owner, objects):
    key, plaintext = make_api_key(company)
    method, path, _, body = route
    before = set(AuditEntry.objects.values_list("id", flat=True))

    response = ApiClient(plaintext).request(method, fill(path, objects), fill(body, objects))

    assert response.status_code in (200, 201), response.content
    entry = AuditEntry.objects.exclude(id__in=before).get()
    assert entry.action == WRITES[route[:2]]
    assert entry.company_id == company.id
    assert entry.actor_type == ActorType.USER
    assert entry.actor_api_key_id == key.id
    assert entry.actor_user_id == owner.user_id
    assert entry.channel == Channel.API
    assert key.prefix in entry.actor_label
    assert entry.entity_id == str(response.json()["data"].get("id") or response.json()["data"]["productId"])


def test_a_stock_change_through_the_api_is_in_the_ledger_with_the_key(company, owner, objects):
    key, plaintext = make_api_key(company)
    product = objects["product"]

    ApiClient(plaintext).patch(f"/products/{product.id}", {"stock": 7})

    movement = StockMovement.objects.filter(product=product).order_by("created_at", "id").last()
    assert (movement.stock_before, movement.stock_after, movement.delta) == (49, 7, -42)
    assert movement.reason == "API"
    assert movement.channel == Channel.API
    assert movement.actor_api_key_id == key.id
    assert movement.actor_user_id == owner.user_id

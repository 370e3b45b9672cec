"""Every error of /api/v1 is JSON {"error": ...}, even outside the routes; the documents are served."""

import re

import pytest

from tests.api.conftest import ApiClient, error_of


@pytest.mark.parametrize("path", ["/nope", "/products/", "/products/x/y", "/v2/products"])
def test_an_unknown_path_is_a_json_404(api, path):
    assert error_of(api.get(path), 404) == "Not found."


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/products", {"GET", "POST"}),
        ("put", "/orders/0190e6a4-0000-7000-8000-000000000000", {"GET", "PATCH"}),
        ("patch", "/customers", {"GET", "POST"}),
        ("get", "/products/0190e6a4-0000-7000-8000-000000000000/stock-adjustments", {"POST"}),
    ],
)
def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(api, method, path, allowed):
    response = getattr(api.client, method)("/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {api.key}")
    assert error_of(response, 405) == "Method not allowed."
    assert set(response["Allow"].split(", ")) == allowed


def test_the_openapi_document_is_public_and_describes_every_route(db):
    response = ApiClient(None).client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/products/{product_id}/stock-adjustments",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/events",
        "/api/v1/webhooks",
        "/api/v1/webhooks/{webhook_id}",
        "/api/v1/webhooks/{webhook_id}/rotate-secret",
        "/api/v1/stock-updates",
    }
    for operations in paths.values():
        for operation in operations.values():
            assert {"400", "401", "403", "429"} <= set(operation["responses"])


def test_the_interactive_docs_are_served(db):
    response = ApiClient(None).client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content


def test_every_operation_has_a_clean_unique_operation_id(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ids = [op["operationId"] for operations in paths.values() for op in operations.values()]
    assert len(ids) == len(set(ids)) == 20
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)+", i) for i in ids), ids
    assert paths["/api/v1/products"]["get"]["operationId"] == "listProducts"
    adjust = paths["/api/v1/products/{product_id}/stock-adjustments"]["post"]
    assert adjust["operationId"] == "adjustProductStock"


@pytest.mark.parametrize(
    ("method", "path", "body", "unknown"),
    [
        ("patch", "/products/{product}", {"stok": 5}, "stok"),
        ("post", "/products", {"name": "N", "price": "1.00", "colour": "red"}, "colour"),
        ("post", "/products/{product}/stock-adjustments", {"delta": 1, "note": "x"}, "note"),
        ("post", "/orders", {"items": [{"productId": "{product}", "quantity": 1, "qty": 2}]}, "items.0.qty"),
        ("patch", "/orders/{order}", {"status": "CONFIRMED", "restok": True}, "restok"),
        ("post", "/customers", {"email": "a@example.com", "name": "A", "phone": "1"}, "phone"),
        ("post", "/webhooks", {"url": "https://h.example.com", "events": ["stock.changed"], "x": 1}, "x"),
    ],
)
def test_a_body_with_an_unknown_field_is_a_400_naming_it_and_changes_nothing(
    api, objects, method, path, body, unknown
):
    from stockline.audit.models import AuditEntry
    from tests.api.conftest import fill

    before = AuditEntry.objects.count()
    response = getattr(api, method)(fill(path, objects), fill(body, objects))
    assert error_of(response, 400) == f"Unknown field: {unknown}."
    assert AuditEntry.objects.count() == before

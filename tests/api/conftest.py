import json
from datetime import timedelta

import pytest
from django.test import Client

from stockline.api.keys import SCOPE_VALUES, api_key_create
from stockline.api.models import ApiKey
from tests.factories import make_company, owner_actor


class ApiClient:
    """Test client speaking JSON with a bearer key."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.key = key

    def _headers(self, headers):
        out = {}
        if self.key is not None:
            out["HTTP_AUTHORIZATION"] = f"Bearer {self.key}"
        for name, value in (headers or {}).items():
            out["HTTP_" + name.upper().replace("-", "_")] = value
        return out

    def get(self, path, params=None, headers=None):
        return self.client.get("/api/v1" + path, params or {}, **self._headers(headers))

    def _send(self, method, path, body, headers):
        data = body if isinstance(body, str | bytes) else json.dumps(body, default=str)
        return getattr(self.client, method)(
            "/api/v1" + path, data=data, content_type="application/json", **self._headers(headers)
        )

    def post(self, path, body=None, headers=None):
        return self._send("post", path, body if body is not None else {}, headers)

    def patch(self, path, body=None, headers=None):
        return self._send("patch", path, body if body is not None else {}, headers)

    def request(self, method, path, body=None, headers=None):
        if method == "GET":
            return self.get(path, headers=headers)
        return self._send(method.lower(), path, body if body is not None else {}, headers)


def make_api_key(company, scopes=None) -> tuple[ApiKey, str]:
    """A key created by the company's OWNER; returns (key, plaintext)."""
    return api_key_create(actor=owner_actor(company), name="test key", scopes=sorted(scopes or SCOPE_VALUES))


def make_key(company, scopes=None) -> str:
    return make_api_key(company, scopes)[1]


def error_of(response, status: int) -> str:
    """The message of an API error response, after checking its status and {"error": str} shape."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("error"), str), body
    return body["error"]


def newest_first(model, objects, *, start=None) -> list:
    """Give `objects` distinct creation times, one second apart, in list order (the last is newest)."""
    start = start or objects[0].created_at - timedelta(days=1)
    for i, obj in enumerate(objects):
        obj.created_at = start + timedelta(seconds=i)
        model.objects.filter(id=obj.id).update(created_at=obj.created_at)
    return list(reversed(objects))


@pytest.fixture
def api(company):
    return ApiClient(make_key(company))


@pytest.fixture
def other_company(db):
    return make_company("Other Co")[0]


@pytest.fixture
def other_api(other_company):
    return ApiClient(make_key(other_company))


# Every route of /api/v1: (method, path, required scope, a valid body). {product}, {order} and
# {customer} stand for ids of the `objects` fixture.
ROUTES = [
    ("GET", "/products", "products:read", None),
    ("POST", "/products", "products:write", {"name": "New product", "price": "4.50"}),
    ("GET", "/products/{product}", "products:read", None),
    ("PATCH", "/products/{product}", "products:write", {"name": "Renamed"}),
    ("POST", "/products/{product}/stock-adjustments", "products:write", {"delta": 1}),
    (
        "POST",
        "/stock-updates",
        "products:write",
        {"mode": "delta", "items": [{"productId": "{product}", "delta": 1}]},
    ),
    ("GET", "/orders", "orders:read", None),
    ("POST", "/orders", "orders:write", {"items": [{"productId": "{product}", "quantity": 1}]}),
    ("GET", "/orders/{order}", "orders:read", None),
    ("PATCH", "/orders/{order}", "orders:write", {"status": "CONFIRMED"}),
    ("GET", "/customers", "customers:read", None),
    ("POST", "/customers", "customers:write", {"email": "new.buyer@example.com", "name": "New Buyer"}),
    ("GET", "/customers/{customer}", "customers:read", None),
    ("GET", "/events", "events:read", None),
    ("GET", "/webhooks", "webhooks:read", None),
    (
        "POST",
        "/webhooks",
        "webhooks:write",
        {"url": "https://hooks.example.com/in", "events": ["stock.changed"]},
    ),
    ("GET", "/webhooks/{webhook}", "webhooks:read", None),
    ("PATCH", "/webhooks/{webhook}", "webhooks:write", {"isActive": False}),
    ("POST", "/webhooks/{webhook}/rotate-secret", "webhooks:write", {}),
]
ROUTE_IDS = [f"{method} {path}" for method, path, _, _ in ROUTES]


def fill(template, objects: dict):
    """`template` (a path or body) with {product}/{order}/{customer}/{webhook} replaced by the ids of
    `objects` (model instances or ids)."""
    text = json.dumps(template)
    for name, obj in objects.items():
        text = text.replace("{" + name + "}", str(getattr(obj, "id", obj)))
    return json.loads(text)


@pytest.fixture
def objects(company):
    """One product, customer, order and webhook endpoint of `company`."""
    from stockline.webhooks.services import webhook_endpoint_create
    from tests.factories import make_customer, make_product, place

    product = make_product(company, name="Route Widget", stock=50)
    customer = make_customer(company)
    order = place(company, [(product, 1)], customer=customer)
    webhook = webhook_endpoint_create(
        actor=owner_actor(company),
        channel="API",
        url="https://hooks.example.com/route",
        events=["stock.changed"],
    ).endpoint
    return {"product": product, "customer": customer, "order": order, "webhook": webhook}

"""Real HTTP against a multi-process gunicorn on PostgreSQL: no oversell, no duplicate orders."""

import http.client
import json
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db import connection

from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import Product, StockMovement
from stockline.orders.models import Order
from tests.api.conftest import make_api_key, make_key
from tests.conftest import requires_postgres
from tests.factories import make_company, make_product
from tests.support.gunicorn import gunicorn_server

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _post_order(base: str, key: str, product_id, quantity: int, idempotency_key: str | None = None):
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    body = json.dumps({"items": [{"productId": str(product_id), "quantity": quantity}]})
    try:
        conn.request("POST", "/api/v1/orders", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _storm(calls):
    """Run every call at once (threads released together by a barrier)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_200_concurrent_http_orders_for_the_last_50_units_sell_exactly_50():
    company = make_company()[0]
    product = make_product(company, name="Last Pallet", stock=50)
    key = make_key(company)
    connection.close()  # the server processes must see committed data only

    with gunicorn_server(workers=4) as base:
        results = _storm([lambda: _post_order(base, key, product.id, 1) for _ in range(200)])

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 50, 422: 150}
    refusal = json.loads(next(body for status, body in results if status == 422))
    assert refusal["error"] == "Not enough stock for Last Pallet. Only 0 available."
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.filter(company=company).count() == 50
    assert StockMovement.objects.filter(product=product, reason="ORDER").count() == 50
    assert ledger_reconciles(product)


def test_retried_requests_sharing_idempotency_keys_create_no_duplicate_orders():
    company = make_company()[0]
    product = make_product(company, name="Shrink Wrap", stock=50)
    key = make_key(company)
    connection.close()

    logical = [f"order-{i}" for i in range(80)]
    calls = [
        (lambda k=k: (k, _post_order(base_url[0], key, product.id, 1, idempotency_key=k)))
        for k in logical
        for _ in range(3)  # every request retried twice, all in flight together
    ]
    base_url = []
    with gunicorn_server(workers=4) as base:
        base_url.append(base)
        results = _storm(calls)

    by_key: dict[str, set] = {}
    for k, (status, body) in results:
        by_key.setdefault(k, set()).add((status, body))
    # Every retry of one logical request got the very same answer.
    assert all(len(answers) == 1 for answers in by_key.values())
    outcomes = Counter(next(iter(answers))[0] for answers in by_key.values())
    assert outcomes == {201: 50, 422: 30}
    created_ids = {
        json.loads(body)["data"]["id"]
        for answers in by_key.values()
        for status, body in answers
        if status == 201
    }
    assert len(created_ids) == 50
    assert Order.objects.filter(company=company).count() == 50
    product.refresh_from_db()
    assert product.stock == 0
    assert ledger_reconciles(product)
    assert Product.objects.filter(id=product.id, stock__lt=0).count() == 0


def test_a_key_revoked_in_one_process_is_refused_at_once_by_every_web_process(settings):
    from stockline.api.keys import api_key_revoke
    from tests.factories import owner_actor

    company = make_company()[0]
    api_key, key = make_api_key(company)
    connection.close()
    env = {
        "API_KEY_CACHE_SECONDS": "600",  # only the revocation stamp can make them look again
        "API_KEY_REVOCATIONS_STAMP": str(settings.API_KEY_REVOCATIONS_STAMP),
    }

    def get(base):
        url = urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            conn.request("GET", "/api/v1/products", headers={"Authorization": f"Bearer {key}"})
            return conn.getresponse().status
        finally:
            conn.close()

    with gunicorn_server(workers=4, env=env) as base:
        assert Counter(_storm([lambda: get(base) for _ in range(40)])) == {200: 40}  # the workers remember it
        api_key_revoke(actor=owner_actor(company), key_id=api_key.id)  # commits here, in this process
        assert Counter(_storm([lambda: get(base) for _ in range(40)])) == {401: 40}

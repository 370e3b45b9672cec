"""API_RATE_LIMIT requests per minute per key; 429 with retryAfter and Retry-After; 0 turns it off."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from stockline.api import auth
from stockline.api.models import RateLimitWindow
from tests.api.conftest import ApiClient, error_of, make_key
from tests.factories import make_product


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, frozen 20.5 s into a minute; advance it with clock.now += ..."""
    clock = SimpleNamespace(now=datetime(2026, 4, 1, 12, 0, 20, 500_000, tzinfo=UTC))
    monkeypatch.setattr(auth, "timezone", SimpleNamespace(now=lambda: clock.now))
    return clock


@pytest.fixture
def limit_3(settings, clock):
    settings.API_RATE_LIMIT = 3


def test_the_request_past_the_limit_is_a_429_with_retry_after(api, limit_3):
    for _ in range(3):
        assert api.get("/products").status_code == 200
    response = api.get("/products")
    assert error_of(response, 429) == "Rate limit exceeded. Try again in 40 seconds."
    assert response.json()["retryAfter"] == 40
    assert response["Retry-After"] == "40"


def test_every_route_counts_towards_the_limit(api, company, limit_3):
    product = make_product(company)
    assert api.get("/orders").status_code == 200
    assert api.get(f"/products/{product.id}").status_code == 200
    assert api.post("/customers", {"email": "a@example.com", "name": "Ann"}).status_code == 201
    response = api.patch(f"/products/{product.id}", {"stock": 0})
    assert response.status_code == 429
    product.refresh_from_db()
    assert product.stock == 100  # a limited request does nothing


def test_the_limit_is_per_key(api, company, limit_3):
    for _ in range(4):
        api.get("/products")
    assert api.get("/products").status_code == 429
    assert ApiClient(make_key(company)).get("/products").status_code == 200


def test_the_next_minute_starts_a_new_count(api, limit_3, clock):
    for _ in range(4):
        api.get("/products")
    clock.now += timedelta(seconds=40)
    assert api.get("/products").status_code == 200
    assert RateLimitWindow.objects.count() == 1  # the old window was forgotten


def test_refused_auth_is_not_counted_against_a_key(company, limit_3):
    assert ApiClient("dk_unknown").get("/products").status_code == 401
    assert not RateLimitWindow.objects.exists()


def test_zero_turns_limiting_off(api, settings, clock):
    settings.API_RATE_LIMIT = 0
    for _ in range(10):
        assert api.get("/products").status_code == 200
    assert not RateLimitWindow.objects.exists()

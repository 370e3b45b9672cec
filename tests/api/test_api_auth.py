"""Bearer API keys: the exact 401/403 messages on every route, scopes, last use."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stockline.api.keys import SCOPE_VALUES, api_key_revoke
from stockline.api.models import ApiKey
from tests.api.conftest import ROUTE_IDS, ROUTES, ApiClient, error_of, fill, make_api_key
from tests.factories import owner_actor

MISSING = "Missing or invalid Authorization header. Use: Bearer <api_key>"
INVALID = "Invalid, expired, or revoked API key."


def _call(client, route, objects):
    method, path, _, body = route
    return client.request(method, fill(path, objects), fill(body, objects) if body else None)


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_route_refuses_a_request_without_authorization_header(route, objects):
    assert error_of(_call(ApiClient(None), route, objects), 401) == MISSING


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Token dk_abc", "bearer dk_abc", "Bearer", "Bearer    ", "dk_abc"],
    ids=["basic", "token", "lowercase-bearer", "bearer-without-key", "bearer-blank", "bare-key"],
)
def test_a_header_that_is_not_bearer_with_a_key_is_missing_or_invalid(header, company):
    client = ApiClient(None)
    response = client.get("/products", headers={"Authorization": header})
    assert error_of(response, 401) == MISSING


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_route_refuses_an_unknown_key(route, objects):
    assert error_of(_call(ApiClient("dk_" + "A" * 43), route, objects), 401) == INVALID


def test_a_key_without_the_dk_prefix_is_invalid(company):
    assert error_of(ApiClient("sk_live_123").get("/products"), 401) == INVALID


def test_a_revoked_key_is_refused_at_once(company):
    key, plaintext = make_api_key(company)
    client = ApiClient(plaintext)
    assert client.get("/products").status_code == 200
    api_key_revoke(actor=owner_actor(company), key_id=key.id)
    assert error_of(client.get("/products"), 401) == INVALID


def test_an_expired_key_is_refused(company):
    key, plaintext = make_api_key(company)
    ApiKey.objects.filter(id=key.id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert error_of(ApiClient(plaintext).get("/products"), 401) == INVALID


def test_a_key_expiring_later_still_works(company):
    key, plaintext = make_api_key(company)
    ApiKey.objects.filter(id=key.id).update(expires_at=timezone.now() + timedelta(days=1))
    assert ApiClient(plaintext).get("/products").status_code == 200


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_route_requires_its_scope(route, company, objects):
    scope = route[2]
    _, plaintext = make_api_key(company, scopes=SCOPE_VALUES - {scope})
    response = _call(ApiClient(plaintext), route, objects)
    assert error_of(response, 403) == f'Insufficient permissions. This key lacks the "{scope}" scope.'


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_key_without_the_scope_is_refused_before_its_request_is_read(route, company):
    """403, not the 400 or 404 that the malformed id or body would earn from a key with it."""
    method, path, scope, _ = route
    _, plaintext = make_api_key(company, scopes=SCOPE_VALUES - {scope})
    garbled = {"product": "not-an-id", "order": "not-an-id", "customer": "not-an-id"}
    response = ApiClient(plaintext).request(method, fill(path, garbled), "{not json")
    assert error_of(response, 403) == f'Insufficient permissions. This key lacks the "{scope}" scope.'


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_route_answers_a_key_holding_only_its_scope(route, company, objects):
    _, plaintext = make_api_key(company, scopes=[route[2]])
    response = _call(ApiClient(plaintext), route, objects)
    assert response.status_code in (200, 201), response.content


def test_a_refused_write_changes_nothing(company, objects):
    _, plaintext = make_api_key(company, scopes=["products:read"])
    product = objects["product"]
    response = ApiClient(plaintext).patch(f"/products/{product.id}", {"stock": 0})
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.stock == 49  # 50, less the fixture's order of 1


def test_last_used_at_is_set_by_a_successful_call(company):
    key, plaintext = make_api_key(company)
    assert key.last_used_at is None
    ApiClient(plaintext).get("/products")
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert timezone.now() - key.last_used_at < timedelta(minutes=1)


def test_create_api_key_command_prints_a_working_key(company):
    out = StringIO()
    call_command(
        "create_api_key",
        company=company.slug,
        name="ERP sync",
        scopes="products:read, orders:write",
        stdout=out,
    )
    plaintext = out.getvalue().strip()
    assert plaintext.startswith("dk_")
    key = ApiKey.objects.get(company=company, name="ERP sync")
    assert key.scopes == ["orders:write", "products:read"]
    assert key.prefix == plaintext[:12]
    assert key.key_hash != plaintext  # stored hashed
    client = ApiClient(plaintext)
    assert client.get("/products").status_code == 200
    assert error_of(client.get("/orders"), 403) == (
        'Insufficient permissions. This key lacks the "orders:read" scope.'
    )
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_create_api_key_command_refuses_an_unknown_company(db):
    with pytest.raises(CommandError, match="No company with slug 'nope'"):
        call_command("create_api_key", company="nope", name="x", scopes="products:read", stdout=StringIO())


def test_create_api_key_command_refuses_an_unknown_scope(company):
    with pytest.raises(CommandError, match="Unknown scope: reports:read"):
        call_command(
            "create_api_key", company=company.slug, name="x", scopes="reports:read", stdout=StringIO()
        )


def test_a_web_process_trusts_a_key_it_looked_up_for_api_key_cache_seconds(company, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.API_KEY_CACHE_SECONDS = 60
    key, plaintext = make_api_key(company)
    client = ApiClient(plaintext)
    assert client.get("/products").status_code == 200
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/products").status_code == 200
    assert not any("key_hash" in q["sql"] for q in seen)  # not looked up again
    # revoked by another process (straight in the database): this one notices when the entry expires
    ApiKey.objects.filter(id=key.id).update(revoked_at=timezone.now())
    assert client.get("/products").status_code == 200
    settings.API_KEY_CACHE_SECONDS = 0  # an expired entry: looked up again
    assert error_of(client.get("/products"), 401) == INVALID


def test_a_revocation_by_another_process_on_this_host_is_seen_at_once(company, settings):
    settings.API_KEY_CACHE_SECONDS = 60
    key, plaintext = make_api_key(company)
    client = ApiClient(plaintext)
    assert client.get("/products").status_code == 200  # remembered from here on
    # what api_key_revoke does in another web process: commit, then append to the stamp
    ApiKey.objects.filter(id=key.id).update(revoked_at=timezone.now())
    with open(settings.API_KEY_REVOCATIONS_STAMP, "ab") as stamp:
        stamp.write(b".")
    assert error_of(client.get("/products"), 401) == INVALID


def test_revoking_appends_to_the_stamp_once_committed(company, settings, django_capture_on_commit_callbacks):
    key, _ = make_api_key(company)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api_key_revoke(actor=owner_actor(company), key_id=key.id)
    assert not settings.API_KEY_REVOCATIONS_STAMP.exists()  # nothing announced before the commit
    for callback in callbacks:
        callback()
    assert settings.API_KEY_REVOCATIONS_STAMP.read_bytes() == b"."


def test_an_expiry_passing_while_remembered_refuses_the_key(company, settings):
    settings.API_KEY_CACHE_SECONDS = 60
    key, plaintext = make_api_key(company)
    ApiKey.objects.filter(id=key.id).update(expires_at=timezone.now() + timedelta(seconds=30))
    client = ApiClient(plaintext)
    assert client.get("/products").status_code == 200
    from stockline.api import keys

    digest = keys.api_key_hash(plaintext)
    _, remembered = keys._recent[digest]
    remembered.expires_at = timezone.now() - timedelta(seconds=1)  # as time passes for the remembered key
    assert error_of(client.get("/products"), 401) == INVALID


def test_unknown_keys_are_never_remembered(company, settings):
    from stockline.api import keys

    settings.API_KEY_CACHE_SECONDS = 60
    for i in range(5):
        assert error_of(ApiClient(f"dk_unknown{i}").get("/products"), 401) == INVALID
    assert keys._recent == {}

"""Bearer API-key authentication, scopes and per-key rate limiting."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from ninja.security.base import AuthBase

from stockline.api.errors import ApiError, RateLimited
from stockline.api.keys import api_key_actor, api_key_authenticate
from stockline.api.models import ApiKey, RateLimitWindow

MISSING_HEADER = "Missing or invalid Authorization header. Use: Bearer <api_key>"
INVALID_KEY = "Invalid, expired, or revoked API key."


def request_api_key(request) -> ApiKey:
    """The key a request authenticates with (cached on the request), or ApiError 401."""
    cached = getattr(request, "_stockline_api_key", None)
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise ApiError(401, MISSING_HEADER)
    key = api_key_authenticate(token.strip())
    if key is None:
        raise ApiError(401, INVALID_KEY)
    request._stockline_api_key = key
    return key


def rate_limit_check(key: ApiKey) -> None:
    """Count this request in the key's current minute; RateLimited past API_RATE_LIMIT.

    One atomic upsert shared by every web process; API_RATE_LIMIT=0 turns it off.
    """
    limit = settings.API_RATE_LIMIT
    if limit <= 0:
        return
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    table = connection.ops.quote_name(RateLimitWindow._meta.db_table)
    key_param = ApiKey._meta.pk.get_db_prep_value(key.id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (api_key_id, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [key_param, connection.ops.adapt_datetimefield_value(window)],
        )
        (count,) = cursor.fetchone()
    if count == 1:  # first request of a window: forget this key's old windows
        RateLimitWindow.objects.filter(api_key_id=key.id, window_start__lt=window).delete()
    if count > limit:
        retry_after = max(1, int((window + timedelta(minutes=1) - now).total_seconds() + 0.999))
        raise RateLimited(retry_after)


class ApiKeyAuth(AuthBase):
    """django-ninja auth: sets request.api_key, request.company_id and request.actor.

    With a `resource` (a router's: "products", "orders", "customers") it also holds the key
    to that resource's scope, read for GET and write otherwise, before the request's path
    and body are parsed: a key lacking the scope gets 403 whatever it sent.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, resource: str | None = None):
        super().__init__()
        self.resource = resource

    def __call__(self, request):
        key = request_api_key(request)
        rate_limit_check(key)
        if self.resource is not None:
            access = "read" if request.method in ("GET", "HEAD") else "write"
            require_scope(key, f"{self.resource}:{access}")
        request.api_key = key
        request.company_id = key.company_id
        request.actor = api_key_actor(key)
        return key


def require_scope(key: ApiKey, scope: str) -> None:
    if scope not in key.scopes:
        raise ApiError(403, f'Insufficient permissions. This key lacks the "{scope}" scope.')

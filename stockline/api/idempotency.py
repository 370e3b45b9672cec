"""Idempotency-Key for every POST under /api/v1.

The record is inserted in the same transaction as the work it guards. A concurrent request
with the same key blocks on the unique index until the first commits, then replays its
stored response; so two simultaneous requests act once. A replay with a different body is
refused (422). 5xx and 429 outcomes are not stored, so a retry after a crash or once the
rate limit allows acts again.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse

from stockline.api.auth import request_api_key
from stockline.api.errors import ApiError
from stockline.api.models import IdempotencyRecord

API_PREFIX = "/api/v1/"
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class _DoNotStore(Exception):
    def __init__(self, response):
        self.response = response


def _fingerprint(request, api_key) -> str:
    """Same key, same API key, same request: a replay by another API key is a different request
    (so it can never read a response its own scopes would not allow)."""
    digest = hashlib.sha256()
    digest.update(str(api_key.id).encode())
    digest.update(b"\n")
    digest.update(request.method.encode())
    digest.update(b"\n")
    digest.update(request.path.encode())
    digest.update(b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        key = key.strip()
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            return JsonResponse(
                {"error": f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters."}, status=400
            )
        try:
            api_key = request_api_key(request)
        except ApiError:
            return self.get_response(request)  # the API itself answers 401
        fingerprint = _fingerprint(request, api_key)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            company_id=api_key.company_id, key=key, fingerprint=fingerprint
                        )
                except IntegrityError:
                    record = None
                if record is not None:
                    response = self.get_response(request)
                    if response.status_code >= 500 or response.status_code == 429:
                        raise _DoNotStore(response)
                    record.status_code = response.status_code
                    record.content_type = response.get("Content-Type", "")
                    record.body = response.content
                    record.save(update_fields=["status_code", "content_type", "body"])
                    return response
        except _DoNotStore as outcome:
            return outcome.response
        existing = IdempotencyRecord.objects.get(company_id=api_key.company_id, key=key)
        if existing.fingerprint != fingerprint:
            return JsonResponse(
                {"error": f"This {HEADER} was already used with a different request."}, status=422
            )
        return _replay(existing)

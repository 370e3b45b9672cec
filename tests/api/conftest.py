import json

import pytest
from django.test import Client

from stockline.api.keys import SCOPE_VALUES, api_key_create
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


def make_key(company, scopes=None) -> str:
    _, plaintext = api_key_create(
        actor=owner_actor(company), name="test key", scopes=sorted(scopes or SCOPE_VALUES)
    )
    return plaintext


@pytest.fixture
def api(company):
    return ApiClient(make_key(company))


@pytest.fixture
def other_company(db):
    return make_company("Other Co")[0]


@pytest.fixture
def other_api(other_company):
    return ApiClient(make_key(other_company))
